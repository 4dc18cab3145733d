"""Turn labelled examples into what the learner needs: segmented pages, features, labels."""
from __future__ import annotations

import hashlib
import zlib
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import joblib

import numpy as np
from joblib import Parallel, delayed

from cleaner.document import Page
from cleaner.features import featurize, with_lexical_columns
from cleaner.lexicon import Lexicon, fit_lexicon
from cleaner.segment import segment
from cleaner.text import tokens
from training.data import Example
from training.labels import CONTENT_FRACTION, aligned_fraction


@dataclass(frozen=True, slots=True)
class LabelledPage:
    example: Example
    page: Page
    X: np.ndarray
    fraction: np.ndarray  # aligned gold share per block
    gold_bag: Counter
    # The lexicon X's lexical columns were read from (None: they are 0); crops read it too.
    lexicon: Lexicon | None = None

    @property
    def y(self) -> np.ndarray:
        return self.fraction >= CONTENT_FRACTION


def with_lexicon(page: LabelledPage, lexicon: Lexicon | None) -> LabelledPage:
    """The page with its lexical feature columns read from ``lexicon``."""
    if lexicon is page.lexicon:
        return page
    return replace(page, X=with_lexical_columns(page.X, page.page, lexicon), lexicon=lexicon)


def lexicon_of(pages: list[LabelledPage]) -> Lexicon:
    """The lexicon the pages' labels teach (cleaner.lexicon), each page counted under its site."""
    return fit_lexicon((p.page, p.y, p.example.site) for p in pages)


def label_page(example: Example) -> LabelledPage:
    page = segment(example.page, example.input_format)
    # The raw page and gold are not kept: the segmented page and the gold token bag are all that
    # training needs, and the raw HTML would make the on-disk cache ten times larger.
    slim = replace(example, page="", gold="")
    return LabelledPage(slim, page, featurize(page), aligned_fraction(page, example.gold),
                        Counter(tokens(example.gold)))


def code_digest() -> str:
    """Hash of the code that decides blocks, features and labels: a cache made by other code is stale."""
    root = Path(__file__).resolve().parent.parent
    # The compiled parts too: they are held equal to their twins (training.twincheck), but a cache
    # made while one of them was wrong would not be.
    deciding = ("text.py", "decode.py", "document.py", "headline.py", "segment.py", "features.py", "window.py",
                "_walk.pyx", "_text.pyx", "_features.pyx")
    digest = hashlib.sha256()
    for path in [*(root / "cleaner" / name for name in deciding), root / "training" / "labels.py"]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fitting_digest() -> str:
    """Hash of the code that turns labelled pages into a fitted model (sample weights, candidate
    estimators and their settings): a model or out-of-fold cache made by other code is stale."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in (root / "corpus.py", root / "learn.py", root.parent / "cleaner" / "lexicon.py"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def oof_code_digest() -> str:
    """What out-of-fold predictions depend on besides the pages: labels, features and fitting."""
    return f"{code_digest()}-{fitting_digest()}"


def examples_digest(examples: list[Example]) -> str:
    digest = hashlib.sha256()
    for ex in examples:
        for part in (ex.key, ex.page, ex.gold, str(ex.input_format)):
            digest.update(part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


def label_pages(examples: list[Example], n_jobs: int = -1, cache_dir: Path | None = None) -> list[LabelledPage]:
    """Segment, featurize and align every example (in parallel; order kept).

    With ``cache_dir`` the result is kept on disk (outside git) keyed by the code and the inputs."""
    cache = None
    if cache_dir is not None:
        cache = Path(cache_dir) / f"labelled-{code_digest()}-{examples_digest(examples)}.joblib"
        if cache.is_file():
            return joblib.load(cache)
    pages = Parallel(n_jobs=n_jobs, batch_size=16)(delayed(label_page)(ex) for ex in examples)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(pages, cache)
    return pages


def block_weights(page: LabelledPage) -> np.ndarray:
    """Longer blocks matter more to token F1, but a byline or heading must not weigh nothing:
    sqrt(words + 1) sits between dragnet's per-token weighting and uniform block weights. The
    powers 1 and 0.25 either side scored lower in training CV, both within the seed spread
    (DEVELOPERS.md, twenty-eighth session)."""
    return np.sqrt(np.array([b.words for b in page.page.blocks], dtype=np.float64) + 1.0)


# Small pages cut from real ones (see crop). The training sources are full pages of news sites,
# shops and forums; a short post or a stub with a menu, a headline, two paragraphs and a footer is
# rare there, and models that scored better on them misread such pages (DEVELOPERS.md, "Small
# pages"). The sizes say what a small page is, set by that reasoning and not tuned: up to six
# content blocks (a headline and a few paragraphs), up to fifteen blocks of the page's top (menu,
# masthead) and bottom (footer), up to three blocks either side of the content (bylines, share
# bars, the first teaser). One crop per page was the one setting tried.
CROPS_PER_PAGE = 1
CROP_CONTENT_BLOCKS = 6
CROP_EDGE_BLOCKS = 15
CROP_SURROUNDING_BLOCKS = 3


def crop(page: LabelledPage, rng: np.random.Generator) -> LabelledPage | None:
    """A small page cut from ``page``: its first blocks, its first few content blocks with the
    blocks just around them, and its last blocks, in page order, featurized as a page of their
    own and labelled by the original's gold alignment. None when there is no content to keep or
    the page is already that small."""
    content = np.flatnonzero(page.y)
    n = len(page.page)
    if not len(content):
        return None
    kept_content = content[:int(rng.integers(1, CROP_CONTENT_BLOCKS + 1))]
    top = int(rng.integers(0, CROP_EDGE_BLOCKS + 1))
    bottom = int(rng.integers(0, CROP_EDGE_BLOCKS + 1))
    around = int(rng.integers(0, CROP_SURROUNDING_BLOCKS + 1))
    first, last = int(kept_content[0]), int(kept_content[-1])
    keep = sorted({*range(min(top, first)),
                   *range(max(first - around, 0), min(last + around + 1, n)),
                   *range(max(n - bottom, last + 1), n)})
    if len(keep) == n:
        return None
    small = Page(blocks=tuple(page.page.blocks[i] for i in keep), input_format=page.page.input_format,
                 title_hints=page.page.title_hints)
    # Crops are fitted on, never scored: they carry no gold text of their own.
    return LabelledPage(page.example, small, featurize(small, page.lexicon), page.fraction[keep], Counter(),
                        page.lexicon)


def crops_of(page: LabelledPage, count: int = CROPS_PER_PAGE) -> list[LabelledPage]:
    """``count`` crops of a page, the same ones every time (seeded by the page's key, so a page
    gives the same crops in every fold and every training)."""
    rng = np.random.default_rng(zlib.crc32(page.example.key.encode("utf-8", "surrogatepass")))
    return [c for c in (crop(page, rng) for _ in range(count)) if c is not None]


def stack(pages: list[LabelledPage], page_weights: np.ndarray | None = None
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """X, y, sample weights and page index per block for a list of pages.

    A page weight of k means k copies of the page's rows, not rows weighted k: tree learners
    count rows for their minimum leaf size, so a pattern seen on a few fixture pages could
    otherwise never get a leaf of its own however heavily they were weighted."""
    copies = [1] * len(pages) if page_weights is None else [max(1, round(w)) for w in page_weights]
    if not pages:
        return np.zeros((0, 0), dtype=np.float32), np.zeros(0, dtype=bool), np.zeros(0), np.zeros(0, dtype=np.int64)
    X = np.vstack([np.tile(p.X, (k, 1)) for p, k in zip(pages, copies)])
    y = np.concatenate([np.tile(p.y, k) for p, k in zip(pages, copies)])
    w = np.concatenate([np.tile(block_weights(p), k) for p, k in zip(pages, copies)])
    owner = np.repeat(np.arange(len(pages)), [len(p.page) * k for p, k in zip(pages, copies)])
    return X, y, w, owner
