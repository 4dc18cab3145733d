"""Score cleaner (and, side by side, other extractors) on labelled pages.

    python -m training.evaluate ../shared/datasets/l3s-gn1 --anchors trafilatura,justext
    python -m training.evaluate --leave-one-out fixtures/seeds     # retrain without each page in turn
    python -m training.evaluate --cv                               # grouped CV + leave-one-dataset-out

Scores are token precision, recall and F1 (bag of lower-cased word tokens, cleaner.text.tokens),
averaged over pages; pages/s counts extraction time only (files are read beforehand).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path


from cleaner.api import Cleaner
from training.anchors import anchor
from training.corpus import label_pages
from training.data import Example, read_source, read_sources
from training.learn import (candidates, fit, out_of_fold, page_score, predict_pages,
                            scores_by_source, thresholds_by_format)
from training.metrics import Score, mean_score, token_score
from training.train import CACHE_DIR, DEFAULT_FIXTURE_WEIGHT, default_sources, page_weights, with_text_renderings


def timed_texts(extract: Callable[[Example], str], examples: list[Example]) -> tuple[list[str], float]:
    """Each page's extracted text and pages per second (extraction time only)."""
    texts, elapsed = [], 0.0
    for ex in examples:
        start = time.perf_counter()
        try:
            text = extract(ex)
        except Exception as exc:  # an anchor crashing on a page scores 0 there, as its user would get nothing
            print(f"    {ex.key}: {type(exc).__name__}: {exc}", file=sys.stderr)
            text = ""
        elapsed += time.perf_counter() - start
        texts.append(text)
    return texts, len(examples) / elapsed if elapsed else float("inf")


def timed_scores(extract: Callable[[Example], str], examples: list[Example]) -> tuple[list[Score], float]:
    """Per-page scores and pages per second (extraction time only)."""
    texts, rate = timed_texts(extract, examples)
    return [token_score(text, ex.gold) for text, ex in zip(texts, examples)], rate


def score_folder(folder: str, tools: dict[str, Callable[[Example], str]], limit: int | None,
                 worst: int) -> dict[str, dict]:
    examples = read_source(folder, min_gold_recall=0.0)[:limit]
    print(f"\n## {Path(folder).name} ({len(examples)} pages)", file=sys.stderr)
    print(f"{'tool':18s} {'P':>6s} {'R':>6s} {'F1':>6s} {'pages/s':>8s}")
    rows = {}
    for name, extract in tools.items():
        scores, rate = timed_scores(extract, examples)
        m = mean_score(scores)
        rows[name] = {"pages": len(examples), "precision": round(m.precision, 4), "recall": round(m.recall, 4),
                      "f1": round(m.f1, 4), "pages_per_s": round(rate, 1)}
        print(f"{name:18s} {m.precision:6.3f} {m.recall:6.3f} {m.f1:6.3f} {rate:8.1f}")
        if name == "cleaner" and worst:
            ranked = sorted(zip(scores, examples), key=lambda se: se[0].f1)[:worst]
            rows[name]["worst"] = [{"page": ex.path, "f1": round(s.f1, 3)} for s, ex in ranked]
            for s, ex in ranked:
                print(f"    worst: F1 {s.f1:.3f} P {s.precision:.3f} R {s.recall:.3f}  {ex.path}")
    return rows


class NothingToTrainOn(ValueError):
    """Every training page is held out."""


def leave_one_out(folder: str, train_sources: list[str], estimator: str, fixture_weight: float,
                  render: bool) -> dict:
    """Hold out each page of ``folder`` in turn, train on everything else, score the held-out page.

    The thresholds (one per input format, thresholds_by_format) are chosen once, from site-grouped
    out-of-fold predictions on the training pages without any page of ``folder``, so no held-out
    page influences them."""
    held = {ex.key for ex in read_source(folder)}
    examples = read_sources(train_sources + ([folder] if folder not in train_sources else []))
    examples = list({ex.key: ex for ex in examples}.values())
    if all(ex.key in held for ex in examples):
        raise NothingToTrainOn(f"every training page is a page of {folder}: nothing is left to train on or "
                               f"to choose thresholds on; give --train sources beyond it")
    if render:
        examples = with_text_renderings(examples)
    pages = label_pages(examples, cache_dir=CACHE_DIR)
    weights = page_weights(pages, fixture_weight)
    others = [j for j, p in enumerate(pages) if p.example.key not in held]
    other_pages = [pages[j] for j in others]
    oof = out_of_fold(candidates()[estimator], other_pages, [p.example.site for p in other_pages], 5, weights[others])
    thresholds = thresholds_by_format(other_pages, oof)
    print(f"thresholds {thresholds} (chosen without any page of {folder})", file=sys.stderr)
    results = {}
    for i, page in enumerate(pages):
        if page.example.key not in held:
            continue
        rest = [j for j in range(len(pages)) if j != i]
        model = fit(candidates()[estimator], [pages[j] for j in rest], weights[rest])
        threshold = thresholds[page.page.input_format]
        score = page_score(page, predict_pages(model, [page])[0], threshold)
        results[page.example.id] = {"precision": round(score.precision, 4), "recall": round(score.recall, 4),
                                    "f1": round(score.f1, 4), "threshold": threshold}
        print(f"{page.example.id}: P {score.precision:.4f} R {score.recall:.4f} F1 {score.f1:.4f} "
              f"(threshold {threshold})")
    return results


def cross_validate(train_sources: list[str], estimator: str, fixture_weight: float, render: bool) -> dict:
    """Grouped 5-fold CV by page, and leave-one-dataset-out, reported per source."""
    pages = _training_pages(train_sources, render)
    # A page and its plain-text rendering share a group: they are the same page.
    page_groups = [f"{p.example.source.removesuffix('+text')}/{p.example.id.removesuffix('.txt')}" for p in pages]
    return {"grouped by page": _grouped_report("grouped by page", pages, page_groups, 5, estimator, fixture_weight),
            **leave_one_dataset_out(train_sources, estimator, fixture_weight, render, pages)}


def leave_one_dataset_out(train_sources: list[str], estimator: str, fixture_weight: float, render: bool,
                          pages: list | None = None) -> dict:
    """Each training source held out in turn (with its text renderings), scored by a model trained
    on the others, at thresholds chosen per input format on the other sources' held-out
    predictions only (held_out_thresholds): a held-out source no more chooses its own threshold
    than a user's pages choose the shipped one."""
    pages = pages if pages is not None else _training_pages(train_sources, render)
    groups = [p.example.source.removesuffix("+text") for p in pages]
    name = "leave one dataset out"
    return {name: _grouped_report(name, pages, groups, len(set(groups)), estimator, fixture_weight,
                                  held_out=True)}


def held_out_thresholds(pages: list, proba: list, groups: list[str]) -> dict[str, dict[str, float]]:
    """For each group, thresholds_by_format chosen on the other groups' pages and predictions only."""
    chosen = {}
    for group in sorted(set(groups)):
        rest = [i for i, g in enumerate(groups) if g != group]
        chosen[group] = thresholds_by_format([pages[i] for i in rest], [proba[i] for i in rest])
    return chosen


def _training_pages(train_sources: list[str], render: bool) -> list:
    examples = read_sources(train_sources)
    return label_pages(with_text_renderings(examples) if render else examples, cache_dir=CACHE_DIR)


def _grouped_report(name: str, pages: list, groups: list[str], folds: int, estimator: str,
                    fixture_weight: float, held_out: bool = False) -> dict:
    """Scores by source of out-of-fold predictions, each page at its format's threshold: chosen on
    every page's predictions, as training.train chooses them, or with ``held_out`` on the other
    groups' only (held_out_thresholds)."""
    proba = out_of_fold(candidates()[estimator], pages, groups, folds, page_weights(pages, fixture_weight))
    if held_out:
        by_group = held_out_thresholds(pages, proba, groups)
        chosen = [by_group[g] for g in groups]
    else:
        chosen = [thresholds_by_format(pages, proba)] * len(pages)
    threshold_of = [c[p.page.input_format] for p, c in zip(pages, chosen)]
    report = scores_by_source(pages, [page_score(p, pr, t) for p, pr, t in zip(pages, proba, threshold_of)])
    # A source's pages share one format (and, held out, one group), so one threshold.
    source_threshold = {p.example.source: t for p, t in zip(pages, threshold_of)}
    for source, row in report.items():
        row["threshold"] = source_threshold[source]
    how = "thresholds chosen without the held-out source" if held_out else "thresholds chosen on every page"
    print(f"\n## {name} ({estimator}, {how})")
    for source, row in report.items():
        print(f"{source:28s} pages {row['pages']:4d}  P {row['precision']:.3f}  R {row['recall']:.3f}  "
              f"F1 {row['f1']:.3f}  threshold {row['threshold']}")
    return report


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", help="dataset or fixture folders to score")
    parser.add_argument("--model", help="model file (default: the packaged model)")
    parser.add_argument("--anchors", default="", help="comma-separated: keep-all, trafilatura, trafilatura-fast, "
                        "justext, readability, boilerpy3, resiliparse (needs pip install .[bench])")
    parser.add_argument("--limit", type=int, help="score only the first N pages of each folder")
    parser.add_argument("--worst", type=int, default=10, help="list cleaner's N worst pages (default 10)")
    parser.add_argument("--leave-one-out", metavar="FOLDER", help="retrain without each page of FOLDER in turn")
    parser.add_argument("--cv", action="store_true", help="grouped CV and leave-one-dataset-out on --train sources")
    parser.add_argument("--train", nargs="*", help="training sources for --cv/--leave-one-out (default as training.train)")
    parser.add_argument("--estimator", default="hgb", choices=list(candidates()))
    parser.add_argument("--fixture-weight", type=float, default=DEFAULT_FIXTURE_WEIGHT)
    parser.add_argument("--no-render-text", action="store_true",
                        help="--cv/--leave-one-out: train without plain-text renderings of HTML pages")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    train_sources = args.train or default_sources()
    results: dict = {}
    if args.leave_one_out:
        try:
            results["leave_one_out"] = leave_one_out(args.leave_one_out, train_sources, args.estimator,
                                                     args.fixture_weight, not args.no_render_text)
        except NothingToTrainOn as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if args.cv:
        results["cv"] = cross_validate(train_sources, args.estimator, args.fixture_weight, not args.no_render_text)
    if args.folders:
        cleaner = Cleaner(args.model)
        tools: dict[str, Callable[[Example], str]] = {
            "cleaner": lambda ex: cleaner.clean(ex.page, ex.input_format)}
        for name in filter(None, (n.strip() for n in args.anchors.split(","))):
            extract = anchor(name)
            tools[name] = lambda ex, extract=extract: extract(ex.page)
        results["datasets"] = {Path(f).name: score_folder(f, tools, args.limit, args.worst) for f in args.folders}
    if not results:
        build_parser().print_usage(sys.stderr)
        return 2
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
