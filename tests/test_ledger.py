import json

import numpy as np

from cleaner.api import Cleaner
from cleaner.segment import segment
from training import ledger
from training.data import read_source
from training.ledger import rule_moves, scored_page

SENTENCE = ("The city council approved the new budget on Tuesday after a long debate, and the mayor "
            "said the money would go to schools, parks and road repairs across the city. ")
ARTICLE = [SENTENCE * 2, SENTENCE * 2, SENTENCE * 2]
COMMENTS = ["Great news, about time the parks got some money from this council, I say.",
            "I do not agree with a word of it and I will vote against the mayor next year."]


def moved_by(moves, rule):
    return dict(zip(ledger.MOVES, next(words for name, words in moves if name == rule).tolist()))


def test_a_comment_heading_cut_counts_the_comments_it_removes_as_noise():
    page = segment("\n\n".join(["Budget approved", *ARTICLE, "Comments", *COMMENTS]), "text")
    # The classifier keeps the article and the comments and drops the heading line.
    proba = np.array([0.9, 0.9, 0.9, 0.9, 0.1, 0.8, 0.8])
    gold = np.array([True, True, True, True, False, False, False])
    moves = rule_moves(page, proba, 0.5, Cleaner().rules, gold)
    comment_words = sum(len(c.split()) for c in COMMENTS)
    assert moved_by(moves, "cut_after_comment_heading") == {
        "gold removed": 0, "noise removed": comment_words, "gold added": 0, "noise added": 0}
    assert moved_by(moves, "drop_comment_threads") == dict.fromkeys(ledger.MOVES, 0)  # HTML only


def test_a_page_with_no_blocks_moves_nothing():
    moves = rule_moves(segment("", "text"), np.zeros(0), 0.5, Cleaner().rules, np.zeros(0, dtype=bool))
    assert [name for name, _ in moves] == [name for name, _ in Cleaner().rules]
    assert all(not words.any() for _name, words in moves)


def test_the_replay_ends_where_the_cleaner_ends(tmp_path):
    """Words over the threshold, plus every rule's additions, minus its removals, are the words
    the cleaner keeps: the ledger replays revise, it does not approximate it."""
    nav = "".join(f"<li><a href='/{i}'>Section {i}</a></li>" for i in range(12))
    html = (f"<html><body><ul>{nav}</ul><h1>Budget approved</h1>"
            + "".join(f"<p>{p}</p>" for p in ARTICLE)
            + "<div class='comments'>" + "".join(f"<p>{c}</p>" for c in COMMENTS) + "</div></body></html>")
    folder = dataset(tmp_path, html, "Budget approved\n\n" + "\n\n".join(ARTICLE))
    cleaner = Cleaner()
    (example,) = read_source(folder)
    page, proba, gold = scored_page(cleaner, example)
    moves = rule_moves(page, proba, cleaner.threshold, cleaner.rules, gold)
    words = np.array([b.words for b in page.blocks])
    net = sum(w[2] + w[3] - w[0] - w[1] for _name, w in moves)
    kept = sum(b.words for b, r in zip(page.blocks, cleaner.analyze(example.page, "html").blocks) if r.is_content)
    assert words[proba >= cleaner.threshold].sum() + net == kept


def dataset(tmp_path, html, gold):
    data = tmp_path / "news"
    (data / "pages").mkdir(parents=True)
    (data / "gold").mkdir()
    (data / "pages" / "a.html").write_text(html)
    (data / "gold" / "a.txt").write_text(gold)
    (data / "manifest.jsonl").write_text(json.dumps({"id": "a", "url": "http://x.org/a", "lang": "en"}) + "\n")
    return data


def test_the_command_prints_a_row_per_rule_and_compares_text_with_html(tmp_path, capsys):
    html = ("<html><body><h1>Budget approved</h1>" + "".join(f"<p>{p}</p>" for p in ARTICLE)
            + "<div id='comments'>" + "".join(f"<p>{c}</p>" for c in COMMENTS) + "</div></body></html>")
    folder = dataset(tmp_path, html, "Budget approved\n\n" + "\n\n".join(ARTICLE))
    assert ledger.main([str(folder), "--as-text", "uniform"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("1 pages (uniform text renderings)")
    assert all(f"| {name} |" in printed for name, _rule in Cleaner().rules)
    assert ledger.main([str(folder), "--versus-html"]) == 0
    assert capsys.readouterr().out.startswith("1 of 1 pages have the same blocks as HTML and as uniform text")


def test_the_command_explains_a_missing_folder(tmp_path, capsys):
    assert ledger.main([str(tmp_path / "absent")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_the_training_sources_are_read_out_of_fold_html_and_text_apart(monkeypatch, capsys):
    text_page = segment("\n\n".join(["Budget approved", *ARTICLE, "Comments", *COMMENTS]), "text")
    scored = [(text_page, np.array([0.9, 0.9, 0.9, 0.9, 0.1, 0.8, 0.8]),
               np.array([True, True, True, True, False, False, False]))]
    monkeypatch.setattr(ledger, "out_of_fold_pages", lambda: scored)
    assert ledger.main(["--out-of-fold"]) == 0
    printed = capsys.readouterr().out
    assert "0 pages (training sources as HTML, out of fold)" in printed
    assert "1 pages (training sources as plain text, out of fold)" in printed
    comment_words = sum(len(c.split()) for c in COMMENTS)
    assert f"| cut_after_comment_heading | 1 | 0 | {comment_words} | 0 | 0 |" in printed


def test_without_cached_predictions_the_command_says_what_to_run(monkeypatch, capsys):
    monkeypatch.setattr(ledger, "out_of_fold_pages", lambda: None)
    assert ledger.main(["--out-of-fold"]) == 2
    assert "run python -m training.train first" in capsys.readouterr().err


def test_a_folder_and_out_of_fold_exclude_each_other(tmp_path):
    import pytest

    for argv in ([], [str(tmp_path), "--out-of-fold"], ["--out-of-fold", "--as-text", "uniform"],
                 ["--out-of-fold", "--versus-html"]):
        with pytest.raises(SystemExit):
            ledger.main(argv)
