"""Measure site memory: token F1 with and without it, on every site with enough pages.

    python -m training.site_memory ../shared/datasets/{l3s-gn1,dragnet,cleaneval,cleanportaleval}
    python -m training.site_memory fixtures/seeds --model /tmp/no-seeds.joblib   # a site never trained on
    python -m training.site_memory ../shared/datasets/l3s-gn1 --as-text scraped   # the pages as text scrapes

For each site (host, or a fixture's "site") with at least --min-pages pages, every page is
segmented, the site's memory is built from all of them (the first pass of a batch run), and
each page is scored with the classifier alone and with the memory's furniture removed.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from statistics import mean

from cleaner.api import Cleaner
from cleaner.memory import MemoryParams, SiteMemory
from training.data import Example, read_sources
from training.metrics import token_score
from training.render import seen_as_text


def sites_of(examples: list[Example], min_pages: int) -> dict[str, list[Example]]:
    by_site: dict[str, list[Example]] = defaultdict(list)
    for ex in examples:
        if ex.site != "unknown":
            by_site[f"{ex.source}/{ex.site}"].append(ex)
    return {site: exs for site, exs in sorted(by_site.items()) if len(exs) >= min_pages}


def score_site(cleaner: Cleaner, examples: list[Example], params: MemoryParams) -> list[tuple[float, float]]:
    """(F1 without, F1 with memory) for each page of one site."""
    prepared = [cleaner.prepare(ex.page, ex.input_format) for ex in examples]
    memory = SiteMemory(params)
    for p in prepared:
        memory.observe("site", memory.fingerprints(p.page))
    plain = cleaner.finish(prepared)
    remembered = cleaner.finish(prepared, [memory.furniture("site", p.page) for p in prepared])
    return [(token_score(a.text, ex.gold).f1, token_score(b.text, ex.gold).f1)
            for ex, a, b in zip(examples, plain, remembered)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.site_memory", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="+", help="dataset or fixture folders")
    parser.add_argument("--model", help="model file (default: the packaged one)")
    parser.add_argument("--min-pages", type=int, default=5, help="sites with fewer pages are skipped (default 5)")
    parser.add_argument("--sites", action="store_true", help="also print one row per site")
    parser.add_argument("--as-text", choices=["uniform", "scraped", "lines"], help="see HTML pages as plain-text "
                        "scrapes in this layout (training.render, as in training.bench's text section)")
    args = parser.parse_args(argv)
    cleaner = Cleaner(args.model)
    sites = sites_of([seen_as_text(ex, args.as_text) for ex in read_sources(args.sources)], args.min_pages)
    rows: dict[str, list[tuple[float, float]]] = defaultdict(list)
    print("| source / site | sites | pages | F1 without | F1 with memory | change | pages better / worse |")
    print("|---|---|---|---|---|---|---|")
    for site, examples in sites.items():
        scores = score_site(cleaner, examples, MemoryParams())
        rows[site.split("/")[0]].extend(scores)
        if args.sites:
            print(_row(site, 1, scores))
    for source, scores in rows.items():
        n_sites = sum(1 for s in sites if s.split("/")[0] == source)
        print(_row(f"**{source}**", n_sites, scores))
    every = [s for scores in rows.values() for s in scores]
    if every:
        print(_row("**all**", len(sites), every))
    return 0


def _row(name: str, n_sites: int, scores: list[tuple[float, float]]) -> str:
    without, with_ = mean(a for a, _ in scores), mean(b for _, b in scores)
    better = sum(b > a + 1e-9 for a, b in scores)
    worse = sum(b < a - 1e-9 for a, b in scores)
    return (f"| {name} | {n_sites} | {len(scores)} | {without:.3f} | {with_:.3f} | {with_ - without:+.3f} | "
            f"{better} / {worse} |")


if __name__ == "__main__":
    sys.exit(main())
