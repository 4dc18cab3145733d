"""Site templates remembered from a few labelled pages, for the site adapter (training.adapt).

Pages of one site come from one template: the block at the same place in the DOM (same tag,
landmarks, depth and nearest class/id tokens) is content on every page or on none, and the same
line of boilerplate ("Tin khác", a footer, a menu) recurs word for word. A generic classifier
cannot know either; a user's few labelled pages can teach both.

Each block gets two keys, read off its feature row alone (so an adapted model is still a plain
classifier over ``featurize`` output and plugs into ``Cleaner`` unchanged):

- its **place**: the structural columns (tag group, landmarks, depth, hashed class/id tokens);
- its **line**: the place plus the block's own text statistics (word and character counts,
  character-class shares, punctuation), which differ between any two different texts in
  practice and agree exactly for the same text.

``TemplateMemory`` holds, for every key seen in the labelled pages, how much of its text was
content. ``template_columns`` turns that into four columns (content share and log count per key
kind; a key never seen gets share -1 and count 0), which the adapter's trees may use or ignore.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cleaner.features import FEATURE_NAMES, LANDMARKS, TAG_GROUPS

PLACE_FEATURES = ("depth", *(f"tag_{group}" for group in TAG_GROUPS), *(f"in_{mark}" for mark in LANDMARKS),
                  *(name for name in FEATURE_NAMES if name.startswith("class_hash_")))
LINE_FEATURES = (*PLACE_FEATURES, "log_words", "log_chars", "link_density", "ends_sentence", "letter_share",
                 "digit_share", "upper_share", "punct_share", "commas_per_word", "marks_per_word")
TEMPLATE_COLUMN_NAMES = ("place_content_share", "place_log_count", "line_content_share", "line_log_count")
UNSEEN_SHARE = -1.0

_PLACE = np.array([FEATURE_NAMES.index(name) for name in PLACE_FEATURES])
_LINE = np.array([FEATURE_NAMES.index(name) for name in LINE_FEATURES])


def block_keys(X: np.ndarray, columns: np.ndarray) -> list[bytes]:
    """One hashable key per row: the bytes of the chosen feature columns."""
    chosen = np.ascontiguousarray(np.asarray(X, dtype=np.float32)[:, columns])
    return [row.tobytes() for row in chosen]


def place_keys(X: np.ndarray) -> list[bytes]:
    return block_keys(X, _PLACE)


def line_keys(X: np.ndarray) -> list[bytes]:
    return block_keys(X, _LINE)


@dataclass(frozen=True)
class TemplateMemory:
    """Content weight and total weight of every place and line key seen in labelled blocks."""

    place: dict[bytes, tuple[float, float]]
    line: dict[bytes, tuple[float, float]]

    @classmethod
    def learn(cls, X: np.ndarray, y: np.ndarray, weights: np.ndarray) -> TemplateMemory:
        return cls(_tally(place_keys(X), y, weights), _tally(line_keys(X), y, weights))

    @classmethod
    def empty(cls) -> TemplateMemory:
        return cls({}, {})


def _tally(keys: Sequence[bytes], y: np.ndarray, weights: np.ndarray) -> dict[bytes, tuple[float, float]]:
    table: dict[bytes, tuple[float, float]] = {}
    for key, label, weight in zip(keys, y.tolist(), weights.tolist()):
        content, total = table.get(key, (0.0, 0.0))
        table[key] = (content + label * weight, total + weight)
    return table


def _lookup(table: dict[bytes, tuple[float, float]], keys: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    share = np.full(len(keys), UNSEEN_SHARE)
    count = np.zeros(len(keys))
    for i, key in enumerate(keys):
        hit = table.get(key)
        if hit is not None and hit[1] > 0:
            share[i] = hit[0] / hit[1]
            count[i] = hit[1]
    return share, np.log1p(count)


def template_columns(X: np.ndarray, memory: TemplateMemory) -> np.ndarray:
    """(n x 4): content share and log weight of each block's place and line in ``memory``."""
    place_share, place_count = _lookup(memory.place, place_keys(X))
    line_share, line_count = _lookup(memory.line, line_keys(X))
    return np.column_stack([place_share, place_count, line_share, line_count])


def leave_one_page_out_columns(X: np.ndarray, y: np.ndarray, weights: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """``template_columns`` of every page's rows from a memory of the *other* pages only (how an
    unseen page will get them), for all pages at once.

    Equal to ``TemplateMemory.learn`` on the other pages, page by page, but each key is built
    once and each page's tally is taken off the site's total: the work grows with the number of
    labelled blocks, not with its square (a user may label tens of pages)."""
    out = np.empty((len(X), len(TEMPLATE_COLUMN_NAMES)))
    for keys, first in ((place_keys(X), 0), (line_keys(X), 2)):
        total = _tally(keys, y, weights)
        rows_with = Counter(keys)
        for page in np.unique(owner):
            rows = np.flatnonzero(owner == page)
            page_keys = [keys[r] for r in rows]
            own = _tally(page_keys, y[rows], weights[rows])
            own_rows = Counter(page_keys)
            # A key no other page has is unseen; testing the row count, not the remaining weight,
            # keeps float rounding from turning "nothing left" into a tiny positive weight.
            others = {key: (total[key][0] - content, total[key][1] - weight)
                      for key, (content, weight) in own.items() if rows_with[key] > own_rows[key]}
            share, count = _lookup(others, page_keys)
            out[rows, first], out[rows, first + 1] = share, count
    return out


class FirstColumns:
    """A fitted classifier applied to the first ``n_features`` columns only, never refitted: the
    starting point of an adapter whose rows carry extra template columns."""

    def __init__(self, estimator, n_features: int) -> None:
        self.estimator = estimator
        self.n_features = n_features
        self.classes_ = estimator.classes_

    def fit(self, X, y, sample_weight=None) -> FirstColumns:
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.estimator.predict_proba(np.asarray(X)[:, :self.n_features])


class TemplateAdapted:
    """A site adapter that reads the site's template memory: ``adapter`` was fitted on feature
    rows extended with ``template_columns``; this adds them at prediction time."""

    def __init__(self, adapter, memory: TemplateMemory) -> None:
        self.adapter = adapter
        self.memory = memory
        self.classes_ = adapter.classes_

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.adapter.predict_proba(np.column_stack([X, template_columns(X, self.memory)]))
