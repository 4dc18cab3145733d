"""The ``cleaner`` command line."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from cleaner import __version__
from cleaner.api import Cleaner, Result
from cleaner.model import ModelError

EPILOG = """\
examples:
  cleaner page.html                      print the article text of one page
  cat scrape.txt | cleaner               a plain-text scrape on stdin (one block per line)
  cleaner --format json page.html        title, text and every block with its score and label
  cleaner -r pages/ --format jsonl       every file below pages/, one JSON object per line
  cleaner pages/ --out-dir clean/        one clean .txt per input, same relative paths
  cleaner --input-format text page.txt   force plain-text mode (auto-detected otherwise)
  cleaner --model my.joblib page.html    use a model trained with python -m training.train

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


class UsageError(Exception):
    pass


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
    parser.add_argument("-r", "--recursive", action="store_true",
                        help="accepted for familiarity; directories are always read recursively")
    parser.add_argument("-V", "--version", action="version", version=f"cleaner {__version__}")
    return parser


def config_from(args: argparse.Namespace) -> Config:
    """The one place where CLI arguments become configuration."""
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        raise UsageError("--threshold must be between 0 and 1")
    return Config(
        inputs=tuple(args.inputs) or ("-",),
        output_format=args.output_format,
        input_format=None if args.input_format == "auto" else args.input_format,
        out_dir=args.out_dir,
        model=args.model,
        threshold=args.threshold,
        with_blocks=not args.no_blocks,
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


def read_input(source: Source) -> bytes:
    if source.name == "-":
        return sys.stdin.buffer.read()
    return Path(source.name).read_bytes()


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


def run(config: Config, stdout: TextIO, stderr: TextIO) -> int:
    try:
        cleaner = Cleaner(config.model, config.threshold)
    except ModelError as exc:
        print(f"cleaner: {exc}", file=stderr)
        return 2
    sources = list(expand(config.inputs))
    many = len(sources) > 1
    failures = 0
    claimed: set[Path] = set()
    for source in sources:
        try:
            if config.out_dir is not None:
                target = output_path(source, config)
                if target in claimed:
                    raise ValueError(f"output {target} would overwrite another input's output")
                claimed.add(target)
            result = cleaner.analyze(read_input(source), config.input_format)  # type: ignore[arg-type]
            text = render(result, source, config)
            if config.out_dir is not None:
                write_atomically(output_path(source, config), text)
            else:
                if many and config.output_format == "text":
                    stdout.write(f"==> {source.name} <==\n")
                stdout.write(text)
                if many and config.output_format == "text":
                    stdout.write("\n")
        except (OSError, ValueError, RecursionError, MemoryError) as exc:
            failures += 1
            print(f"cleaner: {source.name}: {type(exc).__name__}: {exc}", file=stderr)
    if failures:
        print(f"cleaner: {failures} of {len(sources)} inputs failed", file=stderr)
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
