"""Check every compiled part against its Python twin on every page of the datasets.

    python -m training.twincheck                         # every dataset under ../shared/datasets
    python -m training.twincheck --datasets l3s-gn1 dragnet

For each HTML page (cleaner.compiled lists the parts and their twins):
- **walk**: the page is parsed once and walked by both (``cleaner._walk.blocks_of`` and
  ``cleaner.segment.python_blocks_of``) in each of the three ways ``segment_html`` may walk it
  (the usual walk, <noscript> kept, everything shown); every field of every block is compared.
- **tokens**: every block's derived fields (tokens, token set, words, chars) from
  ``cleaner._text.derived_fields`` and ``cleaner.document.python_derived_fields``, for the
  blocks of the HTML page and of its plain-text rendering.
- **facts**: ``cleaner._features.block_facts`` and ``cleaner.features.python_block_facts``, every
  array, for the page as HTML and as plain text.
- **lexical**: ``cleaner._features.lexical_stats`` and ``cleaner.lexicon.python_lexical_stats``
  with the packaged model's lexicon, for the page as HTML and as plain text.

Exit status 1 when anything differs; 2 when a compiled part is not built.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

from cleaner import features
from cleaner import segment as segmentation
from cleaner.api import as_text
from cleaner.compiled import COMPILED_MODULES, compiled_module
from cleaner.document import Block, Page, python_derived_fields
from cleaner.lexicon import python_lexical_stats
from cleaner.model import load_model
from training.render import render_text

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


def differing_tokens(page: Page) -> list[str]:
    """Texts of the blocks whose compiled derived fields differ from the Python ones."""
    compiled = compiled_module("_text")
    return [b.text for b in page.blocks if compiled.derived_fields(b.text) != python_derived_fields(b.text)]


def differing_facts(page: Page) -> list[str]:
    """Names of the BlockFacts arrays in which the two implementations disagree on this page."""
    if not page.blocks:
        return []
    compiled, python = features._compiled_facts.block_facts(page), features.python_block_facts(page)
    return [name for name in features.BlockFacts._fields
            if not np.array_equal(getattr(compiled, name), getattr(python, name))
            or getattr(compiled, name).dtype != getattr(python, name).dtype]


def lexical_stats_differ(page: Page, weights: dict[str, float]) -> bool:
    """Whether the compiled lexical stats of the page's blocks differ from the Python ones."""
    compiled = compiled_module("_features").lexical_stats(page.blocks, weights)
    return not np.array_equal(compiled, python_lexical_stats(page.blocks, weights))


def differences(html: str, weights: dict[str, float]) -> list[str]:
    """Every disagreement between a compiled part and its twin on one HTML page (``weights``: the
    lexicon the lexical stats are read with)."""
    found = [f"walk: {name}" for name in differing_walks(html)]
    for fmt, page in (("html", segmentation.segment(html, "html")),
                      ("text", segmentation.segment(render_text(html), "text"))):
        found += [f"tokens ({fmt}): {text[:60]!r}" for text in differing_tokens(page)]
        found += [f"facts ({fmt}): {name}" for name in differing_facts(page)]
        found += [f"lexical stats ({fmt})"] if lexical_stats_differ(page, weights) else []
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.twincheck", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="datasets folder (default %(default)s)")
    parser.add_argument("--datasets", nargs="*", help="dataset names (default: every one with a pages/ folder)")
    args = parser.parse_args(argv)
    missing = [name for name in COMPILED_MODULES if compiled_module(name) is None]
    if missing:
        print(f"error: {', '.join(missing)} not built (pip install -e . builds them) or CLEANER_PURE_PYTHON is set",
              file=sys.stderr)
        return 2
    folders = [args.data / name for name in args.datasets] if args.datasets else sorted(
        p for p in args.data.iterdir() if (p / "pages").is_dir())
    lexicon = load_model().lexicon
    weights = dict(lexicon.weights) if lexicon is not None else {}
    pages = 0
    failures: list[str] = []
    for folder in folders:
        for path in sorted((folder / "pages").iterdir()):
            pages += 1
            failures += [f"{folder.name}/{path.name}: {d}" for d in differences(as_text(path.read_bytes()), weights)]
        print(f"{folder.name}: checked", flush=True)
    print(f"{pages} pages: {pages * len(WALKS)} walks, tokens, facts and lexical stats of each page as HTML and "
          f"as plain text ({len(weights)} lexicon tokens); "
          f"{len(failures)} differences")
    for failure in failures[:20]:
        print("  ", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
