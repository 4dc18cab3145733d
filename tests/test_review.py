"""The review page: a static file, checked as text and, where Chromium is installed, in a headless browser."""
import html
import json
import re
import shutil
import subprocess

import pytest

from training.review import write_review

ROWS = [
    {"text": "Home | News", "tag": "ul", "p": 0.05, "content": False, "disagree": False},
    {"text": "Workers win a raise", "tag": "h1", "p": 0.91, "content": True, "disagree": False},
    {"text": "The union signed the deal on Monday.", "tag": "p", "p": 0.35, "content": False, "disagree": True},
    {"text": "Read more </script><script>alert(1)</script>", "tag": "p", "p": 0.62, "content": True,
     "disagree": True},
]


def test_the_page_carries_every_block_and_no_text_can_break_out_of_its_data(tmp_path):
    page = write_review(ROWS, "site <b>x</b>", tmp_path / "review.html").read_text(encoding="utf-8")
    data = re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S).group(1)
    rows = json.loads(data)
    assert [r["text"] for r in rows] == [r["text"] for r in ROWS]
    # expected.txt's labels: the model's label, flipped where the two disagree
    assert [r["expected"] for r in rows] == [False, True, True, False]
    assert "<title>cleaner review: site &lt;b&gt;x&lt;/b&gt;</title>" in page
    assert page.count("</script>") == 2  # the data block's and the code's, none from block text


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt install chromium)")
def test_in_headless_chromium_flipping_blocks_recolours_them_and_rewrites_expected_text(tmp_path):
    page = write_review(ROWS, "site", tmp_path / "review.html")
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--dump-dom", page.resolve().as_uri() + "#flip=0,2"],
        capture_output=True, text=True, timeout=120, check=True).stdout
    classes = dict(re.findall(r'<div id="b(\d+)" data-index="\d+" class="([^"]+)"', dom))
    assert classes == {"0": "block content disagree",  # flipped to content: now differs from the model
                       "1": "block content",
                       "2": "block noise",  # expected said content, the flip made it noise, as the model said
                       "3": "block noise disagree"}
    expected = html.unescape(re.search(r'<pre id="expected">(.*?)</pre>', dom, re.S).group(1))
    assert expected == "Home | News\n\nWorkers win a raise\n"
    # the hostile block is on the page as text (escaped by textContent), not as markup
    assert "Read more &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in dom
