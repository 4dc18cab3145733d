"""Boosted trees stored as plain arrays give scikit-learn's probabilities, bit for bit, without it."""
import subprocess
import sys

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from cleaner import trees
from cleaner.model import Model, load_model, save_model
from cleaner.trees import BoostedTrees, portable


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 12))
    y = (X[:, 0] + X[:, 1] * X[:, 2] + rng.normal(scale=0.5, size=3000)) > 0
    X[rng.random(X.shape) < 0.05] = np.nan  # missing values take the side each split learned
    model = HistGradientBoostingClassifier(max_iter=40, max_leaf_nodes=15, random_state=0).fit(X, y)
    test_rows = rng.normal(size=(2000, 12))
    test_rows[rng.random(test_rows.shape) < 0.05] = np.nan
    return model, test_rows


@pytest.mark.parametrize("dtype", [np.float64, np.float32])  # float32: featurize's rows, read as they are
def test_stored_trees_give_scikit_learns_probabilities_bit_for_bit(fitted, dtype):
    model, rows = fitted
    rows = rows.astype(dtype)
    stored = BoostedTrees.from_histgradientboosting(model)
    assert np.array_equal(stored.predict_proba(rows), model.predict_proba(rows))
    assert np.array_equal(stored.predict_proba(np.asfortranarray(rows)), model.predict_proba(rows))
    assert list(stored.classes_) == list(model.classes_)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_without_the_compiled_sums_scikit_learns_predictor_gives_the_same(fitted, monkeypatch, dtype):
    model, rows = fitted
    rows = rows.astype(dtype)
    monkeypatch.setattr(trees, "_trees", None)
    assert np.array_equal(BoostedTrees.from_histgradientboosting(model).predict_proba(rows), model.predict_proba(rows))


@pytest.mark.parametrize("compiled", [True, False])
def test_the_logistic_is_scipys_expit_bit_for_bit_out_to_overflow(monkeypatch, compiled):
    # numpy's exp would not do: on CPUs with AVX-512 it differs from the C library's in the last bit
    from scipy.special import expit

    if not compiled:
        monkeypatch.setattr(trees, "_trees", None)
    raw = np.concatenate([np.random.default_rng(1).normal(scale=8, size=20_000),
                          [-1e4, -745.2, -709.8, -709.7, -40.0, 0.0, 40.0, 709.8, 1e4]])
    assert np.array_equal(trees.logistic(raw), expit(raw))


def test_rows_of_the_wrong_width_are_refused(fitted):
    stored = BoostedTrees.from_histgradientboosting(fitted[0])
    with pytest.raises(ValueError, match="12 features"):
        stored.predict_proba(np.zeros((3, 11)))


def test_only_boosted_trees_are_converted(fitted):
    model, rows = fitted
    assert isinstance(portable(model), BoostedTrees)
    logreg = LogisticRegression().fit(np.nan_to_num(rows[:100]), np.arange(100) % 2)
    assert portable(logreg) is logreg
    three_classes = HistGradientBoostingClassifier(max_iter=3).fit(np.nan_to_num(rows[:300]), np.arange(300) % 3)
    assert portable(three_classes) is three_classes


def test_a_saved_model_holds_the_trees_and_predicts_as_before(fitted, tmp_path):
    model, rows = fitted
    path = save_model(model, 0.5, tmp_path / "m.joblib", {"estimator": "hgb"})
    loaded = load_model(path)
    assert isinstance(loaded.estimator, BoostedTrees)
    before = Model(estimator=model, threshold=0.5, sidecar={})
    assert np.array_equal(loaded.predict_proba(rows), before.predict_proba(rows))


@pytest.mark.skipif(trees._trees is None, reason="without the compiled sums the fallback is scikit-learn's predictor")
def test_the_packaged_model_cleans_without_importing_scikit_learn():
    code = ("import sys; from cleaner import clean; "
            "assert clean('<html><body><h1>A title</h1><p>Some words of a paragraph.</p></body></html>'); "
            "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_fallback_predictors_are_built_once_and_never_saved(fitted, monkeypatch, tmp_path):
    import joblib

    model, rows = fitted
    monkeypatch.setattr(trees, "_trees", None)
    stored = BoostedTrees.from_histgradientboosting(model)
    stored.predict_proba(rows)
    first = stored._sklearn_predictors
    stored.predict_proba(rows)
    assert stored._sklearn_predictors is first
    joblib.dump(stored, tmp_path / "t.joblib")
    assert "_sklearn_predictors" not in joblib.load(tmp_path / "t.joblib").__dict__
