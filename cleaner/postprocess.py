"""Revise block labels in context, then reassemble the article.

Each rule is a small pure function ``(context, labels) -> labels`` over the block sequence,
applied in the order of ``RULES``. They encode the jusText-style second pass: the classifier
judges each block with a narrow window of neighbours; these rules look at runs.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cleaner.document import Page
from cleaner.features import HEADING_TAGS, TITLE_CONTAINMENT, headline_index
from cleaner.text import tokens

# The numbers below were chosen by grouped cross-validation on the training sources only
# (python -m training.train --report-rules); see DEVELOPERS.md.
# A lone noise block between two content blocks is filled only if the model gave it at least this.
GAP_MIN_PROBA = 0.15
# A heading-like block keeps with the paragraph it introduces if the model gave it at least this
# and it is at most this many words long.
HEADING_MIN_PROBA = 0.1
HEADING_MAX_WORDS = 20
# Content runs may be broken by this many noise blocks (a photo, an ad slot) and stay one run.
RUN_MAX_GAP = 2
# A content run after the main one is cut when it holds less than this share of the main run's words.
TRAILING_RUN_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class Context:
    page: Page
    proba: np.ndarray
    headline: int | None
    token_sets: tuple[frozenset[str], ...]


Rule = Callable[[Context, np.ndarray], np.ndarray]


def make_context(page: Page, proba: np.ndarray) -> Context:
    toks = [tokens(b.text) for b in page.blocks]
    return Context(page, proba, headline_index(page, toks), tuple(frozenset(t) for t in toks))


def drop_headline_echo(ctx: Context, labels: np.ndarray) -> np.ndarray:
    """A later line that only repeats (part of) the headline is alt text or a teaser, not content."""
    if ctx.headline is None:
        return labels
    title = ctx.token_sets[ctx.headline]
    out = labels.copy()
    for i in range(ctx.headline + 1, len(labels)):
        words = ctx.token_sets[i]
        if out[i] and len(words) >= 3 and len(words & title) / len(words) >= TITLE_CONTAINMENT:
            out[i] = False
    return out


def fill_lone_gap(ctx: Context, labels: np.ndarray) -> np.ndarray:
    """One doubtful noise block between two content blocks is part of the article."""
    out = labels.copy()
    for i in range(1, len(labels) - 1):
        if not labels[i] and labels[i - 1] and labels[i + 1] and ctx.proba[i] >= GAP_MIN_PROBA:
            out[i] = True
    return out


def _heading_like(page: Page, i: int) -> bool:
    block = page.blocks[i]
    if block.tag in HEADING_TAGS:
        return True
    return block.tag == "line" and block.words <= HEADING_MAX_WORDS and block.text.rstrip()[-1:] not in ".!?。！？"


def keep_heading_with_text(ctx: Context, labels: np.ndarray) -> np.ndarray:
    """A short heading directly before content, inside the article, introduces that content."""
    out = labels.copy()
    for i in range(1, len(labels) - 1):
        if (not labels[i] and labels[i + 1] and labels[i - 1:i].any()
                and ctx.page.blocks[i].words <= HEADING_MAX_WORDS
                and ctx.proba[i] >= HEADING_MIN_PROBA and _heading_like(ctx.page, i)):
            out[i] = True
    return out


def content_runs(labels: np.ndarray, max_gap: int = RUN_MAX_GAP) -> list[tuple[int, int]]:
    """(start, end) of runs of content blocks, bridging up to ``max_gap`` noise blocks."""
    runs: list[tuple[int, int]] = []
    for i in np.flatnonzero(labels):
        if runs and i - runs[-1][1] <= max_gap + 1:
            runs[-1] = (runs[-1][0], int(i))
        else:
            runs.append((int(i), int(i)))
    return runs


def cut_trailing_runs(ctx: Context, labels: np.ndarray) -> np.ndarray:
    """Small content runs after the main article are recommendation teasers or comments."""
    runs = content_runs(labels)
    if len(runs) < 2:
        return labels
    words = [sum(ctx.page.blocks[j].words for j in range(s, e + 1) if labels[j]) for s, e in runs]
    main = int(np.argmax(words))
    out = labels.copy()
    for (start, end), count in zip(runs[main + 1:], words[main + 1:]):
        if count < TRAILING_RUN_SHARE * words[main]:
            out[start:end + 1] = False
    return out


RULES: tuple[tuple[str, Rule], ...] = (
    ("drop_headline_echo", drop_headline_echo),
    ("fill_lone_gap", fill_lone_gap),
    ("keep_heading_with_text", keep_heading_with_text),
    ("cut_trailing_runs", cut_trailing_runs),
)


def revise(page: Page, proba: np.ndarray, threshold: float,
           rules: tuple[tuple[str, Rule], ...] = RULES) -> np.ndarray:
    """Labels (True = content) after thresholding ``proba`` and applying ``rules`` in order."""
    labels = np.asarray(proba) >= threshold
    if not len(labels):
        return labels
    ctx = make_context(page, np.asarray(proba))
    for _name, rule in rules:
        labels = rule(ctx, labels)
    return labels


def assemble(page: Page, labels: np.ndarray) -> str:
    """The clean text: one paragraph per content block, a blank line between."""
    return "\n\n".join(b.text for b, keep in zip(page.blocks, labels) if keep)


def page_title(page: Page) -> str | None:
    """The headline block's text, else the page's own title hint."""
    head = headline_index(page, [tokens(b.text) for b in page.blocks])
    if head is not None:
        return page.blocks[head].text
    return page.title_hints[0] if page.title_hints else None
