"""What each context rule does to a folder's pages, in words of gold and of noise; and where a
page's plain-text rendering goes wrong where the same page as HTML does not.

    python -m training.ledger ../shared/datasets/dragnet                     # the HTML pages
    python -m training.ledger ../shared/datasets/dragnet --as-text uniform   # their text renderings
    python -m training.ledger ../shared/datasets/dragnet --versus-html       # text wrong, HTML right
    python -m training.ledger --out-of-fold       # the training sources, as the rules were chosen

The rule table replays ``cleaner.postprocess.revise`` on every page (the packaged model unless
--model, its thresholds, the rules it runs): the classifier's labels, then each rule in order,
each on what the previous ones left. For each rule it counts the pages it changed and the words
it removed and added, split by the block's gold label (a block is gold content when the gold
text holds at least half of its tokens, as in training). A rule that removes far more gold than
noise on one dataset and the reverse on another meets two gold policies: reader comments, for
one, are noise in dragnet's gold and content in CleanEval's.

``--out-of-fold`` reads no folder: it counts on the training sources' site-grouped out-of-fold
predictions that ``python -m training.train`` leaves in .cache/ (every page scored by a model that
never saw its site), HTML pages and plain-text renderings apart. These are the predictions the
rules' numbers were chosen on (``training.tune_rules``), by mean page F1, which word sums do not
show: a rule may remove more gold words than noise words and still raise the mean.

``--versus-html`` reads each page twice, as HTML and as its plain-text rendering. On pages whose
blocks are the same text in both (the uniform rendering is made from the HTML blocks, so nearly
all), it counts the words labelled wrongly as text but rightly as HTML, by kind of error (noise
kept, content dropped) and by whether the HTML block sits in a comment container (a class/id
token naming comments): the information a plain-text scrape no longer carries.

Diagnosis only: nothing here is tuned on what it prints.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cleaner.api import Cleaner
from cleaner.document import Page
from cleaner.postprocess import Rule, RuleParams, in_comment_thread, revise
from training.data import Example, read_source
from training.labels import block_labels
from training.render import as_text_example

# removed gold, removed noise, added gold, added noise: one row of words per rule
MOVES = ("gold removed", "noise removed", "gold added", "noise added")
# The comment containers the HTML rule drop_comment_threads cuts, at its default reach.
COMMENT_REACH = RuleParams().comment_token_reach


@dataclass(frozen=True, slots=True)
class RuleEffect:
    rule: str
    pages: int
    words: tuple[int, int, int, int]  # in MOVES order


def rule_moves(page: Page, proba: np.ndarray, threshold: float, rules: Sequence[tuple[str, Rule]],
               gold: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """For each rule in order: the words it removed and added, by gold label (MOVES order). Each
    step is ``revise`` itself with the rules up to that one, so the last step is the page's final
    labels; diagnosis can afford running the first rules again for every step."""
    words = np.fromiter((b.words for b in page.blocks), dtype=np.int64, count=len(page.blocks))
    steps = [revise(page, proba, threshold, tuple(rules[:count])) for count in range(len(rules) + 1)]
    moves = []
    for (name, _rule), before, after in zip(rules, steps, steps[1:]):
        removed, added = before & ~after, after & ~before
        moves.append((name, np.array([words[removed & gold].sum(), words[removed & ~gold].sum(),
                                      words[added & gold].sum(), words[added & ~gold].sum()])))
    return moves


def ledger(pages: Iterable[tuple[Page, np.ndarray, np.ndarray]], cleaner: Cleaner) -> list[RuleEffect]:
    """Sum ``rule_moves`` over pages given as (page, p(content) per block, gold label per block)."""
    totals = {name: np.zeros(len(MOVES), dtype=np.int64) for name, _ in cleaner.rules}
    touched = dict.fromkeys(totals, 0)
    for page, proba, gold in pages:
        threshold = cleaner.text_threshold if page.input_format == "text" else cleaner.threshold
        for name, moved in rule_moves(page, proba, threshold, cleaner.rules, gold):
            totals[name] += moved
            touched[name] += bool(moved.any())
    return [RuleEffect(name, touched[name], tuple(int(w) for w in totals[name])) for name in totals]


def out_of_fold_pages() -> list[tuple[Page, np.ndarray, np.ndarray]] | None:
    """The training pages as (page, out-of-fold p(content), gold labels), from the cache
    training.train leaves; None when that cache is missing or was made by other code or pages."""
    from training.train import cached_out_of_fold, default_training_pages

    pages = default_training_pages()  # the label cache, if current (else this labels them: slow)
    proba = cached_out_of_fold("hgb", pages)
    if proba is None:
        return None
    return [(p.page, pr, p.y) for p, pr in zip(pages, proba)]


def scored_page(cleaner: Cleaner, example: Example) -> tuple[Page, np.ndarray, np.ndarray]:
    """The example's page, the model's p(content) for its blocks, and their gold labels."""
    prepared = cleaner.prepare(example.page, example.input_format)
    return prepared.page, cleaner.model.predict_proba(prepared.features), block_labels(prepared.page, example.gold)


@dataclass(frozen=True, slots=True)
class TwinErrors:
    """Words a text rendering labels wrongly where the HTML page labels them rightly, and the
    reverse, on the pages whose blocks match."""

    pages: int
    matched: int
    text_only: dict[str, int]  # "noise kept" / "content dropped", each "in comments" or not
    html_only: dict[str, int]


def _kind(kept: bool, in_comments: bool) -> str:
    return f"{'noise kept' if kept else 'content dropped'}{', in a comment container' if in_comments else ''}"


def twin_errors(examples: Sequence[Example], cleaner: Cleaner, layout: str) -> TwinErrors:
    text_only: dict[str, int] = {}
    html_only: dict[str, int] = {}
    matched = 0
    for example in examples:
        prepared = cleaner.prepare(example.page, "html")
        page = prepared.page
        html = cleaner.finish([prepared])[0]
        text = cleaner.analyze(as_text_example(example, layout).page, "text")
        if [b.text for b in html.blocks] != [b.text for b in text.blocks]:
            continue
        matched += 1
        gold = block_labels(page, example.gold)
        for block, ours, theirs, truth in zip(page.blocks, html.blocks, text.blocks, gold.tolist()):
            comments = in_comment_thread(block.class_tokens, COMMENT_REACH)
            if ours.is_content == truth != theirs.is_content:
                key = _kind(theirs.is_content, comments)
                text_only[key] = text_only.get(key, 0) + block.words
            elif theirs.is_content == truth != ours.is_content:
                key = _kind(ours.is_content, comments)
                html_only[key] = html_only.get(key, 0) + block.words
    return TwinErrors(len(examples), matched, text_only, html_only)


def format_ledger(effects: list[RuleEffect], pages: int, what: str) -> str:
    lines = [f"{pages} pages ({what}): words each rule moved, in the order the rules run", "",
             f"| rule | pages changed | {' | '.join(MOVES)} |", "|---|---|---|---|---|---|"]
    for effect in effects:
        lines.append(f"| {effect.rule} | {effect.pages} | {' | '.join(str(w) for w in effect.words)} |")
    return "\n".join(lines)


def format_twins(errors: TwinErrors, layout: str) -> str:
    lines = [f"{errors.matched} of {errors.pages} pages have the same blocks as HTML and as {layout} text", "",
             "| error | words wrong as text, right as HTML | words wrong as HTML, right as text |", "|---|---|---|"]
    for key in sorted(set(errors.text_only) | set(errors.html_only), key=lambda k: -errors.text_only.get(k, 0)):
        lines.append(f"| {key} | {errors.text_only.get(key, 0)} | {errors.html_only.get(key, 0)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.ledger", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, nargs="?",
                        help="a dataset folder (manifest.jsonl, pages/, gold/) or fixtures")
    parser.add_argument("--out-of-fold", action="store_true",
                        help="no folder: the training sources' cached out-of-fold predictions (after training.train), "
                             "read with the model's thresholds and rules")
    parser.add_argument("--as-text", choices=("uniform", "scraped", "lines"), metavar="LAYOUT",
                        help="read the HTML pages as plain-text renderings in this layout (uniform, scraped, lines)")
    parser.add_argument("--versus-html", action="store_true",
                        help="compare each page's text rendering (--as-text, default uniform) with the page as HTML")
    parser.add_argument("--model", help="model file (default: the packaged model)")
    args = parser.parse_args(argv)
    if args.out_of_fold == (args.folder is not None):
        parser.error("give either a folder or --out-of-fold")
    if args.out_of_fold and (args.as_text or args.versus_html):
        parser.error("--as-text and --versus-html read a folder; --out-of-fold has its text renderings already")
    if args.out_of_fold:
        return out_of_fold_report(Cleaner(args.model))
    try:
        # Every page, as the bench reads them (no gold-recall cut).
        examples = read_source(args.folder, min_gold_recall=0.0)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cleaner = Cleaner(args.model)
    if args.versus_html:
        html_pages = [ex for ex in examples if ex.input_format == "html"]
        if not html_pages:
            print(f"error: no HTML pages in {args.folder} to render as text", file=sys.stderr)
            return 2
        layout = args.as_text or "uniform"
        print(format_twins(twin_errors(html_pages, cleaner, layout), layout))
        return 0
    if args.as_text:
        examples = [as_text_example(ex, args.as_text) for ex in examples if ex.input_format == "html"]
    if not examples:
        print(f"error: no pages in {args.folder}" + (" to render as text" if args.as_text else ""), file=sys.stderr)
        return 2
    what = f"{args.as_text} text renderings" if args.as_text else "as given"
    print(format_ledger(ledger((scored_page(cleaner, ex) for ex in examples), cleaner), len(examples), what))
    return 0


def out_of_fold_report(cleaner: Cleaner) -> int:
    scored = out_of_fold_pages()
    if scored is None:
        print("error: no out-of-fold predictions for the current code and pages in .cache/; "
              "run python -m training.train first", file=sys.stderr)
        return 2
    for fmt, what in (("html", "training sources as HTML, out of fold"),
                      ("text", "training sources as plain text, out of fold")):
        pages = [entry for entry in scored if entry[0].input_format == fmt]
        print(format_ledger(ledger(pages, cleaner), len(pages), what), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
