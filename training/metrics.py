"""Scores: bag-of-tokens P/R/F1 (cleaner.text.tokens, mean over pages) and the ScrapingHub shingle score."""
from __future__ import annotations

import re
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


# The ScrapingHub article-extraction-benchmark score, so figures compare with its published
# tables: word 4-gram shingles over \w+ tokens (case kept), matched as multisets; each page's
# true/false positives and negatives are normalised to sum to 1, so long pages weigh no more than
# short ones; precision and recall are averaged over the pages where they are defined, and F1 is
# taken from those two means.
_SHINGLE_WORD = re.compile(r"\w+")
SHINGLE_SIZE = 4


@dataclass(frozen=True, slots=True)
class ShingleCounts:
    tp: float
    fp: float
    fn: float


def shingles(text: str, n: int = SHINGLE_SIZE) -> Counter:
    """Word n-grams of the text; a text shorter than n words is one shingle."""
    words = _SHINGLE_WORD.findall(text)
    if len(words) < n:
        return Counter([tuple(words)] if words else [])
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def shingle_counts(predicted: str, gold: str) -> ShingleCounts:
    pred, true = shingles(predicted), shingles(gold)
    tp = sum((pred & true).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return ShingleCounts(tp / total, fp / total, fn / total) if total else ShingleCounts(0.0, 0.0, 0.0)


def shingle_score(pages: list[ShingleCounts]) -> Score:
    """Mean precision over pages with a prediction, mean recall over pages with gold; F1 of the means."""
    precisions = [c.tp / (c.tp + c.fp) for c in pages if c.tp + c.fp > 0]
    recalls = [c.tp / (c.tp + c.fn) for c in pages if c.tp + c.fn > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return Score(p, r, 2 * p * r / (p + r) if p + r else 0.0)
