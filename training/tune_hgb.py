"""Choose the gradient-boosting classifier's size by site-grouped cross-validation.

    python -m training.tune_hgb                          # the grid below, ~7-11 min per setting
    python -m training.tune_hgb 150:0.1:63 300:0.1:31    # trees:learning rate:leaves (at the shipped share)
    python -m training.tune_hgb 150:0.1:63:1 150:0.1:63:0.5   # ... and the share of features each split
                                                             # considers (default: the shipped share)
    python -m training.tune_hgb 150:0.1:63:0.5:40 150:0.1:63:0.5:20:3   # ... the smallest leaf (rows)
                                                             # and the L2 penalty (default: the shipped ones)
    python -m training.tune_hgb 150:0.1:63 --seeds 0 1 2      # the same CV under several seeds

For each setting, the same 5-fold site-grouped out-of-fold predictions as training.train (same
pages, page weights, seed), thresholds chosen per input format on them, and the balanced F1
(mean over sources of mean page F1, with every context rule). Also the cost of one
``predict_proba`` call over the blocks of the first 32 training pages, by a model fitted on all
pages and stored as the model file stores it: trees x depth is what a page pays at run time
(compare settings within one run).

With ``--seeds``, each setting's CV is run once per seed and every score is printed with their
mean. The seed draws which features each split may consider, so it matters only with a feature
share below 1; there one seed's score can sit 0.005 from another's, more than most settings
differ by (DEVELOPERS.md, "The seed moves the CV as much as a setting does").
Never reads an evaluation-only dataset.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from cleaner.api import DEFAULT_BATCH_PAGES
from cleaner.trees import portable
from training.corpus import stack
from training.learn import (HGB_FEATURE_SHARE, HGB_L2, HGB_MIN_LEAF, SEED, by_format_report, fit, gradient_boosting,
                            out_of_fold)
from training.train import DEFAULT_FIXTURE_WEIGHT, default_training_pages, page_weights

# What the ninth session's model used (300:0.1:31), then fewer, larger trees: the tenth session's
# grid, every split considering every feature as it did then (DEVELOPERS.md, "Model size, again").
DEFAULT_GRID = ("300:0.1:31:1", "150:0.2:31:1", "150:0.1:63:1", "100:0.15:63:1", "100:0.1:127:1", "200:0.1:63:1")


def parse_setting(text: str) -> tuple[int, float, int, float, int, float]:
    """trees:learning_rate:leaves[:feature_share[:min_leaf[:l2]]]; what is left out is the shipped value."""
    try:
        trees, rate, leaves, *rest = text.split(":")
        if len(rest) > 3:
            raise ValueError(text)
        feature_share = float(rest[0]) if rest else HGB_FEATURE_SHARE
        min_leaf = int(rest[1]) if len(rest) > 1 else HGB_MIN_LEAF
        l2 = float(rest[2]) if len(rest) > 2 else HGB_L2
        if not 0 < feature_share <= 1 or min_leaf < 1 or l2 < 0:
            raise ValueError(text)
        return int(trees), float(rate), int(leaves), feature_share, min_leaf, l2
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not trees:learning_rate:leaves[:feature_share[:min_leaf[:l2]]], "
                                         "e.g. 150:0.1:63, 150:0.1:63:0.5 (a share in (0, 1]) or 150:0.1:63:0.5:40:3 "
                                         "(at least 1 row a leaf, a penalty of 0 or more)") from None


def f1_cell(scores: list[float]) -> str:
    """The balanced F1 cell of a setting: its one score, or every seed's score and their mean."""
    if len(scores) == 1:
        return f"{scores[0]:.4f}"
    return f"{', '.join(f'{s:.4f}' for s in scores)} (mean {float(np.mean(scores)):.4f})"


def predict_ms_per_page(model, X: np.ndarray, pages: int) -> float:
    """Median time of predict_proba over one batch, per page, as cleaner pays it: the model as its
    file holds it (cleaner.trees.portable: the compiled sums, not scikit-learn's predictor, whose
    time differs) on featurize's float32 rows."""
    model = portable(model)
    times = []
    for _ in range(7):
        started = time.perf_counter()
        model.predict_proba(X)
        times.append(time.perf_counter() - started)
    return float(np.median(times)) / pages * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.tune_hgb", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("settings", nargs="*", type=parse_setting, default=[parse_setting(s) for s in DEFAULT_GRID],
                        help="trees:learning_rate:leaves[:feature_share[:min_leaf[:l2]]] (default: %s)" % " ".join(DEFAULT_GRID))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, nargs="+", default=[SEED], metavar="SEED",
                        help=f"run each setting's CV once per seed and print every score and their mean "
                             f"(default: {SEED}, the shipped model's)")
    args = parser.parse_args(argv)
    pages = default_training_pages()
    weights = page_weights(pages, DEFAULT_FIXTURE_WEIGHT)
    groups = [p.example.site for p in pages]
    timing_pages = pages[:DEFAULT_BATCH_PAGES]  # one model call of a batch run
    X_batch = stack(timing_pages)[0]
    print("| trees | learning rate | leaves | feature share | min leaf | L2 | thresholds (html / text) | balanced F1 "
          "| predict ms/page | CV minutes |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for setting in args.settings:
        trees, rate, leaves, feature_share, min_leaf, l2 = setting
        started = time.time()
        scores, chosen = [], []
        for seed in args.seeds:
            estimator = gradient_boosting(*setting, seed=seed)
            proba = out_of_fold(estimator, pages, groups, args.folds, weights)
            report = by_format_report(pages, proba)  # as training.train reports the chosen estimator
            scores.append(report["balanced_f1_by_format_thresholds"])
            chosen.append(report["thresholds_by_format"])
        minutes = (time.time() - started) / 60
        # Full size, as shipped (trees grown on 32 pages are smaller); the first seed's.
        model = fit(gradient_boosting(*setting, seed=args.seeds[0]), pages, weights)
        ms = predict_ms_per_page(model, X_batch, len(timing_pages))
        thresholds = "; ".join(f"{t.get('html')} / {t.get('text')}" for t in chosen)
        print(f"| {trees} | {rate} | {leaves} | {feature_share} | {min_leaf} | {l2} | {thresholds} | {f1_cell(scores)} "
              f"| {ms:.2f} | {minutes:.1f} |", flush=True)
        print(json.dumps({"trees": trees, "learning_rate": rate, "leaves": leaves, "feature_share": feature_share,
                          "min_leaf": min_leaf, "l2": l2,
                          "seeds": args.seeds, "thresholds": chosen, "balanced_f1": [round(x, 4) for x in scores],
                          "mean_balanced_f1": round(float(np.mean(scores)), 4), "predict_ms_per_page": round(ms, 3)}),
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
