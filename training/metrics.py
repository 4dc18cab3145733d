"""Token-level scores: bag of lower-cased word tokens (cleaner.text.tokens), mean over pages."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from cleaner.text import tokens


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    f1: float


def token_score(predicted: str, gold: str) -> Score:
    """Precision/recall/F1 of the predicted token bag against the gold bag.

    Both empty is a perfect score; an empty prediction for non-empty gold scores 0 on all three
    (an extractor that returns nothing has not been precise); text for empty gold scores 0.
    """
    return bag_score(Counter(tokens(predicted)), Counter(tokens(gold)))


def bag_score(pred: Counter, gold: Counter) -> Score:
    if not pred and not gold:
        return Score(1.0, 1.0, 1.0)
    if not pred or not gold:
        return Score(0.0, 0.0, 0.0)
    common = sum((pred & gold).values())
    p = common / sum(pred.values())
    r = common / sum(gold.values())
    return Score(p, r, 2 * p * r / (p + r) if common else 0.0)


def mean_score(scores: list[Score]) -> Score:
    if not scores:
        return Score(float("nan"), float("nan"), float("nan"))
    n = len(scores)
    return Score(sum(s.precision for s in scores) / n, sum(s.recall for s in scores) / n,
                 sum(s.f1 for s in scores) / n)
