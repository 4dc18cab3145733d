"""The Python API: ``clean()``, ``analyze()`` and ``Cleaner`` for long-running scrapers."""
from __future__ import annotations

import contextlib
import functools
import gc
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from cleaner.decode import binary_kind, decode, tidy
from cleaner.document import InputFormat, Page
from cleaner.features import featurize
from cleaner.model import Model, load_model
from cleaner.postprocess import assemble, page_title, revise, rules_without
from cleaner.segment import segment


class BlockResult(NamedTuple):
    """One block of an analysed page. A named tuple, not a frozen dataclass: a page makes one per
    block, and a frozen dataclass's __init__ (a setattr per field) took twice as long, 0.108
    against 0.055 ms of a 3.2 ms page (ad hoc, 300 l3s-gn1 pages, best of 3)."""

    text: str
    tag: str
    dom_path: str
    hidden: bool  # inside an element the page hides until a script shows it
    probability: float  # the classifier's p(content), before the context rules
    is_content: bool  # the final label, after the context rules


@dataclass(frozen=True, slots=True)
class Result:
    title: str | None
    text: str
    input_format: InputFormat
    blocks: tuple[BlockResult, ...]

    def to_dict(self, with_blocks: bool = True) -> dict:
        out: dict = {"title": self.title, "text": self.text, "input_format": self.input_format}
        if with_blocks:
            out["blocks"] = [
                {"text": b.text, "tag": b.tag, "dom_path": b.dom_path, "hidden": b.hidden,
                 "score": round(b.probability, 4), "label": "content" if b.is_content else "noise"}
                for b in self.blocks
            ]
        return out


def as_text(page: str | bytes, charset: str | None = None) -> str:
    """Decoded, NFC-composed text; binary data (images, archives) reads as an empty page.
    ``charset`` is what the server said (HTTP Content-Type), used if the bytes are not UTF-8."""
    if isinstance(page, (bytes, bytearray, memoryview)):
        data = bytes(page)
        return "" if binary_kind(data) else decode(data, charset)
    if isinstance(page, str):
        return tidy(page)
    raise TypeError(f"page must be str or bytes, not {type(page).__name__}")


@dataclass(frozen=True, slots=True)
class Prepared:
    """A page segmented and featurized, waiting for the classifier (see ``Cleaner.prepare``)."""

    page: Page
    features: np.ndarray


# Pages per classifier call in batches. scikit-learn's boosted trees pay a fixed cost per tree
# per call; stacking the rows of 16 pages cut prediction from 4.3 to 1.8 ms per page on l3s-gn1.
# Larger batches were slower again until the rows went to scikit-learn's trees column-major
# (Model.predict_proba): since then 16 / 32 / 64 pages take 1.50 / 1.40 / 1.36 ms per page (ninth
# session, `training.speed --stages`, mean of two runs); 32 takes most of that and keeps a batch's
# rows small. The shipped model's compiled sums read row-major rows and are fastest at these sizes
# too (cleaner.trees.BoostedTrees.raw_predict). Results are identical whatever the batch size.
DEFAULT_BATCH_PAGES = 32


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the duration, then back as it was.

    A batch allocates millions of small objects (blocks, tuples, token sets) that are all freed
    by reference counting: cleaning makes no reference cycles (a test holds it to that). The
    collector still counts every allocation and kept interrupting the work to traverse objects
    it could never free: 0.6 ms of a 7.8 ms page (ad hoc, ``analyze_many`` over 300 l3s-gn1
    pages; DEVELOPERS.md, "Speed, twelfth session"). Batches pause it per chunk of pages, which bounds what
    other threads' cyclic garbage can pile up meanwhile to one chunk's time. Pausing per page
    saved almost nothing: the collection then comes due after every page anyway.

    The collector's switch is process-wide: a caller that disabled it keeps it disabled; a
    thread that turns it off while a chunk runs sees it turned back on when the chunk ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Cleaner:
    """Loads a model once; ``clean`` and ``analyze`` are then safe to call from many threads
    (nothing is mutated after construction)."""

    def __init__(self, model: str | Path | Model | None = None, threshold: float | None = None) -> None:
        self.model = model if isinstance(model, Model) else load_model(model)
        # A threshold given here applies to every page; otherwise each input format gets the
        # model's own (chosen apart by cross-validation: see training.train).
        self.threshold = self.model.threshold if threshold is None else float(threshold)
        self.text_threshold = self.model.threshold_for("text") if threshold is None else float(threshold)
        self.rules = rules_without(self.model.rules_off)

    def prepare(self, page: str | bytes, input_format: InputFormat | None = None,
                charset: str | None = None) -> Prepared:
        """Decode, segment and featurize one page: the per-page work before classification."""
        segmented = segment(as_text(page, charset), input_format)
        return Prepared(segmented, featurize(segmented, self.model.lexicon))

    def finish(self, batch: Sequence[Prepared], furniture: Sequence[np.ndarray | None] | None = None) -> list[Result]:
        """Classify the blocks of all pages in ``batch`` in one model call, then revise and assemble
        each. ``furniture`` (from a ``SiteMemory``) marks blocks that are noise whatever the
        classifier and the rules say."""
        if not batch:
            return []
        sizes = [len(p.page) for p in batch]
        proba = self.model.predict_proba(np.concatenate([p.features for p in batch]))
        starts = list(itertools.accumulate(sizes, initial=0))
        marks = furniture if furniture is not None else [None] * len(batch)
        return [self.result(p.page, proba[a:b], m) for p, a, b, m in zip(batch, starts, starts[1:], marks)]

    def result(self, page: Page, proba: np.ndarray, furniture: np.ndarray | None = None) -> Result:
        """Revise the labels of one page in context and assemble its text, from the classifier's
        p(content) for each block (``finish`` does this for a batch after one model call)."""
        labels = revise(page, proba, self.text_threshold if page.input_format == "text" else self.threshold,
                        self.rules)
        if furniture is not None:
            labels = labels & ~furniture
        blocks = tuple(
            BlockResult(b.text, b.tag, b.dom_path, b.hidden, p, keep)
            for b, p, keep in zip(page.blocks, proba.tolist(), labels.tolist())  # plain floats and bools
        )
        return Result(page_title(page), assemble(page, labels), page.input_format, blocks)

    def analyze(self, page: str | bytes, input_format: InputFormat | None = None) -> Result:
        """Title, clean text and every block with its probability and label."""
        return self.finish([self.prepare(page, input_format)])[0]

    def analyze_many(self, pages: Iterable[str | bytes], input_format: InputFormat | None = None,
                     batch_pages: int = DEFAULT_BATCH_PAGES) -> Iterator[Result]:
        """``analyze`` for a stream of pages, in order, classifying ``batch_pages`` pages per model
        call (faster for many pages; memory holds one batch)."""
        iterator = iter(pages)
        while chunk := list(itertools.islice(iterator, batch_pages)):
            with collector_paused():
                results = self.finish([self.prepare(page, input_format) for page in chunk])
            yield from results  # outside the pause: the caller's own work runs as usual

    def clean(self, page: str | bytes, input_format: InputFormat | None = None) -> str:
        """The article text: one paragraph per block, a blank line between."""
        return self.analyze(page, input_format).text


@functools.lru_cache(maxsize=4)
def cached_cleaner(model: str | None = None, threshold: float | None = None) -> Cleaner:
    """One Cleaner per model path (and threshold) per process, loaded on first use: loading takes
    longer than cleaning a page. Batch workers rely on this to load the model once each."""
    return Cleaner(model, threshold)


def clean(page: str | bytes, input_format: InputFormat | None = None, model: str | Path | None = None) -> str:
    """Clean one page (HTML or a plain-text scrape, str or bytes) with the packaged model."""
    return cached_cleaner(None if model is None else str(model)).clean(page, input_format)


def analyze(page: str | bytes, input_format: InputFormat | None = None, model: str | Path | None = None) -> Result:
    """Like ``clean`` but returns title, text and per-block scores and labels."""
    return cached_cleaner(None if model is None else str(model)).analyze(page, input_format)
