"""What cleaner does with the inputs scrapers really get: a table, one row per kind of bad input.

    python -m training.badinput            # every case through the `cleaner` command, timed
    python -m training.badinput --big      # also the 50 MB page with the size limit lifted

Each case is a file written to a temporary folder and run through ``python -m cleaner`` in
its own process, so the row shows exactly what a user sees: exit status, the stderr line,
the start of the output, wall time and peak memory. tests/test_robustness.py asserts the
same cases in-process.
"""
from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ARTICLE_WORDS = ("Nông dân miền Tây phấn khởi vì giá lúa tăng cao trong vụ đông xuân năm nay, "
                 "thương lái thu mua tận ruộng với giá tốt hơn hẳn năm ngoái. ")
PARAGRAPH = f"<p>{ARTICLE_WORDS * 3}</p>"
PAGE = (f"<html><head><title>Giá lúa tăng mạnh</title></head><body><nav><a href='/'>Trang chủ</a> | "
        f"<a href='/tin'>Tin tức</a></nav><h1>Giá lúa tăng mạnh</h1>{PARAGRAPH * 3}"
        f"<footer>© 2026 Báo Nông thôn</footer></body></html>")


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], bytes]
    expect: str  # "text": exit 0 and the article's words; "empty": exit 0, no text; "error": exit 1, one line
    marker: str = ""  # for "text": a string the output must contain; for "error": the message
    args: tuple[str, ...] = ()


def to_windows_1258(text: str) -> bytes:
    """Vietnamese as windows-1258 writes it: shape marks precomposed, tone marks combining."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        try:
            out.append(ch.encode("windows-1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            shape = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
            out.append((shape + "".join(c for c in decomposed if c in tones)).encode("windows-1258"))
    return b"".join(out)


LEGACY_TEXT = {
    "windows-1258": ARTICLE_WORDS,
    "windows-1252": "Die Regierung hat neue Maßnahmen beschlossen; größere Unternehmen zahlen künftig mehr. ",
    "shift_jis": "東京都は新しい対策の方針を発表した。専門家は「早めの対策が大切だ」と話している。",
    "gb18030": "国家统计局发布了最新的经济数据。专家表示，经济运行总体平稳，消费市场持续回暖。",
}
WRONG_LABEL = {"windows-1258": "windows-1252", "windows-1252": "shift_jis", "shift_jis": "windows-1252",
               "gb18030": "shift_jis"}


def legacy_page(charset: str, label: str | None) -> bytes:
    meta = f'<meta charset="{label}">' if label else ""
    body = "".join(f"<p>{LEGACY_TEXT[charset] * 4}</p>" for _ in range(3))
    html = f"<html><head>{meta}<title>Tin</title></head><body><h1>Tin</h1>{body}</body></html>"
    return to_windows_1258(html) if charset == "windows-1258" else html.encode(charset)


def deep_page(depth: int) -> bytes:
    return (f"<html><body>{'<div>' * depth}{PARAGRAPH}{'</div>' * depth}{PARAGRAPH}</body></html>").encode()


def big_page(megabytes: int) -> bytes:
    paragraph = PARAGRAPH.encode()
    count = megabytes * 1_000_000 // len(paragraph) + 1
    return b"<html><body><h1>Big</h1>" + paragraph * count + b"</body></html>"


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode()
                             for i in range(1, 10))
                  + b"]><html><body><p>&lol9;</p>" + PARAGRAPH.encode() + b"</body></html>")
XXE = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
       b'<!ENTITY remote SYSTEM "http://127.0.0.1:9/x">]><html><body><p>&xxe;&remote;</p>'
       + PARAGRAPH.encode() + b"</body></html>")


CASES: tuple[Case, ...] = (
    Case("empty file", lambda: b"", "empty"),
    Case("white space only", lambda: b" \n\t\r\n  ", "empty"),
    Case("PNG image", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "error", "not a web page (PNG image)"),
    Case("gzip archive", lambda: gzip.compress(PAGE.encode()), "error", "not a web page (gzip archive)"),
    Case("PDF document", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n", "error",
         "not a web page (PDF document)"),
    Case("truncated HTML", lambda: PAGE.encode()[: len(PAGE.encode()) * 2 // 3], "text", "phấn khởi"),
    Case("unclosed tags", lambda: PAGE.replace("</p>", "").replace("</body></html>", "").encode(), "text", "phấn khởi"),
    Case("nesting 100,000 deep", lambda: deep_page(100_000), "text", "phấn khởi"),
    Case("50 MB page, default limit", lambda: big_page(50), "error", "over the --max-bytes limit"),
    Case("1 MB single line of HTML", lambda: big_page(1).replace(b"\n", b" "), "text", "phấn khởi"),
    Case("1 MB single line of text", lambda: (ARTICLE_WORDS * (1_000_000 // len(ARTICLE_WORDS))).encode(),
         "text", "phấn khởi"),
    Case("NUL bytes", lambda: PAGE.replace("Nông dân", "Nông\x00dân").encode(), "text", "Nông dân"),
    Case("invalid UTF-8", lambda: PAGE.encode()[:200] + b"\xff\xfe\xc3" + PAGE.encode()[200:], "text", "phấn khởi"),
    Case("UTF-16 with BOM", lambda: PAGE.encode("utf-16"), "text", "phấn khởi"),
    *(Case(f"{charset}, {label} charset", (lambda c=charset, lb=label: legacy_page(
        c, {"right": c, "wrong": WRONG_LABEL[c], "missing": None}[lb])), "text", LEGACY_TEXT[charset][:12])
      for charset in LEGACY_TEXT for label in ("right", "wrong", "missing")),
    Case("entities and numeric references", lambda: (
        "<html><body><h1>Ti&ecirc;u &#273;&#7873;</h1><p>" + "Gi&aacute; l&#250;a t&#x103;ng &amp; "
        "&quot;n&ocirc;ng d&#xE2;n&quot; ph&#7845;n kh&#7903;i &bogus; &#0; &#xD800; " * 8 + "</p></body></html>").encode(),
        "text", '"nông dân" phấn khởi'),
    Case("XML declaration, XHTML", lambda: (
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml">'
        + PAGE[6:]).encode(), "text", "phấn khởi"),
    Case("frameset with <noframes>", lambda: (
        "<html><head><title>Khung</title></head><frameset cols='30%,70%'><frame src='menu.html'>"
        f"<frame src='main.html'><noframes><body>{PARAGRAPH * 2}</body></noframes></frameset></html>").encode(),
        "text", "phấn khởi"),
    Case("only an image", lambda: b"<html><body><img src='photo.jpg' alt=''></body></html>", "empty"),
    Case("only a video", lambda: b"<html><body><video src='clip.mp4' controls></video></body></html>", "empty"),
    Case("entity expansion (billion laughs)", lambda: BILLION_LAUGHS, "text", "phấn khởi"),
    Case("external entity (XXE)", lambda: XXE, "text", "phấn khởi"),
    Case("page over the time limit", lambda: PAGE.encode(), "error", "took longer than the --timeout",
         ("--timeout", "0.000001")),
)
BIG_UNLIMITED = Case("50 MB page, limit lifted", lambda: big_page(50), "text", "phấn khởi", ("--max-bytes", "0"))


def run_case(case: Case, folder: Path) -> dict:
    """Run the case through `python -m cleaner` in a subprocess: what a user sees, timed."""
    from training.speed import run_measured

    path = folder / f"{case.name.replace(' ', '_').replace('/', '_')}.input"
    path.write_bytes(case.make())
    start = time.perf_counter()
    done = run_measured([sys.executable, "-m", "cleaner", str(path), *case.args])
    return {"case": case.name, "bytes": path.stat().st_size, "exit": done.code, "stderr": done.stderr.strip(),
            "stdout": done.stdout, "seconds": time.perf_counter() - start, "peak_rss_mb": done.peak_rss_mb}


def verdict(case: Case, row: dict) -> str:
    if case.expect == "error":
        ok = row["exit"] == 1 and case.marker in row["stderr"] and "Traceback" not in row["stderr"]
    elif case.expect == "empty":
        ok = row["exit"] == 0 and not row["stdout"].strip() and not row["stderr"]
    else:
        ok = row["exit"] == 0 and case.marker in row["stdout"] and "Traceback" not in row["stderr"]
    return "as expected" if ok else "UNEXPECTED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.badinput", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", action="store_true", help="also clean the 50 MB page with --max-bytes 0")
    args = parser.parse_args(argv)
    cases = CASES + ((BIG_UNLIMITED,) if args.big else ())
    print("| input | size | exit | what cleaner prints (stderr's first line, else the text) | seconds | peak RSS MB | verdict |\n"
          "|---|---|---|---|---|---|---|")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            row = run_case(case, Path(tmp))
            shown = row["stderr"].splitlines()[0] if row["stderr"] else (
                row["stdout"].strip().replace("\n", " ")[:60] + ("…" if len(row["stdout"].strip()) > 60 else ""))
            shown = shown.replace(tmp + "/", "").replace("|", "\\|") or "(no text)"
            result = verdict(case, row)
            failures += result != "as expected"
            print(f"| {case.name} | {row['bytes']:,} B | {row['exit']} | {shown} | {row['seconds']:.2f} | "
                  f"{row['peak_rss_mb']:.0f} | {result} |",
                  flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
