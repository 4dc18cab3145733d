"""The accuracy benchmark's scores and renderings, on small examples."""
import json

from training import bench
from training.metrics import shingle_counts, shingle_score, shingles
from training.render import scraper_text

ARTICLE = "The council approved the new budget on Monday after a long debate about schools."


def test_shingles_are_word_four_grams_and_a_short_text_is_one_shingle():
    assert shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("Home News") == {("Home", "News"): 1}
    assert shingles("") == {}


def test_boilerplate_lowers_shingle_precision_and_missing_text_lowers_recall():
    exact = shingle_score([shingle_counts(ARTICLE, ARTICLE)])
    assert (exact.precision, exact.recall, exact.f1) == (1.0, 1.0, 1.0)
    noisy = shingle_score([shingle_counts("Home News Sport Weather " + ARTICLE, ARTICLE)])
    assert noisy.recall == 1.0 and noisy.precision < 1.0
    short = shingle_score([shingle_counts(ARTICLE.split(" after")[0], ARTICLE)])
    assert short.precision == 1.0 and short.recall < 1.0


def test_pages_are_normalised_so_a_long_page_weighs_no_more_than_a_short_one():
    long_page = shingle_counts(ARTICLE * 20, ARTICLE * 20)
    empty_prediction = shingle_counts("", "Short gold text here.")
    score = shingle_score([long_page, empty_prediction])
    assert score.recall == 0.5  # one perfect page, one page with nothing found
    assert score.precision == 1.0  # a page with no prediction has no precision to average


def test_an_independent_scraper_puts_block_elements_on_their_own_lines():
    html = ("<html><head><title>T</title><script>var x;</script></head><body>"
            "<nav><ul><li><a href='/'>Home</a></li><li>News</li></ul></nav>"
            "<h1>Big <b>news</b> today</h1><p>First paragraph with a <a>link</a>.<!-- ad --> More.</p>"
            "<table><tr><td>cell</td><td>cell two</td></tr></table></body></html>")
    assert scraper_text(html) == ("Home\nNews\n\nBig news today\n\nFirst paragraph with a link. More.\n\n"
                                  "cell cell two\n")
    assert scraper_text(html, blank_lines=False) == ("Home\nNews\nBig news today\nFirst paragraph with a link. More.\n"
                                                     "cell cell two\n")
    assert scraper_text("") == ""


def test_bench_prints_cleaner_beside_the_floor_on_html_and_text(tmp_path, capsys):
    data = tmp_path / "cleaneval"
    (data / "pages").mkdir(parents=True)
    (data / "gold").mkdir()
    nav = "".join(f"<li><a href='/{i}'>Section {i}</a></li>" for i in range(12))
    page = (f"<html><body><ul>{nav}</ul><h1>Budget approved</h1><p>{ARTICLE}</p><p>{ARTICLE}</p>"
            "<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>")
    (data / "pages" / "a.html").write_text(page)
    (data / "gold" / "a.txt").write_text(f"Budget approved\n\n{ARTICLE}\n\n{ARTICLE}\n")
    (data / "manifest.jsonl").write_text(json.dumps({"id": "a", "url": "http://x.org/a", "lang": "en"}) + "\n")
    out_json = tmp_path / "bench.json"
    code = bench.main(["--data", str(tmp_path), "--sections", "html,text", "--anchors", "keep-all",
                       "--json", str(out_json)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "| cleaneval | 1 |" in printed and "Summary: plain-text scrapes" in printed
    results = json.loads(out_json.read_text())
    html = results["html"]["cleaneval"]
    assert html["cleaner"]["f1"] > html["keep-all"]["f1"]
    assert set(results["text"]["cleaneval"]) == {"html", "uniform", "scraped", "lines", "keep-all lines"}


def test_bench_refuses_unknown_sections_and_anchors(capsys):
    assert bench.main(["--sections", "html,speed"]) == 2
    assert bench.main(["--anchors", "goose"]) == 2
    assert "unknown" in capsys.readouterr().err


def test_synthetic_test_pages_get_their_own_row_not_a_language(tmp_path):
    from training.data import Example, synthetic_ids

    rows = [{"id": "lorem-fixture", "lang": "la", "synthetic": True}, {"id": "news", "lang": "la", "synthetic": False},
            {"id": "plain", "lang": "en"}]
    (tmp_path / "manifest.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    synthetic = synthetic_ids(tmp_path)
    assert synthetic == {"lorem-fixture"}
    assert synthetic_ids(tmp_path / "no-such-dataset") == frozenset()

    def example(id_: str, lang: str | None) -> Example:
        return Example(id=id_, source="d", site="s", lang=lang, page="", gold="", input_format="html", path="")

    assert bench.language_row(example("lorem-fixture", "la"), synthetic) == bench.SYNTHETIC_ROW
    assert bench.language_row(example("news", "la"), synthetic) == "la"
    assert bench.language_row(example("x", None), synthetic) == "unknown"


def test_a_language_row_names_its_worst_page_so_one_odd_page_shows():
    from training.metrics import Score

    scored = [("fundus/a", Score(0.98, 0.98, 0.98)), ("readability/front", Score(0.4, 0.3, 0.32)),
              ("fundus/b", Score(0.96, 1.0, 0.97))]
    row = bench.language_summary(scored, english_f1=0.95)
    assert (row["pages"], row["worst_page"], row["worst_f1"]) == (3, "readability/front", 0.32)
    assert row["f1"] == round((0.98 + 0.32 + 0.97) / 3, 4)
    assert row["minus_english"] == round(row["f1"] - 0.95, 4) < 0
