"""Block features that carry across sites and languages.

``featurize(page)`` returns an (n_blocks x n_features) float32 matrix whose columns are named
by ``FEATURE_NAMES``. Nothing here knows a site: lengths, punctuation, link density, tags and
landmarks, hashed class/id tokens, position, repetition within the page, the match with the
page's own title, plain-text layout, and the same cues for the neighbouring blocks.

Bump ``FEATURE_VERSION`` whenever a column changes meaning; a model trained on other columns
refuses to load.
"""
from __future__ import annotations

import math
import zlib
from collections import Counter

import numpy as np

from cleaner.document import Page
from cleaner.text import tokens

FEATURE_VERSION = 2

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
TAG_GROUPS: dict[str, frozenset[str]] = {
    "heading": HEADING_TAGS,
    "p": frozenset({"p"}),
    "list": frozenset({"li", "dd", "dt", "dl", "ul", "ol", "menu"}),
    "table": frozenset({"td", "th", "tr", "table", "tbody", "thead", "tfoot"}),
    "container": frozenset({"div", "section", "article", "main", "body", "html", "center", "span"}),
    "caption": frozenset({"figcaption", "caption", "figure"}),
    "quote": frozenset({"blockquote", "pre"}),
    "landmark": frozenset({"header", "footer", "nav", "aside"}),
    "form": frozenset({"form", "fieldset", "legend", "address", "details", "summary", "dialog"}),
    "line": frozenset({"line"}),
}
# Semantic HTML5 landmarks anywhere on the block's DOM path.
LANDMARKS = ("nav", "footer", "header", "aside", "article", "main", "form", "li", "table", "a")

# Class/id words that mean boilerplate or content on most sites (the vocabulary readability and
# boilerpipe rely on); they describe page structure, not any one site.
NEGATIVE_CLASS_WORDS = frozenset(
    "comment comments footer foot nav navbar navigation menu sidebar side widget related share "
    "sharing social ad ads advert advertisement banner promo sponsor sponsored breadcrumb breadcrumbs "
    "tag tags meta masthead subscribe newsletter popup modal cookie login signup recommend "
    "recommended teaser trending popular outbrain taboola rss print copyright more links list "
    "pagination pager topbar toolbar".split()
)
POSITIVE_CLASS_WORDS = frozenset(
    "article content body entry main post text story blog news detail paragraph prose rich "
    "caption figure headline title lead summary".split()
)
# Nearest class tokens used for the hashed bag and the "near" keyword counts: beyond about eight
# the tokens belong to page-wide wrappers.
NEAR_CLASS_TOKENS = 8
CLASS_HASH_BUCKETS = 32

SENTENCE_END = frozenset(".!?。！？…:;\"'”’»)")
SENTENCE_MARKS = frozenset(".!?。！？")
# A block at least this share of the title's tokens counts as "contained in the title" (a repeated
# headline used as image alt text is a part of the headline, e.g. without its kicker).
TITLE_CONTAINMENT = 0.9
# Window (blocks on each side) for local densities; 3 spans a teaser triplet of the seeds.
WINDOW = 3

NEIGHBOUR_SOURCES = ("log_words", "link_density", "ends_sentence", "repeated", "title_sim",
                     "tag_heading", "blank_before", "blank_after", "neg_class_near")
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)


def _text_shape(text: str, words: int, chars: int) -> tuple[float, ...]:
    # map() over str predicates runs in C: several times faster than a generator per character.
    stripped = text.rstrip()
    last = stripped[-1] if stripped else ""
    letters = sum(map(str.isalpha, text))
    digits = sum(map(str.isdigit, text))
    upper = sum(map(str.isupper, text))
    punct = len(text) - sum(map(str.isalnum, text)) - sum(map(str.isspace, text))
    marks = sum(text.count(m) for m in SENTENCE_MARKS)
    c = max(chars, 1)
    return (
        float(last in SENTENCE_END),
        float(last.isdigit()),
        math.log1p(marks),
        marks / max(words, 1),
        text.count(",") / max(words, 1),
        letters / c,
        digits / c,
        upper / max(letters, 1),
        punct / c,
        chars / max(words, 1),
        float(text[:1].isupper()),
        float("©" in text or "(c)" in text.lower()),
        sum(text.count(s) for s in "|»·•›/") / max(words, 1),
    )


SHAPE_NAMES = ("ends_sentence", "ends_digit", "log_sentence_marks", "marks_per_word",
               "commas_per_word", "letter_share", "digit_share", "upper_share", "punct_share",
               "chars_per_word", "starts_upper", "has_copyright", "separators_per_word")


def _block_columns(page: Page, toks: list[list[str]]) -> dict[str, np.ndarray]:
    blocks = page.blocks
    n = len(blocks)
    words = np.array([b.words for b in blocks], dtype=np.float64)
    cols: dict[str, np.ndarray] = {
        "log_words": np.log1p(words),
        "log_chars": np.log1p(np.array([b.chars for b in blocks], dtype=np.float64)),
        "link_density": np.array([b.link_density for b in blocks]),
        "depth": np.array([b.depth for b in blocks], dtype=np.float64),
        "blank_before": np.array([b.blank_before for b in blocks], dtype=np.float64),
        "blank_after": np.array([b.blank_after for b in blocks], dtype=np.float64),
        "is_text_input": np.full(n, float(page.input_format == "text")),
    }
    shapes = np.array([_text_shape(b.text, b.words, b.chars) for b in blocks], dtype=np.float64)
    for j, name in enumerate(SHAPE_NAMES):
        cols[name] = shapes[:, j]
    for group, tags in TAG_GROUPS.items():
        cols[f"tag_{group}"] = np.array([b.tag in tags for b in blocks], dtype=np.float64)
    paths = [b.dom_path.split("/") for b in blocks]
    for landmark in LANDMARKS:
        cols[f"in_{landmark}"] = np.array([landmark in p[:-1] for p in paths], dtype=np.float64)
    cols.update(_class_columns(page))
    return cols


def _class_columns(page: Page) -> dict[str, np.ndarray]:
    n = len(page.blocks)
    hashed = np.zeros((n, CLASS_HASH_BUCKETS))
    neg_near = np.zeros(n)
    pos_near = np.zeros(n)
    neg_all = np.zeros(n)
    pos_all = np.zeros(n)
    for i, block in enumerate(page.blocks):
        near = block.class_tokens[:NEAR_CLASS_TOKENS]
        for token in near:
            hashed[i, zlib.crc32(token.encode()) % CLASS_HASH_BUCKETS] = 1.0
        neg_near[i] = sum(t in NEGATIVE_CLASS_WORDS for t in near)
        pos_near[i] = sum(t in POSITIVE_CLASS_WORDS for t in near)
        neg_all[i] = sum(t in NEGATIVE_CLASS_WORDS for t in block.class_tokens)
        pos_all[i] = sum(t in POSITIVE_CLASS_WORDS for t in block.class_tokens)
    cols = {"neg_class_near": neg_near, "pos_class_near": pos_near,
            "neg_class_all": neg_all, "pos_class_all": pos_all}
    for k in range(CLASS_HASH_BUCKETS):
        cols[f"class_hash_{k:02d}"] = hashed[:, k]
    return cols


def _page_columns(page: Page, toks: list[list[str]], cols: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per-page normalisation, position, DOM-path share and repetition."""
    n = len(page.blocks)
    words = np.array([b.words for b in page.blocks], dtype=np.float64)
    total = max(words.sum(), 1.0)
    order = np.argsort(np.argsort(words, kind="stable"), kind="stable")
    cumulative = np.cumsum(words) - words
    path_words: Counter[str] = Counter()
    path_blocks: Counter[str] = Counter()
    for block in page.blocks:
        path_words[block.dom_path] += block.words
        path_blocks[block.dom_path] += 1
    has_paths = page.input_format == "html"
    keys = [" ".join(t) for t in toks]
    counts = Counter(k for k in keys if k)
    seen: set[str] = set()
    first = np.zeros(n)
    for i, key in enumerate(keys):
        first[i] = float(key not in seen)
        seen.add(key)
    repeats = np.array([counts[k] - 1 if k else 0 for k in keys], dtype=np.float64)
    smoothed = _window_sum(words, WINDOW)
    peak = int(np.argmax(smoothed)) if n else 0
    index = np.arange(n, dtype=np.float64)
    return {
        "position": index / max(n - 1, 1),
        "words_before_share": cumulative / total,
        "word_share": words / total,
        "length_rank": order / max(n - 1, 1),
        "words_over_max": words / max(words.max(initial=0.0), 1.0),
        "log_words_minus_median": cols["log_words"] - (np.median(cols["log_words"]) if n else 0.0),
        "log_blocks_in_page": np.full(n, math.log1p(n)),
        "path_word_share": np.array([path_words[b.dom_path] / total if has_paths else 0.0 for b in page.blocks]),
        "path_block_share": np.array([path_blocks[b.dom_path] / n if has_paths else 0.0 for b in page.blocks]),
        "repeated": np.log1p(repeats),
        "first_occurrence": first,
        "from_peak": (index - peak) / max(n, 1),
        "window_words": np.log1p(smoothed),
    }


# A plain-text scrape has no <title>: its headline is one of its first lines. This many blocks
# covers a markup-residue line, a kicker and the headline itself (seed 003).
TEXT_HEADLINE_WINDOW = 6


def echoes(candidate: set[str], later: set[str]) -> bool:
    """``later`` repeats (most of) ``candidate``: alt text, a teaser, a breadcrumb of the headline."""
    if len(later) < 3 or len(candidate) < 3:
        return False
    shared = len(later & candidate)
    return shared / len(later) >= TITLE_CONTAINMENT and shared >= len(candidate) / 2


def headline_index(page: Page, toks: list[list[str]]) -> int | None:
    """Which block is the headline: the best match of the page's title hints (HTML); in a
    plain-text scrape, the first early line the page echoes later (images repeat the headline
    as alt text), else the first line of three or more words."""
    if not page.blocks:
        return None
    if page.input_format == "text":
        sets = [set(t) for t in toks]
        early = [i for i in range(min(TEXT_HEADLINE_WINDOW, len(sets))) if len(sets[i]) >= 3]
        for i in early:
            if any(echoes(sets[i], sets[j]) for j in range(i + 1, len(sets))):
                return i
        return early[0] if early else None
    if page.title_hints:
        hint_sets = [set(tokens(h)) for h in page.title_hints]
        best, best_sim = None, 0.5  # below half the tokens shared it is not the same line
        for i, tk in enumerate(toks):
            block_set = set(tk)
            if not block_set:
                continue
            sim = max((len(block_set & h) / max(len(block_set), len(h)) for h in hint_sets if h), default=0.0)
            if sim > best_sim:
                best, best_sim = i, sim
        return best
    return None


def _title_columns(page: Page, toks: list[list[str]]) -> dict[str, np.ndarray]:
    n = len(page.blocks)
    head = headline_index(page, toks)
    sim = np.zeros(n)
    echo = np.zeros(n, dtype=bool)
    if head is not None:
        title = set(toks[head])
        for i, tk in enumerate(toks):
            block_set = set(tk)
            if block_set and title:
                sim[i] = len(block_set & title) / max(len(block_set), len(title))
                echo[i] = i != head and echoes(title, block_set)
    index = np.arange(n)
    is_head = index == head if head is not None else np.zeros(n, dtype=bool)
    return {
        "is_headline": is_head.astype(np.float64),
        "title_sim": sim,
        "title_echo": echo.astype(np.float64),  # repeats (part of) the headline elsewhere: alt text, teasers
        "before_headline": (index < head).astype(np.float64) if head is not None else np.zeros(n),
        "blocks_from_headline": (index - head) / max(n, 1) if head is not None else np.zeros(n),
    }


def _window_sum(values: np.ndarray, radius: int) -> np.ndarray:
    """Sum over values[i - radius : i + radius + 1] (np.convolve's "same" mode breaks on short pages)."""
    if not len(values):
        return values
    full = np.convolve(values, np.ones(2 * radius + 1), mode="full")
    return full[radius:radius + len(values)]


def _window_mean(values: np.ndarray, radius: int) -> np.ndarray:
    if not len(values):
        return values
    return _window_sum(values, radius) / _window_sum(np.ones_like(values), radius)


def _shift(values: np.ndarray, offset: int, fill: float = 0.0) -> np.ndarray:
    """values[i + offset], with ``fill`` past either end of the page."""
    out = np.full_like(values, fill)
    if offset > 0:
        out[:-offset] = values[offset:]
    elif offset < 0:
        out[-offset:] = values[:offset]
    else:
        out[:] = values
    return out


# Distances to a repeated line are capped: beyond a screenful they say nothing more.
MAX_REPEAT_DISTANCE = 20


def _distances(flags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log1p of the blocks to the next flagged block after i, and since the last one before i."""
    n = len(flags)
    to_next = np.full(n, MAX_REPEAT_DISTANCE, dtype=np.float64)
    since = np.full(n, MAX_REPEAT_DISTANCE, dtype=np.float64)
    nxt = None
    for i in range(n - 1, -1, -1):
        if nxt is not None:
            to_next[i] = min(nxt - i, MAX_REPEAT_DISTANCE)
        if flags[i]:
            nxt = i
    last = None
    for i in range(n):
        if last is not None:
            since[i] = min(i - last, MAX_REPEAT_DISTANCE)
        if flags[i]:
            last = i
    return np.log1p(to_next), np.log1p(since)


def _all_columns(page: Page) -> dict[str, np.ndarray]:
    toks = [tokens(b.text) for b in page.blocks]
    cols = _block_columns(page, toks)
    cols.update(_page_columns(page, toks, cols))
    cols.update(_title_columns(page, toks))
    repeated = cols["repeated"] > 0
    non_title = repeated & (cols["title_echo"] == 0) & (cols["is_headline"] == 0)
    cols["non_title_repeat"] = non_title.astype(np.float64)
    cols["window_non_title_repeat"] = _window_mean(cols["non_title_repeat"], WINDOW)
    cols["log_blocks_to_next_repeat"], cols["log_blocks_since_repeat"] = _distances(non_title)
    # Plain-text layout: a scraper separates article paragraphs the same way throughout, so a line
    # printed directly under a sentence-final paragraph (no blank line) is another kind of element
    # (a related-links box), and one directly under a repeat of the headline is an image caption.
    glued = (cols["is_text_input"] > 0) & (cols["blank_before"] == 0)
    cols["glued_under_sentence"] = (glued & (_shift(cols["ends_sentence"], -1) > 0)).astype(np.float64)
    cols["glued_under_echo"] = (glued & (_shift(cols["title_echo"], -1) > 0)).astype(np.float64)
    cols["window_link_density"] = _window_mean(cols["link_density"], WINDOW)
    cols["window_ends_sentence"] = _window_mean(cols["ends_sentence"], WINDOW)
    # Share of the page's sentence-like text that lies after this block: the article usually
    # ends where this falls away, the recommendation walls carry little of it.
    sentence_words = np.exp(cols["log_words"]) - 1.0
    sentence_words = sentence_words * cols["ends_sentence"]
    after = np.cumsum(sentence_words[::-1])[::-1] - sentence_words
    cols["sentence_words_after_share"] = after / max(sentence_words.sum(), 1.0)
    for name in NEIGHBOUR_SOURCES:
        for offset in NEIGHBOUR_OFFSETS:
            cols[f"{name}@{offset:+d}"] = _shift(cols[name], offset)
    return cols


def _feature_names() -> tuple[str, ...]:
    from cleaner.document import Block  # a two-block page names every column

    demo = Page(blocks=(Block(text="a b c.", tag="p"), Block(text="d", tag="p")), input_format="html")
    return tuple(_all_columns(demo))


FEATURE_NAMES: tuple[str, ...] = _feature_names()


def featurize(page: Page) -> np.ndarray:
    """The feature matrix of a page, columns in ``FEATURE_NAMES`` order."""
    if not page.blocks:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    cols = _all_columns(page)
    return np.column_stack([cols[name] for name in FEATURE_NAMES]).astype(np.float32)
