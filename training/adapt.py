"""Site adaptation, measured: how F1 on a site grows with k labelled pages of that site.

    python -m training.adapt fixtures/seeds                 # k = 0, 1, 2, 3; 3 draws of k pages each
    python -m training.adapt my-site-fixtures --k 0 1 3 --draws 5

For each k, k pages of the site are drawn (seeded), a model is trained on the default training
sources (the redistributable datasets, with their plain-text renderings, as the shipped model)
plus those k pages weighted like fixtures, and the site's *other* pages are scored (token F1 of
the cleaned text). k = 0 is the site never seen. The threshold is the packaged model's, chosen
by grouped CV on the training sources; nothing is tuned on the site.
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from itertools import combinations
from statistics import mean

import numpy as np

from cleaner.model import load_model
from cleaner.postprocess import assemble, revise
from cleaner.text import tokens
from training.corpus import label_pages
from training.data import read_source, read_sources
from training.learn import candidates, fit, predict_pages
from training.metrics import bag_score
from training.train import (CACHE_DIR, DATASETS, DEFAULT_FIXTURE_WEIGHT, REDISTRIBUTABLE_DATASETS, page_weights,
                            with_text_renderings)


def draws_of(n: int, k: int, draws: int, seed: int = 0) -> list[tuple[int, ...]]:
    """Up to ``draws`` distinct k-subsets of range(n), reproducibly."""
    if k == 0:
        return [()]
    every = list(combinations(range(n), k))
    random.Random(seed).shuffle(every)
    return sorted(every[:draws])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.adapt", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", help="fixture folder with the site's labelled pages (at least k + 1)")
    parser.add_argument("--k", type=int, nargs="+", default=[0, 1, 2, 3])
    parser.add_argument("--draws", type=int, default=3, help="subsets of k pages per k (default 3)")
    parser.add_argument("--estimator", choices=list(candidates()), default="hgb")
    parser.add_argument("--fixture-weight", type=float, default=DEFAULT_FIXTURE_WEIGHT)
    parser.add_argument("--threshold", type=float, help="default: the packaged model's")
    parser.add_argument("--jobs", type=int, default=-1)
    args = parser.parse_args(argv)
    site = read_source(args.site)
    base_sources = [str(DATASETS / n) for n in REDISTRIBUTABLE_DATASETS if (DATASETS / n).is_dir()]
    base = with_text_renderings(read_sources(base_sources))
    pages = label_pages(base + site, n_jobs=args.jobs, cache_dir=CACHE_DIR)
    base_pages, site_pages = pages[:len(base)], pages[len(base):]
    threshold = args.threshold if args.threshold is not None else load_model().threshold
    estimator = candidates()[args.estimator]
    print(f"{len(site)} pages of {args.site}; base: {len(base)} pages; {args.estimator}, threshold {threshold}\n")
    print("| k labelled pages | draws | held-out pages scored | mean F1 | worst draw's mean F1 |\n|---|---|---|---|---|",
          flush=True)
    for k in args.k:
        if k >= len(site):
            print(f"| {k} | - | - | needs more than {k} pages | - |")
            continue
        per_draw = []
        scored = 0
        for chosen in draws_of(len(site), k, args.draws):
            train = base_pages + [site_pages[i] for i in chosen]
            model = fit(estimator, train, page_weights(train, args.fixture_weight))
            held = [site_pages[i] for i in range(len(site)) if i not in chosen]
            f1s = []
            for page, proba in zip(held, predict_pages(model, held)):
                text = assemble(page.page, revise(page.page, proba, threshold))
                f1s.append(bag_score(Counter(tokens(text)), page.gold_bag).f1)  # slim pages keep the gold as a bag
            per_draw.append(float(np.mean(f1s)))
            scored += len(held)
        print(f"| {k} | {len(per_draw)} | {scored} | {mean(per_draw):.3f} | {min(per_draw):.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
