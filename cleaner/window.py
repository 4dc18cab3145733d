"""Sums and means over a block's neighbours, the window both the shape features
(cleaner.features) and the lexical columns (cleaner.lexicon) read."""
from __future__ import annotations

import numpy as np

# Blocks on each side; 3 spans a teaser triplet of the seeds.
WINDOW = 3


def window_sum(values: np.ndarray, radius: int = WINDOW) -> np.ndarray:
    """Sum over values[i - radius : i + radius + 1] (np.convolve's "same" mode breaks on short pages)."""
    if not len(values):
        return values
    full = np.convolve(values, np.ones(2 * radius + 1), mode="full")
    return full[radius:radius + len(values)]


def window_mean(values: np.ndarray, radius: int = WINDOW) -> np.ndarray:
    """Mean over the same window, over fewer blocks at the page's ends."""
    if not len(values):
        return values
    return window_sum(values, radius) / window_sum(np.ones_like(values), radius)
