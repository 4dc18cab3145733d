import json

from training import gaps
from training.gaps import PageGap, gap_table, gold_length_group
from training.metrics import Score

ARTICLE = ("The city council approved the new budget on Tuesday after a long debate, "
           "and the mayor said the money would go to schools, parks and road repairs.")


def score(f1):
    return Score(f1, f1, f1)


def test_pages_are_grouped_by_the_length_of_their_gold():
    assert gold_length_group(0) == "< 50"
    assert gold_length_group(49) == "< 50"
    assert gold_length_group(50) == "< 100"
    assert gold_length_group(399) == "< 400"
    assert gold_length_group(5000) == ">= 400"


def test_each_group_gets_its_share_of_the_mean_difference():
    pages = [PageGap("short", 20, score(0.2), score(1.0)),   # cleaner trails by 0.8 on a short post
             PageGap("long-a", 900, score(0.9), score(0.8)),
             PageGap("long-b", 700, score(1.0), score(0.9))]
    rows = gap_table(pages)
    assert [r["gold words"] for r in rows] == ["< 50", ">= 400"]  # empty groups are left out
    assert [r["pages"] for r in rows] == [1, 2]
    assert abs(rows[0]["contribution"] - (-0.8 / 3)) < 1e-9
    assert abs(rows[1]["contribution"] - (0.2 / 3)) < 1e-9
    mean_difference = sum(p.difference for p in pages) / len(pages)
    assert abs(sum(r["contribution"] for r in rows) - mean_difference) < 1e-9


def test_the_command_compares_cleaner_with_another_tool_page_by_page(tmp_path, capsys):
    data = tmp_path / "news"
    (data / "pages").mkdir(parents=True)
    (data / "gold").mkdir()
    nav = "".join(f"<li><a href='/{i}'>Section {i}</a></li>" for i in range(12))
    page = f"<html><body><ul>{nav}</ul><h1>Budget approved</h1><p>{ARTICLE}</p><p>{ARTICLE}</p></body></html>"
    (data / "pages" / "a.html").write_text(page)
    (data / "gold" / "a.txt").write_text(f"Budget approved\n\n{ARTICLE}\n\n{ARTICLE}\n")
    (data / "manifest.jsonl").write_text(json.dumps({"id": "a", "url": "http://x.org/a", "lang": "en"}) + "\n")
    assert gaps.main([str(data), "--anchor", "keep-all", "--list", "1"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("1 pages: cleaner ")
    assert "| news/a |" in printed


def test_the_command_explains_a_missing_folder(tmp_path, capsys):
    assert gaps.main([str(tmp_path / "absent")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_a_tool_that_is_not_installed_is_one_clear_error(tmp_path, capsys, monkeypatch):
    import training.anchors

    def not_installed(html):
        raise ImportError("No module named 'readability'")

    monkeypatch.setitem(training.anchors.ANCHORS, "readability", not_installed)
    data = tmp_path / "news"
    (data / "pages").mkdir(parents=True)
    (data / "gold").mkdir()
    (data / "pages" / "a.html").write_text(f"<html><body><p>{ARTICLE}</p></body></html>")
    (data / "gold" / "a.txt").write_text(ARTICLE)
    (data / "manifest.jsonl").write_text(json.dumps({"id": "a", "lang": "en"}) + "\n")
    assert gaps.main([str(data)]) == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and "pip install '.[bench]'" in err
