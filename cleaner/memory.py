"""Site memory: blocks that recur on many pages of one host are that site's furniture.

Navigation, "Tin khác" lists, teaser headlines and footers are printed on page after page of
a site, whatever one page's classifier makes of them alone. ``SiteMemory`` learns this without
labels: it counts, per host, on how many pages each block's normalised text occurs (as a 64-bit
fingerprint), and ``furniture`` marks the blocks of a page that recur often enough.

Memory is bounded: at most ``max_fingerprints`` per host (fingerprints seen on a single page
are dropped first when a host is full, the lossy-counting idea: furniture recurs and is never
the one dropped) and at most ``max_hosts`` hosts (the least recently seen is forgotten).

What is never furniture:
- the page's headline and the ``HEADLINE_SHIELD`` blocks after it: other pages of the site
  quote a story's headline and lede as a teaser, which must not cost the story its own lede;
- short blocks (fewer than ``min_words``: bylines, dates) unless they recur on at least
  ``short_min_share`` of the site's pages: an author's byline recurs on some pages, a
  "Tin khác" heading on nearly all;
- anything on a page whose recurring share is so high that it looks like a second copy of
  another page (the same story at two URLs), not like a page with furniture.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from cleaner.document import Page

# The headline and this many blocks after it are the page's own story: a lede or a standfirst
# that other pages repeat as a teaser stays. Two covers a standfirst and a lead image caption.
HEADLINE_SHIELD = 2


def fingerprint(words: Sequence[str]) -> int:
    """64-bit fingerprint of a block's normalised tokens."""
    return int.from_bytes(hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).digest(), "little")


@dataclass
class _Host:
    pages: int = 0
    counts: dict[int, int] = field(default_factory=dict)  # fingerprint -> pages it was seen on


@dataclass(frozen=True, slots=True)
class MemoryParams:
    """The memory's numbers; see DEVELOPERS.md for how they were chosen."""

    min_pages: int = 2  # a block must have been seen on at least this many pages ...
    min_share: float = 0.1  # ... and on at least this share of the host's pages
    min_words: int = 5  # shorter blocks (bylines, dates) need ...
    short_min_share: float = 0.5  # ... to be on at least this share of the site's pages
    short_min_pages: int = 3  # ... and on at least this many
    duplicate_share: float = 0.5  # a page with more of its words recurring is a duplicate, left alone
    max_fingerprints: int = 50_000  # per host: about 4 MB of dict at most
    max_hosts: int = 1_000


class SiteMemory:
    """Per-host counts of recurring blocks. Not thread-safe: feed it from one thread."""

    def __init__(self, params: MemoryParams = MemoryParams()) -> None:
        self.params = params
        self._hosts: OrderedDict[str, _Host] = OrderedDict()

    @staticmethod
    def fingerprints(page: Page) -> list[int]:
        return [fingerprint(b.tokens) for b in page.blocks]

    def observe(self, host: str, prints: Sequence[int]) -> None:
        """Count one page of ``host`` (each distinct block text once)."""
        stats = self._hosts.pop(host, None) or _Host()
        self._hosts[host] = stats  # most recently seen last
        while len(self._hosts) > self.params.max_hosts:
            self._hosts.popitem(last=False)
        stats.pages += 1
        for fp in set(prints):
            stats.counts[fp] = stats.counts.get(fp, 0) + 1
        if len(stats.counts) > self.params.max_fingerprints:
            stats.counts = {fp: n for fp, n in stats.counts.items() if n > 1}
            if len(stats.counts) > self.params.max_fingerprints:  # still full: keep the most recurring
                keep = sorted(stats.counts.items(), key=lambda kv: kv[1], reverse=True)
                stats.counts = dict(keep[: self.params.max_fingerprints // 2])

    def recurring(self, host: str) -> Recurring:
        """Fingerprints that count as furniture on ``host`` now (usually a few dozen), for long
        and for short blocks: what a batch worker needs to mark a page, without the memory."""
        stats = self._hosts.get(host)
        if stats is None:
            return Recurring()
        p = self.params
        needed = max(p.min_pages, p.min_share * stats.pages)
        needed_short = max(p.short_min_pages, p.short_min_share * stats.pages, needed)
        return Recurring(frozenset(fp for fp, n in stats.counts.items() if n >= needed),
                         frozenset(fp for fp, n in stats.counts.items() if n >= needed_short))

    def furniture(self, host: str, page: Page) -> np.ndarray:
        """Which blocks of ``page`` recur across ``host``'s pages (True = furniture)."""
        return furniture_marks(page, self.recurring(host), self.params)


@dataclass(frozen=True, slots=True)
class Recurring:
    """One site's furniture fingerprints: for blocks of ``min_words`` or more, and for shorter ones."""

    long: frozenset[int] = frozenset()
    short: frozenset[int] = frozenset()


def furniture_marks(page: Page, recurring: Recurring, params: MemoryParams = MemoryParams(),
                    prints: Sequence[int] | None = None) -> np.ndarray:
    """True for the blocks of ``page`` whose fingerprint recurs, within the limits described
    in the module docstring."""
    n = len(page.blocks)
    marks = np.zeros(n, dtype=bool)
    if not recurring.long or not n:
        return marks
    prints = SiteMemory.fingerprints(page) if prints is None else prints
    for i, (block, fp) in enumerate(zip(page.blocks, prints)):
        marks[i] = fp in (recurring.long if block.words >= params.min_words else recurring.short)
    if page.headline is not None:
        marks[page.headline: page.headline + HEADLINE_SHIELD + 1] = False
    words = np.array([b.words for b in page.blocks], dtype=np.float64)
    if words.sum() and words[marks].sum() / words.sum() > params.duplicate_share:
        return np.zeros(n, dtype=bool)
    return marks
