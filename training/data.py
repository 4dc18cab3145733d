"""Read labelled pages: the project's fixture folders and the ../shared/datasets layout.

A fixture is a folder holding the raw page (``page.html`` or ``page.txt``, never edited),
``expected.txt`` (clean text, one paragraph per block) and ``meta.json``. A dataset folder has
``pages/``, ``gold/`` and ``manifest.jsonl``. Both become ``Example``s.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cleaner.decode import decode
from cleaner.document import InputFormat
from cleaner.text import collapse_space

# What each known source may be used for (../shared/datasets/README.md). Only "redistributable"
# sources may train the model that ships in cleaner/models/.
LICENCES: dict[str, str] = {
    "seeds": "project fixtures (users' own pages)",
    "fixtures": "project fixtures",
    "wcxb-dev": "CC-BY-4.0",
    "article-extraction-dataset": "Apache-2.0",
    "fundus-testdata": "MIT",
    "readability-testpages": "Apache-2.0",
    "newspaper4k-fixtures": "MIT",
    "l3s-gn1": "research use only",
    "dragnet": "AGPL-3.0",
    "cleaneval": "none stated",
    "cleanportaleval": "none stated",
}
EVALUATION_ONLY = frozenset({"l3s-gn1", "dragnet", "cleaneval", "cleanportaleval"})
# Pages whose gold text is mostly missing from the HTML (paywalls, client-side rendering) teach
# nothing; the datasets README recommends this filter, 0.8 is its own example cut-off.
MIN_GOLD_RECALL = 0.8


# Gold conventions differ (../shared/datasets/README.md): these datasets' gold leaves the headline
# out, where cleaner keeps it (README.md; the seeds' labelling policy) as do wcxb-dev, l3s-gn1 and
# CleanEval. Their manifests give each page's title, which is put back at the head of the gold when
# the dataset is read, so that every training page is labelled by one policy: a headline labelled
# noise on 628 pages and content on the rest taught the model to doubt every headline.
# (newspaper4k-fixtures leaves it out too but its manifest has no titles.)
HEADLINE_LEFT_OUT = frozenset({"article-extraction-dataset", "fundus-testdata", "newspaper4k-fixtures"})


def with_headline(gold: str, title: str | None) -> str:
    """The gold with the page's title as its first paragraph, unless it is empty (a page with no
    main content has no headline either) or already starts with it."""
    title = collapse_space(title or "")
    if not title or not gold.strip() or collapse_space(gold).startswith(title):
        return gold
    return f"{title}\n\n{gold}"


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    source: str  # dataset name, or the fixture's "source" (e.g. "seeds")
    site: str  # host name or fixture site; the unit for per-site reports
    lang: str | None
    page: str  # decoded page text, as scraped
    gold: str
    input_format: InputFormat | None  # None: sniff
    path: str
    fixture: bool = False  # a user's labelled page (fixtures/), not a public dataset page

    @property
    def key(self) -> str:
        return f"{self.source}/{self.id}"


def host_of(url: str | None) -> str:
    if not url:
        return "unknown"
    host = urlsplit(url).hostname or "unknown"
    return host[4:] if host.startswith("www.") else host


def read_fixture(folder: Path) -> Example:
    """One fixture folder."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    pages = sorted(folder.glob("page.*"))
    if len(pages) != 1:
        raise ValueError(f"{folder}: expected exactly one page.html or page.txt, found {len(pages)}")
    page = pages[0]
    fmt: InputFormat | None = {".html": "html", ".htm": "html", ".txt": "text"}.get(page.suffix)
    source = meta.get("source", "fixtures")
    return Example(
        id=folder.name, source=source, site=meta.get("site") or host_of(meta.get("url")),
        lang=meta.get("lang"), page=decode(page.read_bytes()),  # saved as scraped, in any charset
        gold=(folder / "expected.txt").read_text(encoding="utf-8"), input_format=fmt, path=str(page),
        fixture=True,
    )


def read_fixtures(root: Path) -> list[Example]:
    """Every fixture folder below ``root`` (a folder with meta.json and expected.txt), sorted."""
    return [read_fixture(meta.parent) for meta in sorted(root.rglob("meta.json"))
            if (meta.parent / "expected.txt").is_file()]


def read_dataset(root: Path, min_gold_recall: float = MIN_GOLD_RECALL) -> list[Example]:
    """A ../shared/datasets folder; pages whose gold is mostly absent from the HTML are skipped."""
    examples = []
    for row in sorted(manifest_rows(root), key=lambda r: r["id"]):
        if row.get("gold_recall", 1.0) < min_gold_recall:
            continue
        pages = list((root / "pages").glob(f"{row['id']}.*"))
        gold = root / "gold" / f"{row['id']}.txt"
        if not pages or not gold.is_file():
            continue
        page = pages[0]
        source = row.get("source") or root.name
        gold_text = gold.read_text(encoding="utf-8")
        if source in HEADLINE_LEFT_OUT:
            gold_text = with_headline(gold_text, row.get("title"))
        examples.append(Example(
            id=row["id"], source=source, site=host_of(row.get("url")),
            lang=row.get("lang"), page=page.read_text(encoding="utf-8", errors="replace"),
            gold=gold_text,
            input_format="text" if page.suffix == ".txt" else "html", path=str(page),
        ))
    return examples


def synthetic_ids(root: Path) -> frozenset[str]:
    """Ids of a dataset's synthetic unit-test pages (``synthetic: true`` in its manifest; none if it
    has no manifest). readability-testpages has 34: lorem ipsum, so a language detector calls 32 of
    them Latin, and its README says to exclude them for realistic evaluation."""
    if not (Path(root) / "manifest.jsonl").is_file():
        return frozenset()
    return frozenset(row["id"] for row in manifest_rows(root) if row.get("synthetic"))


def manifest_rows(root: Path) -> list[dict]:
    """The rows of a dataset's manifest.jsonl, one dict per page."""
    with (Path(root) / "manifest.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_source(path: str | Path, min_gold_recall: float = MIN_GOLD_RECALL) -> list[Example]:
    """A dataset folder (has manifest.jsonl) or a folder of fixtures."""
    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(f"no such folder: {root}")
    if (root / "manifest.jsonl").is_file() and (root / "pages").is_dir():
        return read_dataset(root, min_gold_recall)
    examples = read_fixtures(root)
    if not examples:
        raise ValueError(f"{root} holds neither a dataset (manifest.jsonl, pages/, gold/) nor fixture folders")
    return examples


def read_sources(paths: Iterable[str | Path], min_gold_recall: float = MIN_GOLD_RECALL) -> list[Example]:
    return [ex for path in paths for ex in read_source(path, min_gold_recall)]


def sources_of(examples: Iterable[Example]) -> Iterator[str]:
    return iter(sorted({ex.source for ex in examples}))
