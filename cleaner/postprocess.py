"""Revise block labels in context, then reassemble the article.

Each rule is a small pure function ``(context, labels) -> labels`` over the block sequence,
applied in the order of ``RULES``. They encode the jusText-style second pass: the classifier
judges each block with a narrow window of neighbours; these rules look at runs.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from cleaner.document import Block, Page
from cleaner.features import HEADING_TAGS
from cleaner.headline import echoes

@dataclass(frozen=True, slots=True)
class RuleParams:
    """The rules' numbers. Defaults chosen on out-of-fold predictions of the training sources
    only (python -m training.tune_rules); see DEVELOPERS.md, "Tuned numbers"."""

    gap_min_proba: float = 0.3  # a lone noise block between content is filled if p >= this
    heading_min_proba: float = 0.1  # a heading keeps with its paragraph if p >= this ...
    heading_max_words: int = 20  # ... and it is at most this long
    run_max_gap: int = 1  # content runs broken by at most this many noise blocks are one run
    trailing_run_share: float = 0.2  # a later run with less than this share of the main run's words is cut
    # A block is in a comment thread if one of its nearest this many class/id tokens names comments.
    comment_token_reach: int = 3
    # Plain text: a comment-section heading ends the article once this many content words precede it.
    comment_heading_min_words: int = 100
    # HTML: an <h1> in another <article> than the headline's, after this many content words of
    # the first, opens the next story of an endless-scroll page and ends this one.
    next_article_min_words: int = 100
    # A page the threshold leaves with fewer content words than this is re-read against its own
    # best block: every block with p >= thin_page_ratio x that block's p is kept.
    thin_page_words: int = 100
    thin_page_ratio: float = 0.3
    # Later lines repeating the headline are dropped only when the headline is at most this long:
    # a plain-text page whose first repeated line is a paragraph has no headline to echo.
    echo_headline_max_words: int = 30


@dataclass(frozen=True, slots=True)
class Context:
    page: Page
    proba: np.ndarray
    headline: int | None
    token_sets: tuple[frozenset[str], ...]
    words: np.ndarray  # each block's word count, read once for every rule that weighs blocks by words
    params: RuleParams = RuleParams()


Rule = Callable[[Context, np.ndarray], np.ndarray]


def make_context(page: Page, proba: np.ndarray, params: RuleParams = RuleParams()) -> Context:
    words = np.fromiter((b.words for b in page.blocks), dtype=np.int64, count=len(page.blocks))
    return Context(page, proba, page.headline, tuple(b.token_set for b in page.blocks), words, params)


def drop_headline_echo(ctx: Context, labels: np.ndarray) -> np.ndarray:
    """A later line that only repeats (part of) the headline is alt text or a teaser, not content.
    A "headline" longer than a headline is a paragraph the page repeats (a plain-text scrape
    without a body of prose takes its first early line that recurs for its headline), and its
    repeats are left to the classifier."""
    if ctx.headline is None or ctx.page.blocks[ctx.headline].words > ctx.params.echo_headline_max_words:
        return labels
    title = ctx.token_sets[ctx.headline]
    out = labels.copy()
    for i in range(ctx.headline + 1, len(labels)):
        if out[i] and echoes(title, ctx.token_sets[i]):
            out[i] = False
    return out


def rescue_thin_page(ctx: Context, labels: np.ndarray) -> np.ndarray:
    """An unfamiliar template can lower every probability on a page, so that nothing, or a
    byline, passes the threshold and the article is lost (a Blogger post whose only paragraph
    scores 0.2). When the labels keep fewer than ``thin_page_words`` words, the page's own best
    block (the most probable content words, p x words) sets the bar instead: blocks with at least
    ``thin_page_ratio`` of its probability are added. The later rules then trim the result as
    usual. A page that does reach the word count is never touched."""
    words = ctx.words
    if int(words[labels].sum()) >= ctx.params.thin_page_words:
        return labels
    weighted = ctx.proba * words
    best = int(np.argmax(weighted))
    if weighted[best] <= 0:
        return labels
    return comment_headings_left_out(ctx, labels, labels | (ctx.proba >= ctx.params.thin_page_ratio * ctx.proba[best]))


def comment_headings_left_out(ctx: Context, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """``after`` (a rule's labels that only add content to ``before``) without the comment-section
    headings it added. Such a heading opens the comments, it is no part of the article, and the
    rules that add blocks read it wrongly: between the article's last paragraph and a first
    comment the classifier keeps, it is a "lone gap" or a "heading before content". Turned to
    content, it was no longer the noise line at which cut_after_comment_heading ends the article,
    and the thread stayed (DEVELOPERS.md, "Where plain text loses, rule by rule, and a comment
    heading the rules brought back")."""
    added = np.flatnonzero(after & ~before)  # a few blocks a page, if any
    dropped = [i for i in added.tolist() if is_comment_heading(ctx.page.blocks[i].text)]
    if not dropped:
        return after
    out = after.copy()
    out[dropped] = False
    return out


def fill_lone_gap(ctx: Context, labels: np.ndarray) -> np.ndarray:
    """One doubtful noise block between two content blocks is part of the article."""
    out = labels.copy()
    out[1:-1] |= labels[:-2] & labels[2:] & (ctx.proba[1:-1] >= ctx.params.gap_min_proba)
    return comment_headings_left_out(ctx, labels, out)


def _heading_like(page: Page, i: int) -> bool:
    block = page.blocks[i]
    return block.tag in HEADING_TAGS or (block.tag == "line" and block.text.rstrip()[-1:] not in ".!?。！？")


def keep_heading_with_text(ctx: Context, labels: np.ndarray) -> np.ndarray:
    """A short heading directly before content introduces it: a subheading inside the article,
    or a kicker line directly above the headline."""
    n = len(labels)
    if n < 2:
        return labels
    before = np.zeros(n - 1, dtype=bool)  # block i's predecessor is content (inside the article)
    before[1:] = labels[:n - 2]
    if ctx.headline is not None and ctx.headline >= 1:
        before[ctx.headline - 1] = True  # the kicker directly above the headline
    words = ctx.words[:n - 1]
    candidates = np.flatnonzero(~labels[:n - 1] & labels[1:] & before & (words >= 1)
                                & (words <= ctx.params.heading_max_words)
                                & (ctx.proba[:n - 1] >= ctx.params.heading_min_proba))
    out = labels.copy()
    for i in candidates:  # a few per page: only these need their tag and text read
        if _heading_like(ctx.page, int(i)):
            out[i] = True
    return comment_headings_left_out(ctx, labels, out)


def content_runs(labels: np.ndarray, max_gap: int) -> list[tuple[int, int]]:
    """(start, end) of runs of content blocks, bridging up to ``max_gap`` noise blocks."""
    runs: list[tuple[int, int]] = []
    for i in np.flatnonzero(labels):
        if runs and i - runs[-1][1] <= max_gap + 1:
            runs[-1] = (runs[-1][0], int(i))
        else:
            runs.append((int(i), int(i)))
    return runs


def cut_trailing_runs(ctx: Context, labels: np.ndarray) -> np.ndarray:
    """Small content runs after the main article are recommendation teasers or comments."""
    runs = content_runs(labels, ctx.params.run_max_gap)
    if len(runs) < 2:
        return labels
    kept = np.cumsum(np.where(labels, ctx.words, 0))  # content words up to and including each block
    words = [int(kept[e] - (kept[s - 1] if s else 0)) for s, e in runs]
    main = int(np.argmax(words))
    out = labels.copy()
    for (start, end), count in zip(runs[main + 1:], words[main + 1:]):
        if count < ctx.params.trailing_run_share * words[main]:
            out[start:end + 1] = False
    return out


# "comment", "comments", "commentlist", "comment-body" (split into tokens), "disqus_thread"; not
# "commentary", the opinion-piece section of news sites, whose article is content.
_COMMENT_TOKEN = re.compile(r"comment(?!ary)|disqus")


@functools.lru_cache(maxsize=16384)
def _names_comments(token: str) -> bool:
    # Cached: sites repeat the same few hundred class tokens, so the regex runs once per token.
    return _COMMENT_TOKEN.search(token) is not None


def in_comment_thread(block_class_tokens: tuple[str, ...], reach: int) -> bool:
    """Whether one of the nearest ``reach`` class/id tokens (own element first) names comments."""
    return _nearest_name_comments(block_class_tokens[:reach])


@functools.lru_cache(maxsize=16384)
def _nearest_name_comments(nearest: tuple[str, ...]) -> bool:
    # Cached on the nearest tokens only: the blocks of a container share them, and a site's pages
    # their containers; hashing a whole chain of tokens for the cache cost more than the search.
    return any(_names_comments(token) for token in nearest)


def drop_comment_threads(ctx: Context, labels: np.ndarray) -> np.ndarray:
    """Reader comments after the article are boilerplate under every gold convention and the
    labelling policy, yet read like prose, so the classifier keeps many of them. Blocks whose own
    or nearest containers name comments are cut once content outside such containers has begun;
    a page whose only content sits in comment containers (a thread with no article) is left alone."""
    reach = ctx.params.comment_token_reach
    flagged = np.fromiter((in_comment_thread(b.class_tokens, reach) for b in ctx.page.blocks),
                          dtype=bool, count=len(labels))
    if not flagged.any():  # most pages
        return labels
    article = np.flatnonzero(labels & ~flagged)
    if not len(article):
        return labels
    after_article_start = np.arange(len(labels)) > article[0]
    return labels & ~(flagged & after_article_start)


# Headings that open a reader-comment section, as comment systems and news sites print them
# (WordPress "Leave a Reply", Blogger "Post a Comment", "12 Comments", "Kommentare (3)"), in the
# languages of the training sources and of the first users. Written from those systems' defaults,
# not read off any evaluation page. A whole line must be the heading, with at most a count.
_COMMENT_HEADING = re.compile(
    r"^\s*(?:\d+\s*)?(?:"
    r"(?:reader |user |visitor )?comments?|responses?|replies|leave a (?:reply|comment)|post a comment"
    r"|add a comment|write a comment|join the (?:discussion|conversation)|discussion"  # en
    r"|(?:leser)?kommentare?|kommentar schreiben|diskussion"  # de
    r"|commentaires?|laisser un commentaire|réagir|réactions"  # fr
    r"|comentarios?|deja (?:un|tu) comentario"  # es
    r"|commenti|commento|lascia un commento"  # it
    r"|comentários?|deixe (?:um|seu) comentário"  # pt
    r"|reacties|reactie|reageer|komentarze|kommentarer|komentar|yorumlar"  # nl, pl, nordic, id, tr
    r"|bình luận|gửi bình luận|ý kiến bạn đọc|ý kiến của bạn"  # vi
    r"|комментарии|コメント|评论|評論|留言"  # ru, ja, zh
    r")\s*(?:\(\d+\)|\d+)?\s*:?\s*$", re.IGNORECASE)


# The counted form comment systems print above a thread, with the post's title or a prompt after
# the count: WordPress themes' "12 Responses to “Title”" and "12 thoughts on “Title”", Thesis's
# "{ 18 comments… read them below or add one }". The count must open the line, so a sentence that
# mentions comments is not one.
_COUNTED_COMMENT_HEADING = re.compile(
    r"^[{(\[]?\s*(?:\d+|one)\s+(?:comments?|responses?|replies|thoughts?|reactions?)"
    r"(?:\s+(?:to|on)\s+\S.*|\s*[^\w\s].*)?$", re.IGNORECASE)
COUNTED_HEADING_MAX_CHARS = 120  # the count, the comment word and a headline-long title


def is_comment_heading(text: str) -> bool:
    # A heading with its count is a few dozen characters; the length test spares the regex every paragraph.
    if len(text) < 60 and _COMMENT_HEADING.match(text) is not None:
        return True
    return len(text) < COUNTED_HEADING_MAX_CHARS and _COUNTED_COMMENT_HEADING.match(text) is not None


def cut_after_comment_heading(ctx: Context, labels: np.ndarray) -> np.ndarray:
    """Plain text has no class tokens to mark a comment thread, but the thread has a heading
    ("Comments", "Ý kiến bạn đọc"). A noise line that is such a heading, coming after
    ``comment_heading_min_words`` words of content, ends the article: everything after it is cut.
    The word minimum keeps a "Comments" share button under the headline from ending the page."""
    if ctx.page.input_format != "text":  # HTML has drop_comment_threads
        return labels
    words_before = 0
    for i, (block, keep) in enumerate(zip(ctx.page.blocks, labels)):
        if keep:
            words_before += block.words
        elif words_before >= ctx.params.comment_heading_min_words and is_comment_heading(block.text):
            out = labels.copy()
            out[i + 1:] = False
            return out
    return labels


def _nearest_article(block: Block) -> int | None:
    """The element number of the nearest <article> holding ``block`` (its dom_path and containers
    name the same elements, outermost first)."""
    tags = block.dom_path.split("/")
    for tag, number in zip(reversed(tags), reversed(block.containers)):
        if tag == "article":
            return number
    return None


def cut_at_next_article(ctx: Context, labels: np.ndarray) -> np.ndarray:
    """Endless-scroll news pages append the next stories, each an <article> with its own <h1>
    headline, below the one the page is about. The first such <h1> outside the headline's
    <article>, once ``next_article_min_words`` content words follow the headline, ends the page's
    article: everything from it on is cut."""
    if ctx.page.input_format != "html" or ctx.headline is None:
        return labels
    blocks = ctx.page.blocks
    own = _nearest_article(blocks[ctx.headline])
    if own is None:
        return labels
    words = 0
    for i in range(ctx.headline + 1, len(blocks)):
        block = blocks[i]
        if (block.tag == "h1" and words >= ctx.params.next_article_min_words and own not in block.containers
                and _nearest_article(block) is not None):
            out = labels.copy()
            out[i:] = False
            return out
        if labels[i]:
            words += block.words
    return labels


# Order matters: rules that add blocks come first, so the echo rule has the last word on
# repeated headlines (a gap filler would otherwise put an alt-text line back).
RULES: tuple[tuple[str, Rule], ...] = (
    ("rescue_thin_page", rescue_thin_page),
    ("fill_lone_gap", fill_lone_gap),
    ("keep_heading_with_text", keep_heading_with_text),
    ("drop_headline_echo", drop_headline_echo),
    ("cut_trailing_runs", cut_trailing_runs),
    ("drop_comment_threads", drop_comment_threads),
    ("cut_after_comment_heading", cut_after_comment_heading),
    ("cut_at_next_article", cut_at_next_article),
)


RULE_NAMES: tuple[str, ...] = tuple(name for name, _rule in RULES)


def rules_without(names: Sequence[str]) -> tuple[tuple[str, Rule], ...]:
    """RULES, in order, without the rules named."""
    return tuple(rule for rule in RULES if rule[0] not in names)


def revise(page: Page, proba: np.ndarray, threshold: float,
           rules: tuple[tuple[str, Rule], ...] = RULES, params: RuleParams = RuleParams()) -> np.ndarray:
    """Labels (True = content) after thresholding ``proba`` and applying ``rules`` in order."""
    labels = np.asarray(proba) >= threshold
    if not len(labels):
        return labels
    ctx = make_context(page, np.asarray(proba), params)
    for _name, rule in rules:
        labels = rule(ctx, labels)
    return labels


def assemble(page: Page, labels: np.ndarray) -> str:
    """The clean text: one paragraph per content block, a blank line between."""
    return "\n\n".join(b.text for b, keep in zip(page.blocks, labels) if keep)


def page_title(page: Page) -> str | None:
    """The headline block's text, else the page's own title hint."""
    if page.headline is not None:
        return page.blocks[page.headline].text
    return page.title_hints[0] if page.title_hints else None
