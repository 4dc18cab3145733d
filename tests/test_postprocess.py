import numpy as np

from cleaner.document import Block, Page
from cleaner.postprocess import (content_runs, cut_after_comment_heading, cut_at_next_article, cut_trailing_runs,
                                 drop_comment_threads, drop_headline_echo, fill_lone_gap, in_comment_thread,
                                 is_comment_heading, keep_heading_with_text, make_context, rescue_thin_page, revise)
from cleaner.segment import segment_html


def page_of(*lines: str) -> Page:
    return Page(blocks=tuple(Block(text=t, tag="line") for t in lines), input_format="text")


def ctx(page, proba):
    return make_context(page, np.array(proba, dtype=float))


def test_a_repeated_headline_is_dropped_but_the_headline_kept():
    page = page_of("A headline about workers", "Body text here.", "A headline about workers", "Caption.")
    labels = np.array([True, True, True, True])
    assert drop_headline_echo(ctx(page, [0.9] * 4), labels).tolist() == [True, True, False, True]


def test_a_repeated_paragraph_is_not_a_headline_echo():
    paragraph = " ".join(f"word{i}" for i in range(40)) + "."
    page = page_of(paragraph, "Another paragraph.", paragraph)
    assert page.headline == 0  # the first early line the page repeats
    labels = np.array([True, True, True])
    assert drop_headline_echo(ctx(page, [0.9] * 3), labels).tolist() == [True, True, True]


def test_a_doubtful_lone_gap_inside_the_article_is_filled():
    page = page_of("Para one.", "Photo caption", "Para two.")
    assert fill_lone_gap(ctx(page, [0.9, 0.3, 0.9]), np.array([True, False, True])).tolist() == [True, True, True]
    # a confident noise block stays out
    assert fill_lone_gap(ctx(page, [0.9, 0.01, 0.9]), np.array([True, False, True])).tolist() == [True, False, True]


def test_a_heading_keeps_with_the_paragraph_it_introduces():
    page = page_of("Para one.", "A subheading", "Para two.")
    labels = keep_heading_with_text(ctx(page, [0.9, 0.2, 0.9]), np.array([True, False, True]))
    assert labels.tolist() == [True, True, True]


def test_small_runs_after_the_article_are_cut():
    body = " ".join(["word"] * 50) + "."
    page = page_of(body, body, "x", "y", "z", "Teaser summary.")
    labels = np.array([True, True, False, False, False, True])
    assert content_runs(labels, max_gap=2) == [(0, 1), (5, 5)]
    assert cut_trailing_runs(ctx(page, [0.9] * 6), labels).tolist() == [True, True, False, False, False, False]


def test_revise_thresholds_then_applies_rules():
    page = page_of("Only block.")
    assert revise(page, np.array([0.7]), 0.5).tolist() == [True]
    assert revise(page, np.array([0.3]), 0.5, rules=()).tolist() == [False]
    assert revise(page_of(), np.zeros(0), 0.5).tolist() == []


def test_a_page_left_thin_by_the_threshold_is_reread_against_its_own_best_block():
    article = " ".join(["word"] * 80) + "."
    page = page_of("Home News Sport", "Posted on Monday", article, "Share this")
    proba = [0.02, 0.4, 0.2, 0.01]
    # at 0.35 only the 3-word date line passes: the 81-word paragraph (p x words highest) sets the
    # bar at 0.3 x 0.2, which the menu and the share button stay below
    labels = revise(page, np.array(proba), 0.35)
    assert labels.tolist() == [False, True, True, False]
    assert rescue_thin_page(ctx(page, proba), np.array([False, True, False, False])).tolist() == labels.tolist()


def test_a_page_with_enough_content_is_not_rescued():
    article = " ".join(["word"] * 120) + "."
    page = page_of("Home News Sport", article, "A weak paragraph of some length.")
    labels = np.array([False, True, False])
    assert rescue_thin_page(ctx(page, [0.1, 0.9, 0.3]), labels).tolist() == [False, True, False]


def test_a_kicker_line_keeps_with_the_headline_but_markup_residue_does_not():
    page = page_of("-->", "City union - Province union:", "Unions trade notes on organising",
                   "Body sentence one.", "Unions trade notes on organising")
    proba = [0.3, 0.3, 0.9, 0.9, 0.9]
    labels = keep_heading_with_text(ctx(page, proba), np.array([False, False, True, True, True]))
    assert labels.tolist() == [False, True, True, True, True]


def html_page(*blocks: tuple[str, tuple[str, ...]]) -> Page:
    return Page(blocks=tuple(Block(text=t, tag="p", class_tokens=c) for t, c in blocks), input_format="html")


def test_comment_containers_are_named_by_the_nearest_class_tokens_but_commentary_is_not_one():
    assert in_comment_thread(("body", "comment", "list"), reach=3)
    assert in_comment_thread(("disqus_thread",), reach=3)
    assert not in_comment_thread(("commentary", "article"), reach=3)  # an opinion section
    assert not in_comment_thread(("p", "entry", "post", "comments"), reach=3)  # a page-wide wrapper


def test_reader_comments_after_the_article_are_cut():
    page = html_page(("Story paragraph one.", ("entry",)), ("Story paragraph two.", ("entry",)),
                     ("Great post, thanks!", ("comment", "body")), ("I disagree.", ("comment", "body")))
    labels = drop_comment_threads(ctx(page, [0.9] * 4), np.array([True, True, True, True]))
    assert labels.tolist() == [True, True, False, False]


def test_a_thread_with_no_article_outside_comment_containers_is_left_alone():
    page = html_page(("Site menu", ("nav",)), ("First post of the thread.", ("comment",)),
                     ("A reply to it.", ("comment",)))
    labels = np.array([False, True, True])
    assert drop_comment_threads(ctx(page, [0.1, 0.9, 0.9]), labels).tolist() == [False, True, True]


def test_comment_section_headings_are_whole_lines_with_at_most_a_count():
    for heading in ("Comments", "12 Comments", "Kommentare (3)", "Ý kiến bạn đọc", "Leave a Reply", "Comments 39"):
        assert is_comment_heading(heading), heading
    for line in ("How comments work on this site", "Add a comment |", "Commentary", "· 76 comments"):
        assert not is_comment_heading(line), line


def test_a_counted_comment_heading_may_carry_the_posts_title_or_a_prompt():
    for heading in ("38 Responses to “How to Retrain a Model”", "12 thoughts on “Hello world!”",
                    "{ 18 comments… read them below or add one }", "{ 167 comments }", "One thought on “X”"):
        assert is_comment_heading(heading), heading
    for line in ("12 comments were removed by the moderators", "5 replies so far", "No Comment",
                 "3 responses to the survey were late, the ministry said, and " + "more " * 20):
        assert not is_comment_heading(line), line


def test_in_a_text_scrape_a_comment_heading_after_the_article_ends_it():
    body = " ".join(["word"] * 60) + "."
    page = page_of("Headline", body, body, "Ý kiến bạn đọc", "Reader one: great article, thanks a lot.", "Footer")
    labels = np.array([True, True, True, False, True, False])
    assert cut_after_comment_heading(ctx(page, [0.9] * 6), labels).tolist() == [True, True, True, False, False, False]


def test_the_rules_that_add_blocks_do_not_bring_a_comment_heading_back():
    """Between the article and a first comment the classifier keeps, a doubtful "Comments" line
    looks like a lone gap and like a heading before content; brought back, it would no longer
    end the article, and the whole thread would stay."""
    body = " ".join(["word"] * 60) + "."
    page = page_of("Headline", body, body, "Comments", "Reader one: great article, thanks a lot.",
                   "Reader two: I do not agree with a word of it.")
    proba = [0.9, 0.9, 0.9, 0.35, 0.8, 0.8]  # the heading above gap_min_proba and heading_min_proba
    labels = revise(page, np.array(proba), 0.5)
    assert labels.tolist() == [True, True, True, False, False, False]
    # the same line as an ordinary subheading is still brought back
    page = page_of("Headline", body, body, "Reactions in town", body)
    assert revise(page, np.array([0.9, 0.9, 0.9, 0.35, 0.9]), 0.5).tolist() == [True] * 5


def test_a_comment_button_under_the_headline_does_not_end_the_article():
    body = " ".join(["word"] * 60) + "."
    page = page_of("Headline", "Comments", body, body)
    labels = np.array([True, False, True, True])
    assert cut_after_comment_heading(ctx(page, [0.9] * 4), labels).tolist() == [True, False, True, True]


def test_the_comment_heading_rule_leaves_html_to_the_class_token_rule():
    body = " ".join(["word"] * 120) + "."
    page = html_page(("Headline", ()), (body, ()), ("Comments", ()), ("A reader writes back.", ()))
    labels = np.array([True, True, False, True])
    assert cut_after_comment_heading(ctx(page, [0.9] * 4), labels).tolist() == [True, True, False, True]


def endless_scroll_page(first_body_words: int) -> Page:
    body = " ".join(["word"] * first_body_words) + "."
    return segment_html(
        "<html><head><title>Ministers agree on the budget</title></head><body><main>"
        f"<article><h1>Ministers agree on the budget</h1><p>{body}</p><p>{body}</p></article>"
        "<div><article><h1>Football coach signs for two years</h1><p>The next story reads like one.</p></article>"
        "</div></main></body></html>")


def test_the_next_story_of_an_endless_scroll_page_is_cut_at_its_headline():
    page = endless_scroll_page(60)
    assert page.headline == 0
    labels = np.ones(len(page), dtype=bool)
    assert cut_at_next_article(ctx(page, [0.9] * len(page)), labels).tolist() == [True, True, True, False, False]


def test_an_h1_in_another_article_right_under_the_headline_does_not_end_the_page():
    page = endless_scroll_page(20)  # 40 content words before the second <h1>: too few to be a whole story
    labels = np.ones(len(page), dtype=bool)
    assert cut_at_next_article(ctx(page, [0.9] * len(page)), labels).all()


def test_an_h1_inside_the_headlines_own_article_is_a_subheading_not_the_next_story():
    body = " ".join(["word"] * 60) + "."
    page = segment_html(
        "<html><head><title>Ministers agree on the budget</title></head><body><article>"
        f"<h1>Ministers agree on the budget</h1><p>{body}</p><p>{body}</p>"
        "<section><h1>What changes for families</h1><p>Child benefit rises next year.</p></section>"
        "</article></body></html>")
    labels = np.ones(len(page), dtype=bool)
    assert cut_at_next_article(ctx(page, [0.9] * len(page)), labels).all()
