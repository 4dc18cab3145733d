"""Adapt a model to one site from a few labelled pages, in seconds, and measure how well it works.

    python -m training.adapt fixtures/my-site --out my-site.joblib    # write an adapted model
    cleaner --model my-site.joblib page.html

    python -m training.adapt --curve                       # the adaptation curve on every site
                                                            # with >= 5 labelled pages
    python -m training.adapt --curve --method retrain --sites "union-news-hanoi (seeds)"
    python -m training.adapt --tune                        # how the adapter's settings were chosen

Two methods:
  adapter  (default) keeps the base model and fits a small gradient-boosting correction on the
           site's pages only: the base model's log-odds are the starting point (its predictions,
           frozen) and up to ADAPTER_TREES shallow trees learn what this site does differently.
           The trees also read the site's template memory (cleaner.template): how much of the
           text at the block's place in the DOM, and of the block's exact line, was content on
           the site's other labelled pages.
           The context rules (cleaner.postprocess) are general guesses about pages; an adapted
           model goes without each rule whose absence raises the mean token F1 of the site's own
           labelled pages by more than SITE_RULE_MARGIN (a forum whose replies are content loses
           the comment-thread rule); its sidecar lists them under rules_off (--all-rules keeps
           them all).
           It takes seconds and needs no training data but the site's own pages. With --check
           (two or more pages) it is checked page by page (fit_checked_adapter) and dropped if it
           hurts; off by default, as on the tuning sites the check cost more than it saved.
  retrain  refits the whole model on the training sources plus the site's pages, weighted like
           fixtures (about 4 minutes per fit on two cores).

The curve: for every site with at least 5 labelled pages in one training source (the seeds and
hosts of the redistributable datasets), the base model is trained *without* any of those sites,
then each of three seeded draws orders three of its pages: k = 0..3 label the first k, and
every k is scored on the same held-out pages, the site's others (token F1).
The thresholds are the packaged model's (one per input format); nothing is tuned on the sites.

    python -m training.adapt --curve --sites-from ../shared/datasets/{l3s-gn1,dragnet,cleaneval,cleanportaleval}

takes the curve's sites from other dataset folders instead: every host with at least 5 pages in
one of them. The evaluation-only sets hold about 40 such news sites and blogs, labelled by one
policy per dataset, which is the case a user adapting to their own news site is in. Their pages
train only the throwaway adapters of the measurement (never a written model), and the base model
is trained on the training sources without those hosts.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path
from statistics import mean
from typing import NamedTuple

import joblib
import numpy as np

from cleaner.model import Model, load_model, save_model
from cleaner.postprocess import RULE_NAMES, RULES, Rule, rules_without
from cleaner.template import FirstColumns, TemplateAdapted, TemplateMemory, leave_one_page_out_columns
from training.corpus import LabelledPage, code_digest, fitting_digest, label_pages, stack, with_lexicon
from training.data import Example, read_source, read_sources
from training.learn import candidates, fit, page_score, predict_pages
from training.render import seen_as_text
from training.train import CACHE_DIR, DEFAULT_FIXTURE_WEIGHT, default_training_pages, page_weights, pages_digest

# The adapter's size. Shallow trees (depth 2; scikit-learn's GradientBoosting default, 3, until
# the eighteenth session, see below); 50 trees, half the library's default, because one to three
# pages hold only a few hundred blocks; a leaf needs 5 blocks so a single odd block cannot get a
# rule of its own. The learning rate was chosen on *tuning sites*,
# never on the curve's: 60 sites with 2-4 pages in one training source (none of the curve's hosts),
# scored by a base model trained without them (ninth session; DEVELOPERS, "Site adaptation").
# Mean held-out F1 at k = 1 / 2: base 0.849 / 0.742; rate 0.1 (the library default, used
# before) 0.846 / 0.805; 0.05 **0.872 / 0.826**; 0.02 0.867 / 0.808 (`--tune`); 0.1 with 20 trees
# 0.870 / 0.823 (ad hoc).
# Depth 2 replaced the library's 3 in the eighteenth session, on the same tuning sites (`--tune`
# and `--tune text`, rate 0.05, mean held-out F1 at k = 1 / 2 / 3, 138 / 54 / 9 draws):
# HTML depth 3 0.875 / 0.839 / 0.723, depth 2 **0.887 / 0.842** / 0.721; text depth 3
# 0.824 / 0.771 / 0.699, depth 2 **0.837 / 0.777 / 0.719**. A page or three do not hold enough
# blocks for three-way interactions. Minimum leaf 20 and 25 trees were no better on text (ad hoc).
ADAPTER_TREES = 50
ADAPTER_DEPTH = 2
ADAPTER_LEARNING_RATE = 0.05
ADAPTER_MIN_LEAF = 5
MIN_SITE_PAGES = 5

Thresholds = dict[str, float]  # p(content) cut-off by input format ("html", "text")


def model_thresholds(model: Model) -> Thresholds:
    return {fmt: model.threshold_for(fmt) for fmt in ("html", "text")}


def fit_adapter(base_estimator, pages: list[LabelledPage], learning_rate: float = ADAPTER_LEARNING_RATE,
                depth: int = ADAPTER_DEPTH):
    """A classifier that starts from ``base_estimator``'s (frozen) predictions and corrects them
    with shallow trees fitted on the site's own blocks. The trees also see what the site's other
    labelled pages say about the block's place and line (cleaner.template): each page's template
    columns come from the other pages only, as a page the model has never seen will get them."""
    from sklearn.ensemble import GradientBoostingClassifier

    X, y, w, owner = stack(pages)
    if len(set(y.tolist())) < 2:  # all content or all noise: nothing to correct from
        return base_estimator
    remembered = leave_one_page_out_columns(X, y, w, owner)  # nothing is remembered for a single page
    adapter = GradientBoostingClassifier(init=FirstColumns(base_estimator, X.shape[1]), n_estimators=ADAPTER_TREES,
                                         max_depth=depth, learning_rate=learning_rate,
                                         min_samples_leaf=ADAPTER_MIN_LEAF, random_state=0)
    adapter.fit(np.column_stack([X, remembered]), y, sample_weight=w)
    return TemplateAdapted(adapter, TemplateMemory.learn(X, y, w))


class HeldOutScore(NamedTuple):
    """One labelled page scored by a model that did not see it: the base model, and an adapter
    fitted on the site's other labelled pages."""

    page_id: str
    base_f1: float
    adapted_f1: float


def leave_one_page_out(base_estimator, pages: list[LabelledPage], thresholds: Thresholds,
                       learning_rate: float = ADAPTER_LEARNING_RATE) -> list[HeldOutScore]:
    """Each labelled page held out in turn (two or more pages; none for one): the only evidence a
    user has, before cleaning their site's other pages, that adapting helps rather than harms."""
    if len(pages) < 2:
        return []
    scores = []
    for i, held in enumerate(pages):
        adapter = fit_adapter(base_estimator, pages[:i] + pages[i + 1:], learning_rate)
        scores.append(HeldOutScore(held.example.id, page_f1(base_estimator, [held], thresholds)[0],
                                   page_f1(adapter, [held], thresholds)[0]))
    return scores


def fit_checked_adapter(base_estimator, pages: list[LabelledPage], thresholds: Thresholds,
                        learning_rate: float = ADAPTER_LEARNING_RATE, held_out: list[HeldOutScore] | None = None):
    """An adapter, or the base model when the site's own pages say the adapter does harm.

    With two or more labelled pages, each is held out in turn: an adapter fitted on the others
    must score it at least as well as the base model does (mean token F1), or the base model is
    kept. A site whose pages follow no common template, or whose labels disagree with each other,
    fails this check instead of teaching the model noise. One page cannot be checked; it is used.
    ``held_out``: the pages' ``leave_one_page_out`` scores, when the caller has them already."""
    if held_out is None:
        held_out = leave_one_page_out(base_estimator, pages, thresholds, learning_rate)
    if adapter_hurts(held_out):
        return base_estimator
    return fit_adapter(base_estimator, pages, learning_rate)


def adapter_hurts(held_out: list[HeldOutScore]) -> bool:
    """The held-out labelled pages scored worse, on average, under adapters than under the base model."""
    return bool(held_out) and mean(s.adapted_f1 for s in held_out) < mean(s.base_f1 for s in held_out)


def held_out_report(scores: list[HeldOutScore]) -> str:
    """What ``write_adapted`` tells the user about their labelled pages, held out one at a time."""
    if not scores:
        return ("one labelled page: nothing to hold out, so nothing says whether adapting helps. On news sites "
                "seen as plain text, a single labelled page often lowered the F1 of the site's other pages "
                "(DEVELOPERS.md, 'The adaptation curve, paired'); label three or more")
    rows = "\n".join(f"  {s.page_id}: base {s.base_f1:.3f} -> adapted {s.adapted_f1:.3f}" for s in scores)
    base, adapted = mean(s.base_f1 for s in scores), mean(s.adapted_f1 for s in scores)
    if adapter_hurts(scores):
        verdict = ("adapting did not help the held-out pages, it lowered them; more labelled pages, or the base "
                   "model, may serve this site better (--check keeps the base model in that case)")
    elif adapted > base:
        verdict = "adapting helped the held-out pages"
    else:
        verdict = "adapting left the held-out pages as they were"
    return (f"each labelled page held out, scored by the base model and by an adapter fitted on the others "
            f"(token F1):\n{rows}\n  mean: base {base:.3f} -> adapted {adapted:.3f}: {verdict}")


def site_adapter(base_estimator, pages: list[LabelledPage], thresholds: Thresholds, check: bool,
                 held_out: list[HeldOutScore] | None = None):
    """The adapter for a site's labelled pages, checked page by page first when ``check``."""
    if check:
        return fit_checked_adapter(base_estimator, pages, thresholds, held_out=held_out)
    return fit_adapter(base_estimator, pages)


def hosts_of(pages: list[LabelledPage], sites: dict[str, list[int]]) -> set[str]:
    """The host names of ``sites`` ("host (source)" -> page indices)."""
    return {pages[i].example.site for idx in sites.values() for i in idx}


def split_draw(site_pages: list[LabelledPage], chosen: tuple[int, ...]) -> tuple[list[LabelledPage], list[LabelledPage]]:
    """The pages a draw labels and the site's other pages, which it is scored on."""
    return ([site_pages[i] for i in chosen],
            [page for i, page in enumerate(site_pages) if i not in chosen])


def draws_of(n: int, k: int, draws: int, seed: int = 0) -> list[tuple[int, ...]]:
    """Up to ``draws`` distinct k-subsets of range(n), reproducibly."""
    if k == 0:
        return [()]
    every = list(combinations(range(n), k))
    random.Random(seed).shuffle(every)
    return sorted(every[:draws])


def nested_draws(n: int, k_max: int, draws: int, seed: int = 0) -> list[tuple[int, ...]]:
    """Up to ``draws`` orderings of ``k_max`` of range(n) whose sets differ, reproducibly. A draw's
    first k pages are the ones labelled at k, so k = 1, 2, 3 add pages to the same draw and every k
    is scored on the same held-out pages (the other n - k_max), k = 0 included."""
    if k_max <= 0:
        return [()]
    pools = list(combinations(range(n), k_max))
    rng = random.Random(seed)
    rng.shuffle(pools)
    orders = []
    for pool in sorted(pools[:draws]):
        order = list(pool)
        rng.shuffle(order)
        orders.append(tuple(order))
    return orders


def page_f1(model, pages: list[LabelledPage], thresholds: Thresholds,
            rules: tuple[tuple[str, Rule], ...] = RULES) -> list[float]:
    """Token F1 of each page, cut at the threshold for its input format."""
    return f1_of_predictions(pages, predict_pages(model, pages), thresholds, rules)


def f1_of_predictions(pages: list[LabelledPage], proba: list[np.ndarray], thresholds: Thresholds,
                      rules: tuple[tuple[str, Rule], ...] = RULES) -> list[float]:
    return [page_score(page, p, thresholds[page.page.input_format], rules).f1 for page, p in zip(pages, proba)]


# A rule goes when leaving it out raises the labelled pages' mean token F1 by more than this. Site
# rules and this margin were chosen on the tuning sites like the adapter's numbers (`--tune` and
# `--tune text`, nineteenth session; mean held-out F1 at k = 1 / 2 / 3, 138 / 54 / 9 draws, rate
# 0.05, depth 2):
#   HTML: every rule 0.8873 / 0.8423 / 0.7212; without the rules the site contradicts by any gain
#         0.8878 / 0.8517 / 0.7768, by more than 0.01 **0.8882 / 0.8520 / 0.7788**;
#   text: every rule 0.8366 / 0.7773 / 0.7187; any gain 0.8423 / 0.7867 / 0.7187, more than 0.01
#         0.8421 / **0.7885** / 0.7187.
# The margin keeps a rule that an in-sample flip of one block would otherwise switch off.
SITE_RULE_MARGIN = 0.01
ANY_GAIN = 1e-9
TUNING_RULE_MARGINS = (ANY_GAIN, SITE_RULE_MARGIN)


def rules_the_site_contradicts(model, labelled: list[LabelledPage], thresholds: Thresholds,
                               margin: float = SITE_RULE_MARGIN) -> tuple[str, ...]:
    """The context rules that lower the mean token F1 of the site's own labelled pages under
    ``model``, each left out alone: a forum whose replies are its content, a comment box the
    site's labels keep, a "Related" line inside its articles. The rules are general guesses about
    pages; a site's labels are the truth about that site, so the adapted model goes without
    the rules they contradict. A rule that does no harm on the labelled pages stays."""
    proba = predict_pages(model, labelled)
    with_all = mean(f1_of_predictions(labelled, proba, thresholds))
    return tuple(name for name in RULE_NAMES
                 if mean(f1_of_predictions(labelled, proba, thresholds, rules_without((name,)))) > with_all + margin)


def site_key(example: Example, source_suffix: str = "") -> str:
    """How the curve and the tuning name a site: "host (source)". A user labels a site by one
    policy, so the same host in two sources is two sites."""
    return f"{example.site} ({example.source}{source_suffix})"


def sites_with_pages(pages: list[LabelledPage], minimum: int, renderings: bool = False) -> dict[str, list[int]]:
    """Sites with at least ``minimum`` labelled pages in one source (renderings not counted), as
    "host (source)" -> page indices. One source, because a user labels a site by one policy: the
    datasets' conventions differ (headline in or out, lead or not), and a site whose pages mix
    them would measure the conventions' disagreement, not adaptation. With ``renderings``, the
    plain-text renderings of HTML pages only, as "host (source+text)"."""
    by_site: dict[str, list[int]] = {}
    for i, page in enumerate(pages):
        if page.example.source.endswith("+text") == renderings and page.example.site != "unknown":
            by_site.setdefault(site_key(page.example), []).append(i)
    return {site: idx for site, idx in sorted(by_site.items()) if len(idx) >= minimum}


def sites_from_folders(folders: list[str], minimum: int, n_jobs: int = -1,
                       text_layout: str | None = None) -> dict[str, list[LabelledPage]]:
    """Sites with at least ``minimum`` pages in one of the dataset folders, labelled, as
    "host (source)" -> pages. Pages without a URL have no site and are left out. With
    ``text_layout``, HTML pages are seen as plain-text scrapes in that layout (training.render)."""
    by_site: dict[str, list] = {}
    for example in (seen_as_text(ex, text_layout) for ex in read_sources(folders)):
        if example.site != "unknown":
            by_site.setdefault(site_key(example), []).append(example)
    chosen = {site: examples for site, examples in sorted(by_site.items()) if len(examples) >= minimum}
    labelled = iter(label_pages([ex for examples in chosen.values() for ex in examples], n_jobs=n_jobs))
    return {site: [next(labelled) for _ in examples] for site, examples in chosen.items()}


def base_without(pages: list[LabelledPage], sites: set[str], estimator_name: str):
    """The base model trained on every page outside ``sites`` (their renderings too); cached."""
    kept = [p for p in pages if p.example.site not in sites]
    digest = hashlib.sha256("\n".join([code_digest(), fitting_digest(), estimator_name, *sorted(sites),
                                       pages_digest(kept)]).encode()).hexdigest()[:16]
    cache = CACHE_DIR / f"adapt-base-{digest}.joblib"
    if cache.is_file():
        return joblib.load(cache)
    print(f"training the base model without {len(sites)} sites ({len(kept)} pages)...", file=sys.stderr, flush=True)
    model = fit(candidates()[estimator_name], kept, page_weights(kept, DEFAULT_FIXTURE_WEIGHT))
    CACHE_DIR.mkdir(exist_ok=True)
    joblib.dump(model, cache)
    return model


def curve(pages: list[LabelledPage], sites: dict[str, list[LabelledPage]], method: str, estimator_name: str,
          ks: list[int], draws: int, thresholds: Thresholds, check: bool = False, site_rules: bool = True) -> dict:
    """The adaptation curve of each site's pages, from a base model trained on ``pages`` without
    any of the sites' hosts (in any source).

    Paired: each draw orders ``max(ks)`` of the site's pages, labels its first k at each k, and
    scores every k, k = 0 included, on the same held-out pages (the site's others). So a change
    along a row is what the labelled pages did, not which pages happened to be scored; drawing
    each k apart (before the twenty-sixth session) scored k = 0 on every page and k = 3 on two
    of a five-page site's."""
    hosts = {page.example.site for site_pages in sites.values() for page in site_pages}
    base = base_without(pages, hosts, estimator_name)
    base_pages = [p for p in pages if p.example.site not in hosts]
    print(f"\n{method}, {estimator_name} base, thresholds {thresholds}; every k of a draw is scored on the "
          f"same held-out pages\n")
    print("| site | pages | k | draws | adapters kept | held-out pages scored | mean F1 | change from k = 0 "
          "| worst draw | rules switched off (draws) |\n|---|---|---|---|---|---|---|---|---|---|", flush=True)
    results: dict = {}
    for site, site_pages in sites.items():
        # The adapters read the base model's lexical columns, as a site's pages will under it.
        site_pages = [with_lexicon(p, base.lexicon_) for p in site_pages]
        k_max = min(max(ks), len(site_pages) - 1)
        per_k: dict[int, dict] = {k: {"f1": [], "scored": 0, "kept": 0, "rules_off": Counter()} for k in ks if k <= k_max}
        for order in nested_draws(len(site_pages), k_max, draws):
            _, held = split_draw(site_pages, order)
            for k, row in per_k.items():
                labelled = [site_pages[i] for i in order[:k]]
                off: tuple[str, ...] = ()
                if not labelled:
                    model = base
                elif method == "adapter":
                    model = site_adapter(base, labelled, thresholds, check)
                    row["kept"] += model is not base
                    off = rules_the_site_contradicts(model, labelled, thresholds) if site_rules else ()
                else:
                    train = base_pages + labelled
                    model = fit(candidates()[estimator_name], train, page_weights(train, DEFAULT_FIXTURE_WEIGHT))
                row["rules_off"].update(off)
                row["f1"].append(float(np.mean(page_f1(model, held, thresholds, rules_without(off)))))
                row["scored"] += len(held)
        for k, row in per_k.items():
            per_draw = row["f1"]
            change = mean(per_draw) - mean(per_k[0]["f1"]) if 0 in per_k else float("nan")
            shown_kept = row["kept"] if method == "adapter" and k else "-"
            shown_off = ", ".join(f"{name} ({n})" for name, n in sorted(row["rules_off"].items())) or "-"
            results.setdefault(site, {})[k] = {"draws": len(per_draw), "scored": row["scored"],
                                               "adapters_kept": shown_kept, "mean_f1": round(mean(per_draw), 4),
                                               "change_from_k0": round(change, 4), "worst": round(min(per_draw), 4),
                                               "rules_off": dict(row["rules_off"])}
            print(f"| {site} | {len(site_pages)} | {k} | {len(per_draw)} | {shown_kept} | {row['scored']} | "
                  f"{mean(per_draw):.3f} | {change:+.3f} | {min(per_draw):.3f} | {shown_off} |", flush=True)
    print("\n| k | sites | mean over sites | sites below 0.98 | sites below their k = 0 |\n|---|---|---|---|---|")
    for k in ks:
        rows = [r[k] for r in results.values() if k in r]
        if rows:
            worse = sum(r["change_from_k0"] < -0.0005 for r in rows)
            print(f"| {k} | {len(rows)} | {mean(r['mean_f1'] for r in rows):.3f} | "
                  f"{sum(r['mean_f1'] < 0.98 for r in rows)} | {worse if k else '-'} |")
    return results


# Tuning sites for the adapter's own numbers: sites with 2-4 labelled pages in one source (the
# curve takes those with MIN_SITE_PAGES or more), drawn with a fixed seed, never a curve host.
TUNING_SITES = 60
TUNING_RATES = (0.1, 0.05, 0.02)  # at ADAPTER_DEPTH
TUNING_DEPTHS = (3, 2)  # at ADAPTER_LEARNING_RATE


def tuning_variants() -> list[tuple[float, int]]:
    """(learning rate, depth) of every adapter --tune scores: each rate at the chosen depth, and
    each other depth at the chosen rate."""
    return ([(rate, ADAPTER_DEPTH) for rate in TUNING_RATES]
            + [(ADAPTER_LEARNING_RATE, depth) for depth in TUNING_DEPTHS if depth != ADAPTER_DEPTH])


def tune(pages: list[LabelledPage], estimator_name: str, thresholds: Thresholds, draws: int,
         input_format: str = "html") -> dict:
    """Mean held-out F1 of adapters of each learning rate (checked and not) and depth at k = 1..3
    on the tuning sites, beside the base model's, from a base model trained without them or the
    curve's sites. What chose ADAPTER_LEARNING_RATE, ADAPTER_DEPTH and the default of --check.
    ``input_format`` "text": the same sites, drawn the same way, scored on their pages' plain-text
    renderings."""
    curve_sites = sites_with_pages(pages, MIN_SITE_PAGES)
    curve_hosts = hosts_of(pages, curve_sites)
    small = {s: idx for s, idx in sites_with_pages(pages, 2).items()
             if s not in curve_sites and pages[idx[0]].example.site not in curve_hosts}
    names = sorted(small)
    random.Random(0).shuffle(names)
    chosen_sites = [s for s in names if len(small[s]) >= 3]  # every site that allows k = 2
    chosen_sites += [s for s in names if len(small[s]) == 2][:max(TUNING_SITES - len(chosen_sites), 0)]
    base = base_without(pages, curve_hosts | hosts_of(pages, {s: small[s] for s in chosen_sites}), estimator_name)
    if input_format == "text":  # each site's HTML pages -> their renderings, "host (source+text)"
        rendered = sites_with_pages(pages, 2, renderings=True)
        small = {site: rendered[site_key(pages[small[site][0]].example, "+text")] for site in chosen_sites}
    scores: dict[tuple[int, str], list[float]] = {}
    for site in chosen_sites:
        site_pages = [with_lexicon(pages[i], base.lexicon_) for i in small[site]]
        for k in range(1, min(3, len(site_pages) - 1) + 1):
            for chosen in draws_of(len(site_pages), k, draws):
                labelled, held = split_draw(site_pages, chosen)
                scores.setdefault((k, "base"), []).append(mean(page_f1(base, held, thresholds)))
                for rate, depth in tuning_variants():
                    name = f"rate {rate}, depth {depth}"
                    model = fit_adapter(base, labelled, learning_rate=rate, depth=depth)
                    held_proba = predict_pages(model, held)  # once: each row below only revises differently
                    scores.setdefault((k, name), []).append(mean(f1_of_predictions(held, held_proba, thresholds)))
                    if depth == ADAPTER_DEPTH and rate == ADAPTER_LEARNING_RATE:
                        for margin in TUNING_RULE_MARGINS:
                            off = rules_the_site_contradicts(model, labelled, thresholds, margin)
                            scores.setdefault((k, f"{name}, without the rules the site contradicts by > {margin:g}"),
                                              []).append(mean(f1_of_predictions(held, held_proba, thresholds,
                                                                                rules_without(off))))
                    if k >= 2 and depth == ADAPTER_DEPTH:
                        model = fit_checked_adapter(base, labelled, thresholds, learning_rate=rate)
                        scores.setdefault((k, f"{name}, checked"), []).append(mean(page_f1(model, held, thresholds)))
    print(f"\n{len(chosen_sites)} tuning sites\n\n| k | adapter | draws | mean held-out F1 | draws below base |\n|---|---|---|---|---|")
    for (k, name), values in sorted(scores.items()):
        below = sum(v < b - 1e-9 for v, b in zip(values, scores[(k, "base")]))
        print(f"| {k} | {name} | {len(values)} | {mean(values):.4f} | {below} |")
    return {f"{k} {name}": round(mean(v), 4) for (k, name), v in scores.items()}


def write_adapted(site_folder: str, base: Model, out: Path, check: bool = False, site_rules: bool = True) -> Path:
    examples = read_source(site_folder, min_gold_recall=0.0)
    # Every model made here reads the lexical columns from the base model's lexicon.
    pages = [with_lexicon(p, base.lexicon) for p in label_pages(examples, n_jobs=1)]
    thresholds = model_thresholds(base)
    held_out = leave_one_page_out(base.estimator, pages, thresholds)
    print(held_out_report(held_out), file=sys.stderr)
    adapted = site_adapter(base.estimator, pages, thresholds, check, held_out)
    if adapted is base.estimator:
        reason = ("the adapter scored the held-out labelled pages worse than the base model did" if check
                  else "the labelled pages are all content or all noise, nothing to adapt from")
        print(f"{reason}; the written model is the base model", file=sys.stderr)
    rules_off = rules_the_site_contradicts(adapted, pages, thresholds) if site_rules else ()
    if rules_off:
        print(f"the labelled pages contradict these context rules, which the model will not apply: "
              f"{', '.join(rules_off)}", file=sys.stderr)
    metadata = {**{k: v for k, v in base.sidecar.items()
                   if k not in {"sha256", "threshold", "text_threshold", "rules_off"}},
                "adapted": {"site_folder": str(site_folder), "pages": len(pages), "method": "adapter",
                            "kept": adapted is not base.estimator, "checked": check, "trees": ADAPTER_TREES,
                            "depth": ADAPTER_DEPTH, "learning_rate": ADAPTER_LEARNING_RATE,
                            "template_memory": isinstance(adapted, TemplateAdapted)},
                "command": "python -m training.adapt " + " ".join(sys.argv[1:])}
    return save_model(adapted, base.threshold, out, metadata, text_threshold=base.text_threshold, rules_off=rules_off,
                      lexicon=base.lexicon)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m training.adapt", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", nargs="?", help="fixture folder with the site's labelled pages (for --out)")
    parser.add_argument("--out", type=Path, help="write the adapted model here (its sidecar beside it)")
    parser.add_argument("--model", help="base model to adapt (default: the packaged model)")
    parser.add_argument("--curve", action="store_true", help="measure the adaptation curve instead")
    parser.add_argument("--tune", nargs="?", const="html", choices=["html", "text"],
                        help="score adapter settings on the tuning sites "
                        f"({TUNING_SITES} sites with 2-4 pages, none of the curve's), as the defaults were chosen; "
                        "'--tune text' scores them on the same sites' plain-text renderings")
    parser.add_argument("--sites", nargs="*", help="--curve: only these sites (default: every site with "
                        f">= {MIN_SITE_PAGES} pages in the training sources)")
    parser.add_argument("--sites-from", nargs="+", metavar="FOLDER", help="--curve: take the sites from these "
                        "dataset or fixture folders (every host with >= %d pages in one of them; evaluation-only "
                        "sets allowed, as only the measurement's adapters see them) instead of the training "
                        "sources" % MIN_SITE_PAGES)
    parser.add_argument("--as-text", choices=["uniform", "scraped", "lines"], help="--sites-from: see the sites' "
                        "HTML pages as plain-text scrapes in this layout (as in training.bench's text section)")
    parser.add_argument("--method", choices=["adapter", "retrain"], default="adapter")
    parser.add_argument("--check", action="store_true", help="with two or more labelled pages, hold each out "
                        "in turn and keep the base model when the adapter scores them worse (off by default: "
                        "on the tuning sites it lowered mean F1, see DEVELOPERS)")
    parser.add_argument("--all-rules", action="store_true", help="keep every context rule, even those the "
                        "site's labelled pages contradict (by default the adapted model goes without them; "
                        "its sidecar lists them under rules_off)")
    parser.add_argument("--k", type=int, nargs="+", default=[0, 1, 2, 3])
    parser.add_argument("--draws", type=int, default=3, help="--curve: draws of max(k) pages per site, "
                        "each scored at every k on the same held-out pages; --tune: subsets of k pages per k (default 3)")
    parser.add_argument("--estimator", choices=list(candidates()), help="base estimator (default: the packaged model's)")
    parser.add_argument("--threshold", type=float, help="one threshold for every page (default: the packaged "
                        "model's, one per input format)")
    parser.add_argument("--jobs", type=int, default=-1)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    packaged = load_model(args.model)
    if not args.curve and not args.tune:
        if not args.site or not args.out:
            build_parser().error("give a fixture folder and --out, or --curve, or --tune")
        out = write_adapted(args.site, packaged, args.out, args.check, site_rules=not args.all_rules)
        print(f"wrote {out}; use it with: cleaner --model {out} PAGE", file=sys.stderr)
        return 0
    estimator_name = args.estimator or packaged.sidecar.get("estimator", "hgb")
    thresholds = ({"html": args.threshold, "text": args.threshold} if args.threshold is not None
                  else model_thresholds(packaged))
    pages = default_training_pages(n_jobs=args.jobs)
    if args.tune:
        tune(pages, estimator_name, thresholds, args.draws, args.tune)
        return 0
    if args.sites_from:
        sites = sites_from_folders(args.sites_from, MIN_SITE_PAGES, n_jobs=args.jobs, text_layout=args.as_text)
    else:
        sites = {site: [pages[i] for i in idx] for site, idx in sites_with_pages(pages, MIN_SITE_PAGES).items()}
    if args.sites:
        missing = set(args.sites) - set(sites)
        if missing:
            print(f"error: no site with >= {MIN_SITE_PAGES} pages named {', '.join(sorted(missing))}; "
                  f"choose from {', '.join(sites)}", file=sys.stderr)
            return 2
        sites = {s: sites[s] for s in args.sites}
    curve(pages, sites, args.method, estimator_name, args.k, args.draws, thresholds, args.check,
          site_rules=not args.all_rules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
