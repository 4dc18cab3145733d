"""Batch cleaning: many inputs in, one ordered outcome per page out.

Inputs are files, directories (walked in sorted order, streamed), JSON-lines files (one page
per line, as crawlers emit them) and WARC files (text/html response records). They become a
stream of ``Item``s; ``clean_items`` turns that stream into ``Outcome``s in input order:

- serially, in this process (``jobs=1``);
- on ``jobs`` local worker processes through joblib (loky);
- on a Dask distributed cluster through joblib's Dask backend (``scheduler`` address).

Work is shipped in chunks of ``CHUNK_PAGES`` items; each worker loads the model once
(``cached_cleaner``) and classifies a whole chunk in one model call. Memory stays flat:
items are read lazily and joblib keeps only a few chunks in flight.
"""
from __future__ import annotations

import contextlib
import gzip
import itertools
import json
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from cleaner.api import Cleaner, Result, as_text, cached_cleaner, collector_paused
from cleaner.decode import binary_kind
from cleaner.document import InputFormat
from cleaner.memory import Recurring, SiteMemory, furniture_marks
from cleaner.segment import segment

Container = Literal["page", "jsonl", "warc"]
RecordsOption = Literal["auto", "page", "jsonl", "warc"]

# Items per task. Boosted trees pay a fixed cost per tree per call, so a chunk is classified
# in one call (see api.DEFAULT_BATCH_PAGES, where the size was measured); it is also small enough
# that a failure or a kill loses little and the output order costs little buffering.
CHUNK_PAGES = 32
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
# WARC response records whose HTTP Content-Type says one of these are pages; images, scripts
# and the like are passed over.
PAGE_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
# A scheduler that does not answer in this time is not there (Dask's own default waits 30 s).
SCHEDULER_CONNECT_SECONDS = 10


class InputError(Exception):
    """This input cannot be cleaned (too large, not a page, too slow); the batch goes on."""


@dataclass(frozen=True, slots=True)
class Item:
    """One page to clean, or the reason it cannot be read."""

    source: str  # what reports call it: a path, '-', 'file.jsonl:LINE' or 'file.warc#N'
    relative: Path | None = None  # where its output goes below --out-dir (suffix replaced)
    path: str | None = None  # a file still to be read (read by the worker, not the reader)
    data: bytes | str | None = None  # a record's page, already read
    url: str | None = None
    input_format: InputFormat | None = None  # what the record says it holds
    charset: str | None = None  # what the server said (WARC HTTP headers)
    error: str | None = None  # set when the item failed before cleaning (a bad JSON line ...)
    target: str | None = None  # output file, filled in by the CLI


@dataclass(frozen=True, slots=True)
class Settings:
    """What every worker needs to clean an item the same way (picklable, small)."""

    model: str | None = None
    threshold: float | None = None
    input_format: InputFormat | None = None  # forced by the user; else the record's, else sniffed
    max_bytes: int = 0
    timeout: float = 0.0
    output_format: str = "jsonl"  # text | json | jsonl: rendered by the worker
    with_blocks: bool = True


@dataclass(frozen=True, slots=True)
class Outcome:
    """One page's rendered output, or why it failed. Rendering happens in the worker, so the
    parent process only writes strings (it stays off the cores the workers need)."""

    item: Item  # without its data: only what reports and writers need
    output: str | None
    error: str | None


def render(result: Result, item: Item, settings: Settings) -> str:
    """The text (with a final newline, or nothing for an empty article) or the JSON record."""
    if settings.output_format == "text":
        return result.text + "\n" if result.text else ""
    record: dict = {"source": item.source}
    if item.url is not None:
        record["url"] = item.url
    record.update(result.to_dict(with_blocks=settings.with_blocks))
    if settings.output_format == "json":
        return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    return json.dumps(record, ensure_ascii=False) + "\n"


# --- reading inputs ----------------------------------------------------------------------------

def container_of(name: str, option: RecordsOption) -> Container:
    if option != "auto":
        return option
    lower = name.lower()
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(WARC_SUFFIXES):
        return "warc"
    return "page"


def walk_sorted(top: Path) -> Iterator[Path]:
    """Regular, non-hidden files below ``top``, directory by directory in sorted order, streamed
    (a crawl of millions of files is never listed in memory at once)."""
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                path = Path(root, name)
                if path.is_file():
                    yield path


def relative_for(item: str) -> Path:
    """An explicitly named file's output path: as given, minus root and '..', so that
    same-named files in different folders never collide."""
    path = Path(item)
    return Path(*[p for p in path.parts if p not in (path.anchor, "..", ".")] or [path.name])


def iter_items(inputs: Iterable[str], records: RecordsOption = "auto", max_bytes: int = 0) -> Iterator[Item]:
    """Every page the inputs hold, in order; '-' is standard input."""
    for given in inputs:
        if given != "-" and Path(given).is_dir():
            for found in walk_sorted(Path(given)):
                yield from _items_of(str(found), found.relative_to(given), records, max_bytes)
        else:
            yield from _items_of(given, relative_for(given) if given != "-" else Path("stdin"), records, max_bytes)


def _items_of(name: str, relative: Path, records: RecordsOption, max_bytes: int) -> Iterator[Item]:
    kind = container_of(name, records)
    if kind == "page":
        yield Item(source=name, relative=relative, path=name)
    elif kind == "jsonl":
        yield from jsonl_items(name, relative, max_bytes)
    else:
        yield from warc_items(name, relative, max_bytes)


def _open_binary(name: str) -> contextlib.AbstractContextManager:
    if name == "-":
        return contextlib.nullcontext(sys.stdin.buffer)
    if name.lower().endswith(".gz"):
        return gzip.open(name, "rb")
    return open(name, "rb")


def _record_relative(relative: Path, number: int) -> Path:
    stem = relative.name.split(".")[0] or "records"
    return relative.parent / stem / f"{number:08d}"


def jsonl_items(name: str, relative: Path, max_bytes: int) -> Iterator[Item]:
    """One item per line holding a JSON object with ``html`` or ``text`` (and ``url``)."""
    line_no = 0
    try:
        with _open_binary(name) as fh:
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                yield _jsonl_item(name, relative, line_no, line, max_bytes)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield Item(source=f"{name}:{line_no + 1}", error=f"cannot read further: {type(exc).__name__}: {exc}")


def _jsonl_item(name: str, relative: Path, line_no: int, line: bytes, max_bytes: int) -> Item:
    source = f"{name}:{line_no}"
    out = _record_relative(relative, line_no)
    if max_bytes and len(line) > max_bytes:
        return Item(source=source, relative=out, error=too_big("a line", len(line), max_bytes))
    try:
        record = json.loads(line)
    except ValueError as exc:
        return Item(source=source, relative=out, error=f"not a JSON object: {exc}")
    if not isinstance(record, dict):
        return Item(source=source, relative=out, error="not a JSON object")
    url = record.get("url") if isinstance(record.get("url"), str) else None
    for field, fmt in (("html", "html"), ("text", "text")):
        value = record.get(field)
        if isinstance(value, str):
            return Item(source=url or source, relative=out, data=value, url=url, input_format=fmt)  # type: ignore[arg-type]
    return Item(source=url or source, relative=out, url=url, error="record has no 'html' or 'text' string field")


def _content_type(value: str | None) -> tuple[str, str | None]:
    """('text/html', 'utf-8') from 'text/html; charset=utf-8'."""
    if not value:
        return "", None
    parts = [p.strip() for p in value.split(";")]
    charset = next((p.split("=", 1)[1].strip("\"' ") for p in parts[1:] if p.lower().startswith("charset=")), None)
    return parts[0].lower(), charset


def warc_items(name: str, relative: Path, max_bytes: int) -> Iterator[Item]:
    """One item per response record whose HTTP Content-Type is a page (HTML, XHTML, plain text)."""
    try:
        from fastwarc.warc import ArchiveIterator, WarcRecordType
    except ImportError:
        yield Item(source=name, error="reading WARC files needs FastWARC: pip install 'cleaner[warc]'")
        return
    number = 0
    try:
        with _open_binary(name) as fh:
            for number, record in enumerate(
                    ArchiveIterator(fh, record_types=WarcRecordType.response, parse_http=True), start=1):
                http = record.http_headers
                mime, charset = _content_type(http.get("Content-Type") if http is not None else None)
                if mime and mime not in PAGE_CONTENT_TYPES:
                    continue
                url = record.headers.get("WARC-Target-URI")
                source = url or f"{name}#{number}"
                out = _record_relative(relative, number)
                if max_bytes and record.content_length > max_bytes:
                    yield Item(source=source, relative=out, url=url,
                               error=too_big("the record", record.content_length, max_bytes))
                    continue
                fmt: InputFormat | None = "text" if mime == "text/plain" else None
                yield Item(source=source, relative=out, data=record.reader.read(), url=url,
                           input_format=fmt, charset=charset)
    except (OSError, EOFError, ValueError) as exc:
        yield Item(source=f"{name}#{number + 1}", error=f"cannot read further: {type(exc).__name__}: {exc}")


def too_big(what: str, size: int, limit: int) -> str:
    return f"{what} has {size:,} bytes, over the --max-bytes limit of {limit:,}"


# --- cleaning ----------------------------------------------------------------------------------

def read_page(item: Item, max_bytes: int) -> bytes | str:
    """The item's page; refuses what is over the size limit or clearly not a page."""
    if item.data is not None:
        data = item.data
    elif item.path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1) if max_bytes else sys.stdin.buffer.read()
    else:
        assert item.path is not None
        path = Path(item.path)
        size = path.stat().st_size
        if max_bytes and size > max_bytes:
            raise InputError(too_big("the file", size, max_bytes))
        data = path.read_bytes()
    if max_bytes and len(data) > max_bytes:
        raise InputError(too_big("the page", len(data), max_bytes))
    if isinstance(data, bytes):
        kind = binary_kind(data)
        if kind:
            raise InputError(f"not a web page ({kind})")
    return data


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise InputError if the block runs longer than ``seconds``. Needs SIGALRM and the main
    thread (true serially and in joblib's worker processes; Dask runs tasks in threads, so there
    the limit does not apply)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise InputError(f"took longer than the --timeout of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def describe(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"


def site_of(item: Item) -> str:
    """The site a page belongs to, for site memory: its URL's host, else the folder it came from."""
    if item.url:
        host = urlsplit(item.url).hostname or ""
        return host[4:] if host.startswith("www.") else host
    return str(item.relative.parent) if item.relative is not None else ""


def fingerprint_chunk(items: list[Item], settings: Settings) -> list[tuple[str, list[int]] | None]:
    """Site memory's first pass: (site, block fingerprints) per readable page, else None."""
    with collector_paused():
        return [_fingerprints(item, settings) for item in items]


def _fingerprints(item: Item, settings: Settings) -> tuple[str, list[int]] | None:
    try:
        if item.error is not None:
            raise InputError(item.error)
        data = read_page(item, settings.max_bytes)
        with time_limit(settings.timeout):
            page = segment(as_text(data, item.charset), settings.input_format or item.input_format)
        return site_of(item), SiteMemory.fingerprints(page)
    except Exception:  # noqa: BLE001 - the second pass reports the failure
        return None


def clean_chunk(items: list[Item], settings: Settings,
                recurring: dict[str, Recurring] | None = None) -> list[Outcome]:
    """Clean a chunk of items; one item's failure is its own outcome, never the chunk's.
    ``recurring``: per site, the block fingerprints site memory calls furniture."""
    cleaner = cached_cleaner(settings.model, settings.threshold)
    with collector_paused():  # see collector_paused: 8 % of a page's time, no cycles to free
        return _clean_chunk(cleaner, items, settings, recurring)


def _clean_chunk(cleaner: Cleaner, items: list[Item], settings: Settings,
                 recurring: dict[str, Recurring] | None) -> list[Outcome]:
    prepared, errors = {}, {}
    for i, item in enumerate(items):
        if item.error is not None:
            errors[i] = item.error
            continue
        try:
            data = read_page(item, settings.max_bytes)
            with time_limit(settings.timeout):
                prepared[i] = cleaner.prepare(data, settings.input_format or item.input_format, item.charset)
        except Exception as exc:  # noqa: BLE001 - any failure of one page is reported, the batch goes on
            errors[i] = describe(exc)
    furniture = None
    if recurring is not None:
        furniture = {i: furniture_marks(p.page, recurring.get(site_of(items[i]), Recurring()))
                     for i, p in prepared.items()}
    results = _finish(cleaner, prepared, errors, furniture)
    outcomes = []
    for i, item in enumerate(items):
        output = None
        if i in results:
            try:
                output = render(results[i], item, settings)
            except Exception as exc:  # noqa: BLE001
                errors[i] = describe(exc)
        outcomes.append(Outcome(replace(item, data=None), output, errors.get(i)))
    return outcomes


def _finish(cleaner: Cleaner, prepared: dict, errors: dict, furniture: dict | None = None) -> dict[int, Result]:
    order = sorted(prepared)
    marks = [furniture[i] for i in order] if furniture is not None else None
    try:
        return dict(zip(order, cleaner.finish([prepared[i] for i in order], marks)))
    except Exception:  # noqa: BLE001 - find the page at fault: classify one at a time
        results = {}
        for i in order:
            try:
                results[i] = cleaner.finish([prepared[i]], None if furniture is None else [furniture[i]])[0]
            except Exception as exc:  # noqa: BLE001
                errors[i] = describe(exc)
        return results


def chunks(items: Iterable[Item], size: int = CHUNK_PAGES) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def clean_items(items: Iterable[Item], settings: Settings, jobs: int = 1,
                scheduler: str | None = None, memory: SiteMemory | None = None) -> Iterator[Outcome]:
    """Outcomes in input order: serially, on ``jobs`` local processes, or on a Dask cluster.
    With ``memory`` (already filled by ``remember``), recurring blocks of each site are noise."""
    def tasks() -> Iterator[tuple[list[Item], Settings, dict[str, Recurring] | None]]:
        for chunk in chunks(items):
            recurring = None
            if memory is not None:  # only the sites of this chunk, only their furniture: a small payload
                recurring = {site: memory.recurring(site) for site in {site_of(item) for item in chunk}}
            yield chunk, settings, recurring

    for outcomes in _map(clean_chunk, tasks(), jobs, scheduler):
        yield from outcomes


def remember(items: Iterable[Item], settings: Settings, memory: SiteMemory, jobs: int = 1,
             scheduler: str | None = None) -> int:
    """Site memory's first pass: count every page's blocks per site. Returns the pages counted."""
    counted = 0
    for prints in _map(fingerprint_chunk, ((chunk, settings) for chunk in chunks(items)), jobs, scheduler):
        for entry in prints:
            if entry is not None:
                memory.observe(*entry)
                counted += 1
    return counted


def _map(function, arguments: Iterable[tuple], jobs: int, scheduler: str | None) -> Iterator:
    """``function(*args)`` for each tuple of arguments, results in order: serially, on ``jobs``
    local processes, or on a Dask cluster."""
    if scheduler is None and jobs == 1:
        for args in arguments:
            yield function(*args)
        return
    import joblib

    with _backend(scheduler, jobs) as n_jobs:
        # pre_dispatch bounds what is read ahead of the output: flat memory whatever the input size.
        parallel = joblib.Parallel(n_jobs=n_jobs, return_as="generator", batch_size=1, pre_dispatch="2*n_jobs")
        yield from parallel(joblib.delayed(function)(*args) for args in arguments)


@contextlib.contextmanager
def _backend(scheduler: str | None, jobs: int) -> Iterator[int]:
    import joblib

    if scheduler is None:
        with joblib.parallel_config(backend="loky", inner_max_num_threads=1):
            yield jobs
        return
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise RuntimeError("--scheduler needs Dask: pip install 'cleaner[dask]'") from exc
    try:
        client = Client(scheduler, timeout=SCHEDULER_CONNECT_SECONDS)
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    with client, joblib.parallel_config(backend="dask"):
        workers = sum(client.nthreads().values()) or 1
        yield workers if jobs <= 1 else jobs
