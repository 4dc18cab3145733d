"""The fitted classifier on disk: a joblib file and its JSON sidecar.

Loading a joblib file runs code, so the packaged model is checked against the sha256 in its
sidecar before it is loaded, and any other model is loaded only from a path the user names
(and is checked the same way). A model whose feature names or segmenter version differ from
this code is refused; a different scikit-learn version only warns.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.features import FEATURE_NAMES, FEATURE_VERSION
from cleaner.lexicon import Lexicon
from cleaner.postprocess import RULE_NAMES
from cleaner.segment import SEGMENTER_VERSION
from cleaner.trees import BoostedTrees, portable

PACKAGED_MODEL = Path(__file__).parent / "models" / "default.joblib"
# joblib (and, for a model that is not BoostedTrees, scikit-learn and threadpoolctl) is imported
# when a model is loaded, not with this module: a parallel batch's parent process only verifies
# the model file. The shipped model is BoostedTrees and imports no scikit-learn at all.


@functools.cache
def _threadpools() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


class ModelError(Exception):
    """The model file is missing, altered, or made for different features."""


@dataclass(frozen=True, slots=True)
class Model:
    estimator: Any  # a fitted classifier with predict_proba: BoostedTrees or a scikit-learn estimator
    threshold: float  # p(content) cut-off for HTML pages (and for text when text_threshold is None)
    sidecar: dict[str, Any]
    text_threshold: float | None = None  # cut-off for plain-text scrapes, when chosen apart
    # Context rules (cleaner.postprocess.RULES, by name) this model's pages are read without: a
    # site adapter switches off the rules its site's labelled pages contradict (training.adapt).
    rules_off: tuple[str, ...] = ()
    # The token weights its lexical feature columns are read from (cleaner.lexicon); None: 0.
    lexicon: Lexicon | None = None

    def threshold_for(self, input_format: str) -> float:
        if input_format == "text" and self.text_threshold is not None:
            return self.text_threshold
        return self.threshold

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """p(content) for each row of X."""
        if not len(X):
            return np.zeros(0)
        if isinstance(self.estimator, BoostedTrees):  # no OpenMP, no scikit-learn; takes X as featurize gives it
            return self.estimator.predict_proba(X)[:, 1]
        # A batch is a few thousand rows: OpenMP threads only add start-up and, when other processes
        # (parallel batch workers) hold the cores, spin-waiting that made one prediction take
        # seconds. The limit applies to the calling thread only, so it is safe under threads.
        # Column-major float64, the dtype scikit-learn's trees compare in: each tree reads a few
        # features of every row, so rows laid out feature by feature stay in cache. Row-major
        # float32 (as featurize() returns it) took 1.1x as long on 16-page batches and 3-4x on
        # 64 pages or more (l3s-gn1, one core); the probabilities are bit-identical.
        X = np.asfortranarray(X, dtype=np.float64)
        with _threadpools().limit(limits=1, user_api="openmp"):
            return self.estimator.predict_proba(X)[:, 1]


def sidecar_path(model_path: Path) -> Path:
    return model_path.with_suffix(".json")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_model(path: str | Path | None = None) -> tuple[Path, dict[str, Any]]:
    """The model path and its sidecar, after checking that both exist, the file matches the
    sidecar's sha256 and was made for this code's features; nothing is unpickled."""
    model_path = Path(path) if path is not None else PACKAGED_MODEL
    side_path = sidecar_path(model_path)
    if not model_path.is_file():
        raise ModelError(f"model file not found: {model_path}")
    if not side_path.is_file():
        raise ModelError(f"model sidecar not found: {side_path} (every model ships with one)")
    try:
        sidecar = json.loads(side_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"unreadable model sidecar {side_path}: {exc}") from exc
    if sidecar.get("sha256") != file_sha256(model_path):
        raise ModelError(f"{model_path} does not match the sha256 in {side_path.name}; refusing to load it")
    check_compatible(sidecar, model_path)
    return model_path, sidecar


def load_model(path: str | Path | None = None) -> Model:
    """Load the packaged model, or the one at ``path``; verify checksum and versions first."""
    import joblib

    model_path, sidecar = verify_model(path)
    stored = joblib.load(model_path)
    # A model with a lexicon is stored as {"estimator": ..., "lexicon": {token: weight}} (save_model).
    estimator, weights = (stored["estimator"], stored["lexicon"]) if isinstance(stored, dict) else (stored, None)
    text_threshold = sidecar.get("text_threshold")
    return Model(estimator=estimator, threshold=float(sidecar["threshold"]), sidecar=sidecar,
                 text_threshold=None if text_threshold is None else float(text_threshold),
                 rules_off=tuple(sidecar.get("rules_off", ())),
                 lexicon=None if weights is None else Lexicon(weights))


def check_compatible(sidecar: dict[str, Any], model_path: Path) -> None:
    if tuple(sidecar.get("feature_names", ())) != FEATURE_NAMES or sidecar.get("feature_version") != FEATURE_VERSION:
        raise ModelError(f"{model_path} was trained on other features (feature version "
                         f"{sidecar.get('feature_version')}, this code {FEATURE_VERSION}); retrain it")
    if sidecar.get("segmenter_version") != SEGMENTER_VERSION:
        raise ModelError(f"{model_path} was trained with segmenter version {sidecar.get('segmenter_version')}, "
                         f"this code has {SEGMENTER_VERSION}; retrain it")
    unknown = sorted(set(sidecar.get("rules_off", ())) - set(RULE_NAMES))
    if unknown:
        raise ModelError(f"{model_path} switches off context rules this code does not have: {', '.join(unknown)}")
    running = installed_sklearn_version()
    if sidecar.get("sklearn_version") != running:
        warnings.warn(f"{model_path.name} was trained with scikit-learn {sidecar.get('sklearn_version')}, "
                      f"running {running}", stacklevel=3)


def installed_sklearn_version() -> str | None:
    """scikit-learn's version from the installed package's metadata. Importing scikit-learn to
    read ``__version__`` took 0.8 s, which a parallel batch's parent paid before its workers
    started (it never predicts); the metadata takes 0.04 s."""
    try:
        return importlib.metadata.version("scikit-learn")
    except importlib.metadata.PackageNotFoundError:
        return None


def save_model(estimator: Any, threshold: float, path: str | Path, metadata: dict[str, Any],
               text_threshold: float | None = None, rules_off: tuple[str, ...] = (),
               lexicon: Lexicon | None = None) -> Path:
    """Write the joblib file and its sidecar (checksum, feature names, versions, metadata). Boosted
    trees are stored as ``cleaner.trees.BoostedTrees``, which loads without scikit-learn; a lexicon
    (default: the estimator's ``lexicon_``, as training.learn.fit leaves it) beside them."""
    import joblib

    model_path = Path(path)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    lexicon = lexicon if lexicon is not None else getattr(estimator, "lexicon_", None)
    stored = portable(estimator)
    if lexicon is not None:  # a plain dict of str -> float: loads without this module's classes
        stored = {"estimator": stored, "lexicon": dict(lexicon.weights)}
    joblib.dump(stored, model_path, compress=3)
    sidecar = {
        "sha256": file_sha256(model_path),
        "threshold": threshold,
        **({} if text_threshold is None else {"text_threshold": text_threshold}),
        **({"rules_off": list(rules_off)} if rules_off else {}),
        "feature_version": FEATURE_VERSION,
        "segmenter_version": SEGMENTER_VERSION,
        "sklearn_version": installed_sklearn_version(),  # what check_compatible compares against
        "feature_names": list(FEATURE_NAMES),
        "lexicon_tokens": 0 if lexicon is None else len(lexicon),
        **metadata,
    }
    sidecar_path(model_path).write_text(json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return model_path
