"""What a block's words say: a lexical prior learned from the training sources' labels.

jusText reads a block's share of stop words from a list per language; boilerplate has its own
words too ("advertisement", "newsletter", "subscribe", "permalink", "Impressum", "Anzeige").
A ``Lexicon`` holds, for every token that occurs on enough training sites, the log-odds that a
block holding it is content, relative to all blocks (a smoothed naive-Bayes weight). A block's
columns are the mean, minimum and maximum of its tokens' weights, the weights of its first and
last token, and the mean over its neighbours. Tokens the lexicon does not know weigh 0, so a
language the training sources lack reads as neutral, not as noise.

The lexicon belongs to a model (the model file stores it) and is fitted on that model's
training pages. A page's columns must never come from a lexicon fitted on its own labels: the
training rows' columns are cross-fitted by site (``training.learn``), as an unseen page's are.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, repeat

import numpy as np

from cleaner.compiled import compiled_module
from cleaner.document import Page
from cleaner.window import window_mean

LEXICAL_NAMES = ("lex_mean", "lex_min", "lex_max", "lex_first", "lex_last", "window_lex_mean")
# A token counts only when it occurs on this many training sites: a site's own name, menu words
# and teaser headlines say nothing about other sites. The first value tried; 2 and 10 gave a lower
# training CV, both by less than the seed spread (DEVELOPERS.md, twenty-seventh session).
MIN_SITES = 3
# Pseudo-count of blocks, at the overall content rate, added to each token's counts, so a token
# seen on a few blocks stays near 0. The first value tried; 5 and 80 were within the seed spread of
# it in training CV (DEVELOPERS.md, twenty-seventh session).
PRIOR_BLOCKS = 20.0
# Weights are stored as multiples of this step, so a block's sum of weights is exact whatever
# order it is added in: numpy's pairwise sums (the Python twin) and the compiled loop give the
# same columns bit for bit. A log-odds step of 0.001 is far below anything the trees split on.
WEIGHT_STEP = 2.0 ** -10

# cleaner._features.lexical_stats, the compiled twin of python_lexical_stats (cleaner.compiled).
_compiled = compiled_module("_features")


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Token -> log-odds of content (0 for tokens not in it), each a multiple of WEIGHT_STEP. A
    plain dict, as the compiled lookups take it."""

    weights: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.weights)

    def columns(self, page: Page) -> np.ndarray:
        """(n x len(LEXICAL_NAMES)) lexical columns of the page's blocks."""
        out = np.zeros((len(page.blocks), len(LEXICAL_NAMES)))
        if not len(out) or not self.weights:
            return out
        stats = _compiled.lexical_stats if _compiled is not None else python_lexical_stats
        out[:, :5] = stats(page.blocks, self.weights)
        out[:, 5] = window_mean(out[:, 0])  # the features' window
        return out


def python_lexical_stats(blocks: tuple, weights: dict[str, float]) -> np.ndarray:
    """(n x 5) mean, min, max, first and last weight of each block's tokens; 0 for a block without
    tokens. The Python twin of the compiled ``cleaner._features.lexical_stats``."""
    n = len(blocks)
    out = np.zeros((n, 5))
    counts = np.fromiter((len(b.tokens) for b in blocks), dtype=np.int64, count=n)
    total = int(counts.sum())
    if not total:
        return out
    # map() over a C-level chain looks every token up without a Python frame per token.
    found = map(weights.get, chain.from_iterable([b.tokens for b in blocks]), repeat(0.0))
    values = np.fromiter(found, dtype=np.float64, count=total)
    has = counts > 0
    starts = (np.cumsum(counts) - counts)[has]
    out[has, 0] = np.add.reduceat(values, starts) / counts[has]
    out[has, 1] = np.minimum.reduceat(values, starts)
    out[has, 2] = np.maximum.reduceat(values, starts)
    out[has, 3] = values[starts]
    out[has, 4] = values[starts + counts[has] - 1]
    return out


def fit_lexicon(labelled: Iterable[tuple[Page, np.ndarray, str]], min_sites: int = MIN_SITES,
                prior_blocks: float = PRIOR_BLOCKS) -> Lexicon:
    """The lexicon of (page, content labels per block, site) triples: each block counts each of its
    distinct tokens once, as content or as noise."""
    content: Counter = Counter()
    noise: Counter = Counter()
    sites: dict[str, set[str]] = {}
    content_blocks = noise_blocks = 0
    for page, labels, site in labelled:
        for block, is_content in zip(page.blocks, labels):
            if is_content:
                content.update(block.token_set)
                content_blocks += 1
            else:
                noise.update(block.token_set)
                noise_blocks += 1
            for token in block.token_set:
                seen = sites.setdefault(token, set())
                if len(seen) < min_sites:
                    seen.add(site)
    if not content_blocks or not noise_blocks:
        return Lexicon()
    rate = content_blocks / (content_blocks + noise_blocks)
    baseline = math.log(rate / (1.0 - rate))
    weights = {token: _on_step(math.log((content[token] + prior_blocks * rate)
                                        / (noise[token] + prior_blocks * (1.0 - rate))) - baseline)
               for token, seen in sites.items() if len(seen) >= min_sites}
    return Lexicon(dict(sorted(weights.items())))


def _on_step(weight: float) -> float:
    """The weight rounded to a multiple of WEIGHT_STEP."""
    return round(weight / WEIGHT_STEP) * WEIGHT_STEP
