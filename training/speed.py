"""Speed and memory, cleaner beside the other extractors, measured in one run.

    python -m training.speed ../shared/datasets/l3s-gn1                 # pages/s and peak RSS per tool
    python -m training.speed ../shared/datasets/l3s-gn1 --memory        # CLI peak RSS, 100 vs 10,000 pages
    python -m training.speed ../shared/datasets/l3s-gn1 --scaling       # CLI --jobs 1 vs --jobs 2
    python -m training.speed ../shared/datasets/l3s-gn1 --stages        # where cleaner's time goes

Every measurement runs in a fresh subprocess pinned to one core (OpenMP/BLAS limited to one
thread), so peak RSS is the tool's own and no tool gets a second core. Runs of the tools are
interleaved and the median of ``--runs`` is reported: this machine is shared and noisy, so
only ratios measured in the same run mean much. Pages are read into memory first; the timed
loop is extraction alone, after a warm-up on a few pages (imports and model loading excluded).
Anchors need ``pip install .[bench]``.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TOOLS = ("cleaner", "cleaner-per-page", "lxml-parse", "lxml-walk", "trafilatura", "trafilatura-fast", "justext",
         "readability", "boilerpy3", "resiliparse")
WARMUP_PAGES = 3
SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def page_files(folder: Path, limit: int) -> list[Path]:
    pages = folder / "pages" if (folder / "pages").is_dir() else folder
    files = sorted(p for p in pages.iterdir() if p.is_file())
    return files[:limit] if limit else files


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def extractor(tool: str) -> Callable[[list[bytes]], None]:
    """A function that processes every page of a list (bytes in, as read from disk)."""
    if tool == "cleaner":
        from cleaner.api import Cleaner
        cleaner = Cleaner()
        return lambda pages: [None for _ in cleaner.analyze_many(pages)]
    if tool == "cleaner-per-page":
        from cleaner.api import Cleaner
        cleaner = Cleaner()
        return lambda pages: [cleaner.analyze(p) for p in pages]
    if tool == "lxml-parse":
        import lxml.html
        def parse_all(pages: list[bytes]) -> None:
            for page in pages:  # each tree dropped at once, as in a pipeline
                if page.strip():
                    lxml.html.document_fromstring(page)
        return parse_all
    if tool == "lxml-walk":
        import lxml.etree
        import lxml.html

        def walk_all(pages: list[bytes]) -> None:
            # The floor for any Python pipeline on lxml: parse, then visit every element once
            # and read its text and tail, doing nothing with them.
            for page in pages:
                if page.strip():
                    for event, element in lxml.etree.iterwalk(lxml.html.document_fromstring(page),
                                                               events=("start", "end")):
                        _ = element.text if event == "start" else element.tail
        return walk_all
    from training import anchors
    by_name: dict[str, Callable[[str], str]] = {
        "trafilatura": anchors.trafilatura_default, "trafilatura-fast": anchors.trafilatura_fast,
        "justext": anchors.justext_english, "readability": anchors.readability,
        "boilerpy3": anchors.boilerpy3_article, "resiliparse": anchors.resiliparse_main,
    }
    extract = by_name[tool]

    def run_all(pages: list[bytes]) -> None:
        for page in pages:
            try:
                extract(_text(page))  # decoding counts: every tool starts from the bytes
            except Exception:  # noqa: BLE001 - an anchor failing on a page still spent the time
                pass
    return run_all


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def pin_to_one_core() -> None:
    """Keep this process on one core (where the OS allows it), as every measurement runs."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def worker(tool: str, folder: Path, limit: int) -> dict:
    """Runs in the subprocess: time one tool over the pages, report its peak memory."""
    pin_to_one_core()
    pages = [p.read_bytes() for p in page_files(folder, limit)]
    base = rss_mb()
    run_all = extractor(tool)
    run_all(pages[:WARMUP_PAGES])
    start = time.perf_counter()
    run_all(pages)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # KB on Linux
    return {"tool": tool, "pages": len(pages), "seconds": seconds, "peak_rss_mb": peak, "pages_rss_mb": base}


@dataclass(frozen=True)
class Finished:
    code: int
    stdout: str
    stderr: str
    peak_rss_mb: float


def run_measured(args: list[str], capture: bool = True, env: dict[str, str] | None = None) -> Finished:
    """Run a command to its end; its exit status, output and its own peak RSS (via wait4)."""
    with tempfile.TemporaryFile("w+b") as err:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                                stderr=err, env=env)
        out = proc.stdout.read() if proc.stdout is not None else b""
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return Finished(proc.returncode, out.decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                        usage.ru_maxrss / 1e3)  # KB on Linux


def spawn(args: list[str], capture: bool = True, every_input: bool = False) -> tuple[str, float]:
    """Run a benchmark step single-threaded; (stdout, peak RSS MB); raise if it failed, or with
    ``every_input`` if any input failed (exit status 1)."""
    done = run_measured(args, capture, {**os.environ, **SINGLE_THREAD_ENV})
    if done.code not in ((0,) if every_input else (0, 1)):  # 1: some inputs failed
        raise RuntimeError(f"{' '.join(args)} exited {done.code}: {done.stderr[-2000:]}")
    return done.stdout, done.peak_rss_mb


def measure_tools(folder: Path, tools: list[str], limit: int, runs: int) -> dict[str, list[dict]]:
    results: dict[str, list[dict]] = {t: [] for t in tools}
    for run in range(runs):
        for tool in tools:  # interleaved, so a noisy minute hits every tool alike
            out, _ = spawn([sys.executable, "-m", "training.speed", "--worker", tool, str(folder),
                            "--pages", str(limit)])
            results[tool].append(json.loads(out))
            print(f"  run {run + 1} {tool}: {results[tool][-1]['pages'] / results[tool][-1]['seconds']:.1f} pages/s",
                  file=sys.stderr)
    return results


def tools_table(results: dict[str, list[dict]]) -> str:
    def median_rate(tool: str) -> float:
        return statistics.median(r["pages"] / r["seconds"] for r in results[tool])

    reference = median_rate("cleaner") if "cleaner" in results else None
    lines = ["| tool | pages/s (median) | ms/page | cleaner speed ÷ tool | peak RSS MB | RSS above loaded pages MB |",
             "|---|---|---|---|---|---|"]
    for tool, rows in results.items():
        rate = median_rate(tool)
        peak = statistics.median(r["peak_rss_mb"] for r in rows)
        extra = statistics.median(r["peak_rss_mb"] - r["pages_rss_mb"] for r in rows)
        ratio = f"{reference / rate:.2f}" if reference else "-"
        lines.append(f"| {tool} | {rate:.1f} | {1000 / rate:.2f} | {ratio} | {peak:.0f} | {extra:.0f} |")
    return "\n".join(lines)


STAGES = ("decode", "segment", "featurize", "predict", "revise+assemble")


def stage_worker(folder: Path, limit: int) -> dict[str, float]:
    """Runs in the subprocess (pinned to one core): cleaner's pipeline one stage at a time over all pages, as
    ``Cleaner.analyze_many`` runs it (the classifier gets DEFAULT_BATCH_PAGES pages per call).
    Milliseconds per page for each stage."""
    import numpy as np

    from cleaner.api import DEFAULT_BATCH_PAGES, Cleaner, as_text, collector_paused
    from cleaner.features import featurize
    from cleaner.segment import segment

    pages = [p.read_bytes() for p in page_files(folder, limit)]
    cleaner = Cleaner()
    for _ in cleaner.analyze_many(pages[:WARMUP_PAGES]):
        pass
    clock: dict[str, float] = {}

    def timed(stage: str, run: Callable[[], list]) -> list:
        start = time.perf_counter()
        with collector_paused():  # as analyze_many runs every stage (per chunk there)
            out = run()
        clock[stage] = (time.perf_counter() - start) * 1000 / len(pages)
        return out

    texts = timed("decode", lambda: [as_text(p) for p in pages])
    segmented = timed("segment", lambda: [segment(t) for t in texts])
    matrices = timed("featurize", lambda: [featurize(s, cleaner.model.lexicon) for s in segmented])
    batches = range(0, len(pages), DEFAULT_BATCH_PAGES)
    stacked = [np.concatenate(matrices[i:i + DEFAULT_BATCH_PAGES]) for i in batches]
    proba = timed("predict", lambda: [cleaner.model.predict_proba(x) for x in stacked])
    per_page = np.split(np.concatenate(proba), np.cumsum([len(m) for m in matrices])[:-1])
    timed("revise+assemble", lambda: [cleaner.result(s, p) for s, p in zip(segmented, per_page)])
    return clock


def stages_table(folder: Path, limit: int, runs: int) -> str:
    rows = [json.loads(spawn([sys.executable, "-m", "training.speed", "--stage-worker", str(folder),
                              "--pages", str(limit)])[0]) for _ in range(runs)]
    medians = {stage: statistics.median(r[stage] for r in rows) for stage in STAGES}
    total = sum(medians.values())
    lines = ["| stage | ms/page (median) | share |", "|---|---|---|"]
    lines += [f"| {stage} | {ms:.2f} | {ms / total:.0%} |" for stage, ms in medians.items()]
    lines.append(f"| total | {total:.2f} | |")
    return "\n".join(lines)


def linked_corpus(folder: Path, count: int, directory: Path) -> Path:
    """``count`` pages in ``directory`` as symlinks cycling over the folder's pages."""
    files = page_files(folder, 0)
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (directory / f"{i:06d}.html").symlink_to(files[i % len(files)].resolve())
    return directory


def cli_run(corpus: Path, extra: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one `cleaner` CLI run over a directory, output discarded."""
    start = time.perf_counter()
    # every_input: a run whose pages failed measures failing, not cleaning (its RSS and time say nothing)
    _out, peak = spawn([sys.executable, "-m", "cleaner", str(corpus), "-f", "jsonl", "--no-blocks",
                        "--progress", "never", *extra], capture=False, every_input=True)
    return time.perf_counter() - start, peak


def memory_check(folder: Path, runs: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        small = linked_corpus(folder, 100, Path(tmp) / "small")
        large = linked_corpus(folder, 10_000, Path(tmp) / "large")
        peaks = {name: [cli_run(path, [])[1] for _ in range(runs)] for name, path in (("100", small), ("10000", large))}
    p100, p10k = statistics.median(peaks["100"]), statistics.median(peaks["10000"])
    return (f"| pages | peak RSS MB (median of {runs}) |\n|---|---|\n| 100 | {p100:.0f} |\n| 10,000 | {p10k:.0f} |\n\n"
            f"10,000 ÷ 100 = {p10k / p100:.2f} (target ≤ 1.5)")


def scaling_check(folder: Path, pages: int, runs: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = linked_corpus(folder, pages, Path(tmp) / "corpus")
        times: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(runs):
            for jobs in (1, 2):
                times[jobs].append(cli_run(corpus, ["--jobs", str(jobs)])[0])
    t1, t2 = statistics.median(times[1]), statistics.median(times[2])
    return (f"| --jobs | wall s (median of {runs}, {pages} pages, start-up included) | pages/s |\n|---|---|---|\n"
            f"| 1 | {t1:.1f} | {pages / t1:.1f} |\n| 2 | {t2:.1f} | {pages / t2:.1f} |\n\n"
            f"--jobs 2 ÷ --jobs 1 throughput = {t1 / t2:.2f} (target ≥ 1.7)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.speed", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="a dataset folder (with pages/) or a folder of pages")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated, from {', '.join(TOOLS)}")
    parser.add_argument("--pages", type=int, default=300, help="pages per run (default 300; 0: all)")
    parser.add_argument("--runs", type=int, default=3, help="runs per tool; the median is reported (default 3)")
    parser.add_argument("--memory", action="store_true", help="CLI peak RSS over 100 and 10,000 pages")
    parser.add_argument("--scaling", action="store_true", help="CLI throughput with --jobs 1 and --jobs 2")
    parser.add_argument("--scaling-pages", type=int, default=2000, help="pages for --scaling (default 2000)")
    parser.add_argument("--stages", action="store_true",
                        help="cleaner's time per page split by stage (decode, segment, featurize, predict, "
                             "revise+assemble), one core, median of --runs")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--stage-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.folder, args.pages)))
        return 0
    if args.stage_worker:
        pin_to_one_core()
        print(json.dumps(stage_worker(args.folder, args.pages)))
        return 0
    if args.stages:
        print(stages_table(args.folder, args.pages, args.runs))
        return 0
    if args.memory:
        print(memory_check(args.folder, args.runs))
        return 0
    if args.scaling:
        print(scaling_check(args.folder, args.scaling_pages, args.runs))
        return 0
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(tools) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}")
    print(f"{args.folder}: {args.pages or 'all'} pages, median of {args.runs} runs, one core each\n")
    print(tools_table(measure_tools(args.folder, tools, args.pages, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
