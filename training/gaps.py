"""Where cleaner loses to another extractor, page by page: the gap by gold length, and the worst pages.

    pip install '.[bench]'
    python -m training.gaps ../shared/datasets/dragnet                      # against readability
    python -m training.gaps ../shared/datasets/l3s-gn1 --anchor trafilatura --list 20

For every HTML page of the folder: cleaner's token F1 (the packaged model unless --model) and the
other tool's. The table groups the pages by the length of their gold text and gives each group's
share of the dataset's mean difference, so a gap in the bench's summary can be traced to one
kind of page; the list gives the pages where cleaner trails the most, with precision and recall
(low recall with low precision: cleaner kept the wrong part of the page). Diagnosis only: nothing
here is tuned on what it prints.
"""
from __future__ import annotations

import argparse
import sys
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from cleaner.api import Cleaner
from training.anchors import ANCHORS, anchor
from training.data import read_source
from training.evaluate import timed_texts
from training.metrics import Score, mean_score, token_score

# Gold lengths in words, upper bounds of each group. A short post (a title and a few lines under
# a long sidebar or comment thread) reads very differently to a classifier than a feature story.
GOLD_LENGTH_BOUNDS = (50, 100, 200, 400)


@dataclass(frozen=True, slots=True)
class PageGap:
    key: str
    gold_words: int
    cleaner: Score
    other: Score

    @property
    def difference(self) -> float:
        return self.cleaner.f1 - self.other.f1


def group_labels(bounds: tuple[int, ...] = GOLD_LENGTH_BOUNDS) -> list[str]:
    """The gold-length groups in length order: "< 50", ..., ">= 400"."""
    return [*(f"< {b}" for b in bounds), f">= {bounds[-1]}"]


def gold_length_group(words: int, bounds: tuple[int, ...] = GOLD_LENGTH_BOUNDS) -> str:
    """The group a page with this many gold words falls in."""
    return group_labels(bounds)[bisect_right(bounds, words)]


def gap_table(gaps: list[PageGap], bounds: tuple[int, ...] = GOLD_LENGTH_BOUNDS) -> list[dict]:
    """One row per gold-length group, in length order: pages, both mean F1s, and the group's
    contribution to the dataset's mean difference (the rows' contributions sum to it)."""
    by_group: dict[str, list[PageGap]] = {}
    for gap in gaps:
        by_group.setdefault(gold_length_group(gap.gold_words, bounds), []).append(gap)
    rows = []
    for group in group_labels(bounds):
        members = by_group.get(group)
        if not members:
            continue
        rows.append({"gold words": group, "pages": len(members),
                     "cleaner": mean_score([g.cleaner for g in members]).f1,
                     "other": mean_score([g.other for g in members]).f1,
                     "contribution": sum(g.difference for g in members) / len(gaps)})
    return rows


def page_gaps(folder: Path, other_name: str, model: str | None = None) -> list[PageGap]:
    # Every page, as the bench reads them (no gold-recall cut), so the means match its table.
    examples = [ex for ex in read_source(folder, min_gold_recall=0.0) if ex.input_format != "text"]
    cleaner = Cleaner(model)
    ours, _ = timed_texts(lambda ex: cleaner.clean(ex.page, "html"), examples)
    extract = anchor(other_name)
    # Once up front, so a tool that is not installed is one clear error, not a zero on every page
    # (timed_texts scores a page the tool fails on as empty, which is right for a crash).
    extract("<html><body><p>A paragraph.</p></body></html>")
    theirs, _ = timed_texts(lambda ex: extract(ex.page), examples)
    return [PageGap(ex.key, len(ex.gold.split()), token_score(a, ex.gold), token_score(b, ex.gold))
            for ex, a, b in zip(examples, ours, theirs)]


def format_report(gaps: list[PageGap], other_name: str, listed: int) -> str:
    mean_ours = mean_score([g.cleaner for g in gaps]).f1  # as the bench averages pages
    mean_theirs = mean_score([g.other for g in gaps]).f1
    lines = [f"{len(gaps)} pages: cleaner {mean_ours:.3f}, {other_name} {mean_theirs:.3f}, "
             f"difference {mean_ours - mean_theirs:+.4f}", "",
             f"| gold words | pages | cleaner F1 | {other_name} F1 | share of the difference |",
             "|---|---|---|---|---|"]
    for row in gap_table(gaps):
        lines.append(f"| {row['gold words']} | {row['pages']} | {row['cleaner']:.3f} | {row['other']:.3f} "
                     f"| {row['contribution']:+.4f} |")
    if listed:
        lines += ["", f"Pages where cleaner trails {other_name} the most:", "",
                  f"| page | gold words | cleaner P / R / F1 | {other_name} P / R / F1 |", "|---|---|---|---|"]
        for g in sorted(gaps, key=lambda g: g.difference)[:listed]:
            lines.append(f"| {g.key} | {g.gold_words} | {g.cleaner.precision:.2f} / {g.cleaner.recall:.2f} / "
                         f"{g.cleaner.f1:.2f} | {g.other.precision:.2f} / {g.other.recall:.2f} / {g.other.f1:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.gaps", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="a dataset folder (manifest.jsonl, pages/, gold/) or fixtures")
    parser.add_argument("--anchor", default="readability", choices=sorted(ANCHORS),
                        help="the extractor to compare with (default readability)")
    parser.add_argument("--model", help="model file (default: the packaged model)")
    parser.add_argument("--list", type=int, default=15, metavar="N", help="list the N pages cleaner trails most (default 15)")
    args = parser.parse_args(argv)
    try:
        gaps = page_gaps(args.folder, args.anchor, args.model)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:
        print(f"error: {args.anchor} is not installed ({exc}); pip install '.[bench]'", file=sys.stderr)
        return 2
    if not gaps:
        print(f"error: no HTML pages in {args.folder}", file=sys.stderr)
        return 2
    print(format_report(gaps, args.anchor, args.list))
    return 0


if __name__ == "__main__":
    sys.exit(main())
