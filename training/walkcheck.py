"""Check the compiled tree walk against the Python walk on every page of the datasets.

    python -m training.walkcheck                         # every dataset under ../shared/datasets
    python -m training.walkcheck --datasets l3s-gn1 dragnet

Each HTML page is parsed once and walked by both (``cleaner._walk.blocks_of`` and
``cleaner.segment.python_blocks_of``) in each of the three ways ``segment_html`` may walk it
(the usual walk, <noscript> kept, everything shown), and every field of every block is compared,
tokens included. Exit status 1 when any walk differs; 2 when the compiled walk is not built.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from cleaner import segment as segmentation
from cleaner.api import as_text
from cleaner.document import Block

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
WALKS = {"usual": (segmentation.SKIP_TAGS, True), "noscript kept": (segmentation._NOSCRIPT_KEPT, True),
         "everything shown": (segmentation._CONTROLS_READ, False)}
# Every field, the derived ones (tokens, counts) too: a Block's == compares only some.
FIELDS = tuple(field.name for field in dataclasses.fields(Block))


def block_fields(blocks: list) -> list[tuple]:
    return [tuple(getattr(block, name) for name in FIELDS) for block in blocks]


def differing_walks(page: str) -> list[str]:
    """Names of the walks in which the two implementations disagree on this page."""
    root = segmentation.parse_html(page)
    if root is None:
        return []
    if "<template" in page and "S:" in page:
        segmentation.reveal_streamed_segments(root)
    return [name for name, (skip, honour_hidden) in WALKS.items()
            if block_fields(segmentation._compiled_walk.blocks_of(root, skip, honour_hidden))
            != block_fields(segmentation.python_blocks_of(root, skip, honour_hidden))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.walkcheck", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="datasets folder (default %(default)s)")
    parser.add_argument("--datasets", nargs="*", help="dataset names (default: every one with a pages/ folder)")
    args = parser.parse_args(argv)
    if segmentation._compiled_walk is None:
        print("error: cleaner._walk is not built (pip install -e . builds it) or CLEANER_PURE_PYTHON is set",
              file=sys.stderr)
        return 2
    folders = [args.data / name for name in args.datasets] if args.datasets else sorted(
        p for p in args.data.iterdir() if (p / "pages").is_dir())
    pages = walks = 0
    failures: list[str] = []
    for folder in folders:
        for path in sorted((folder / "pages").iterdir()):
            pages += 1
            walks += len(WALKS)
            failures += [f"{folder.name}/{path.name}: {name}" for name in differing_walks(as_text(path.read_bytes()))]
        print(f"{folder.name}: checked", flush=True)
    print(f"{pages} pages, {walks} walks, {len(failures)} different")
    for failure in failures[:20]:
        print("  ", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
