"""A classifier whose p(content) is the geometric mean of its members' p(content).

Why a blend, and why geometric: trained without the seeds, gradient-boosted trees scored 0.916 on
l3s-gn1 but 0.824 on the unseen Vietnamese seeds; logistic regression scored 0.890 and 0.974
(DEVELOPERS.md, "a blend generalises better"). The trees learn site-specific interactions, the
linear model only broad trends. The geometric mean keeps a block only when *both* members
find it plausible, so a teaser the trees overrate is pulled down by the linear model's doubt.
An arithmetic mean (scikit-learn's soft VotingClassifier) lets one confident member override
the other, which is exactly the failure being corrected.

This module is imported when a blended model file is unpickled; it imports scikit-learn then,
never with the ``cleaner`` package.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone

# Probabilities are clipped before the logarithm so a member's hard 0 cannot make log(0).
_FLOOR = 1e-9


def geometric_mean(probas: Sequence[np.ndarray]) -> np.ndarray:
    """Element-wise geometric mean of p(content) arrays of equal length."""
    stacked = np.clip(np.vstack([np.asarray(p, dtype=float) for p in probas]), _FLOOR, 1.0)
    return np.exp(np.log(stacked).mean(axis=0))


def fit_weighted(estimator, X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None):
    """Fit ``estimator`` in place with per-row weights, also when it is a Pipeline."""
    if sample_weight is None:
        return estimator.fit(X, y)
    # A Pipeline takes the weight addressed to its last step.
    key = f"{estimator.steps[-1][0]}__sample_weight" if hasattr(estimator, "steps") else "sample_weight"
    return estimator.fit(X, y, **{key: sample_weight})


class GeometricBlend(ClassifierMixin, BaseEstimator):
    """Fit every member on the same rows; predict the geometric mean of their p(content).

    >>> from sklearn.linear_model import LogisticRegression
    >>> blend = GeometricBlend((("a", LogisticRegression()), ("b", LogisticRegression(C=0.1))))
    """

    def __init__(self, members: Sequence[tuple[str, object]] = ()):
        self.members = members

    def fit(self, X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> GeometricBlend:
        if not self.members:
            raise ValueError("GeometricBlend needs at least one member")
        self.fitted_ = [(name, fit_weighted(clone(est), X, y, sample_weight)) for name, est in self.members]
        self.classes_ = self.fitted_[0][1].classes_
        return self

    def member_proba(self, X: np.ndarray) -> dict[str, np.ndarray]:
        """Each member's p(content), by name (for inspecting what the blend combines)."""
        return {name: est.predict_proba(X)[:, 1] for name, est in self.fitted_}

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        p = geometric_mean(list(self.member_proba(X).values()))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]
