"""A static review page for one fixture: blocks coloured by label, click to flip, save expected.txt.

    python -m training.inspect fixtures/mysite/0123456789abcdef --html review.html
    # open review.html in a browser; nothing is sent anywhere, the page has no network access

Blocks start with the labels expected.txt gives them (what the person has said so far); each
shows the model's p(content), and '!!' marks where the model's label differs. Clicking a block
flips it; the text below the blocks is the expected.txt the labels make, and "Save expected.txt"
downloads it. The page is one file with its data inline, so it works from disk.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>cleaner review: __TITLE__</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5em auto; max-width: 60em; }
.block { padding: .3em .6em; margin: .2em 0; border-left: .5em solid; cursor: pointer; }
.content { background: #e6f4ea; border-color: #1e8e3e; }
.noise { background: #f1f3f4; border-color: #9aa0a6; color: #5f6368; }
.disagree { outline: 2px dashed #d93025; }
.meta { font: 12px monospace; color: #5f6368; margin-right: .6em; }
#expected { white-space: pre-wrap; border: 1px solid #dadce0; padding: .6em; }
</style></head><body>
<h1>__TITLE__</h1>
<p>Green blocks go into expected.txt. Click a block to flip it. <b>!!</b> marks blocks where the
model's label differs. <button id="save">Save expected.txt</button> <span id="summary"></span></p>
<div id="blocks"></div>
<h2>expected.txt</h2>
<pre id="expected"></pre>
<script id="data" type="application/json">__DATA__</script>
<script>
"use strict";
const rows = JSON.parse(document.getElementById("data").textContent);
const keep = rows.map(r => r.expected);
function expectedText() {
  return rows.filter((r, i) => keep[i]).map(r => r.text).join("\\n\\n") + "\\n";
}
function render() {
  rows.forEach((r, i) => {
    const el = document.getElementById("b" + i);
    el.className = "block " + (keep[i] ? "content" : "noise") + (keep[i] !== r.model ? " disagree" : "");
    el.querySelector(".flag").textContent = keep[i] !== r.model ? "!!" : "";
  });
  document.getElementById("expected").textContent = expectedText();
  const differ = rows.filter((r, i) => keep[i] !== r.model).length;
  document.getElementById("summary").textContent =
    keep.filter(Boolean).length + " of " + rows.length + " blocks kept; model differs on " + differ;
}
function flip(i) { keep[i] = !keep[i]; render(); }
const container = document.getElementById("blocks");
rows.forEach((r, i) => {
  const el = document.createElement("div");
  el.id = "b" + i;
  el.dataset.index = i;
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = "#" + i + " p=" + r.p.toFixed(2) + " " + r.tag;
  const flag = document.createElement("b");
  flag.className = "flag";
  const text = document.createElement("span");
  text.textContent = r.text;
  el.append(meta, flag, " ", text);
  el.addEventListener("click", () => flip(i));
  container.append(el);
});
document.getElementById("save").addEventListener("click", () => {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([expectedText()], {type: "text/plain;charset=utf-8"}));
  link.download = "expected.txt";
  link.click();
});
// "#flip=3,7" flips blocks 3 and 7 on load, through the same function a click calls: lets a
// headless browser test the page, and lets a person share a correction as a link.
const flips = new URLSearchParams(location.hash.slice(1)).get("flip");
render();
if (flips) flips.split(",").map(Number).filter(i => i >= 0 && i < rows.length).forEach(flip);
</script></body></html>
"""


def review_rows(rows: list[dict]) -> list[dict]:
    """What the page needs of training.inspect's rows: text, tag, p, the model's and the expected label."""
    return [{"text": r["text"], "tag": r["tag"], "p": round(r["p"], 3), "model": bool(r["content"]),
             "expected": r["content"] != r["disagree"]} for r in rows]


def write_review(rows: list[dict], title: str, out: Path) -> Path:
    # "</" is escaped so no block text can close the data <script> element.
    data = json.dumps(review_rows(rows), ensure_ascii=False).replace("</", "<\\/")
    page = _PAGE.replace("__TITLE__", html.escape(title)).replace("__DATA__", data)
    out.write_text(page, encoding="utf-8")
    return out
