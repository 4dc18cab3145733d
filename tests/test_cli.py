import json

from tests.conftest import run_cli


run = run_cli


def test_file_to_text(seed_dirs):
    code, out, err = run([str(seed_dirs[0] / "page.txt")])
    assert code == 0 and err == ""
    assert out.startswith((seed_dirs[0] / "expected.txt").read_text(encoding="utf-8").split("\n")[0])


def test_stdin_to_json(seed_dirs, monkeypatch):
    data = (seed_dirs[2] / "page.txt").read_bytes()
    code, out, _ = run(["--format", "json"], data, monkeypatch)
    record = json.loads(out)
    assert code == 0 and record["source"] == "-"
    assert {"title", "text", "blocks"} <= record.keys()
    assert {"text", "hidden", "score", "label"} <= record["blocks"][0].keys()


def test_directory_to_jsonl_in_sorted_order(seed_dirs):
    code, out, _ = run([str(seed_dirs[0].parent), "--format", "jsonl", "--no-blocks"])
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    names = [r["source"] for r in records]
    assert len(records) == 3 * len(seed_dirs)  # page.txt, expected.txt and meta.json of each fixture
    assert names == sorted(names)
    assert "blocks" not in records[0]


def test_out_dir_writes_one_file_per_input(seed_dirs, tmp_path):
    code, out, _ = run([str(seed_dirs[0].parent), "--out-dir", str(tmp_path / "out")])
    assert code == 0 and out == ""
    written = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("page.txt"))
    assert written == [f"{d.name}/page.txt" for d in seed_dirs]
    expected_head = (seed_dirs[0] / "expected.txt").read_text(encoding="utf-8").split("\n")[0]
    assert (tmp_path / "out" / seed_dirs[0].name / "page.txt").read_text(encoding="utf-8").startswith(expected_head)
    assert not list((tmp_path / "out").rglob("*.tmp"))


def test_same_named_inputs_never_overwrite_each_other(seed_dirs, tmp_path, monkeypatch):
    monkeypatch.chdir(seed_dirs[0].parent)
    code, _, err = run([f"{seed_dirs[0].name}/page.txt", f"{seed_dirs[1].name}/page.txt", "--out-dir", str(tmp_path)])
    assert code == 0, err
    assert len(list(tmp_path.rglob("page.txt"))) == 2


def test_missing_input_fails_but_the_rest_is_processed(seed_dirs, tmp_path):
    code, out, err = run([str(tmp_path / "missing.html"), str(seed_dirs[0] / "page.txt")])
    assert code == 1
    assert "missing.html" in err and "1 of 2 inputs failed" in err
    assert "==> " in out and len(out) > 200


def test_usage_errors_exit_2():
    assert run(["--format", "xml"])[0] == 2
    assert run(["--threshold", "3"])[0] == 2


def test_version_and_help():
    code, _, _ = run(["--version"])
    assert code == 0
    assert run(["--help"])[0] == 0


def test_binary_and_oversized_inputs_are_clear_failures_and_reported(seed_dirs, tmp_path):
    png = tmp_path / "image.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    big = tmp_path / "big.html"
    big.write_text("<p>" + "word " * 400 + "</p>")
    good = tmp_path / "good.html"
    good.write_text("<h1>Short page</h1><p>A small page, well under the limit, still gets cleaned.</p>")
    report = tmp_path / "errors.jsonl"
    code, out, err = run([str(png), str(big), str(good), "--max-bytes", "1000", "--errors", str(report)])
    assert code == 1
    assert "image.png: not a web page (PNG image)" in err
    assert "big.html: the file has 2,007 bytes, over the --max-bytes limit of 1,000" in err
    assert "2 of 3 inputs failed" in err
    records = [json.loads(line) for line in report.read_text().splitlines()]
    assert [r["source"] for r in records] == [str(png), str(big)]
    assert "still gets cleaned" in out  # the good input was processed


def test_resume_skips_inputs_already_written(seed_dirs, tmp_path):
    out_dir = tmp_path / "out"
    first = run([str(seed_dirs[0].parent), "-o", str(out_dir)])
    assert first[0] == 0
    done = out_dir / seed_dirs[0].name / "page.txt"
    done.write_text("kept")  # a finished output is never redone
    code, _, err = run([str(seed_dirs[0].parent), "-o", str(out_dir), "--resume"])
    assert code == 0 and "already done" in err
    assert done.read_text() == "kept"
    assert run(["--resume", "x"])[0] == 2  # --resume needs --out-dir


def test_an_unwritable_error_report_is_a_usage_error(seed_dirs, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run([str(seed_dirs[0] / "page.txt"), "--errors", str(blocker / "errors.jsonl")])
    assert code == 2 and err.startswith("cleaner: ") and "Traceback" not in err
