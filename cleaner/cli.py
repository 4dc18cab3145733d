"""The ``cleaner`` command line."""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from cleaner import __version__
from cleaner.api import cached_cleaner
from cleaner.batch import (Item, Outcome, RecordsOption, Settings, clean_items, container_of, describe, iter_items,
                           remember)
from cleaner.memory import SiteMemory
from cleaner.model import ModelError, verify_model
from cleaner.compiled import COMPILED_MODULES, compiled_parts

# Defaults for batch safety. 32 MB is several times the largest page in the benchmark datasets
# (about 4 MB) yet keeps lxml's tree for one page well under a gigabyte; 60 s per page is
# several thousand times the median page's cleaning time (about 10 ms).
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0

EPILOG = """\
examples:
  cleaner page.html                      print the article text of one page
  cat scrape.txt | cleaner               a plain-text scrape on stdin (one block per line)
  cleaner --format json page.html        title, text and every block with its score and label
  cleaner pages/ --format jsonl          every file below pages/, one JSON object per line
  cleaner pages/ --out-dir clean/        one clean .txt per input, same relative paths
  cleaner crawl.jsonl -f jsonl --no-blocks > clean.jsonl
                                         JSON lines in ({"url": ..., "html": ...} or "text"),
                                         JSON lines out (url, title, text), in input order
  cleaner crawl.warc.gz -f jsonl -j 4    text/html responses of a WARC file, 4 processes
  cleaner --scheduler tcp://10.0.0.5:8786 crawl/ -o clean/
                                         the same batch on a Dask cluster
  cleaner --input-format text page.txt   force plain-text mode (auto-detected otherwise)
  cleaner --model my.joblib page.html    use a model trained with python -m training.train
  cleaner crawl/ -o clean/ --resume --errors failed.jsonl
                                         restartable batch; failures listed in failed.jsonl
  cleaner --site-memory crawl.jsonl -f jsonl
                                         blocks recurring across a site's pages count as noise

exit status: 0 all inputs cleaned, 1 some input failed (the rest are still processed,
one line per failure on stderr), 2 usage error or unusable model.
"""


@dataclass(frozen=True, slots=True)
class Config:
    inputs: tuple[str, ...]
    output_format: str
    input_format: str | None
    records: RecordsOption
    out_dir: Path | None
    model: str | None
    threshold: float | None
    with_blocks: bool
    max_bytes: int
    timeout: float
    errors: Path | None
    resume: bool
    jobs: int
    scheduler: str | None
    progress: str
    site_memory: bool


class UsageError(Exception):
    pass


def _build_note() -> str:
    """Which compiled parts run, for --version: all, none (pure Python) or the ones that loaded."""
    parts = compiled_parts()
    if len(parts) == len(COMPILED_MODULES):
        return "compiled parts: all"
    return f"compiled parts: {', '.join(parts)}" if parts else "pure Python: no compiled parts"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner",
        description="Remove boilerplate (navigation, teasers, comments, footers) from scraped web "
                    "pages, HTML or plain text, and print the article.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", metavar="PATH",
                        help="files, directories (read recursively), .jsonl or .warc files; "
                             "'-' or nothing reads stdin")
    parser.add_argument("-f", "--format", dest="output_format", choices=["text", "json", "jsonl"],
                        default="text", help="output: article text (default), one JSON document, or JSON lines")
    parser.add_argument("--input-format", choices=["auto", "html", "text"], default="auto",
                        help="treat pages as HTML or as plain-text scrapes (default: detect)")
    parser.add_argument("--records", choices=["auto", "page", "jsonl", "warc"], default="auto",
                        help="how a file holds pages: one page per file, one JSON object per line "
                             "(fields url and html or text), or WARC response records (default: by "
                             "suffix, .jsonl/.ndjson[.gz] and .warc[.gz]; use this for stdin)")
    parser.add_argument("-o", "--out-dir", type=Path, help="write one output file per page here")
    parser.add_argument("--model", help="model file (.joblib with its .json sidecar); loading a model "
                        "runs its code, so name only files you trust (default: the packaged model)")
    parser.add_argument("--threshold", type=float, help="p(content) cut-off for every page (default: the model's "
                        "own, one for HTML pages and one for plain text)")
    parser.add_argument("--no-blocks", action="store_true", help="json/jsonl: leave out the per-block list")
    parser.add_argument("-j", "--jobs", type=int, default=1,
                        help="worker processes (default 1; -1: one per core); output order is input order")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a Dask distributed cluster, e.g. tcp://host:8786 (needs cleaner[dask] "
                             "here and on the workers)")
    parser.add_argument("--site-memory", action="store_true",
                        help="read the inputs twice: first count, per site (URL host, else folder), the "
                             "blocks that recur on many pages; then drop them as site furniture "
                             "(navigation, teaser lists, footers). Not for stdin")
    parser.add_argument("--progress", choices=["auto", "always", "never"], default="auto",
                        help="progress bar on stderr (default: only when stderr is a terminal)")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                        help=f"skip (as a failure) pages larger than this (default {DEFAULT_MAX_BYTES}; 0: no limit)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"seconds allowed per page before it counts as failed (default {DEFAULT_TIMEOUT:g}; "
                             "0: none; not applied on a Dask cluster)")
    parser.add_argument("--errors", type=Path, metavar="FILE",
                        help="write one JSON line per failed page (source, url, error) to FILE")
    parser.add_argument("--resume", action="store_true",
                        help="with --out-dir: skip pages whose output already exists (outputs are written "
                             "atomically, so an existing one is complete)")
    parser.add_argument("-r", "--recursive", action="store_true",
                        help="accepted for familiarity; directories are always read recursively")
    parser.add_argument("-V", "--version", action="version",
                        version=f"cleaner {__version__} ({_build_note()})")
    return parser


def config_from(args: argparse.Namespace) -> Config:
    """The one place where CLI arguments become configuration."""
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        raise UsageError("--threshold must be between 0 and 1")
    if args.max_bytes < 0 or args.timeout < 0:
        raise UsageError("--max-bytes and --timeout must not be negative")
    if args.resume and args.out_dir is None:
        raise UsageError("--resume needs --out-dir (it skips inputs whose output file exists)")
    if args.jobs == 0 or args.jobs < -1:
        raise UsageError("--jobs must be a positive number, or -1 for one per core")
    if args.site_memory and (not args.inputs or "-" in args.inputs):
        raise UsageError("--site-memory reads the inputs twice, so it cannot read stdin")
    return Config(
        inputs=tuple(args.inputs) or ("-",),
        output_format=args.output_format,
        input_format=None if args.input_format == "auto" else args.input_format,
        records=args.records,
        out_dir=args.out_dir,
        model=args.model,
        threshold=args.threshold,
        with_blocks=not args.no_blocks,
        max_bytes=args.max_bytes,
        timeout=args.timeout,
        errors=args.errors,
        resume=args.resume,
        jobs=(os.cpu_count() or 1) if args.jobs == -1 else args.jobs,
        scheduler=args.scheduler,
        progress=args.progress,
        site_memory=args.site_memory,
    )


def output_path(item: Item, config: Config) -> Path:
    assert config.out_dir is not None
    relative = item.relative or Path("stdin")
    suffix = ".txt" if config.output_format == "text" else f".{config.output_format}"
    return config.out_dir / relative.with_suffix(suffix)


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename: a killed run leaves no half file.

    The temporary name is fixed before the file exists, so Ctrl-C or SIGTERM landing anywhere
    in between still finds it to remove (with mkstemp, a signal inside the call or just after it
    left the file behind: the kill-and-resume test hit that about one run in ten). One process
    writes one output at a time, so the process id makes the name its own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:  # a signal, a full disk: no temporary file is left
        tmp.unlink(missing_ok=True)
        raise


def remove_stale_temporaries(out_dir: Path) -> int:
    """Temporary files a killed run (SIGKILL, power loss) left behind; their outputs are redone."""
    removed = 0
    for stale in out_dir.rglob(".*.tmp") if out_dir.is_dir() else ():
        stale.unlink(missing_ok=True)
        removed += 1
    return removed


class Plan:
    """Decides each item's output file before it is cleaned: refuses collisions, skips (with
    --resume) what is already done. Runs in the parent process, in input order."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.claimed: set[str] = set()
        self.skipped = 0

    def items(self, items: Iterable[Item]) -> Iterator[Item]:
        for item in items:
            if self.config.out_dir is None or item.relative is None:
                yield item
                continue
            target = output_path(item, self.config)
            key = str(target)
            if key in self.claimed:
                yield replace(item, data=None, error=f"output {target} would overwrite another input's output")
                continue
            self.claimed.add(key)
            if self.config.resume and target.exists():
                self.skipped += 1
                continue
            yield replace(item, target=key)


class Report:
    """Failures: one line each on stderr and, with --errors, one JSON line each in that file,
    written as they happen (a killed run keeps the failures seen so far)."""

    def __init__(self, path: Path | None, stderr: TextIO) -> None:
        self.stderr = stderr
        self.count = 0
        self.file = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.file = path.open("w", encoding="utf-8")

    def failed(self, item: Item, error: str) -> None:
        self.count += 1
        print(f"cleaner: {item.source}: {error}", file=self.stderr)
        if self.file is not None:
            record = {"source": item.source, "error": error}
            if item.url is not None:
                record["url"] = item.url
            self.file.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def progress_bar(enabled: bool, stderr: TextIO):
    """A tqdm bar on stderr (pages, pages/s, failures), or None when off."""
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(file=stderr, unit=" pages", dynamic_ncols=True, mininterval=0.5, smoothing=0.1)


def is_many(config: Config) -> bool:
    """Whether output on stdout needs '==> name <==' headers (more than one page may come)."""
    inputs = config.inputs
    return len(inputs) > 1 or any(
        i != "-" and (Path(i).is_dir() or container_of(i, config.records) != "page") for i in inputs
    ) or config.records in ("jsonl", "warc")


def run(config: Config, stdout: TextIO, stderr: TextIO) -> int:
    try:  # fail early, before any worker starts; a parallel parent only checks the file
        if config.jobs == 1 and config.scheduler is None:
            cached_cleaner(config.model, config.threshold)
        else:
            verify_model(config.model)
    except ModelError as exc:
        print(f"cleaner: {exc}", file=stderr)
        return 2
    settings = Settings(model=config.model, threshold=config.threshold, input_format=config.input_format,
                        max_bytes=config.max_bytes, timeout=config.timeout,
                        output_format=config.output_format, with_blocks=config.with_blocks)
    try:
        if config.resume and config.out_dir is not None:
            remove_stale_temporaries(config.out_dir)
        report = Report(config.errors, stderr)
    except OSError as exc:
        print(f"cleaner: {exc}", file=stderr)
        return 2
    plan = Plan(config)
    many = is_many(config)
    show = config.progress == "always" or (config.progress == "auto" and stderr.isatty())
    bar = None
    total = 0
    try:
        memory = None
        if config.site_memory:
            memory = SiteMemory()
            counted = remember(iter_items(config.inputs, config.records, config.max_bytes), settings, memory,
                               config.jobs, config.scheduler)
            if show:
                print(f"cleaner: site memory: {counted} pages counted", file=stderr)
        bar = progress_bar(show, stderr)
        items = plan.items(iter_items(config.inputs, config.records, config.max_bytes))
        for outcome in clean_items(items, settings, config.jobs, config.scheduler, memory):
            total += 1
            if outcome.output is None:
                report.failed(outcome.item, outcome.error or "failed")
            else:
                try:
                    emit(outcome, config, many, stdout)
                except BrokenPipeError:
                    raise  # the reader of stdout went away: stop, it is not this input's failure
                except OSError as exc:  # this input's output file could not be written
                    report.failed(outcome.item, describe(exc))
            if bar is not None:
                bar.update(1)
                if report.count:
                    bar.set_postfix(failed=report.count, refresh=False)
    except RuntimeError as exc:  # e.g. --scheduler without Dask installed, or no scheduler there
        print(f"cleaner: {exc}", file=stderr)
        return 2
    finally:
        if bar is not None:
            bar.close()
        report.close()
    if plan.skipped:
        print(f"cleaner: {plan.skipped} inputs already done (--resume), skipped", file=stderr)
    if report.count:
        print(f"cleaner: {report.count} of {total} inputs failed", file=stderr)
    return 1 if report.count else 0


def emit(outcome: Outcome, config: Config, many: bool, stdout: TextIO) -> None:
    assert outcome.output is not None
    text = outcome.output
    if outcome.item.target is not None:
        write_atomically(Path(outcome.item.target), text)
        return
    if many and config.output_format == "text":
        stdout.write(f"==> {outcome.item.source} <==\n{text}\n")
    else:
        stdout.write(text)


def main(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        config = config_from(args)
    except UsageError as exc:
        print(f"cleaner: {exc}", file=stderr)
        return 2
    except SystemExit as exc:  # argparse: --help, --version (0) or a usage error (2)
        return int(exc.code or 0)
    return run(config, stdout, stderr)


def _terminate(signum: int, _frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C: a half-written temporary file is removed on the way out.
    raise SystemExit(128 + signum)


def entry_point() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    try:
        sys.exit(main())
    except BrokenPipeError:  # `cleaner crawl/ | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)
    except KeyboardInterrupt:
        print("cleaner: interrupted; finished outputs are complete, rerun with --resume to go on",
              file=sys.stderr)
        sys.exit(130)
