"""Which block is the page's headline.

Computed once per page (``Page.headline``) and used by the features, the context rules and
the reported title. HTML pages say what their title is (og:title, <title>, <h1>); a plain-text
scrape does not, so there the headline is read off the layout: the title-like line above the
article's body that shares most of its words with the body.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cleaner.text import SENTENCE_END, tokens

if TYPE_CHECKING:
    import numpy as np

    from cleaner.document import Block

# A block at least this share of the title's tokens counts as "contained in the title" (a repeated
# headline used as image alt text is a part of the headline, e.g. without its kicker).
TITLE_CONTAINMENT = 0.9
# A plain-text scrape has no <title>. When the page has no body to look above (below), its
# headline is one of its first lines: this many blocks covers a markup-residue line, a kicker and
# the headline itself (seed 003).
TEXT_HEADLINE_WINDOW = 6
# The body of a plain-text article: its longest run of prose lines, a prose line being one that
# ends a sentence and has at least PROSE_WORDS words (shorter sentence-final lines are as often
# captions, bylines and buttons), a run being prose lines at most PROSE_GAP lines apart (images,
# captions, subheadings and ad slots break a body a few lines at a time). The headline is looked
# for among the HEADLINE_REACH lines above the body (bylines, dates, share buttons, image credits
# and standfirsts sit between). A candidate's share of tokens found in the body counts in full
# from HEADLINE_FULL_SIZE tokens on, so that a three-word "Share this story" does not outrank a
# twelve-word headline. Chosen on the training sources' plain-text renderings (DEVELOPERS.md,
# "A plain-text headline from the body up"): the line found is the HTML page's headline on 404
# of 725 pages, against 28 for the first early line the page echoes later; each setting was
# swept over a few values, and a preference for lines nearer the body did not help.
PROSE_WORDS = 10
PROSE_GAP = 10
HEADLINE_REACH = 25
HEADLINE_FULL_SIZE = 8
# Headlines do not end in a full stop; standfirsts, the sentences under them, do.
FULL_STOPS = frozenset(".。")
# Below half the tokens shared, a block and a title hint are not the same line.
MIN_TITLE_SIMILARITY = 0.5


def echo_rule(candidate_size: float | np.ndarray, later_size: float | np.ndarray,
              shared: float | np.ndarray) -> bool | np.ndarray:
    """``echoes`` on token counts (the candidate's, the later block's, and how many they share).
    Element-wise on numpy arrays as well as on ints: features score every block at once with it."""
    return ((candidate_size >= 3) & (later_size >= 3)
            & (shared / (later_size + (later_size == 0)) >= TITLE_CONTAINMENT)  # no 0/0 where it fails anyway
            & (shared >= candidate_size / 2))


def echoes(candidate: set[str] | frozenset[str], later: set[str] | frozenset[str]) -> bool:
    """``later`` repeats (most of) ``candidate``: alt text, a teaser, a breadcrumb of the headline."""
    if len(later) < 3 or len(candidate) < 3:  # before the intersection, which is the cost
        return False
    return bool(echo_rule(len(candidate), len(later), len(later & candidate)))


def _last_char(text: str) -> str:
    return text.rstrip()[-1:]


def body_span(blocks: Sequence[Block]) -> tuple[int, int] | None:
    """First and last line of a plain-text page's longest run of prose lines (by words), if any."""
    best: tuple[int, int] | None = None
    best_words = start = last = words = 0
    for i, block in enumerate(blocks):
        if block.words < PROSE_WORDS or _last_char(block.text) not in SENTENCE_END:
            continue
        if words and i - last <= PROSE_GAP + 1:
            words += block.words
        else:
            start, words = i, block.words
        last = i
        if words > best_words:
            best, best_words = (start, last), words
    return best


def headline_above_body(blocks: Sequence[Block]) -> int | None:
    """The line above the body (``body_span``) most like its headline: three or more tokens, no
    full stop at the end, and the largest share of its tokens found in the body (scaled by its
    size up to HEADLINE_FULL_SIZE tokens; the nearer line wins a tie). None without a body or a
    candidate."""
    span = body_span(blocks)
    if span is None:
        return None
    first, last = span
    body = frozenset().union(*(blocks[i].token_set for i in range(first, last + 1)))
    best, best_score = None, -1.0
    for i in range(max(0, first - HEADLINE_REACH), first):
        own = blocks[i].token_set
        if len(own) < 3 or _last_char(blocks[i].text) in FULL_STOPS:
            continue
        score = len(own & body) / len(own) * min(len(own), HEADLINE_FULL_SIZE)
        if score >= best_score:
            best, best_score = i, score
    return best


def first_early_headline(token_sets: Sequence[frozenset[str]]) -> int | None:
    """Among a page's first lines, the first one the page echoes later (images repeat the
    headline as alt text), else the first of three or more words."""
    early = [i for i in range(min(TEXT_HEADLINE_WINDOW, len(token_sets))) if len(token_sets[i]) >= 3]
    for i in early:
        if any(echoes(token_sets[i], token_sets[j]) for j in range(i + 1, len(token_sets))):
            return i
    return early[0] if early else None


def find_headline(blocks: Sequence[Block], is_text: bool, title_hints: Sequence[str]) -> int | None:
    """Index of the headline block: the best match of the page's title hints (HTML); in a
    plain-text scrape, ``headline_above_body``, else ``first_early_headline``."""
    if not blocks:
        return None
    token_sets = [b.token_set for b in blocks]
    if is_text:
        above = headline_above_body(blocks)
        return above if above is not None else first_early_headline(token_sets)
    hint_sets = [h for h in (frozenset(tokens(hint)) for hint in title_hints) if h]
    if not hint_sets:
        return None
    best, best_sim = None, MIN_TITLE_SIMILARITY
    # A block sharing no word with any hint scores 0 and cannot win; one C set test skips most
    # blocks (scoring every block against every hint was 4 % of a page, ad hoc profile).
    hint_words = frozenset().union(*hint_sets)
    for i, block_set in enumerate(token_sets):
        if hint_words.isdisjoint(block_set):
            continue
        size = len(block_set)
        sim = max(len(block_set & h) / max(size, len(h)) for h in hint_sets)
        if sim > best_sim:
            best, best_sim = i, sim
    return best
