"""Bad input never crashes a batch, hangs, loses output or runs code.

The cases are the rows of `python -m training.badinput`; here each runs in-process through the
CLI and the outcome is asserted: clean text, nothing, or exactly one clear error line.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import clean
from cleaner.segment import segment_html
from tests.conftest import run_cli
from training.badinput import BIG_UNLIMITED, CASES, PARAGRAPH, Case

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_gives_clean_text_nothing_or_one_clear_error(case: Case, tmp_path):
    path = tmp_path / "input"
    path.write_bytes(case.make())
    code, out, err = run_cli([str(path), *case.args])
    assert "Traceback" not in err
    if case.expect == "error":
        assert code == 1
        lines = err.splitlines()
        assert lines[0] == f"cleaner: {path}: " + lines[0].split(": ", 2)[2] and case.marker in lines[0]
        assert lines[1:] == ["cleaner: 1 of 1 inputs failed"]
    elif case.expect == "empty":
        assert (code, out, err) == (0, "", "")
    else:
        assert code == 0 and err == ""
        assert case.marker in out


def test_one_bad_input_among_many_fails_alone(tmp_path, seed_dirs):
    for i, case in enumerate(CASES):
        (tmp_path / f"{i:02d}.input").write_bytes(case.make())
    (tmp_path / "good.html").write_text(f"<html><body>{PARAGRAPH * 2}</body></html>", encoding="utf-8")
    report = tmp_path.parent / "errors.jsonl"
    code, out, err = run_cli([str(tmp_path), "--errors", str(report), "--timeout", "30"])
    expected_failures = sum(c.expect == "error" and not c.args for c in CASES)
    assert code == 1
    assert f"cleaner: {expected_failures} of {len(CASES) + 1} inputs failed" in err
    assert len(report.read_text().splitlines()) == expected_failures
    assert out.count("==> ") == len(CASES) + 1 - expected_failures  # every other input has its output


def test_entities_are_never_expanded_and_nothing_is_fetched():
    xxe = next(c for c in CASES if c.name == "external entity (XXE)").make()
    laughs = next(c for c in CASES if c.name == "entity expansion (billion laughs)").make()
    for page in (xxe, laughs):
        start = time.perf_counter()
        text = clean(page)
        assert time.perf_counter() - start < 5
        assert "root:" not in text and "lollollol" not in text
        assert len(text) < 10 * len(page)


def test_text_nested_beyond_the_parser_limit_is_kept():
    page = "<body>" + "<div>" * 5000 + "<p>deep words here</p>" + "</div>" * 5000 + "<p>after it</p></body>"
    assert [b.text for b in segment_html(page).blocks] == ["deep words here", "after it"]


@pytest.mark.skipif(not os.environ.get("CLEANER_SLOW_TESTS"), reason="set CLEANER_SLOW_TESTS=1 (50 MB page)")
def test_a_50_mb_page_is_cleaned_when_the_limit_is_lifted(tmp_path):
    path = tmp_path / "big.html"
    path.write_bytes(BIG_UNLIMITED.make())
    code, out, err = run_cli([str(path), *BIG_UNLIMITED.args])
    assert code == 0 and BIG_UNLIMITED.marker in out


def _batch_command(inputs: Path, out_dir: Path) -> list[str]:
    return [sys.executable, "-m", "cleaner", str(inputs), "-o", str(out_dir), "--resume", "--progress", "never"]


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["INT", "TERM", "KILL"])
def test_a_killed_batch_leaves_no_partial_file_and_resume_completes_it(how, tmp_path, seed_dirs):
    inputs = tmp_path / "in"
    inputs.mkdir()
    pages = [(d / "page.txt").read_bytes() for d in seed_dirs]
    for i in range(400):
        (inputs / f"{i:04d}.txt").write_bytes(pages[i % len(pages)])
    out_dir = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # preexec: a shell running the tests in the background starts them with SIGINT ignored, and
    # a child inherits that; the batch must meet Ctrl-C as a user's terminal would send it.
    proc = subprocess.Popen(_batch_command(inputs, out_dir), env=env, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 60
    while time.time() < deadline and len(list(out_dir.glob("*.txt"))) < 20:
        time.sleep(0.05)
    proc.send_signal(how)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert b"Traceback" not in err
    done = sorted(out_dir.glob("*.txt"))
    assert 20 <= len(done) < 400, "the run should be stopped part-way"
    assert not list(out_dir.glob(".*.tmp")) or how == signal.SIGKILL  # only SIGKILL can leave a temp file
    expected = {p.name: clean((inputs / p.name).read_bytes()) for p in done[:3]}
    for name, text in expected.items():
        assert (out_dir / name).read_text(encoding="utf-8") == text + "\n"  # finished files are whole
    rerun = subprocess.run(_batch_command(inputs, out_dir), env=env, capture_output=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(done)} inputs already done".encode() in rerun.stderr
    assert len(list(out_dir.glob("*.txt"))) == 400
    assert not list(out_dir.glob(".*.tmp"))  # what a SIGKILL left behind is cleared by --resume


def test_the_package_has_no_eval_exec_or_shell_calls():
    import ast

    forbidden_builtins = {"eval", "exec", "compile", "__import__"}
    forbidden_os = {"system", "popen", "spawnl", "spawnv", "execv", "execve", "execvp"}
    forbidden_imports = {"subprocess", "pickle", "marshal", "shelve"}  # joblib loads the checked model
    for source in (ROOT / "cleaner").rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{source.name}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in forbidden_builtins, where
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                assert not (isinstance(owner, ast.Name) and owner.id == "os" and node.func.attr in forbidden_os), where
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not forbidden_imports & {m.split(".")[0] for m in modules}, where


def test_a_reader_that_stops_early_ends_the_run_quietly(seed_dirs):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Five times the seeds: more output than a pipe buffers, so the run cannot finish unread.
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", *[str(seed_dirs[0].parent)] * 5], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()  # like `cleaner crawl/ | head -c 10`
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 141
    assert b"Traceback" not in err and b"inputs failed" not in err
