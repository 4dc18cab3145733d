"""Batch runs: JSON lines and WARC in, ordered output, parallel workers, a Dask cluster."""
import gzip
import json

import pytest

from cleaner.batch import Item, Settings, clean_items, iter_items
from tests.conftest import run_cli, to_windows_1258

ARTICLE = ("<html><head><title>Giá lúa tăng mạnh</title></head><body><nav><a href='/'>Trang chủ</a></nav>"
           "<h1>Giá lúa tăng mạnh</h1><p>" + "Nông dân miền Tây phấn khởi vì giá lúa tăng cao trong vụ này. " * 6 +
           "</p><p>" + "Thương lái thu mua tận ruộng với giá tốt hơn năm ngoái. " * 5 + "</p></body></html>")


run = run_cli


def crawl_jsonl(path, seed_dirs):
    lines = [json.dumps({"url": f"https://example.vn/{d.name}", "text": (d / "page.txt").read_text(encoding="utf-8")})
             for d in seed_dirs]
    lines.insert(2, "{broken json")
    lines.append(json.dumps({"url": "https://example.vn/html", "html": ARTICLE}))
    lines.append(json.dumps({"url": "https://example.vn/empty"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def warc_record(url: str, body: bytes, content_type: str) -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n".encode() + body
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Record-ID: <urn:uuid:{abs(hash(url))}>\r\n"
            f"WARC-Date: 2026-11-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def test_jsonl_in_jsonl_out_keeps_order_urls_and_reports_bad_lines(seed_dirs, tmp_path):
    crawl = crawl_jsonl(tmp_path / "crawl.jsonl", seed_dirs)
    report = tmp_path / "failed.jsonl"
    code, out, err = run([str(crawl), "-f", "jsonl", "--no-blocks", "--errors", str(report)])
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [r["url"] for r in records] == [f"https://example.vn/{d.name}" for d in seed_dirs] + ["https://example.vn/html"]
    assert records[0]["input_format"] == "text" and records[-1]["input_format"] == "html"
    assert "phấn khởi" in records[-1]["text"] and "Trang chủ" not in records[-1]["text"]
    failures = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [f["source"] for f in failures] == [f"{crawl}:3", "https://example.vn/empty"]
    assert "not a JSON object" in failures[0]["error"] and "no 'html' or 'text'" in failures[1]["error"]
    assert "2 of 8 inputs failed" in err


def test_jsonl_on_stdin_needs_records_option(seed_dirs, tmp_path, monkeypatch):
    data = crawl_jsonl(tmp_path / "c.jsonl", seed_dirs[:1]).read_bytes()
    code, out, _ = run(["--records", "jsonl", "-f", "jsonl", "--no-blocks"], data, monkeypatch)
    assert [json.loads(line)["url"] for line in out.splitlines()] == [
        f"https://example.vn/{seed_dirs[0].name}", "https://example.vn/html"]


def test_warc_response_records_that_are_pages_are_cleaned(tmp_path):
    pytest.importorskip("fastwarc")
    warc = tmp_path / "crawl.warc.gz"
    legacy = to_windows_1258(ARTICLE)
    with gzip.open(warc, "wb") as fh:
        fh.write(warc_record("https://example.vn/a", ARTICLE.encode("utf-8"), "text/html; charset=utf-8"))
        fh.write(warc_record("https://example.vn/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(50), "image/png"))
        # No <meta charset> in the page: only the HTTP header says windows-1258.
        fh.write(warc_record("https://example.vn/b", legacy, "text/html; charset=windows-1258"))
    code, out, err = run([str(warc), "-f", "jsonl", "--no-blocks"])
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0, err
    assert [r["url"] for r in records] == ["https://example.vn/a", "https://example.vn/b"]
    assert records[0]["text"] == records[1]["text"] and "Nông dân" in records[1]["text"]


def test_records_go_to_numbered_files_below_out_dir_and_resume(seed_dirs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    crawl = crawl_jsonl(tmp_path / "crawl.jsonl", seed_dirs).name
    out_dir = tmp_path / "out"
    assert run([crawl, "-o", str(out_dir)])[0] == 1
    written = sorted(p.name for p in (out_dir / "crawl").iterdir())
    assert written == ["00000001.txt", "00000002.txt", "00000004.txt", "00000005.txt", "00000006.txt",
                       "00000007.txt"]
    code, _, err = run([crawl, "-o", str(out_dir), "--resume"])
    assert "6 inputs already done" in err and code == 1  # the two bad lines fail again


def test_two_jobs_give_byte_identical_output_in_input_order(seed_dirs, tmp_path):
    crawl = crawl_jsonl(tmp_path / "crawl.jsonl", seed_dirs * 4)
    args = [str(crawl), str(seed_dirs[0].parent), "-f", "jsonl"]
    serial = run(args)
    parallel = run(args + ["--jobs", "2"])
    assert parallel == serial
    assert serial[1].count("\n") == len(seed_dirs) * 4 + 1 + 3 * len(seed_dirs)


def test_progress_bar_only_when_asked_or_on_a_terminal(seed_dirs):
    _, _, quiet = run([str(seed_dirs[0] / "page.txt")])
    _, _, shown = run([str(seed_dirs[0] / "page.txt"), "--progress", "always"])
    assert quiet == ""
    assert "pages" in shown and "1" in shown


def test_clean_items_streams_lazily():
    """Only what is needed for the first outcomes is read: a generator of items is never listed."""
    pulled = []

    def endless():
        for i in range(10_000):
            pulled.append(i)
            yield Item(source=str(i), data=f"<p>page {i} has a few words of text.</p>")

    outcomes = clean_items(endless(), Settings())
    first = next(outcomes)
    assert first.item.source == "0" and first.output is not None
    assert len(pulled) < 100


def test_unreadable_file_inside_a_directory_is_one_failure(tmp_path, seed_dirs):
    (tmp_path / "a.html").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.html").write_bytes(b"%PDF-1.7 not a page")
    items = list(iter_items([str(tmp_path)]))
    assert [i.relative.as_posix() for i in items] == ["a.html", "b.html"]
    outcomes = list(clean_items(items, Settings()))
    assert outcomes[0].output is not None and outcomes[1].error == "not a web page (PDF document)"


def test_a_dask_cluster_gives_the_same_output(seed_dirs, tmp_path):
    distributed = pytest.importorskip("distributed")
    crawl = crawl_jsonl(tmp_path / "crawl.jsonl", seed_dirs)
    serial = run([str(crawl), "-f", "jsonl"])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        on_cluster = run([str(crawl), "-f", "jsonl", "--scheduler", cluster.scheduler_address])
    assert on_cluster == serial


def test_scheduler_that_is_not_there_is_a_clear_error(seed_dirs):
    pytest.importorskip("distributed")
    code, _, err = run([str(seed_dirs[0] / "page.txt"), "--scheduler", "tcp://127.0.0.1:1"], )
    assert code == 2 and "cleaner:" in err
