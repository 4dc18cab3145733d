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
