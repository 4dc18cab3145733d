"""A boosted-trees classifier as plain arrays, so that using the shipped model imports no scikit-learn.

Importing scikit-learn to unpickle its HistGradientBoostingClassifier took 1.1 s (scipy.stats
alone 0.5 s): the start-up of every ``cleaner`` command and of every worker of a parallel batch,
longer than cleaning a hundred pages. ``BoostedTrees`` holds the same trees as numpy arrays and
sums their leaves in C (``cleaner._trees``) in the order scikit-learn does, and takes the logistic
with the C library's exp as scipy does, so probabilities are bit-identical (tests check both
paths). Where the extension was not built, scikit-learn's own tree predictor is rebuilt from the
arrays. ``cleaner.model.save_model`` stores every binary
HistGradientBoostingClassifier this way.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from cleaner.compiled import compiled_module

_trees = compiled_module("_trees")  # where it was not built, scikit-learn's predictor does the same sums


# One record per node for the compiled sums (cleaner/_trees.pyx declares the same struct; 24 bytes
# with C alignment). Node indices fit int32: a model has tens of thousands of nodes.
NODE_DTYPE = np.dtype([("threshold", np.float64), ("left", np.int32), ("right", np.int32),
                       ("feature", np.int32), ("missing_left", np.uint8), ("is_leaf", np.uint8)], align=True)
_DERIVED = ("_sklearn_predictors", "_nodes", "_roots32")


@dataclass(frozen=True, eq=False)
class BoostedTrees:
    """The trees of a binary gradient-boosted classifier, all nodes in flat arrays.

    Node ``n`` tests feature ``feature[n]`` against ``threshold[n]`` (rows with a value <= the
    threshold go to ``left[n]``, others to ``right[n]``, NaN by ``missing_left[n]``) unless
    ``is_leaf[n]``, when it gives ``value[n]``. Tree ``t`` starts at node ``roots[t]``; child
    indices are into the flat arrays. p(class 1) is the logistic function of ``baseline`` plus
    the trees' values."""

    feature: np.ndarray  # intp
    threshold: np.ndarray  # float64
    missing_left: np.ndarray  # uint8
    left: np.ndarray  # intp
    right: np.ndarray  # intp
    is_leaf: np.ndarray  # uint8
    value: np.ndarray  # float64
    roots: np.ndarray  # intp
    baseline: float
    classes_: np.ndarray
    n_features_in_: int

    @classmethod
    def from_histgradientboosting(cls, model: Any) -> BoostedTrees:
        """The trees of a fitted binary ``HistGradientBoostingClassifier`` with numeric features."""
        if getattr(model, "n_trees_per_iteration_", None) != 1 or len(model.classes_) != 2:
            raise ValueError("only a binary HistGradientBoostingClassifier can be stored as BoostedTrees")
        trees = [predictors[0].nodes for predictors in model._predictors]
        if any(tree["is_categorical"].any() for tree in trees):
            raise ValueError("categorical splits are not supported")
        sizes = np.array([len(tree) for tree in trees])
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)
        nodes = np.concatenate(trees)
        shift = np.repeat(offsets, sizes)
        leaf = nodes["is_leaf"].astype(np.uint8)
        # A leaf's children fields are 0; they are never followed, left unshifted.
        left = np.where(leaf, 0, nodes["left"].astype(np.intp) + shift)
        right = np.where(leaf, 0, nodes["right"].astype(np.intp) + shift)
        return cls(feature=nodes["feature_idx"].astype(np.intp), threshold=nodes["num_threshold"].astype(np.float64),
                   missing_left=nodes["missing_go_to_left"].astype(np.uint8), left=left.astype(np.intp),
                   right=right.astype(np.intp), is_leaf=leaf, value=nodes["value"].astype(np.float64),
                   roots=offsets, baseline=float(np.ravel(model._baseline_prediction)[0]),
                   classes_=np.asarray(model.classes_), n_features_in_=int(model.n_features_in_))

    def raw_predict(self, X: np.ndarray) -> np.ndarray:
        """Baseline plus the trees' leaf values, for each row of X."""
        X = np.asarray(X)
        # float32 rows (featurize's) are read as they are: each value compares exactly as its
        # float64 conversion, which is what scikit-learn compares. Row-major float32 beat
        # column-major float32 on one page (0.47 against 0.50 ms a page) and on 64 pages per call
        # (0.40 against 0.42), the batch sizes cleaner uses (api.DEFAULT_BATCH_PAGES is 32); from
        # 256 pages per call column-major was faster (0.44 against 0.54). l3s-gn1, ad hoc.
        X = np.ascontiguousarray(X, dtype=np.float32 if X.dtype == np.float32 else np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise ValueError(f"expected rows of {self.n_features_in_} features, got shape {X.shape}")
        out = np.zeros(len(X))
        out += self.baseline  # zeros plus the baseline, then tree after tree: scikit-learn's order
        if _trees is not None:
            if len(X):
                _trees.add_tree_values(X, self._nodes, self._roots32, out)
        else:
            X = np.asarray(X, dtype=np.float64)  # scikit-learn's predictor reads float64 only
            for predictor in self._sklearn_predictors:
                out += predictor.predict(X, known_cat_bitsets=np.zeros((0, 8), dtype=np.uint32),
                                         f_idx_map=np.zeros(0, dtype=np.uint32), n_threads=1)
        return out

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(n x 2): p(classes_[0]) and p(classes_[1]) for each row, as scikit-learn gives them."""
        p = logistic(self.raw_predict(X))
        return np.column_stack([1.0 - p, p])

    def __getstate__(self) -> dict:
        # Views made on load: the fallback's predictors are scikit-learn objects, and the packed
        # nodes repeat the arrays. A model file holds neither.
        return {key: value for key, value in self.__dict__.items() if key not in _DERIVED}

    @functools.cached_property
    def _nodes(self) -> np.ndarray:
        """The nodes as one record each (NODE_DTYPE), for the compiled sums; a leaf's value sits
        in its threshold field."""
        nodes = np.zeros(len(self.feature), dtype=NODE_DTYPE)
        leaf = self.is_leaf.astype(bool)
        nodes["threshold"] = np.where(leaf, self.value, self.threshold)
        nodes["left"], nodes["right"], nodes["feature"] = self.left, self.right, self.feature
        nodes["missing_left"], nodes["is_leaf"] = self.missing_left, self.is_leaf
        return nodes

    @functools.cached_property
    def _roots32(self) -> np.ndarray:
        return self.roots.astype(np.int32)

    @functools.cached_property
    def _sklearn_predictors(self) -> list:
        """scikit-learn's TreePredictor for each tree, rebuilt from the arrays once (the fallback;
        rebuilding them took 0.1 s, longer than a batch's prediction)."""
        from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE
        from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

        ends = np.append(self.roots[1:], len(self.feature))
        no_categories = np.zeros((0, 8), dtype=np.uint32)
        predictors = []
        for start, end in zip(self.roots, ends):
            nodes = np.zeros(end - start, dtype=PREDICTOR_RECORD_DTYPE)
            leaf = self.is_leaf[start:end].astype(bool)
            nodes["feature_idx"], nodes["num_threshold"] = self.feature[start:end], self.threshold[start:end]
            nodes["missing_go_to_left"], nodes["is_leaf"] = self.missing_left[start:end], leaf
            nodes["left"] = np.where(leaf, 0, self.left[start:end] - start)
            nodes["right"] = np.where(leaf, 0, self.right[start:end] - start)
            nodes["value"] = self.value[start:end]
            predictors.append(TreePredictor(nodes, no_categories, no_categories))
        return predictors


def logistic(raw: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)) for each raw score, bit for bit as scipy's expit gives it (tested): with
    the C library's exp, in C where the extension is built, else through Python's math.exp, which
    is the same function. numpy's exp would differ in the last bit on CPUs with AVX-512."""
    values = np.array(raw, dtype=np.float64).ravel()
    if _trees is not None:
        _trees.logistic_in_place(values)
        return values
    return np.fromiter((_logistic_of(x) for x in values.tolist()), dtype=np.float64, count=len(values))


def _logistic_of(x: float) -> float:
    try:
        return 1.0 / (1.0 + math.exp(-x))
    except OverflowError:  # exp(-x) beyond a double: the C library gives inf, and 1 / inf is 0
        return 0.0


def portable(estimator: Any) -> Any:
    """``estimator`` as the model file should hold it: a binary HistGradientBoostingClassifier
    as BoostedTrees (loads without scikit-learn), anything else as it is."""
    if type(estimator).__name__ == "HistGradientBoostingClassifier":
        try:
            return BoostedTrees.from_histgradientboosting(estimator)
        except ValueError:
            return estimator
    return estimator
