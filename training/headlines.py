"""How often a plain-text scrape's headline is found: the measure the text headline finder was chosen by.

    python -m training.headlines                                # the training sources
    python -m training.headlines ../shared/datasets/fundus-testdata --list 10

A plain-text scrape has no <title>, so cleaner reads its headline off the layout
(``cleaner.headline.find_headline``). For every HTML page whose headline (the block matching its
title hints) is part of its gold text, the page is rendered as a plain-text scrape in its
training layout (``training.render``), and a finder scores when it picks a line with the
headline's tokens. Reported beside ``first_early_headline``, the finder until the fifteenth
session, which looks at a page's first six lines only (it is still the fallback for a page with
no body of prose). The finder's settings were chosen on the training sources.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass

from joblib import Parallel, delayed

from cleaner.headline import first_early_headline
from cleaner.segment import segment
from training.data import Example, read_sources
from training.labels import CONTENT_FRACTION, aligned_fraction
from training.render import as_text_example, training_layout
from training.train import default_sources


@dataclass(frozen=True, slots=True)
class HeadlineCase:
    key: str
    source: str
    found: bool  # cleaner's finder picks a line with the headline's tokens
    previous: bool  # first_early_headline does
    headline: str
    picked: str  # the line cleaner's finder picked ("" for none)


def headline_case(example: Example) -> HeadlineCase | None:
    """The case of one HTML page, or None when it has no headline in its gold, or its plain-text
    rendering has no line with the headline's tokens."""
    if example.input_format == "text" or example.fixture or not example.gold.strip():
        return None
    page = segment(example.page, "html")
    head = page.headline
    if head is None or aligned_fraction(page, example.gold)[head] < CONTENT_FRACTION:
        return None
    text = segment(as_text_example(example, training_layout(example)).page, "text")
    wanted = page.blocks[head].token_set
    lines = {i for i, block in enumerate(text.blocks) if block.token_set == wanted}
    if not lines:
        return None
    previous = first_early_headline([b.token_set for b in text.blocks])
    picked = text.blocks[text.headline].text if text.headline is not None else ""
    return HeadlineCase(example.key, example.source, text.headline in lines, previous in lines,
                        page.blocks[head].text, picked)


def report(cases: list[HeadlineCase], listed: int) -> str:
    lines = ["| source | pages | found | first early line |", "|---|---|---|---|"]
    by_source: dict[str, list[HeadlineCase]] = {}
    for case in cases:
        by_source.setdefault(case.source, []).append(case)
    for source, rows in [*sorted(by_source.items()), ("all", cases)]:
        lines.append(f"| {source} | {len(rows)} | {sum(c.found for c in rows)} | {sum(c.previous for c in rows)} |")
    missed = [c for c in cases if not c.found][:listed]
    if missed:
        lines += ["", "| page | headline | line picked |", "|---|---|---|"]
        lines += [f"| {c.key} | {c.headline[:60]} | {c.picked[:60]} |" for c in missed]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.headlines", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="*", help="dataset folders (default: the training sources)")
    parser.add_argument("--list", type=int, default=0, metavar="N", help="also list the first N pages missed")
    parser.add_argument("--jobs", type=int, default=-1, help="processes (default: all cores)")
    args = parser.parse_args(argv)
    try:
        examples = read_sources(args.sources or default_sources())
    except (OSError, ValueError) as exc:
        parser.error(str(exc))
    found = Parallel(n_jobs=args.jobs, batch_size=16)(delayed(headline_case)(ex) for ex in examples)
    print(report([c for c in found if c is not None], args.list))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
