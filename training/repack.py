"""Write a model file again in the current storage format, keeping its sidecar's metadata.

    python -m training.repack cleaner/models/default.joblib

``cleaner.model.save_model`` stores boosted trees as ``cleaner.trees.BoostedTrees`` (they load
without scikit-learn); a model saved before that holds scikit-learn's estimator. Repacking
converts it without retraining: the probabilities are bit-identical, which this command checks
on random rows before it writes anything. Thresholds, CV figures and the rest of the sidecar are
kept; the checksum is renewed.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from cleaner.model import load_model, save_model, sidecar_path
from cleaner.trees import portable

# Written by save_model itself; everything else in the sidecar is the model's metadata.
SAVED_BY_SAVE_MODEL = ("sha256", "threshold", "text_threshold", "feature_version", "segmenter_version",
                       "sklearn_version", "feature_names")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.repack", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path, help="model file (its .json sidecar beside it)")
    args = parser.parse_args(argv)
    model = load_model(args.model)
    converted = portable(model.estimator)
    if converted is model.estimator:
        print(f"{args.model}: already in the current format ({type(converted).__name__})")
        return 0
    rows = np.random.default_rng(0).normal(0, 3, size=(5000, model.estimator.n_features_in_))
    if not np.array_equal(converted.predict_proba(rows), model.estimator.predict_proba(rows)):
        print("error: the converted trees do not reproduce the model's probabilities; nothing written",
              file=sys.stderr)
        return 1
    sidecar = json.loads(sidecar_path(args.model).read_text(encoding="utf-8"))
    metadata = {key: value for key, value in sidecar.items() if key not in SAVED_BY_SAVE_MODEL}
    save_model(converted, model.threshold, args.model, metadata, text_threshold=model.text_threshold)
    print(f"{args.model}: {type(model.estimator).__name__} -> {type(converted).__name__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
