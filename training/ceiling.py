"""How much of the gold text the segmenter's blocks hold at all: the recall no classifier can beat.

    python -m training.ceiling                                   # the training sources
    python -m training.ceiling ../shared/datasets/l3s-gn1 --list 20

For every HTML page with gold text: the share of its gold tokens (as a bag) found in the page's
blocks as segmented (hidden block-level elements included, as blocks marked hidden, since
segmenter version 3), and what it would be if the walk also read hidden inline elements (hidden,
aria-hidden, display:none, visibility:hidden on a span or a link) or the subtrees of form
controls (buttons, selects, ...). Pages far below 1.0 point at segmenter faults (a page
swallowed into an element that is skipped, text served where the walk does not look) or at gold
that keeps what a reader is not shown. Nothing here changes a model; it says where segmenter
work would pay.
"""
from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import mean

from cleaner.document import Block
from cleaner.segment import SKIP_TAGS, blocks_of, parse_html, segment_html
from cleaner.text import tokens
from training.data import Example, read_sources
from training.train import default_sources

# Skipped subtrees whose text a reader can still be shown: form controls, and <noscript> (what a
# reader without scripts sees). Scripts, styles, SVG and the like stay skipped in every variant.
_CONTROLS = frozenset({"button", "select", "option", "textarea", "noscript"})
LOW_CEILING = 0.8  # the datasets README's gold_recall cut-off, used here the same way


@dataclass(frozen=True, slots=True)
class Ceiling:
    key: str
    gold_tokens: int
    as_segmented: float
    hidden_read: float
    controls_read: float


def bag_of(blocks: Iterable[Block]) -> Counter:
    return Counter(token for block in blocks for token in block.tokens)


def held_share(found: Counter, gold: Counter) -> float:
    """Share of the gold token bag present in the ``found`` bag."""
    return sum((found & gold).values()) / max(sum(gold.values()), 1)


def page_ceiling(example: Example) -> Ceiling | None:
    if example.input_format == "text":
        return None
    gold = Counter(tokens(example.gold))
    root = parse_html(example.page) if gold else None
    if root is None:
        return None
    segmented = bag_of(segment_html(example.page).blocks)
    # A variant walk adds to what segment_html found (its rescues and revealed segments included):
    # each token counts as often as the richer of the two has it.
    return Ceiling(example.key, sum(gold.values()), held_share(segmented, gold),
                   held_share(segmented | bag_of(blocks_of(root, honour_hidden=False)), gold),
                   held_share(segmented | bag_of(blocks_of(root, skip=SKIP_TAGS - _CONTROLS)), gold))


def report(ceilings: list[Ceiling], listed: int) -> str:
    lines = ["| source | pages | mean ceiling | pages below 0.8 | with hidden read | with controls read |",
             "|---|---|---|---|---|---|"]
    by_source: dict[str, list[Ceiling]] = {}
    for c in ceilings:
        by_source.setdefault(c.key.split("/")[0], []).append(c)
    for source, rows in sorted(by_source.items()):
        lines.append(f"| {source} | {len(rows)} | {mean(c.as_segmented for c in rows):.4f} | "
                     f"{sum(c.as_segmented < LOW_CEILING for c in rows)} | "
                     f"{mean(c.hidden_read for c in rows):.4f} ({sum(c.hidden_read < LOW_CEILING for c in rows)} below) | "
                     f"{mean(c.controls_read for c in rows):.4f} ({sum(c.controls_read < LOW_CEILING for c in rows)} below) |")
    lowest = sorted(ceilings, key=lambda c: c.as_segmented)[:listed]
    if lowest:
        lines += ["", "| page | gold tokens | as segmented | hidden read | controls read |", "|---|---|---|---|---|"]
        lines += [f"| {c.key} | {c.gold_tokens} | {c.as_segmented:.2f} | {c.hidden_read:.2f} | {c.controls_read:.2f} |"
                  for c in lowest]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.ceiling", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="*", help="dataset or fixture folders (default: the training sources)")
    parser.add_argument("--list", type=int, default=10, metavar="N", help="also list the N lowest pages (default 10)")
    args = parser.parse_args(argv)
    examples = read_sources(args.sources or default_sources())
    ceilings = [c for c in map(page_ceiling, examples) if c is not None]
    print(report(ceilings, args.list))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
