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
# The body of a plain-text article: the first run of prose lines holding at least BODY_SHARE of
# the words of the page's longest run. A prose line ends a sentence and has at least PROSE_WORDS
# words (shorter sentence-final lines are as often captions, bylines and buttons); a run is prose
# lines at most PROSE_GAP lines apart (an image, a caption or a subheading breaks a body a line or
# two at a time). The first run, not the longest: a reader-comment thread under a post is often
# longer than the post, and the headline above the thread is a commenter's byline. The headline is
# looked for among the HEADLINE_REACH lines above the body (bylines, dates, share buttons, image
# credits and standfirsts sit between), by the share of its tokens found in the body's prose
# lines; that share counts in full from HEADLINE_FULL_SIZE tokens on, so that a three-word "Share
# this story" does not outrank a twelve-word headline. Chosen on the training sources' plain-text
# renderings (python -m training.headlines; DEVELOPERS.md, "A plain-text headline from the body
# up" and "The first body, not the longest"): the line found is the HTML page's headline on 458 of
# 725 pages (404 with the longest run, 10-line gaps and the body's other lines counted; 28 for the
# first early line the page echoes later). BODY_SHARE 0.1-0.2 with gaps of 3 found 458-462 pages,
# 0.5 found 440 and the longest run 412; gaps of 1/2/3/5/10 lines found 447/452/458/451/439 at
# 0.2. A preference for lines nearer the body did not help.
PROSE_WORDS = 10
PROSE_GAP = 3
BODY_SHARE = 0.2
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


def is_prose(block: Block) -> bool:
    """A line of running text: PROSE_WORDS words or more, ending a sentence."""
    return block.words >= PROSE_WORDS and _last_char(block.text) in SENTENCE_END


def prose_runs(blocks: Sequence[Block]) -> list[list[int]]:
    """The line numbers of each run of prose lines at most PROSE_GAP lines apart, in page order."""
    runs: list[list[int]] = []
    for i, block in enumerate(blocks):
        if not is_prose(block):
            continue
        if runs and i - runs[-1][-1] <= PROSE_GAP + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def body_lines(blocks: Sequence[Block]) -> list[int]:
    """The prose lines of a plain-text page's body: its first run of prose lines holding at least
    BODY_SHARE of the words of its longest run. Empty without prose."""
    runs = prose_runs(blocks)
    sizes = [sum(blocks[i].words for i in run) for run in runs]
    longest = max(sizes, default=0)
    return next((run for run, words in zip(runs, sizes) if words >= BODY_SHARE * longest), [])


def headline_above_body(blocks: Sequence[Block]) -> int | None:
    """The line above the body (``body_lines``) most like its headline: three or more tokens, no
    full stop at the end, and the largest share of its tokens found in the body's prose lines
    (scaled by its size up to HEADLINE_FULL_SIZE tokens; the nearer line wins a tie). None
    without a body or a candidate."""
    lines = body_lines(blocks)
    if not lines:
        return None
    first = lines[0]
    body = frozenset().union(*(blocks[i].token_set for i in lines))
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
