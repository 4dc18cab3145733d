"""Choose the context rules' numbers on out-of-fold predictions of the training sources.

    python -m training.train            # writes .cache/oof-<estimator>.joblib
    python -m training.tune_rules --estimator hgb --threshold 0.35 --text-threshold 0.55

Searches one parameter at a time around the defaults (cleaner.postprocess.RuleParams) and
prints the balanced F1 (mean over sources of mean page F1) for each value. Never reads an
evaluation-only dataset.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, fields, replace
from pathlib import Path

from cleaner.postprocess import RuleParams
from training.learn import balanced_f1, by_format_report, choose_threshold, format_page_scores, rule_ablation
from training.train import cached_out_of_fold, default_training_pages

GRID: dict[str, tuple] = {
    "gap_min_proba": (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 1.01),
    "heading_min_proba": (0.05, 0.1, 0.2, 0.3, 1.01),
    "heading_max_words": (10, 15, 20, 30),
    "run_max_gap": (0, 1, 2, 3),
    "trailing_run_share": (0.0, 0.1, 0.2, 0.3, 0.5),
    "comment_token_reach": (0, 1, 2, 3, 4, 8),
    "comment_heading_min_words": (0, 20, 50, 100, 200, 10**9),
    "next_article_min_words": (0, 50, 100, 200, 10**9),
    "thin_page_words": (0, 1, 20, 50, 100, 200),
    "thin_page_ratio": (0.2, 0.3, 0.4, 0.5, 0.7),
    "echo_headline_max_words": (15, 20, 30, 40, 10**9),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.tune_rules", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--estimator", default="hgb")
    parser.add_argument("--threshold", type=float, required=True, help="threshold for HTML pages")
    parser.add_argument("--text-threshold", type=float,
                        help="threshold for plain-text pages (default: --threshold); the shipped model's "
                             "two are in its sidecar")
    parser.add_argument("--update-sidecar", metavar="MODEL_JSON",
                        help="after changing RuleParams defaults: re-choose the model's thresholds (one per "
                             "input format) on the same out-of-fold predictions, as training.train does, "
                             "and write them there")
    parser.add_argument("--params", help="comma-separated RuleParams fields to search (default: all)")
    args = parser.parse_args(argv)
    searched = [f.name for f in fields(RuleParams)]
    if args.params:
        unknown = sorted(set(args.params.split(",")) - set(searched))
        if unknown:
            parser.error(f"unknown rule parameters {unknown}; known: {', '.join(searched)}")
        searched = args.params.split(",")
    pages = default_training_pages()
    proba = cached_out_of_fold(args.estimator, pages)
    if proba is None:
        print("error: no cached out-of-fold predictions for these pages and this code; rerun "
              "python -m training.train", file=sys.stderr)
        return 2
    if args.update_sidecar:
        threshold, score = choose_threshold(pages, proba)
        by_format_fields = by_format_report(pages, proba)
        by_format = by_format_fields["thresholds_by_format"]
        path = Path(args.update_sidecar)
        sidecar = json.loads(path.read_text(encoding="utf-8"))
        sidecar["threshold"] = by_format["html"]  # thresholds_by_format gives every input format one
        sidecar["text_threshold"] = by_format["text"]
        candidate = sidecar["cv"]["candidates"][args.estimator]
        candidate["threshold"] = threshold
        candidate["balanced_f1_with_current_rules"] = round(score, 4)
        candidate.update(by_format_fields)
        candidate["rule_ablation"] = rule_ablation(pages, proba, threshold)
        sidecar["cv"]["rule_params"] = asdict(RuleParams())
        path.write_text(json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"one threshold {threshold} (balanced F1 {score:.4f}); by format {by_format} "
              f"(balanced F1 {by_format_fields['balanced_f1_by_format_thresholds']:.4f}) written to {path}")
        return 0
    base = RuleParams()
    thresholds = {} if args.text_threshold is None else {"text": args.text_threshold}
    for name in searched:
        for value in GRID[name]:
            params = replace(base, **{name: value})
            score = balanced_f1(pages, format_page_scores(pages, proba, thresholds, args.threshold, params))
            mark = " (default)" if value == getattr(base, name) else ""
            print(f"{name:26s} {value!s:6s} balanced F1 {score:.4f}{mark}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
