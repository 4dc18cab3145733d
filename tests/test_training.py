import json
from dataclasses import fields

import pytest

from cleaner import Cleaner
from cleaner.postprocess import RuleParams
from training import evaluate, train, tune_rules
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
    # the CPU kernels a retraining must share to give the same bytes
    assert sidecar["training_machine"]["numpy"] and isinstance(sidecar["training_machine"]["numpy_simd"], list)
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


def test_curve_draws_nest_so_every_k_is_scored_on_the_same_held_out_pages():
    from training.adapt import nested_draws

    orders = nested_draws(6, 3, 3)
    assert orders == nested_draws(6, 3, 3)  # reproducible
    assert len({frozenset(order) for order in orders}) == 3  # three different sets of labelled pages
    assert all(len(order) == len(set(order)) == 3 for order in orders)
    # k = 1, 2, 3 label the first 1, 2, 3 pages of a draw; every k is scored on the other three
    held_out = [set(range(6)) - set(order) for order in orders]
    assert all(len(h) == 3 and not h & set(order[:k]) for h, order in zip(held_out, orders) for k in (0, 1, 2, 3))
    assert len(nested_draws(4, 3, 10)) == 4  # only four ways to hold one page of four out
    assert nested_draws(5, 0, 3) == [()]


def test_sites_are_grouped_by_host_and_source_with_renderings_apart():
    from training.adapt import sites_with_pages
    from training.corpus import LabelledPage
    from training.data import Example

    def page(site: str, source: str) -> LabelledPage:
        example = Example(id="x", source=source, site=site, lang="en", page="", gold="", input_format=None, path="")
        return LabelledPage(example, None, None, None, None)

    pages = [page("a.com", "wcxb-dev"), page("a.com", "wcxb-dev+text"), page("a.com", "wcxb-dev"),
             page("a.com", "wcxb-dev+text"), page("a.com", "fundus-testdata"), page("unknown", "wcxb-dev")]
    assert sites_with_pages(pages, 2) == {"a.com (wcxb-dev)": [0, 2]}
    assert sites_with_pages(pages, 2, renderings=True) == {"a.com (wcxb-dev+text)": [1, 3]}
    assert sites_with_pages(pages, 3) == {}


def test_the_curve_can_take_its_sites_from_other_folders_by_host_and_source(seed_dirs):
    from training.adapt import sites_from_folders

    sites = sites_from_folders([str(seed_dirs[0].parent)], minimum=len(seed_dirs), n_jobs=1)
    assert list(sites) == ["union-news-hanoi (seeds)"]
    assert [page.example.id for page in sites["union-news-hanoi (seeds)"]] == [d.name for d in seed_dirs]
    assert sites_from_folders([str(seed_dirs[0].parent)], minimum=len(seed_dirs) + 1, n_jobs=1) == {}


def test_an_adapter_learns_a_site_from_its_own_pages_on_top_of_a_base_that_knows_nothing(seed_dirs):
    import numpy as np
    from sklearn.dummy import DummyClassifier

    from training.adapt import fit_adapter, page_f1
    from training.corpus import label_pages

    pages = label_pages(read_source(seed_dirs[0].parent), n_jobs=1)
    labelled, held_out = pages[:3], pages[3:]
    know_nothing = DummyClassifier(strategy="prior").fit(np.zeros((2, 1)), [0, 1])  # p(content) = 0.5 everywhere
    adapted = fit_adapter(know_nothing, labelled)
    cut = {"html": 0.6, "text": 0.6}
    before, after = np.mean(page_f1(know_nothing, held_out, cut)), np.mean(page_f1(adapted, held_out, cut))
    # p = 0.5 everywhere: nothing passes 0.6, so the thin-page rescue keeps every block (keep-all)
    assert before < 0.6 and after > 0.9
    assert max(tree.get_depth() for tree in adapted.adapter.estimators_.ravel()) <= 2  # ADAPTER_DEPTH


def test_tuning_scores_each_rate_at_the_chosen_depth_and_each_depth_at_the_chosen_rate():
    from training.adapt import (ADAPTER_DEPTH, ADAPTER_LEARNING_RATE, TUNING_DEPTHS, TUNING_RATES,
                                tuning_variants)

    variants = tuning_variants()
    assert len(set(variants)) == len(variants) and (ADAPTER_LEARNING_RATE, ADAPTER_DEPTH) in variants
    assert {rate for rate, depth in variants if depth == ADAPTER_DEPTH} == set(TUNING_RATES)
    assert {depth for rate, depth in variants if rate == ADAPTER_LEARNING_RATE} == set(TUNING_DEPTHS)


def test_an_adapter_that_hurts_the_sites_own_held_out_pages_is_not_used(seed_dirs):
    from dataclasses import replace

    from cleaner.model import load_model
    from training.adapt import fit_checked_adapter
    from training.corpus import label_pages

    model = load_model()
    first, second = label_pages(read_source(seed_dirs[0].parent), n_jobs=1)[:2]
    mislabelled = replace(second, fraction=1.0 - second.fraction)  # every block's label flipped; gold kept
    cut = {"html": model.threshold, "text": model.text_threshold}
    assert fit_checked_adapter(model.estimator, [first, mislabelled], cut) is model.estimator


def test_adapting_tells_the_user_how_each_labelled_page_scores_when_held_out(seed_dirs, tmp_path, capsys):
    from cleaner.model import load_model
    from training.adapt import HeldOutScore, held_out_report, leave_one_page_out, write_adapted
    from training.corpus import label_pages

    model = load_model()
    pages = label_pages(read_source(seed_dirs[0].parent), n_jobs=1)[:2]
    cut = {"html": model.threshold, "text": model.text_threshold}
    scores = leave_one_page_out(model.estimator, pages, cut)
    assert [s.page_id for s in scores] == [p.example.id for p in pages]
    assert all(0.0 <= s.base_f1 <= 1.0 and 0.0 <= s.adapted_f1 <= 1.0 for s in scores)
    assert leave_one_page_out(model.estimator, pages[:1], cut) == []
    assert "label three or more" in held_out_report([])
    worse = held_out_report([HeldOutScore("a", 0.9, 0.8), HeldOutScore("b", 0.9, 0.95)])
    assert "a: base 0.900 -> adapted 0.800" in worse and "mean: base 0.900 -> adapted 0.875" in worse
    assert "did not help" in worse
    assert "adapting helped" in held_out_report([HeldOutScore("a", 0.8, 0.9)])
    level = held_out_report([HeldOutScore("a", 0.9, 0.9)])  # --check would keep the adapter here
    assert "as they were" in level and "--check" not in level
    write_adapted(str(seed_dirs[0].parent), model, tmp_path / "site.joblib")
    assert "each labelled page held out" in capsys.readouterr().err


def test_an_adapted_model_is_written_with_a_sidecar_and_the_cli_uses_it(seed_dirs, tmp_path):
    from cleaner.cli import main as cli_main
    from training.adapt import main as adapt_main

    out = tmp_path / "site.joblib"
    assert adapt_main([str(seed_dirs[0].parent), "--out", str(out)]) == 0
    sidecar = json.loads(out.with_suffix(".json").read_text())
    assert sidecar["adapted"]["pages"] == len(seed_dirs)
    assert sidecar["adapted"]["template_memory"] == sidecar["adapted"]["kept"]
    assert cli_main(["--model", str(out), str(seed_dirs[0] / "page.txt"), "--out-dir", str(tmp_path / "o")]) == 0


def test_a_blend_predicts_the_geometric_mean_of_its_members():
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from cleaner.blend import GeometricBlend

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] + rng.normal(scale=0.5, size=200)) > 0
    blend = GeometricBlend((("weak", LogisticRegression(C=0.01)), ("strong", LogisticRegression(C=10.0)))).fit(X, y)
    members = blend.member_proba(X)
    assert np.allclose(blend.predict_proba(X)[:, 1], np.sqrt(members["weak"] * members["strong"]))
    assert not np.allclose(members["weak"], members["strong"])


def test_a_blends_cross_validation_can_be_combined_from_its_members_folds(seed_dirs):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from cleaner.blend import GeometricBlend
    from training.corpus import label_pages
    from training.learn import blended_out_of_fold, out_of_fold

    pages = label_pages(read_source(seed_dirs[0].parent), n_jobs=1)
    groups = [str(i) for i in range(len(pages))]
    a, b = LogisticRegression(C=0.1, max_iter=2000), LogisticRegression(C=1.0, max_iter=2000)
    direct = out_of_fold(GeometricBlend((("a", a), ("b", b))), pages, groups, 2)
    combined = blended_out_of_fold([out_of_fold(a, pages, groups, 2), out_of_fold(b, pages, groups, 2)])
    assert all(np.allclose(d, c) for d, c in zip(direct, combined))


def test_a_blended_model_trains_and_cleans(seed_dirs, tmp_path):
    out = tmp_path / "blend.joblib"
    assert train.main([str(seed_dirs[0].parent), "--estimator", "blend", "--folds", "2",
                       "--out", str(out), "--no-cache", "--jobs", "1"]) == 0
    assert json.loads(out.with_suffix(".json").read_text())["estimator"] == "blend"
    text = Cleaner(out).clean((seed_dirs[0] / "page.txt").read_text(encoding="utf-8"))
    assert text.split("\n")[0] == (seed_dirs[0] / "expected.txt").read_text(encoding="utf-8").split("\n")[0]


def test_the_segmentation_ceiling_shows_gold_text_the_walk_never_reads():
    from training.ceiling import page_ceiling
    from training.data import Example

    story = " ".join(["The council approved the new budget on Monday after a long debate."] * 3)
    answer = "Opening hours are nine to five on weekdays."
    page = (f"<body><article><p>{story} <span style='display:none'>{answer}</span></p></article>"
            "<button>Load more</button></body>")
    example = Example(id="faq", source="demo", site="example.com", lang="en", page=page,
                      gold=f"{story}\n\n{answer}", input_format="html", path="demo/faq.html")
    ceiling = page_ceiling(example)
    assert ceiling is not None and ceiling.key == "demo/faq"
    assert ceiling.as_segmented == 36 / 44  # the 8 words of the hidden span are not in any block
    assert ceiling.hidden_read == 1.0 and ceiling.controls_read == ceiling.as_segmented


def test_caches_of_fitted_models_notice_a_page_whose_content_changed_under_the_same_key(seed_dirs):
    from dataclasses import replace

    from training.corpus import label_pages
    from training.train import pages_digest

    pages = label_pages(read_source(seed_dirs[0].parent), n_jobs=1)
    relabelled = [replace(pages[0], fraction=1.0 - pages[0].fraction), *pages[1:]]
    assert relabelled[0].example.key == pages[0].example.key
    assert pages_digest(relabelled) != pages_digest(pages)
    assert pages_digest(list(pages)) == pages_digest(pages)


def test_model_size_settings_read_as_trees_rate_leaves_feature_share_leaf_and_penalty_and_bad_ones_say_the_format():
    import argparse

    import pytest

    from training.learn import HGB_FEATURE_SHARE, HGB_L2, HGB_MIN_LEAF, gradient_boosting
    from training.tune_hgb import parse_setting

    shipped_rest = (HGB_FEATURE_SHARE, HGB_MIN_LEAF, HGB_L2)  # what a setting leaves out is the shipped value
    assert parse_setting("150:0.1:63") == (150, 0.1, 63, *shipped_rest)
    assert parse_setting("150:0.1:63:1") == (150, 0.1, 63, 1.0, HGB_MIN_LEAF, HGB_L2)
    assert parse_setting("150:0.1:63:0.5:40:3") == (150, 0.1, 63, 0.5, 40, 3.0)
    model = gradient_boosting(*parse_setting("150:0.1:63:0.3:40:3"), seed=2)
    assert (model.max_iter, model.learning_rate, model.max_leaf_nodes, model.max_features) == (150, 0.1, 63, 0.3)
    assert (model.min_samples_leaf, model.l2_regularization) == (40, 3.0)
    assert model.random_state == 2 and gradient_boosting().random_state == 0  # the shipped model's seed unless given
    for bad in ("150-0.1-63", "150:0.1:63:0", "150:0.1:63:1.5", "150:0.1:63:0.5:0", "150:0.1:63:0.5:20:-1",
                "150:0.1:63:0.5:20:1:9"):
        with pytest.raises(argparse.ArgumentTypeError, match="trees:learning_rate:leaves"):
            parse_setting(bad)


def test_a_setting_scored_under_several_seeds_shows_every_score_and_their_mean():
    from training.tune_hgb import f1_cell

    assert f1_cell([0.90604]) == "0.9060"
    assert f1_cell([0.9064, 0.9012]) == "0.9064, 0.9012 (mean 0.9038)"


def test_a_crop_is_a_small_page_of_the_originals_blocks_in_order_with_their_labels(seed_dirs):
    import numpy as np

    from training.corpus import CROP_CONTENT_BLOCKS, crop, crops_of, label_page

    page = label_page(read_source(seed_dirs[0].parent)[0])
    position = {id(block): i for i, block in enumerate(page.page.blocks)}  # repeated lines are equal blocks
    for seed in range(20):
        small = crop(page, np.random.default_rng(seed))
        kept = [position[id(b)] for b in small.page.blocks]
        assert kept == sorted(kept) and len(kept) < len(page.page)  # a smaller page, in page order
        assert list(small.fraction) == list(page.fraction[kept])  # labelled as in the original
        assert 1 <= small.y.sum() <= CROP_CONTENT_BLOCKS + 2 * 3  # a few content blocks (and neighbours)
        assert small.X.shape == (len(kept), page.X.shape[1])  # featurized as a page of its own
    assert [c.page for c in crops_of(page, 3)] == [c.page for c in crops_of(page, 3)]  # the same every time


def test_a_page_with_no_content_gives_no_crop(seed_dirs):
    import numpy as np
    from dataclasses import replace

    from training.corpus import crop, label_page

    page = label_page(read_source(seed_dirs[0].parent)[0])
    assert crop(replace(page, fraction=np.zeros(len(page.page))), np.random.default_rng(0)) is None


def test_datasets_whose_gold_leaves_the_headline_out_get_their_title_back(tmp_path):
    from training.data import read_dataset, with_headline

    assert with_headline("Body text.", "A  headline") == "A headline\n\nBody text."
    assert with_headline("A headline\n\nBody text.", "A headline") == "A headline\n\nBody text."
    assert with_headline("", "A headline") == ""  # no main content, no headline
    assert with_headline("Body text.", None) == "Body text."
    for name in ("fundus-testdata", "l3s-gn1"):
        root = tmp_path / name
        (root / "pages").mkdir(parents=True)
        (root / "gold").mkdir()
        (root / "pages" / "a.html").write_text("<h1>Rain today</h1><p>It rains.</p>")
        (root / "gold" / "a.txt").write_text("It rains.")
        (root / "manifest.jsonl").write_text(json.dumps({"id": "a", "url": None, "source": name, "title": "Rain today"}) + "\n")
    assert read_dataset(tmp_path / "fundus-testdata")[0].gold == "Rain today\n\nIt rains."
    assert read_dataset(tmp_path / "l3s-gn1")[0].gold == "It rains."  # its gold has its own convention


def test_the_headline_measure_scores_the_text_finder_against_the_html_headline():
    from dataclasses import replace

    from training.data import Example
    from training.headlines import headline_case, report

    body = ["The council approved the harbour budget on Tuesday after a long debate in the chamber.",
            "Members said the harbour had waited ten years for the repairs it now gets from the city."]
    html = ("<html><head><title>Council approves the harbour budget</title></head><body>"
            "<ul><li>Home</li><li>World news and local sport</li><li>Contact the newsroom today</li></ul>"
            "<h1>Council approves the harbour budget</h1><p>By Ann Lee</p>"
            + "".join(f"<p>{p}</p>" for p in body) + "</body></html>")
    example = Example(id="a", source="demo", site="example.com", lang="en", page=html,
                      gold="\n\n".join(["Council approves the harbour budget", *body]), input_format="html", path="")
    case = headline_case(example)
    assert case.found and not case.previous  # the first early line of three words is the menu's
    assert case.picked == "Council approves the harbour budget"
    assert "| demo | 1 | 1 | 0 |" in report([case], listed=0)
    assert headline_case(replace(example, gold="\n\n".join(body))) is None  # no headline in the gold


def test_every_rule_parameter_has_a_search_grid_and_only_those():
    grid = tune_rules.GRID
    assert set(grid) == {f.name for f in fields(RuleParams)}
    assert all(getattr(RuleParams(), name) in values for name, values in grid.items()), "the default is searched too"


def test_tune_rules_refuses_an_unknown_parameter_before_loading_anything(capsys):
    with pytest.raises(SystemExit) as stop:
        tune_rules.main(["--threshold", "0.5", "--params", "comment_heading_min_words,no_such_rule"])
    assert stop.value.code == 2
    assert "no_such_rule" in capsys.readouterr().err


def forum_site(root, keep_replies: bool):
    """Three labelled pages of a forum whose replies sit in "comment" containers. With
    ``keep_replies`` the site's labels call them content, as a forum's owner would."""
    for n in range(3):
        post = f"Opening post number {n} asks how to keep sourdough starter alive through a long hot summer."
        replies = [f"Reply {r} on thread {n}: feed it twice a day and keep it in the fridge between bakes."
                   for r in range(3)]
        html = ("<html><body><div class='post'><p>" + post + "</p></div>"
                + "".join(f"<div class='comment'><p>{r}</p></div>" for r in replies) + "</body></html>")
        folder = root / f"page{n}"
        folder.mkdir(parents=True)
        (folder / "page.html").write_text(html, encoding="utf-8")
        (folder / "expected.txt").write_text("\n\n".join([post, *replies] if keep_replies else [post]) + "\n",
                                             encoding="utf-8")
        (folder / "meta.json").write_text(json.dumps({"site": "forum.example"}), encoding="utf-8")
    return root


def sure_of_everything():
    import numpy as np
    from sklearn.dummy import DummyClassifier

    return DummyClassifier(strategy="prior").fit(np.zeros((10, 1)), [0] + [1] * 9)  # p(content) = 0.9 everywhere


@pytest.mark.parametrize("keep_replies, expected", [(True, ("drop_comment_threads",)), (False, ())])
def test_a_site_whose_labels_keep_its_replies_goes_without_the_comment_rule(tmp_path, keep_replies, expected):
    from training.adapt import rules_the_site_contradicts
    from training.corpus import label_pages

    pages = label_pages(read_source(forum_site(tmp_path / "forum", keep_replies)), n_jobs=1)
    assert rules_the_site_contradicts(sure_of_everything(), pages, {"html": 0.5, "text": 0.5}) == expected


def test_an_adapted_model_lists_the_rules_its_site_contradicts_and_cleaning_skips_them(seed_dirs, tmp_path):
    from cleaner.model import load_model
    from training.adapt import write_adapted

    site = forum_site(tmp_path / "forum", keep_replies=True)
    out = write_adapted(str(site), load_model(), tmp_path / "forum.joblib")
    assert json.loads(out.with_suffix(".json").read_text())["rules_off"] == ["drop_comment_threads"]
    reply = "Reply 2 on thread 0: feed it twice a day and keep it in the fridge between bakes."
    page = (site / "page0" / "page.html").read_text(encoding="utf-8")
    assert reply in Cleaner(out).clean(page)
    kept_all = write_adapted(str(site), load_model(), tmp_path / "all.joblib", site_rules=False)
    assert "rules_off" not in json.loads(kept_all.with_suffix(".json").read_text())


def test_a_training_pages_lexical_columns_never_come_from_its_own_sites_labels(seed_dirs):
    from dataclasses import replace

    from cleaner.features import LEXICAL_COLUMNS
    from training.corpus import label_pages
    from training.learn import cross_fitted_lexicons, fit, gradient_boosting, predict_pages

    seeds = label_pages(read_source(seed_dirs[0].parent), n_jobs=1)
    # The seeds as four sites: a lexicon needs three sites, so each page's columns can only come
    # from a lexicon of the three other sites' pages.
    pages = [replace(p, example=replace(p.example, site=f"site{i % 4}")) for i, p in enumerate(seeds)]
    crossed = cross_fitted_lexicons(pages)
    for page in crossed:
        assert page.lexicon is not None and page.X[:, LEXICAL_COLUMNS].any()
        own = {t for p in pages if p.example.site == page.example.site for b in p.page.blocks for t in b.token_set}
        others = {t for p in pages if p.example.site != page.example.site for b in p.page.blocks for t in b.token_set}
        assert set(page.lexicon.weights) <= others and not (set(page.lexicon.weights) & (own - others))
    model = fit(gradient_boosting(trees=5), pages)
    assert len(model.lexicon_) >= max(len(p.lexicon) for p in crossed)  # every site's labels, for unseen pages
    assert [len(p) for p in predict_pages(model, seeds)] == [len(p.page) for p in seeds]
    single_site = cross_fitted_lexicons(seeds)  # one site: nothing can be held apart, so nothing is read
    assert not any(p.X[:, LEXICAL_COLUMNS].any() for p in single_site)


def test_a_held_out_source_is_scored_at_thresholds_its_own_predictions_did_not_choose(seed_dirs):
    import numpy as np

    from training.corpus import label_pages
    from training.learn import choose_threshold, thresholds_by_format

    pages = label_pages(read_source(seed_dirs[0].parent), n_jobs=1)
    groups = ["a", "a", "b", "b", "c"][:len(pages)]
    rng = np.random.default_rng(0)
    proba = [np.clip(p.y * 0.5 + rng.uniform(0.0, 0.5, len(p.y)), 0, 1) for p in pages]
    chosen = evaluate.held_out_thresholds(pages, proba, groups)
    # Whatever the model says of group a's own pages, a's thresholds stay: they come from b and c.
    inverted = [1.0 - p if g == "a" else p for p, g in zip(proba, groups)]
    assert evaluate.held_out_thresholds(pages, inverted, groups)["a"] == chosen["a"]
    # The seeds are plain text only: HTML, which no page chose, gets the one threshold of them all.
    assert set(chosen["a"]) == {"html", "text"}
    assert thresholds_by_format(pages, proba)["html"] == choose_threshold(pages, proba)[0]


def test_leaving_out_pages_with_nothing_else_to_train_on_says_so(seed_dirs, capsys):
    seeds = str(seed_dirs[0].parent)
    assert evaluate.main(["--leave-one-out", seeds, "--train", seeds]) == 2
    assert "nothing is left to train on" in capsys.readouterr().err
