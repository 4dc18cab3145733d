"""Which block is the page's headline.

Computed once per page (``Page.headline``) and used by the features, the context rules and
the reported title. HTML pages say what their title is (og:title, <title>, <h1>); a plain-text
scrape does not, so there the headline is the first early line the page echoes later.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cleaner.text import tokens

if TYPE_CHECKING:
    import numpy as np

# A block at least this share of the title's tokens counts as "contained in the title" (a repeated
# headline used as image alt text is a part of the headline, e.g. without its kicker).
TITLE_CONTAINMENT = 0.9
# A plain-text scrape has no <title>: its headline is one of its first lines. This many blocks
# covers a markup-residue line, a kicker and the headline itself (seed 003).
TEXT_HEADLINE_WINDOW = 6
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


def find_headline(token_sets: Sequence[frozenset[str]], is_text: bool, title_hints: Sequence[str]) -> int | None:
    """Index of the headline block: the best match of the page's title hints (HTML); in a
    plain-text scrape, the first early line the page echoes later (images repeat the headline
    as alt text), else the first line of three or more words."""
    if not token_sets:
        return None
    if is_text:
        early = [i for i in range(min(TEXT_HEADLINE_WINDOW, len(token_sets))) if len(token_sets[i]) >= 3]
        for i in early:
            if any(echoes(token_sets[i], token_sets[j]) for j in range(i + 1, len(token_sets))):
                return i
        return early[0] if early else None
    hint_sets = [h for h in (frozenset(tokens(hint)) for hint in title_hints) if h]
    if not hint_sets:
        return None
    best, best_sim = None, MIN_TITLE_SIMILARITY
    for i, block_set in enumerate(token_sets):
        if not block_set:
            continue
        size = len(block_set)
        sim = max(len(block_set & h) / max(size, len(h)) for h in hint_sets)
        if sim > best_sim:
            best, best_sim = i, sim
    return best
