"""Site memory: what recurs across a site's pages is furniture, within safe limits."""
import json

import numpy as np

from cleaner import Cleaner
from cleaner.memory import MemoryParams, SiteMemory
from cleaner.segment import segment_html
from tests.conftest import run_cli

TEASER = "<p>Hà Nội: học sinh hướng về đồng bào miền Trung và Tây Nguyên sau mưa lũ</p>"
FOOTER = "<p>Cơ quan chủ quản: Liên đoàn Lao động thành phố Hà Nội, giấy phép số 123/GP</p>"


def story(i: int) -> str:
    body = "".join(f"<p>Bài số {i}, đoạn {k}: nội dung riêng của bài này, không trang nào khác có câu này.</p>"
                   for k in range(4))
    byline = "<p>Mai Quý</p>" if i % 3 == 0 else f"<p>Phóng viên {i}</p>"  # one author wrote 2 of 5 stories
    return (f"<html><head><title>Tin số {i} về nông nghiệp</title></head><body>"
            f"<h1>Tin số {i} về nông nghiệp</h1>{body}{byline}<h3>Tin khác</h3>{TEASER}{FOOTER}</body></html>")


def remembered(pages, params=MemoryParams()):
    memory = SiteMemory(params)
    for page in pages:
        memory.observe("example.vn", memory.fingerprints(page))
    return memory


def texts(page, marks):
    return [b.text for b, m in zip(page.blocks, marks) if m]


def test_blocks_recurring_across_the_site_are_furniture_but_an_authors_byline_is_not():
    pages = [segment_html(story(i)) for i in range(5)]
    memory = remembered(pages)
    marked = texts(pages[0], memory.furniture("example.vn", pages[0]))
    # "Tin khác" is short but on every page; "Mai Quý" is on two pages of five.
    assert marked == ["Tin khác", segment_html(TEASER).blocks[0].text, segment_html(FOOTER).blocks[0].text]
    assert memory.furniture("other.vn", pages[0]).sum() == 0  # memory is per site


def test_the_headline_and_lede_are_shielded_when_other_pages_quote_them_as_teasers():
    own = segment_html(story(0))
    lede = own.blocks[own.headline + 1].text
    quoting = [segment_html(story(i).replace("</body>", f"<h3>{own.blocks[own.headline].text}</h3><p>{lede}</p></body>"))
               for i in range(1, 5)]
    memory = remembered([own, *quoting])
    assert lede not in texts(own, memory.furniture("example.vn", own))
    assert lede in texts(quoting[0], memory.furniture("example.vn", quoting[0]))  # elsewhere it is a teaser


def test_a_second_copy_of_the_same_story_is_not_stripped():
    page = segment_html(story(0))
    memory = remembered([page, page])
    assert memory.furniture("example.vn", page).sum() == 0


def test_memory_per_site_is_bounded():
    memory = SiteMemory(MemoryParams(max_fingerprints=100, max_hosts=3))
    for i in range(50):
        memory.observe("a.vn", list(range(i * 10, i * 10 + 10)) + [99_999])  # one block on every page
        memory.observe(f"host{i}.vn", [1])
    stats = memory._hosts.get("a.vn")
    assert stats is None or len(stats.counts) <= 100
    assert len(memory._hosts) == 3
    memory.observe("a.vn", [99_999])
    assert 99_999 in memory._hosts["a.vn"].counts  # what recurs survives the pruning


def test_furniture_overrides_the_classifier():
    cleaner = Cleaner()
    prepared = cleaner.prepare(story(0))
    marks = np.array([b.text.startswith("Bài số 0, đoạn 3") for b in prepared.page.blocks])
    plain, forced = cleaner.finish([prepared]), cleaner.finish([prepared], [marks])
    assert "đoạn 3" in plain[0].text and "đoạn 3" not in forced[0].text


def test_cli_site_memory_is_the_same_on_two_workers_and_refuses_stdin(tmp_path):
    for i in range(6):
        (tmp_path / f"{i}.html").write_text(story(i), encoding="utf-8")
    serial = run_cli([str(tmp_path), "--site-memory", "-f", "jsonl"])
    parallel = run_cli([str(tmp_path), "--site-memory", "-f", "jsonl", "--jobs", "2"])
    assert serial[0] == 0 and serial == parallel
    records = [json.loads(line) for line in serial[1].splitlines()]
    assert all("Cơ quan chủ quản" not in r["text"] for r in records)
    assert all("Bài số" in r["text"] for r in records)
    assert run_cli(["--site-memory"])[0] == 2
