"""Derive block labels by aligning blocks to the expected text (dragnet's idea).

Labels are never stored in fixtures: they are recomputed from ``expected.txt`` at training
time, so a change to the segmenter never invalidates a fixture.
"""
from __future__ import annotations

from difflib import SequenceMatcher

import numpy as np

from cleaner.document import Page
from cleaner.text import tokens

# A block is content when at least this share of its tokens aligns with the expected text;
# half is the natural cut for a block that is "mostly" in the gold.
CONTENT_FRACTION = 0.5


# Marks a block or paragraph edge in both token streams; never produced by tokens(). Matching
# edges lengthen a whole-paragraph match, so a caption wins over an alt-text line that is only
# its prefix (seed 001), instead of the alignment splitting the caption.
EDGE = "\u00b6"


def aligned_fraction(page: Page, gold: str) -> np.ndarray:
    """For each block, the share of its tokens matched, in order, by the expected text."""
    block_tokens = [tokens(b.text) for b in page.blocks]
    flat: list[str] = []
    owner: list[int] = []
    for i, tk in enumerate(block_tokens):
        flat.append(EDGE)
        owner.append(-1)
        flat.extend(tk)
        owner.extend([i] * len(tk))
    gold_flat: list[str] = []
    for line in gold.splitlines():
        gold_flat.append(EDGE)
        gold_flat.extend(tokens(line))
    matched = np.zeros(len(flat), dtype=bool)
    for a, _b, size in SequenceMatcher(None, flat, gold_flat, autojunk=False).get_matching_blocks():
        matched[a:a + size] = True
    owners = np.array(owner, dtype=np.int64)
    real = owners >= 0
    hits = np.bincount(owners[real], weights=matched[real], minlength=len(block_tokens))
    counts = np.array([len(t) for t in block_tokens], dtype=np.float64)
    return np.divide(hits, counts, out=np.zeros_like(counts), where=counts > 0)


def block_labels(page: Page, gold: str) -> np.ndarray:
    return aligned_fraction(page, gold) >= CONTENT_FRACTION
