"""The ``cleaner`` command line."""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from cleaner import __version__
from cleaner.api import Cleaner, Result
from cleaner.decode import binary_kind
from cleaner.model import ModelError

# Defaults for batch safety. 32 MB is several times the largest page in the benchmark datasets
# (about 4 MB) yet keeps lxml's tree for one page well under a gigabyte; 60 s per page is
# roughly a thousand times the median page's cleaning time.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0

EPILOG = """\
examples:
  cleaner page.html                      print the article text of one page
  cat scrape.txt | cleaner               a plain-text scrape on stdin (one block per line)
  cleaner --format json page.html        title, text and every block with its score and label
  cleaner -r pages/ --format jsonl       every file below pages/, one JSON object per line
  cleaner pages/ --out-dir clean/        one clean .txt per input, same relative paths
  cleaner --input-format text page.txt   force plain-text mode (auto-detected otherwise)
  cleaner --model my.joblib page.html    use a model trained with python -m training.train
  cleaner crawl/ -o clean/ --resume --errors failed.jsonl
                                         restartable batch; failures listed in failed.jsonl

exit status: 0 all inputs cleaned, 1 some input failed (the rest are still processed,
one line per failure on stderr), 2 usage error or unusable model.
"""


@dataclass(frozen=True, slots=True)
class Config:
    inputs: tuple[str, ...]
    output_format: str
    input_format: str | None
    out_dir: Path | None
    model: str | None
    threshold: float | None
    with_blocks: bool
    max_bytes: int
    timeout: float
    errors: Path | None
    resume: bool


class UsageError(Exception):
    pass


class InputError(Exception):
    """This input cannot be cleaned (too large, not a page, too slow); the batch goes on."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner",
        description="Remove boilerplate (navigation, teasers, comments, footers) from scraped web "
                    "pages, HTML or plain text, and print the article.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", metavar="PATH",
                        help="files or directories (read recursively); '-' or nothing reads stdin")
    parser.add_argument("-f", "--format", dest="output_format", choices=["text", "json", "jsonl"],
                        default="text", help="output: article text (default), one JSON document, or JSON lines")
    parser.add_argument("--input-format", choices=["auto", "html", "text"], default="auto",
                        help="treat input as HTML or as a plain-text scrape (default: detect)")
    parser.add_argument("-o", "--out-dir", type=Path, help="write one output file per input here")
    parser.add_argument("--model", help="model file (.joblib with its .json sidecar); loading a model "
                        "runs its code, so name only files you trust (default: the packaged model)")
    parser.add_argument("--threshold", type=float, help="p(content) cut-off (default: the model's own)")
    parser.add_argument("--no-blocks", action="store_true", help="json/jsonl: leave out the per-block list")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                        help=f"skip (as a failure) inputs larger than this (default {DEFAULT_MAX_BYTES}; 0: no limit)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"seconds allowed per input before it counts as failed (default {DEFAULT_TIMEOUT:g}; 0: none)")
    parser.add_argument("--errors", type=Path, metavar="FILE",
                        help="write one JSON line per failed input (source, error) to FILE")
    parser.add_argument("--resume", action="store_true",
                        help="with --out-dir: skip inputs whose output already exists (outputs are written "
                             "atomically, so an existing one is complete)")
    parser.add_argument("-r", "--recursive", action="store_true",
                        help="accepted for familiarity; directories are always read recursively")
    parser.add_argument("-V", "--version", action="version", version=f"cleaner {__version__}")
    return parser


def config_from(args: argparse.Namespace) -> Config:
    """The one place where CLI arguments become configuration."""
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        raise UsageError("--threshold must be between 0 and 1")
    if args.max_bytes < 0 or args.timeout < 0:
        raise UsageError("--max-bytes and --timeout must not be negative")
    if args.resume and args.out_dir is None:
        raise UsageError("--resume needs --out-dir (it skips inputs whose output file exists)")
    return Config(
        inputs=tuple(args.inputs) or ("-",),
        output_format=args.output_format,
        input_format=None if args.input_format == "auto" else args.input_format,
        out_dir=args.out_dir,
        model=args.model,
        threshold=args.threshold,
        with_blocks=not args.no_blocks,
        max_bytes=args.max_bytes,
        timeout=args.timeout,
        errors=args.errors,
        resume=args.resume,
    )


@dataclass(frozen=True, slots=True)
class Source:
    name: str  # what the user gave, or the path found below a directory
    relative: Path | None  # path relative to the directory it was found in (for --out-dir)


def expand(inputs: tuple[str, ...]) -> Iterator[Source]:
    """Files named, and every regular non-hidden file below directories named, in sorted order."""
    for item in inputs:
        path = Path(item)
        if item != "-" and path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = found.relative_to(path)
                if not any(part.startswith(".") for part in rel.parts):
                    yield Source(str(found), rel)
        elif item == "-":
            yield Source(item, None)
        else:  # keep the path as given (minus root and '..') so same-named files do not collide
            yield Source(item, Path(*[p for p in path.parts if p not in (path.anchor, "..", ".")] or [path.name]))


def read_input(source: Source, max_bytes: int) -> bytes:
    """The input's bytes; refuses what is over the size limit or clearly not a page."""
    if source.name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1) if max_bytes else sys.stdin.buffer.read()
    else:
        path = Path(source.name)
        if max_bytes and path.stat().st_size > max_bytes:
            raise InputError(f"{path.stat().st_size / 1e6:.1f} MB is over the --max-bytes limit "
                             f"({max_bytes / 1e6:.1f} MB)")
        data = path.read_bytes()
    if max_bytes and len(data) > max_bytes:
        raise InputError(f"over the --max-bytes limit ({max_bytes / 1e6:.1f} MB)")
    kind = binary_kind(data)
    if kind:
        raise InputError(f"not a web page ({kind})")
    return data


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise InputError if the block takes longer than ``seconds`` (main thread, POSIX; else no limit)."""
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


def render(result: Result, source: Source, config: Config) -> str:
    if config.output_format == "text":
        return result.text + "\n" if result.text else ""
    record = {"source": source.name, **result.to_dict(with_blocks=config.with_blocks)}
    if config.output_format == "json":
        return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    return json.dumps(record, ensure_ascii=False) + "\n"


def output_path(source: Source, config: Config) -> Path:
    assert config.out_dir is not None
    relative = source.relative or Path("stdin")
    suffix = ".txt" if config.output_format == "text" else f".{config.output_format}"
    return config.out_dir / relative.with_suffix(suffix)


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename: a killed run leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def clean_one(cleaner: Cleaner, source: Source, config: Config) -> str:
    """The rendered output for one input; raises on any failure of that input alone."""
    data = read_input(source, config.max_bytes)
    with time_limit(config.timeout):
        result = cleaner.analyze(data, config.input_format)  # type: ignore[arg-type]
    return render(result, source, config)


def describe(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"


def run(config: Config, stdout: TextIO, stderr: TextIO) -> int:
    try:
        cleaner = Cleaner(config.model, config.threshold)
    except ModelError as exc:
        print(f"cleaner: {exc}", file=stderr)
        return 2
    sources = list(expand(config.inputs))
    many = len(sources) > 1
    failures: list[dict[str, str]] = []
    skipped = 0
    claimed: set[Path] = set()
    for source in sources:
        try:
            target = None
            if config.out_dir is not None:
                target = output_path(source, config)
                if target in claimed:
                    raise InputError(f"output {target} would overwrite another input's output")
                claimed.add(target)
                if config.resume and target.exists():
                    skipped += 1
                    continue
            text = clean_one(cleaner, source, config)
            if target is not None:
                write_atomically(target, text)
            else:
                if many and config.output_format == "text":
                    stdout.write(f"==> {source.name} <==\n")
                stdout.write(text)
                if many and config.output_format == "text":
                    stdout.write("\n")
        except (InputError, OSError, ValueError, RecursionError, MemoryError) as exc:
            failures.append({"source": source.name, "error": describe(exc)})
            print(f"cleaner: {source.name}: {describe(exc)}", file=stderr)
    if config.errors is not None:
        write_atomically(config.errors, "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in failures))
    if skipped:
        print(f"cleaner: {skipped} inputs already done (--resume), skipped", file=stderr)
    if failures:
        print(f"cleaner: {len(failures)} of {len(sources)} inputs failed", file=stderr)
    return 1 if failures else 0


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


def entry_point() -> None:
    sys.exit(main())
