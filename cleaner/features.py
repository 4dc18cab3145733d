"""Block features that carry across sites and languages.

``featurize(page)`` returns an (n_blocks x n_features) float32 matrix whose columns are named
by ``FEATURE_NAMES``. Nothing here knows a site: lengths, punctuation, link density, tags and
landmarks, hiddenness, hashed class/id tokens, position, repetition within the page, the match with the
page's own title, plain-text layout, and the same cues for the neighbouring blocks.

Bump ``FEATURE_VERSION`` whenever a column changes meaning; a model trained on other columns
refuses to load.
"""
from __future__ import annotations

import functools
import itertools
import math
import re
import types
import zlib
from collections import Counter
from typing import NamedTuple

import numpy as np

from cleaner.compiled import compiled_module
from cleaner.document import Page
from cleaner.headline import echo_rule
from cleaner.lexicon import LEXICAL_NAMES, Lexicon
from cleaner.text import SENTENCE_END
from cleaner.window import window_mean, window_sum

# 4: the "hidden" column (blocks of hidden elements, read since segmenter version 3).
# 5: a plain-text page's headline is found above its body of prose (cleaner.headline), which
#    moves the headline columns (is_headline, title_sim, title_echo, before_headline, ...) of
#    most plain-text pages.
# 6: a plain-text page's body is its first run of prose, not its longest (cleaner.headline), which
#    moves the headline columns of plain-text pages whose comment thread outweighs the article.
# 7: the lexical columns (cleaner.lexicon), filled from the model's lexicon.
FEATURE_VERSION = 7

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
# Class names are often compounds that the splitter cannot cut ("postcomments", "commententry",
# "articlebody", "relatedposts"): the longer keywords also count when they occur inside a token.
# Short ones (ad, nav, tag, side, list, ...) would match inside unrelated words (header, inside),
# so only keywords of five letters or more take part, plus "menu".
NEGATIVE_STEMS = tuple(sorted(w for w in NEGATIVE_CLASS_WORDS if len(w) >= 5 or w == "menu"))
POSITIVE_STEMS = tuple(sorted(w for w in POSITIVE_CLASS_WORDS if len(w) >= 5))
# Comments are boilerplate under every gold convention and the seeds' labelling policy, yet read
# like article text; their containers are the one signal that carries across sites.
COMMENT_STEMS = ("comment", "disqus", "reply", "replies")
# Nearest class tokens used for the hashed bag and the "near" keyword counts: beyond about eight
# the tokens belong to page-wide wrappers.
NEAR_CLASS_TOKENS = 8
CLASS_HASH_BUCKETS = 32

SENTENCE_MARKS = frozenset(".!?。！？")
SEPARATORS = "|»·•›/"  # breadcrumb and menu separators

NEIGHBOUR_SOURCES = ("log_words", "link_density", "ends_sentence", "repeated", "title_sim",
                     "tag_heading", "blank_before", "blank_after", "neg_class_near")
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)


# Character classes counted per block, in this order. Counting them one character at a time in
# Python was the largest cost of featurize(); a lookup table over the Basic Multilingual Plane
# turns it into a few numpy operations per page (astral characters are looked up one by one).
_CHAR_CLASSES: tuple[tuple[str, object], ...] = (
    ("letters", str.isalpha),
    ("digits", str.isdigit),
    ("upper", str.isupper),
    ("alnum", str.isalnum),
    ("marks", lambda c: c in SENTENCE_MARKS),
    ("commas", lambda c: c == ","),
    ("separators", lambda c: c in SEPARATORS),
)
_MARKS = 4  # the column of "marks" in _CHAR_CLASSES
_BMP = 0x10000


@functools.cache
def _char_table() -> np.ndarray:
    """(65536 x classes) booleans: does code point i belong to each class (same str methods).
    Built once per process on first use, about 0.1 s: small beside loading the model. Rows are
    code points so that one gather and one reduceat count every class of a page at once."""
    chars = [chr(i) for i in range(_BMP)]
    return np.array([list(map(test, chars)) for _name, test in _CHAR_CLASSES], dtype=bool).T.copy()  # type: ignore[call-overload]


def _char_counts(texts: list[str]) -> np.ndarray:
    """(n_texts x classes) counts of each character class, computed for the whole page at once."""
    counts = np.zeros((len(texts), len(_CHAR_CLASSES)), dtype=np.int64)
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    if not lengths.sum():
        return counts
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    starts = np.cumsum(lengths) - lengths
    nonempty = lengths > 0
    flags = _char_table()[np.minimum(codes, _BMP - 1)]
    for k in np.flatnonzero(codes >= _BMP):  # astral characters, looked up one by one
        flags[k] = [test(chr(codes[k])) for _name, test in _CHAR_CLASSES]  # type: ignore[operator]
    counts[nonempty] = np.add.reduceat(flags, starts[nonempty], axis=0, dtype=np.int64)
    return counts


class BlockFacts(NamedTuple):
    """What featurize reads off each block, one array entry (or row) per block: the only part of
    it that visits blocks one by one in Python. ``cleaner._features.block_facts`` computes the
    same arrays in C (``python_block_facts`` is the reference and the fallback); every column is
    then made from these by numpy, the same code for both."""

    words: np.ndarray  # float64, as every column below unless said
    chars: np.ndarray
    link_density: np.ndarray
    depth: np.ndarray
    blank_before: np.ndarray
    blank_after: np.ndarray
    hidden: np.ndarray
    char_counts: np.ndarray  # int64 (n x len(_CHAR_CLASSES))
    ends_sentence: np.ndarray  # the last character that is not white space is in SENTENCE_END
    ends_digit: np.ndarray
    starts_upper: np.ndarray
    has_copyright: np.ndarray  # "©" or "(c)" in any case
    log_marks: np.ndarray  # math.log1p of the sentence marks
    structure: np.ndarray  # (n x len(STRUCTURE_NAMES)) rows of _structure_row
    class_rows: np.ndarray  # (n x _CLASS_COUNTS + CLASS_HASH_BUCKETS) rows of _class_row
    path_words: np.ndarray  # words of all blocks with the block's dom_path (0 for plain text)
    path_blocks: np.ndarray  # blocks with the block's dom_path (0 for plain text)
    repeats: np.ndarray  # other blocks with the same tokens (0 for a block without tokens)
    first_occurrence: np.ndarray  # 1 for the first block with its tokens
    title_shared: np.ndarray  # distinct tokens shared with the headline block (0 without one)
    token_counts: np.ndarray  # distinct tokens of the block
    chain_lengths: np.ndarray  # int64: len(block.containers)
    chain_elements: np.ndarray  # int64: every block's containers, concatenated


def python_block_facts(page: Page) -> BlockFacts:
    """``BlockFacts`` of a page, in Python."""
    blocks = page.blocks
    n = len(blocks)
    texts = [b.text for b in blocks]
    words = np.array([b.words for b in blocks], dtype=np.float64)
    counts = _char_counts(texts)
    lasts = [t.rstrip()[-1:] for t in texts]
    path_words: Counter[str] = Counter()
    path_blocks: Counter[str] = Counter()
    has_paths = page.input_format == "html"
    if has_paths:
        for block in blocks:
            path_words[block.dom_path] += block.words
            path_blocks[block.dom_path] += 1
    keys = [" ".join(b.tokens) for b in blocks]
    key_counts = Counter(k for k in keys if k)
    seen: set[str] = set()
    first = np.zeros(n)
    for i, key in enumerate(keys):
        first[i] = float(key not in seen)
        seen.add(key)
    class_rows: dict[tuple[str, ...], np.ndarray] = {}  # blocks of one container share their tokens
    for block in blocks:
        if block.class_tokens not in class_rows:
            class_rows[block.class_tokens] = _class_row(block.class_tokens)
    title = blocks[page.headline].token_set if page.headline is not None else frozenset()
    chains = [block.containers for block in blocks]
    lengths = np.fromiter((len(c) for c in chains), dtype=np.int64, count=n)
    return BlockFacts(
        words=words,
        chars=np.array([b.chars for b in blocks], dtype=np.float64),
        link_density=np.array([b.link_density for b in blocks], dtype=np.float64),
        depth=np.array([b.depth for b in blocks], dtype=np.float64),
        blank_before=np.array([b.blank_before for b in blocks], dtype=np.float64),
        blank_after=np.array([b.blank_after for b in blocks], dtype=np.float64),
        hidden=np.array([b.hidden for b in blocks], dtype=np.float64),
        char_counts=counts,
        ends_sentence=np.array([c in SENTENCE_END for c in lasts], dtype=np.float64),
        ends_digit=np.array([c.isdigit() for c in lasts], dtype=np.float64),
        starts_upper=np.array([t[:1].isupper() for t in texts], dtype=np.float64),
        has_copyright=np.array(["©" in t or "(c)" in t.lower() for t in texts], dtype=np.float64),
        log_marks=np.array([math.log1p(m) for m in counts[:, _MARKS].tolist()], dtype=np.float64),
        structure=np.array([_structure_row(b.tag, b.dom_path) for b in blocks], dtype=np.float64).reshape(
            n, len(STRUCTURE_NAMES)),
        class_rows=np.array([class_rows[b.class_tokens] for b in blocks]).reshape(
            n, _CLASS_COUNTS + CLASS_HASH_BUCKETS),  # one copy in C, not a row at a time
        path_words=np.array([path_words[b.dom_path] for b in blocks] if has_paths else np.zeros(n), dtype=np.float64),
        path_blocks=np.array([path_blocks[b.dom_path] for b in blocks] if has_paths else np.zeros(n), dtype=np.float64),
        repeats=np.array([key_counts[k] - 1 if k else 0 for k in keys], dtype=np.float64),
        first_occurrence=first,
        title_shared=np.array([len(b.token_set & title) for b in blocks], dtype=np.float64),
        token_counts=np.array([len(b.token_set) for b in blocks], dtype=np.float64),
        chain_lengths=lengths,
        chain_elements=np.fromiter(itertools.chain.from_iterable(chains), dtype=np.int64, count=int(lengths.sum())),
    )


def block_facts(page: Page) -> BlockFacts:
    """``BlockFacts`` of a page: compiled where cleaner._features was built."""
    if _compiled_facts is not None:
        return _compiled_facts.block_facts(page)
    return python_block_facts(page)


def _text_shapes(facts: BlockFacts) -> np.ndarray:
    """(n x len(SHAPE_NAMES)) punctuation, case and character-class shares of each text."""
    letters, digits, upper, alnum, marks, commas, separators = facts.char_counts.T.astype(np.float64)
    words, chars = facts.words, facts.chars
    per_word = np.maximum(words, 1.0)
    per_char = np.maximum(chars, 1.0)
    columns = (
        facts.ends_sentence,
        facts.ends_digit,
        facts.log_marks,
        marks / per_word,
        commas / per_word,
        letters / per_char,
        digits / per_char,
        upper / np.maximum(letters, 1.0),
        (chars - alnum) / per_char,  # punctuation: chars already excludes white space
        chars / per_word,
        facts.starts_upper,
        facts.has_copyright,
        separators / per_word,
    )
    return np.column_stack(columns) if len(words) else np.zeros((0, len(columns)))


SHAPE_NAMES = ("ends_sentence", "ends_digit", "log_sentence_marks", "marks_per_word",
               "commas_per_word", "letter_share", "digit_share", "upper_share", "punct_share",
               "chars_per_word", "starts_upper", "has_copyright", "separators_per_word")


STRUCTURE_NAMES = (*(f"tag_{group}" for group in TAG_GROUPS), *(f"in_{landmark}" for landmark in LANDMARKS))


@functools.lru_cache(maxsize=8192)
def _structure_row(tag: str, dom_path: str) -> tuple[bool, ...]:
    """Tag group flags of the block and landmark flags of its ancestors. Cached: a page repeats a
    few dozen (tag, path) pairs and sites repeat them across pages."""
    ancestors = frozenset(dom_path.split("/")[:-1])
    return (*(tag in tags for tags in TAG_GROUPS.values()), *(landmark in ancestors for landmark in LANDMARKS))


def _block_columns(page: Page, facts: BlockFacts) -> dict[str, np.ndarray]:
    n = len(page.blocks)
    cols: dict[str, np.ndarray] = {
        "log_words": np.log1p(facts.words),
        "log_chars": np.log1p(facts.chars),
        "link_density": facts.link_density,
        "depth": facts.depth,
        "blank_before": facts.blank_before,
        "blank_after": facts.blank_after,
        "is_text_input": np.full(n, float(page.input_format == "text")),
        "hidden": facts.hidden,
    }
    shapes = _text_shapes(facts)
    for j, name in enumerate(SHAPE_NAMES):
        cols[name] = shapes[:, j]
    for j, name in enumerate(STRUCTURE_NAMES):
        cols[name] = facts.structure[:, j]
    matrix = facts.class_rows
    cols.update({"neg_class_near": matrix[:, 0], "pos_class_near": matrix[:, 1],
                 "neg_class_all": matrix[:, 2], "pos_class_all": matrix[:, 3],
                 "neg_compound_near": matrix[:, 4], "pos_compound_near": matrix[:, 5], "comment_near": matrix[:, 6]})
    for k in range(CLASS_HASH_BUCKETS):
        cols[f"class_hash_{k:02d}"] = matrix[:, _CLASS_COUNTS + k]
    return cols


_CLASS_COUNTS = 7  # keyword columns before the hashed bag in a class row
_NEGATIVE_STEM = re.compile("|".join(NEGATIVE_STEMS))
_POSITIVE_STEM = re.compile("|".join(POSITIVE_STEMS))
_COMMENT_STEM = re.compile("|".join(COMMENT_STEMS))


@functools.lru_cache(maxsize=16384)
def _stem_flags(token: str) -> tuple[bool, bool, bool]:
    """Whether a class/id token is a compound holding a negative or positive keyword, and whether
    it names comments. One regex search each, cached: sites repeat their class names."""
    return (token not in NEGATIVE_CLASS_WORDS and _NEGATIVE_STEM.search(token) is not None,
            token not in POSITIVE_CLASS_WORDS and _POSITIVE_STEM.search(token) is not None,
            _COMMENT_STEM.search(token) is not None)


@functools.lru_cache(maxsize=16384)
def _hash_bucket(token: str) -> int:
    return _CLASS_COUNTS + zlib.crc32(token.encode()) % CLASS_HASH_BUCKETS


@functools.lru_cache(maxsize=8192)
def _class_row(class_tokens: tuple[str, ...]) -> np.ndarray:
    """neg/pos keyword counts (near, all) and the hashed bag of the nearest class/id tokens.
    Cached: pages of one site repeat the same few dozen token tuples. Never modify the result.
    Counted with map/zip in C: on pages of new sites most tuples are new, and generator sums
    made this a tenth of featurize."""
    near = class_tokens[:NEAR_CLASS_TOKENS]
    row = np.zeros(_CLASS_COUNTS + CLASS_HASH_BUCKETS)
    row[0] = sum(map(NEGATIVE_CLASS_WORDS.__contains__, near))
    row[1] = sum(map(POSITIVE_CLASS_WORDS.__contains__, near))
    row[2] = sum(map(NEGATIVE_CLASS_WORDS.__contains__, class_tokens))
    row[3] = sum(map(POSITIVE_CLASS_WORDS.__contains__, class_tokens))
    if near:
        negative, positive, comment = zip(*map(_stem_flags, near))
        row[4] = sum(negative)
        row[5] = sum(positive)
        row[6] = float(any(comment))
        row[list(map(_hash_bucket, near))] = 1.0
    row.setflags(write=False)  # shared through the cache
    return row


def _page_columns(page: Page, facts: BlockFacts, cols: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per-page normalisation, position, DOM-path share and repetition."""
    n = len(page.blocks)
    words = facts.words
    total = max(words.sum(), 1.0)
    order = np.argsort(np.argsort(words, kind="stable"), kind="stable")
    cumulative = np.cumsum(words) - words
    smoothed = window_sum(words)
    peak = int(np.argmax(smoothed)) if n else 0
    index = np.arange(n, dtype=np.float64)
    return {
        "position": index / max(n - 1, 1),
        "words_before_share": cumulative / total,
        "word_share": words / total,
        "length_rank": order / max(n - 1, 1),
        "words_over_max": words / max(words.max(initial=0.0), 1.0),
        "log_words_minus_median": cols["log_words"] - _median(cols["log_words"]),
        "log_blocks_in_page": np.full(n, math.log1p(n)),
        "path_word_share": facts.path_words / total,  # zero for plain text: no paths
        "path_block_share": facts.path_blocks / max(n, 1),
        "repeated": np.log1p(facts.repeats),
        "first_occurrence": facts.first_occurrence,
        "from_peak": (index - peak) / max(n, 1),
        "window_words": np.log1p(smoothed),
    }


def _median(values: np.ndarray) -> float:
    """np.median of values without NaN (0.0 for none), bit for bit: the middle value, or the mean
    of the middle two as np.median takes it ((a + b) / 2). np.median's own checks were a fifth of
    the page columns' time."""
    n = len(values)
    if not n:
        return 0.0
    middle = np.partition(values, [(n - 1) // 2, n // 2])
    return float(middle[n // 2]) if n % 2 else float((middle[n // 2 - 1] + middle[n // 2]) / 2.0)


def _title_columns(page: Page, facts: BlockFacts) -> dict[str, np.ndarray]:
    n = len(page.blocks)
    head = page.headline
    sim = np.zeros(n)
    echo = np.zeros(n, dtype=bool)
    if head is not None:
        shared, sizes = facts.title_shared, facts.token_counts
        size_t = float(sizes[head])
        sim = shared / np.maximum(np.maximum(sizes, size_t), 1.0)
        echo = echo_rule(size_t, sizes, shared)
        echo[head] = False
    index = np.arange(n)
    is_head = index == head if head is not None else np.zeros(n, dtype=bool)
    return {
        "is_headline": is_head.astype(np.float64),
        "title_sim": sim,
        "title_echo": echo.astype(np.float64),  # repeats (part of) the headline elsewhere: alt text, teasers
        "before_headline": (index < head).astype(np.float64) if head is not None else np.zeros(n),
        "blocks_from_headline": (index - head) / max(n, 1) if head is not None else np.zeros(n),
    }


def _shift(values: np.ndarray, offset: int, fill: float = 0.0) -> np.ndarray:
    """values[i + offset], with ``fill`` past either end of the page (rows, for a 2-D array)."""
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
    flagged = np.flatnonzero(flags)
    if len(flagged):
        index = np.arange(n)
        after = np.searchsorted(flagged, index, side="right")  # first flagged block after i
        has = after < len(flagged)
        to_next[has] = np.minimum(flagged[after[has]] - index[has], MAX_REPEAT_DISTANCE)
        before = np.searchsorted(flagged, index, side="left") - 1  # last flagged block before i
        has = before >= 0
        since[has] = np.minimum(index[has] - flagged[before[has]], MAX_REPEAT_DISTANCE)
    return np.log1p(to_next), np.log1p(since)


# The article container is the deepest element holding at least this share of the page's prose
# (sentence-final, unlinked words) in two or more blocks: a majority, so at most one element per
# depth can qualify; two blocks, so one long paragraph is not mistaken for the article.
MAIN_CONTAINER_SHARE = 0.5
# Container shares are read this many levels above the element that holds the block's text.
CONTAINER_LEVELS = 3


def _container_columns(page: Page, facts: BlockFacts, prose: np.ndarray) -> dict[str, np.ndarray]:
    """Where a block sits relative to the page's prose (readability's idea, as features): the share
    of the page's prose held by its enclosing elements, and whether it lies inside the article
    container. Comments, teasers and footers sit in containers that hold little of it."""
    n = len(page.blocks)
    names = ["in_main_container", *(f"container_prose_share_up{k}" for k in range(1, CONTAINER_LEVELS + 1))]
    out = {name: np.zeros(n) for name in names}
    total = float(prose.sum())
    if page.input_format != "html" or total <= 0:
        return out
    # Every (block, enclosing element) pair, flattened, so the sums are numpy's bincount.
    lengths, elements = facts.chain_lengths, facts.chain_elements
    owner = np.repeat(np.arange(n), lengths)
    depths = np.arange(len(elements)) - (np.cumsum(lengths) - lengths)[owner]  # position in its chain
    held = np.bincount(elements, weights=prose[owner], minlength=1)
    blocks_in = np.bincount(elements, minlength=1)
    depth_of = np.zeros(len(held), dtype=np.int64)
    depth_of[elements] = depths
    qualifying = np.flatnonzero((held >= MAIN_CONTAINER_SHARE * total) & (blocks_in >= 2))
    if len(qualifying):
        main = qualifying[np.argmax(depth_of[qualifying])]
        out["in_main_container"] = np.bincount(owner[elements == main], minlength=n).astype(np.float64)
    ends = np.cumsum(lengths)
    for k in range(1, CONTAINER_LEVELS + 1):
        has = lengths > k
        out[f"container_prose_share_up{k}"][has] = held[elements[ends[has] - 1 - k]] / total
    return out


def _all_columns(page: Page) -> dict[str, np.ndarray]:
    facts = block_facts(page)
    cols = _block_columns(page, facts)
    cols.update(_page_columns(page, facts, cols))
    cols.update(_title_columns(page, facts))
    repeated = cols["repeated"] > 0
    non_title = repeated & (cols["title_echo"] == 0) & (cols["is_headline"] == 0)
    cols["non_title_repeat"] = non_title.astype(np.float64)
    cols["window_non_title_repeat"] = window_mean(cols["non_title_repeat"])
    cols["log_blocks_to_next_repeat"], cols["log_blocks_since_repeat"] = _distances(non_title)
    # Plain-text layout: a scraper separates article paragraphs the same way throughout, so a line
    # printed directly under a sentence-final paragraph (no blank line) is another kind of element
    # (a related-links box), and one directly under a repeat of the headline is an image caption.
    glued = (cols["is_text_input"] > 0) & (cols["blank_before"] == 0)
    cols["glued_under_sentence"] = (glued & (_shift(cols["ends_sentence"], -1) > 0)).astype(np.float64)
    cols["glued_under_echo"] = (glued & (_shift(cols["title_echo"], -1) > 0)).astype(np.float64)
    cols["window_link_density"] = window_mean(cols["link_density"])
    cols["window_ends_sentence"] = window_mean(cols["ends_sentence"])
    # Share of the page's sentence-like text that lies after this block: the article usually
    # ends where this falls away, the recommendation walls carry little of it.
    sentence_words = np.exp(cols["log_words"]) - 1.0
    sentence_words = sentence_words * cols["ends_sentence"]
    after = np.cumsum(sentence_words[::-1])[::-1] - sentence_words
    cols["sentence_words_after_share"] = after / max(sentence_words.sum(), 1.0)
    cols.update(_container_columns(page, facts, sentence_words * (1.0 - cols["link_density"])))
    sources = np.column_stack([cols[name] for name in NEIGHBOUR_SOURCES])
    shifted = {offset: _shift(sources, offset) for offset in NEIGHBOUR_OFFSETS}  # all sources at once
    for j, name in enumerate(NEIGHBOUR_SOURCES):
        for offset in NEIGHBOUR_OFFSETS:
            cols[f"{name}@{offset:+d}"] = shifted[offset][:, j]
    return cols


def _load_compiled_facts() -> types.ModuleType | None:
    """cleaner._features, configured with this module's vocabularies and cached rows, unless it was
    not built or CLEANER_PURE_PYTHON is set (cleaner.compiled)."""
    facts = compiled_module("_features")
    if facts is not None:
        facts.configure(BlockFacts, [name for name, _test in _CHAR_CLASSES], sorted(SENTENCE_MARKS), SEPARATORS,
                        sorted(SENTENCE_END), _structure_row, len(STRUCTURE_NAMES), NEGATIVE_CLASS_WORDS,
                        POSITIVE_CLASS_WORDS, _stem_flags, _hash_bucket, NEAR_CLASS_TOKENS,
                        _CLASS_COUNTS + CLASS_HASH_BUCKETS)
    return facts


_compiled_facts = _load_compiled_facts()


def _feature_names() -> tuple[str, ...]:
    from cleaner.document import Block  # a two-block page names every column

    demo = Page(blocks=(Block(text="a b c.", tag="p"), Block(text="d", tag="p")), input_format="html")
    return (*_all_columns(demo), *LEXICAL_NAMES)


FEATURE_NAMES: tuple[str, ...] = _feature_names()
# The lexical columns come last, so training can refill them per fold without featurizing again.
LEXICAL_COLUMNS = slice(len(FEATURE_NAMES) - len(LEXICAL_NAMES), len(FEATURE_NAMES))


def featurize(page: Page, lexicon: Lexicon | None = None) -> np.ndarray:
    """The feature matrix of a page, columns in ``FEATURE_NAMES`` order. The lexical columns are
    read from ``lexicon`` (the model's; cleaner.lexicon), and are 0 without one."""
    if not page.blocks:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    cols = _all_columns(page)
    rows = [cols[name] for name in FEATURE_NAMES[:LEXICAL_COLUMNS.start]]
    rows.extend(lexicon.columns(page).T if lexicon is not None else np.zeros((len(LEXICAL_NAMES), len(page.blocks))))
    # One C-level copy of the columns, cast straight to float32 (the same rounding as casting the
    # float64 matrix): column_stack reshaped each of the ~150 columns in Python first.
    return np.ascontiguousarray(np.array(rows, dtype=np.float32).T)


def with_lexical_columns(X: np.ndarray, page: Page, lexicon: Lexicon | None) -> np.ndarray:
    """A copy of ``featurize(page)``'s matrix ``X`` with its lexical columns read from ``lexicon``."""
    out = np.array(X, dtype=np.float32, copy=True)
    if len(out):
        out[:, LEXICAL_COLUMNS] = 0.0 if lexicon is None else lexicon.columns(page)
    return out
