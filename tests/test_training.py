import json

from cleaner import Cleaner
from training import evaluate, train
from training.data import read_source


def test_fixtures_read_as_examples(seed_dirs):
    examples = read_source(seed_dirs[0].parent)
    assert [ex.id for ex in examples] == [d.name for d in seed_dirs]
    assert all(ex.fixture and ex.input_format == "text" and ex.lang == "vi" for ex in examples)


def test_train_on_fixtures_writes_a_model_the_cli_and_api_accept(seed_dirs, tmp_path, capsys):
    out = tmp_path / "site.joblib"
    code = train.main([str(seed_dirs[0].parent), "--estimator", "logreg", "--folds", "2",
                       "--out", str(out), "--no-cache", "--jobs", "1"])
    assert code == 0
    sidecar = json.loads(out.with_suffix(".json").read_text())
    assert sidecar["estimator"] == "logreg"
    assert sidecar["sources"] == [{"name": "seeds", "pages": 5, "licence": "project fixtures (users' own pages)"}]
    assert "seeds" in sidecar["cv"]["candidates"]["logreg"]["by_source"]
    text = Cleaner(out).clean((seed_dirs[0] / "page.txt").read_text(encoding="utf-8"))
    assert text.startswith((seed_dirs[0] / "expected.txt").read_text(encoding="utf-8").split("\n")[0])
    assert evaluate.main([str(seed_dirs[0].parent), "--model", str(out), "--worst", "1"]) == 0
    assert "cleaner" in capsys.readouterr().out


def test_evaluation_only_datasets_cannot_train_a_shippable_model(tmp_path, capsys):
    fake = tmp_path / "l3s-gn1"
    (fake / "pages").mkdir(parents=True)
    (fake / "gold").mkdir()
    (fake / "pages" / "a.html").write_text("<p>Some text here.</p>")
    (fake / "gold" / "a.txt").write_text("Some text here.")
    (fake / "manifest.jsonl").write_text(json.dumps({"id": "a", "url": None, "source": "l3s-gn1"}) + "\n")
    assert train.main([str(fake), "--out", str(tmp_path / "m.joblib"), "--no-cache"]) == 2
    assert "evaluation only" in capsys.readouterr().err
    assert not (tmp_path / "m.joblib").exists()


def test_html_renders_to_a_plain_text_scrape_one_block_per_line():
    from training.render import render_text

    html = ("<body><h1>Title</h1><p>Lede.</p><ul><li><a href=1>One</a></li><li><a href=2>Two</a></li></ul>"
            "<p>Body.</p></body>")
    assert render_text(html) == "Title\n\nLede.\n\nOne\n\nTwo\n\nBody.\n"


def test_new_fixture_drafts_expected_text_and_inspect_flags_what_a_person_changed(seed_dirs, tmp_path, capsys):
    from training.inspect import inspect_rows
    from training.inspect import main as inspect_main
    from training.new_fixture import main as new_fixture_main

    page = seed_dirs[2] / "page.txt"
    assert new_fixture_main([str(page), "--site", "union-news", "--root", str(tmp_path), "--lang", "vi"]) == 0
    (folder,) = (tmp_path / "union-news").iterdir()
    assert (folder / "page.txt").read_bytes() == page.read_bytes()  # the page is kept byte for byte
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["site"] == "union-news" and meta["reviewed"] is False
    draft = (folder / "expected.txt").read_text(encoding="utf-8")
    assert draft.strip()
    assert new_fixture_main([str(page), "--site", "union-news", "--root", str(tmp_path)]) == 1  # no duplicates

    rows, f1 = inspect_rows(folder, Cleaner())
    assert f1 == 1.0 and not any(r["disagree"] for r in rows)  # the draft is what the model says
    # The person removes the last paragraph: inspect now flags that block and only it.
    paragraphs = draft.strip().split("\n\n")
    (folder / "expected.txt").write_text("\n\n".join(paragraphs[:-1]) + "\n", encoding="utf-8")
    rows, f1 = inspect_rows(folder, Cleaner())
    flagged = [r for r in rows if r["disagree"]]
    assert [r["text"] for r in flagged] == [paragraphs[-1]] and f1 < 1.0
    capsys.readouterr()
    assert inspect_main([str(folder)]) == 0
    out = capsys.readouterr().out
    assert "!!" in out and "1 disagreements" in out


def test_adaptation_draws_are_distinct_reproducible_subsets():
    from training.adapt import draws_of

    assert draws_of(5, 0, 3) == [()]
    draws = draws_of(5, 2, 3)
    assert len(draws) == len(set(draws)) == 3 and all(len(d) == 2 for d in draws)
    assert draws == draws_of(5, 2, 3)
    assert len(draws_of(5, 4, 10)) == 5  # only five ways to pick four of five
