"""Show how the model reads a fixture, block by block, and where it disagrees with expected.txt.

    python -m training.inspect fixtures/vnexpress/0123456789abcdef
    python -m training.inspect FIXTURE --all        # every block, not only the disagreements
    python -m training.inspect FIXTURE --html review.html   # click-to-flip review page (training.review)

Each row: block number, the classifier's p(content), the final label after the context rules,
the share of the block's words found (in order) in expected.txt, and the block's text. A row is
flagged '!!' when the label and expected.txt disagree: either the model is wrong there (this
page is worth training on) or expected.txt needs fixing.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cleaner.api import Cleaner
from cleaner.model import ModelError
from training.data import read_fixture
from training.labels import CONTENT_FRACTION, aligned_fraction
from training.metrics import token_score
from training.review import write_review

TEXT_WIDTH = 90


def inspect_rows(folder: Path, cleaner: Cleaner) -> tuple[list[dict], float]:
    """One row per block, and the token F1 of the model's text against expected.txt."""
    example = read_fixture(folder)
    prepared = cleaner.prepare(example.page, example.input_format)
    result = cleaner.finish([prepared])[0]
    gold = aligned_fraction(prepared.page, example.gold)
    rows = [{"index": i, "p": b.probability, "content": b.is_content, "gold": float(g),
             "disagree": b.is_content != bool(g >= CONTENT_FRACTION), "tag": b.tag, "text": b.text}
            for i, (b, g) in enumerate(zip(result.blocks, gold))]
    return rows, token_score(result.text, example.gold).f1


def format_rows(rows: list[dict], show_all: bool) -> str:
    lines = ["   #     p  label    gold  text"]
    for r in rows:
        if not (show_all or r["disagree"]):
            continue
        text = r["text"] if len(r["text"]) <= TEXT_WIDTH else r["text"][:TEXT_WIDTH - 1] + "…"
        flag = "!!" if r["disagree"] else "  "
        label = "content" if r["content"] else "noise  "
        lines.append(f"{flag}{r['index']:>3} {r['p']:5.2f}  {label} {r['gold']:5.0%}  {text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.inspect", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("fixture", type=Path, help="a fixture folder (page.*, expected.txt, meta.json)")
    parser.add_argument("--all", action="store_true", help="show every block, not only disagreements")
    parser.add_argument("--model", help="model to inspect with (default: the packaged one)")
    parser.add_argument("--html", type=Path, metavar="FILE",
                        help="also write a review page: blocks coloured by label, click to flip, save expected.txt")
    args = parser.parse_args(argv)
    try:
        rows, f1 = inspect_rows(args.fixture, Cleaner(args.model))
    except (OSError, ValueError, ModelError) as exc:
        print(f"inspect: {exc}", file=sys.stderr)
        return 1
    if args.html:
        write_review(rows, args.fixture.name, args.html)
        print(f"review page: {args.html.resolve().as_uri()}", file=sys.stderr)
    disagreements = sum(r["disagree"] for r in rows)
    print(format_rows(rows, args.all))
    print(f"\n{len(rows)} blocks, {disagreements} disagreements with expected.txt; token F1 of the "
          f"model's text against expected.txt: {f1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
