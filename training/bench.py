"""The accuracy benchmark: cleaner beside the other extractors, in one run.

    pip install '.[bench]'
    python -m training.bench                                  # html + text + languages
    python -m training.bench --sections html --limit 50       # a quick look
    python -m training.bench --sections lodo                  # leave-one-dataset-out (slow: refits)

Sections:
  html       every evaluation-only dataset (never trained on) as HTML: cleaner and every anchor,
             token P/R/F1 (bag of words, mean over pages) and the ScrapingHub shingle score
             (word 4-grams, per-page normalised; comparable with its published tables).
  text       the same pages as plain-text scrapes in three layouts (training.render): `uniform`
             (one line per cleaner HTML block, blank line between) and `scraped` (an independent
             renderer: lines at block elements, blank lines after paragraphs only) are the two
             layouts training pages are rendered in; `lines` (one line per block element, no blank
             lines at all) is never used in training. cleaner's F1 on each beside its F1 on the
             HTML; keep-all on the `lines` layout is the floor.
  languages  per-language F1 on the multilingual training sources (fundus-testdata,
             readability-testpages, newspaper4k-fixtures, the seeds), from out-of-fold predictions
             of site-grouped cross-validation: every page is scored by a model that never saw its site.
  lodo       leave-one-dataset-out over the training sources, reported per source.

Nothing here tunes anything: the model, its thresholds and its rules come from training.train.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from cleaner.api import Cleaner
from cleaner.model import load_model
from training.anchors import ANCHORS, anchor
from training.data import EVALUATION_ONLY, Example, read_source, synthetic_ids
from training.evaluate import timed_texts
from training.metrics import Score, mean_score, shingle_counts, shingle_score, token_score
from training.render import as_text_example
from training.train import CACHE_DIR, DATASETS

SECTIONS = ("html", "text", "languages", "lodo")
TEXT_LAYOUTS = ("uniform", "scraped", "lines")  # the last one last: keep-all is scored on it
DEFAULT_SECTIONS = ("html", "text", "languages")
DEFAULT_ANCHORS = ("keep-all", "trafilatura", "readability", "justext", "boilerpy3", "resiliparse")
# The anchors the issue names as "the tools people use today"; keep-all is only the floor.
REAL_ANCHORS = ("trafilatura", "readability", "justext", "boilerpy3", "resiliparse")
LANGUAGE_SOURCES = ("fundus-testdata", "readability-testpages", "newspaper4k-fixtures", "seeds")
# A language row counts toward the target only with this many pages (the issue's own figure).
MIN_LANGUAGE_PAGES = 5

Extract = Callable[[Example], str]


def tool_row(extract: Extract, examples: list[Example]) -> tuple[dict, list[float]]:
    """Token and shingle scores of one tool over the examples, its pages/s, and per-page token F1."""
    texts, rate = timed_texts(extract, examples)
    token_scores = [token_score(text, ex.gold) for text, ex in zip(texts, examples)]
    tok = mean_score(token_scores)
    shi = shingle_score([shingle_counts(text, ex.gold) for text, ex in zip(texts, examples)])
    row = {"pages": len(examples), "precision": round(tok.precision, 4), "recall": round(tok.recall, 4),
           "f1": round(tok.f1, 4), "shingle_precision": round(shi.precision, 4),
           "shingle_recall": round(shi.recall, 4), "shingle_f1": round(shi.f1, 4),
           "pages_per_s": round(rate, 1) if examples else None}
    return row, [s.f1 for s in token_scores]


def print_rows(title: str, rows: dict[str, dict]) -> None:
    print(f"\n### {title}\n")
    print("| tool | token P | token R | token F1 | shingle P | shingle R | shingle F1 | pages/s |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in rows.items():
        print(f"| {name} | {r['precision']:.3f} | {r['recall']:.3f} | **{r['f1']:.3f}** | {r['shingle_precision']:.3f} "
              f"| {r['shingle_recall']:.3f} | {r['shingle_f1']:.3f} | {r['pages_per_s']} |", flush=True)


def best_anchor_cells(rows: dict[str, dict], key: str) -> tuple[str, str]:
    """The summary's "best anchor" and "margin" cells for one score (dashes when no anchor ran,
    as with --anchors keep-all)."""
    present = [(rows[a][key], a) for a in REAL_ANCHORS if a in rows]
    if not present:
        return "—", "—"
    score, name = max(present)
    return f"{name} {score:.3f}", f"{rows['cleaner'][key] - score:+.3f}"


def html_section(folders: list[Path], cleaner: Cleaner, anchors: list[str], limit: int | None) -> dict:
    tools: dict[str, Extract] = {"cleaner": lambda ex: cleaner.clean(ex.page, "html")}
    for name in anchors:
        tools[name] = lambda ex, extract=anchor(name): extract(ex.page)
    results = {}
    for folder in folders:
        examples = read_source(str(folder), min_gold_recall=0.0)[:limit]
        rows = {name: tool_row(extract, examples)[0] for name, extract in tools.items()}
        print_rows(f"{folder.name} as HTML ({len(examples)} pages)", rows)
        results[folder.name] = rows
    print("\n### Summary: unseen HTML sites\n")
    print("| dataset | pages | cleaner token F1 | best anchor (token F1) | margin | cleaner shingle F1 "
          "| best anchor (shingle F1) | margin |")
    print("|---|---|---|---|---|---|---|---|")
    for name, rows in results.items():
        c = rows["cleaner"]
        token_best, token_margin = best_anchor_cells(rows, "f1")
        shingle_best, shingle_margin = best_anchor_cells(rows, "shingle_f1")
        print(f"| {name} | {c['pages']} | **{c['f1']:.3f}** | {token_best} | {token_margin} | "
              f"**{c['shingle_f1']:.3f}** | {shingle_best} | {shingle_margin} |")
    return results


def text_section(folders: list[Path], cleaner: Cleaner, limit: int | None, html_rows: dict) -> dict:
    keep_all = anchor("keep-all")
    results = {}
    print("\n### Summary: plain-text scrapes of the same pages\n")
    print("| dataset | pages | cleaner on HTML | uniform text | difference | scraped text | difference "
          "| lines text (unseen layout) | difference | keep-all on lines |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for folder in folders:
        examples = read_source(str(folder), min_gold_recall=0.0)[:limit]
        html = html_rows.get(folder.name, {}).get("cleaner") or tool_row(
            lambda ex: cleaner.clean(ex.page, "html"), examples)[0]
        rows = {"html": html}
        for layout in TEXT_LAYOUTS:
            texts = [as_text_example(ex, layout) for ex in examples]
            rows[layout] = tool_row(lambda ex: cleaner.clean(ex.page, "text"), texts)[0]
        rows["keep-all lines"] = tool_row(lambda ex: keep_all(ex.page), texts)[0]
        results[folder.name] = rows
        h = html["f1"]
        cells = " | ".join(f"{rows[layout]['f1']:.3f} | {rows[layout]['f1'] - h:+.3f}" for layout in TEXT_LAYOUTS)
        print(f"| {folder.name} | {len(examples)} | {h:.3f} | {cells} | {rows['keep-all lines']['f1']:.3f} |",
              flush=True)
    return results


def out_of_fold_predictions(estimator_name: str) -> tuple[list, list[np.ndarray], dict[str, float]]:
    """The training pages with site-grouped out-of-fold p(content) and the CV thresholds: from the
    cache training.train leaves in .cache/ when its inputs match, else computed here (slow)."""
    from training.learn import candidates, out_of_fold, thresholds_by_format
    from training.train import DEFAULT_FIXTURE_WEIGHT, cached_out_of_fold, default_training_pages, page_weights

    pages = default_training_pages()
    proba = cached_out_of_fold(estimator_name, pages)
    if proba is not None:
        print(f"out-of-fold predictions from {CACHE_DIR}", file=sys.stderr)
    else:
        print(f"computing site-grouped out-of-fold predictions ({estimator_name}); this refits the model "
              "5 times", file=sys.stderr)
        proba = out_of_fold(candidates()[estimator_name], pages, [p.example.site for p in pages], 5,
                            page_weights(pages, DEFAULT_FIXTURE_WEIGHT))
    return pages, proba, thresholds_by_format(pages, proba)  # as training.train chooses them


# Synthetic unit-test pages are placeholder text, not a language: they get a row of their own,
# which does not count toward the language target (see training.data.synthetic_ids).
SYNTHETIC_ROW = "synthetic test pages"


def language_row(example: Example, synthetic: frozenset[str]) -> str:
    """The row of the languages table an example is scored in."""
    return SYNTHETIC_ROW if example.id in synthetic else example.lang or "unknown"


def language_summary(scored: list[tuple[str, Score]], english_f1: float) -> dict:
    """One row of the languages table from its pages' (id, score): the mean scores, the gap to
    English, and the worst page with its F1, so a reader sees whether a row is low throughout or
    held down by one odd page (a section front, a children's story)."""
    m = mean_score([score for _id, score in scored])
    worst_id, worst = min(scored, key=lambda pair: pair[1].f1)
    return {"pages": len(scored), "precision": round(m.precision, 4), "recall": round(m.recall, 4),
            "f1": round(m.f1, 4), "minus_english": round(m.f1 - english_f1, 4),
            "worst_page": worst_id, "worst_f1": round(worst.f1, 4)}


def languages_section(estimator_name: str) -> dict:
    from training.learn import page_score

    pages, proba, thresholds = out_of_fold_predictions(estimator_name)
    synthetic = {source: synthetic_ids(DATASETS / source) for source in LANGUAGE_SOURCES}
    by_language: dict[str, list[tuple[str, Score]]] = {}
    for page, p in zip(pages, proba):
        if page.example.source not in LANGUAGE_SOURCES:  # HTML pages and fixtures only, no renderings
            continue
        by_language.setdefault(language_row(page.example, synthetic[page.example.source]), []).append(
            (f"{page.example.source}/{page.example.id}", page_score(page, p, thresholds[page.page.input_format])))
    english = mean_score([score for _id, score in by_language.get("en", [])]).f1
    print(f"\n### Languages (site-grouped out-of-fold, {estimator_name}, thresholds {thresholds})\n")
    print("| language | pages | token P | token R | token F1 | minus English | worst page (F1) |")
    print("|---|---|---|---|---|---|---|")
    results = {}
    for lang, scored in sorted(by_language.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        row = results[lang] = language_summary(scored, english)
        mark = "" if len(scored) >= MIN_LANGUAGE_PAGES or lang == SYNTHETIC_ROW else " (under 5 pages)"
        print(f"| {lang}{mark} | {row['pages']} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} "
              f"| {row['minus_english']:+.3f} | {row['worst_page']} ({row['worst_f1']:.2f}) |")
    return results


def lodo_section(estimator_name: str) -> dict:
    from training.evaluate import leave_one_dataset_out
    from training.train import DEFAULT_FIXTURE_WEIGHT, default_sources

    return leave_one_dataset_out(default_sources(), estimator_name, DEFAULT_FIXTURE_WEIGHT, render=True)


def evaluation_folders(data: Path, names: list[str] | None) -> list[Path]:
    chosen = names or sorted(EVALUATION_ONLY)
    return [data / n for n in chosen if (data / n / "manifest.jsonl").is_file()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m training.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATASETS, help=f"datasets folder (default {DATASETS})")
    parser.add_argument("--datasets", nargs="*", help="dataset names for html/text "
                        "(default: the evaluation-only ones found under --data)")
    parser.add_argument("--sections", default=",".join(DEFAULT_SECTIONS),
                        help=f"comma-separated, from {', '.join(SECTIONS)} (default {','.join(DEFAULT_SECTIONS)})")
    parser.add_argument("--anchors", default=",".join(DEFAULT_ANCHORS),
                        help=f"comma-separated, from {', '.join(ANCHORS)} (default: all but trafilatura-fast)")
    parser.add_argument("--model", help="model file (default: the packaged model)")
    parser.add_argument("--limit", type=int, help="only the first N pages of each dataset")
    parser.add_argument("--json", type=Path, help="also write every figure here as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        print(f"error: unknown section {', '.join(unknown)}; choose from {', '.join(SECTIONS)}", file=sys.stderr)
        return 2
    anchors = [a.strip() for a in args.anchors.split(",") if a.strip()]
    try:
        for name in anchors:
            anchor(name)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    folders = evaluation_folders(args.data, args.datasets)
    if {"html", "text"} & set(sections) and not folders:
        print(f"error: no evaluation datasets under {args.data} (run sh ../shared/datasets/unpack.sh)",
              file=sys.stderr)
        return 2
    model = load_model(args.model)
    cleaner = Cleaner(model)
    estimator_name = model.sidecar.get("estimator", "hgb")
    results: dict = {"model": {"estimator": estimator_name, "threshold": model.threshold,
                               "text_threshold": model.text_threshold}}
    if "html" in sections:
        results["html"] = html_section(folders, cleaner, anchors, args.limit)
    if "text" in sections:
        results["text"] = text_section(folders, cleaner, args.limit, results.get("html", {}))
    if "languages" in sections:
        results["languages"] = languages_section(estimator_name)
    if "lodo" in sections:
        results["lodo"] = lodo_section(estimator_name)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
