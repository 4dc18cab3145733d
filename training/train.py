"""Train cleaner's block classifier and write a model file with its JSON sidecar.

    python -m training.train                       # fixtures/ + redistributable datasets found in ../shared/datasets
    python -m training.train fixtures my-fixtures --fixture-weight 30 --out my-model.joblib

Block labels are derived by aligning each page's blocks to its expected text. The estimator is
HistGradientBoosting unless --estimator says otherwise (--estimator auto compares it with
logistic regression and their geometric blend and keeps the best); the decision thresholds are
chosen by cross-validation grouped by site, on the training sources only.
"""
from __future__ import annotations

import argparse
import hashlib
import platform
from dataclasses import asdict
import sys
import time
from pathlib import Path

import joblib
import numpy as np

from cleaner.model import save_model
from cleaner.postprocess import RuleParams
from training.corpus import LabelledPage, label_pages, oof_code_digest
from training.data import EVALUATION_ONLY, LICENCES, Example, read_sources
from training.render import as_text_example, training_layout
from training.learn import (balanced_f1, blend_members, blended_out_of_fold, by_format_report, candidates,
                            choose_threshold, fit, out_of_fold, page_score, rule_ablation,
                            scores_by_source)

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT.parent / "shared" / "datasets"
# The sources the shipped model is trained on: the project's fixtures and every dataset whose
# licence allows redistribution (see DEVELOPERS.md).
REDISTRIBUTABLE_DATASETS = ("wcxb-dev", "article-extraction-dataset", "fundus-testdata",
                            "readability-testpages", "newspaper4k-fixtures")
# Fixture pages are the users' own site; with 5 seeds among ~2,900 training pages they would
# barely move the fit. x20 (copies, see training.corpus.stack) gives the seeds about the weight
# of 100 dataset pages. Set by that reasoning, not tuned: a sweep under leave-one-seed-out
# (python -m training.evaluate --leave-one-out fixtures/seeds --fixture-weight W) is still to do.
DEFAULT_FIXTURE_WEIGHT = 20.0
CACHE_DIR = ROOT / ".cache"


def default_sources() -> list[str]:
    found = [str(DATASETS / name) for name in REDISTRIBUTABLE_DATASETS if (DATASETS / name).is_dir()]
    return [str(ROOT / "fixtures"), *found]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training.train", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="*", help="fixture folders or dataset folders "
                        "(default: fixtures/ and the redistributable datasets in ../shared/datasets)")
    parser.add_argument("--out", default=str(ROOT / "cleaner" / "models" / "default.joblib"),
                        help="model file to write; the sidecar goes beside it as .json")
    # HGB by default: it is the one estimator the model file stores as compiled trees, whose
    # p(content) for a page does not depend on the batch it came in or on the CPU, and which
    # predicts a page in ~0.4 ms. The blend keeps scikit-learn's predictors: its logistic
    # member's BLAS sums move by 1e-7 with the batch (test_api's batch test fails on it), and
    # scikit-learn's trees take ~3x the compiled sums' time (training.learn). Its grouped CV is
    # level with HGB's over three seeds (DEVELOPERS.md, "The first body, not the longest").
    parser.add_argument("--estimator", choices=["auto", *candidates()], default="hgb",
                        help="hgb (default), logreg, blend, or auto: the best of them by grouped cross-validation")
    parser.add_argument("--fixture-weight", type=float, default=DEFAULT_FIXTURE_WEIGHT,
                        help=f"weight of each fixture page relative to a dataset page (default {DEFAULT_FIXTURE_WEIGHT:g})")
    parser.add_argument("--folds", type=int, default=5, help="grouped CV folds (default 5)")
    parser.add_argument("--jobs", type=int, default=-1, help="processes for featurising (default: all cores)")
    parser.add_argument("--allow-evaluation-only", action="store_true",
                        help="permit research-only/AGPL/unlicensed datasets (the model may then not be shipped)")
    parser.add_argument("--no-render-text", action="store_true",
                        help="do not add plain-text renderings of the HTML dataset pages")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write .cache/")
    return parser


def base_source(source: str) -> str:
    return source.removesuffix("+text")


def licence_problems(examples: list[Example]) -> list[str]:
    return sorted({ex.source for ex in examples if base_source(ex.source) in EVALUATION_ONLY})


def with_text_renderings(examples: list[Example]) -> list[Example]:
    """Each HTML dataset page once more as a plain-text scrape (training.render), so the text mode
    learns from every site, not only from the fixtures scraped as text."""
    return examples + [as_text_example(ex, training_layout(ex))
                       for ex in examples if ex.input_format == "html" and not ex.fixture]


def default_training_pages(n_jobs: int = -1) -> list[LabelledPage]:
    """The shipped model's training pages, labelled: the default sources and their plain-text
    renderings, read from the label cache when the code and inputs match."""
    return label_pages(with_text_renderings(read_sources(default_sources())), n_jobs=n_jobs, cache_dir=CACHE_DIR)


def pages_digest(pages: list[LabelledPage]) -> str:
    """Hash of what a fit sees of the pages: keys, feature rows and gold fractions. A page whose
    text changed (a re-rendered plain-text scrape) keeps its key, so keys alone are not enough."""
    digest = hashlib.sha256()
    for page in pages:
        digest.update(page.example.key.encode("utf-8") + b"\0")
        digest.update(page.X.tobytes())
        digest.update(page.fraction.tobytes())
    return digest.hexdigest()[:16]


def save_out_of_fold(estimator_name: str, pages: list[LabelledPage], proba: list[np.ndarray]) -> None:
    CACHE_DIR.mkdir(exist_ok=True)
    joblib.dump({"keys": [p.example.key for p in pages], "pages": pages_digest(pages), "proba": proba,
                 "code": oof_code_digest()}, CACHE_DIR / f"oof-{estimator_name}.joblib")


def cached_out_of_fold(estimator_name: str, pages: list[LabelledPage]) -> list[np.ndarray] | None:
    """The out-of-fold predictions save_out_of_fold left for these pages, made by this code; else None."""
    path = CACHE_DIR / f"oof-{estimator_name}.joblib"
    saved = joblib.load(path) if path.is_file() else {}
    if saved.get("code") != oof_code_digest() or saved.get("pages") != pages_digest(pages):  # the digest covers the keys
        return None
    return saved["proba"]


def page_weights(pages: list[LabelledPage], fixture_weight: float) -> np.ndarray:
    return np.array([fixture_weight if p.example.fixture else 1.0 for p in pages])


def training_digest(examples: list[Example]) -> str:
    digest = hashlib.sha256()
    for ex in examples:
        digest.update(f"{ex.key}\0{hashlib.sha256(ex.page.encode()).hexdigest()}\0"
                      f"{hashlib.sha256(ex.gold.encode()).hexdigest()}\n".encode())
    return digest.hexdigest()


def training_machine() -> dict:
    """What a training's floating point depends on besides code, data and package versions: the
    CPU kernels numpy and the BLAS library pick at run time. The same command, code and labels
    gave grouped-CV balanced F1 0.9034 with numpy's AVX-512 kernels and OpenBLAS's SkylakeX ones,
    and 0.9032 with both held to AVX2 (sixteenth session): a model is byte-identical to another
    only when trained on the same kind of CPU."""
    from threadpoolctl import threadpool_info

    try:  # numpy's own record of the SIMD targets it dispatches to (what np.show_runtime prints)
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
        simd = [target for target in __cpu_dispatch__ if __cpu_features__.get(target)]
    except ImportError:
        simd = []
    # Sorted: threadpoolctl lists the loaded libraries in the order they happened to load.
    blas = sorted(f"{pool.get('internal_api')} {pool.get('version')} {pool.get('architecture')}"
                  for pool in threadpool_info() if pool.get("user_api") == "blas")
    return {"cpu": platform.machine(), "numpy": np.__version__, "numpy_simd": simd, "blas": blas}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sources = args.sources or default_sources()
    started = time.time()
    try:
        examples = read_sources(sources)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    restricted = licence_problems(examples)
    if restricted and not args.allow_evaluation_only:
        print(f"error: {', '.join(restricted)} may be used for evaluation only; "
              "pass --allow-evaluation-only for a model you will not ship", file=sys.stderr)
        return 2
    if not args.no_render_text:
        examples = with_text_renderings(examples)
    print(f"{len(examples)} pages from {', '.join(sources)}", file=sys.stderr)
    pages = label_pages(examples, n_jobs=args.jobs, cache_dir=None if args.no_cache else CACHE_DIR)
    weights = page_weights(pages, args.fixture_weight)
    groups = [p.example.site for p in pages]
    names = list(candidates()) if args.estimator == "auto" else [args.estimator]
    report: dict[str, dict] = {}
    oof: dict[str, list[np.ndarray]] = {}
    for name in names:
        members = blend_members(candidates()[name])
        if members and all(m in oof for m in members):
            proba = blended_out_of_fold([oof[m] for m in members])
        else:
            proba = out_of_fold(candidates()[name], pages, groups, args.folds, weights)
        oof[name] = proba
        threshold, score = choose_threshold(pages, proba)
        per_page = [page_score(p, pr, threshold) for p, pr in zip(pages, proba)]
        report[name] = {"threshold": threshold, "balanced_f1": round(balanced_f1(pages, per_page), 4),
                        "by_source": scores_by_source(pages, per_page),
                        "rule_ablation": rule_ablation(pages, proba, threshold)}
        print(f"{name}: grouped-CV balanced F1 {score:.4f} at threshold {threshold}", file=sys.stderr)
        for source, row in report[name]["by_source"].items():
            print(f"    {source:28s} {row}", file=sys.stderr)
        print(f"    rules: {report[name]['rule_ablation']}", file=sys.stderr)
        if not args.no_cache:  # kept for tuning the context rules without refitting
            save_out_of_fold(name, pages, proba)
    best = max(report, key=lambda n: report[n]["balanced_f1"])
    report[best].update(by_format_report(pages, oof[best]))
    by_format = report[best]["thresholds_by_format"]
    print(f"{best}: thresholds by input format {by_format}, grouped-CV balanced F1 "
          f"{report[best]['balanced_f1_by_format_thresholds']:.4f}", file=sys.stderr)
    model = fit(candidates()[best], pages, weights)
    counts: dict[str, int] = {}
    for ex in examples:
        counts[ex.source] = counts.get(ex.source, 0) + 1
    render_note = "" if args.no_render_text else " (+text: the same pages rendered as plain-text scrapes)"
    metadata = {
        "estimator": best,
        "estimator_params": {k: repr(v) for k, v in model.get_params().items() if "__" not in k},
        "fixture_weight": args.fixture_weight,
        "cv": {"grouping": "site (GroupKFold)", "folds": args.folds, "candidates": report,
               "rule_params": asdict(RuleParams())},
        "sources": [{"name": s, "pages": n, "licence": LICENCES.get(base_source(s), "fixture (see meta.json)")}
                    for s, n in sorted(counts.items())],
        "text_renderings": render_note or "none",
        "training_digest": training_digest(examples),
        "training_machine": training_machine(),
        "command": "python -m training.train " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    threshold = by_format["html"]  # thresholds_by_format gives every input format one
    text_threshold = by_format["text"]
    out = save_model(model, threshold, args.out, metadata, text_threshold=text_threshold)
    print(f"wrote {out} ({best}, thresholds html {threshold}, text {text_threshold}) in "
          f"{time.time() - started:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
