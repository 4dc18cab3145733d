import numpy as np

from cleaner.document import Block, Page
from cleaner.features import FEATURE_NAMES, featurize
from cleaner.segment import segment_html, segment_text


def column(X, name):
    return X[:, FEATURE_NAMES.index(name)]


def test_matrix_has_one_row_per_block_and_a_named_column_each():
    page = segment_html("<body><h1>T</h1><p>a b c.</p><p>d</p></body>")
    X = featurize(page)
    assert X.shape == (3, len(FEATURE_NAMES))
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert np.isfinite(X).all()


def test_empty_and_tiny_pages():
    assert featurize(Page(blocks=(), input_format="html")).shape == (0, len(FEATURE_NAMES))
    assert featurize(Page(blocks=(Block(text="x", tag="p"),), input_format="html")).shape[0] == 1


def test_headline_echo_and_repetition_are_seen():
    page = segment_text("The union signs a new deal\n\nBody sentence one.\n\nThe union signs a new deal\nCaption.")
    X = featurize(page)
    assert column(X, "is_headline").tolist() == [1, 0, 0, 0]
    assert column(X, "title_echo").tolist() == [0, 0, 1, 0]
    assert column(X, "first_occurrence").tolist() == [1, 1, 0, 1]


def test_link_density_and_neighbours():
    page = segment_html("<body><p><a href=x>all link here</a></p><p>plain words here.</p></body>")
    X = featurize(page)
    assert column(X, "link_density").tolist() == [1.0, 0.0]
    assert column(X, "link_density@-1").tolist() == [0.0, 1.0]


def test_blocks_of_hidden_elements_are_flagged():
    page = segment_html("<body><p>Shown text.</p><div aria-hidden='true'><p>Tab two text.</p></div></body>")
    assert column(featurize(page), "hidden").tolist() == [0.0, 1.0]


def test_html_headline_matches_the_title_hints():
    page = segment_html("<html><head><title>Big news today - Site</title></head>"
                        "<body><div>Menu</div><h1>Big news today</h1><p>Text.</p></body></html>")
    assert column(featurize(page), "is_headline").tolist() == [0, 1, 0]


def test_vectorised_character_counts_agree_with_python_string_methods():
    from cleaner.features import _CHAR_CLASSES, _char_counts

    texts = ["Hà Nội, 12/3 — Giá vàng TĂNG mạnh!", "", "東京は晴れ。", "x² ½ 😀 𝐀bc | » ·", "   "]
    counts = _char_counts(texts)
    for text, row in zip(texts, counts):
        expected = [sum(1 for ch in text if test(ch)) for _name, test in _CHAR_CLASSES]
        assert row.tolist() == expected, text


def test_compound_class_names_and_comment_containers_are_recognised():
    page = segment_html("<body><div class='articleBody'><p>Story text.</p></div>"
                        "<div class='entrycontent'><p>More story.</p></div>"
                        "<ul class='commentlist'><li class='commententry'>Great post!</li></ul>"
                        "<div class='relatedposts'>Other stories</div><div class='inside header'>x</div></body>")
    X = featurize(page)
    # 'articleBody' is split at the capital into two known words; 'entrycontent' is one compound.
    assert column(X, "pos_class_near").tolist()[:2] == [2, 0]
    # 'commententry' holds 'entry' too: only comment_near tells the comment from a blog entry.
    assert column(X, "pos_compound_near").tolist() == [0, 1, 1, 0, 0]
    assert column(X, "comment_near").tolist() == [0, 0, 1, 0, 0]
    # commentlist, commententry and relatedposts hold negative words; "inside" must not count as "side".
    assert column(X, "neg_compound_near").tolist() == [0, 0, 2, 1, 0]


def test_the_article_container_holds_most_of_the_prose_and_comments_sit_outside_it():
    prose = "This sentence is the kind of prose an article is made of."
    page = segment_html(f"<body><div class='menu'><a href=/>Home</a> <a href=/n>News</a></div>"
                        f"<div id='story'><h1>Title</h1><div><p>{prose}</p><p>{prose}</p><p>{prose}</p></div></div>"
                        f"<div id='talk'><div><p>Nice article.</p></div></div></body>")
    X = featurize(page)
    assert [b.text[:5] for b in page.blocks] == ["Home ", "Title", "This ", "This ", "This ", "Nice "]
    assert column(X, "in_main_container").tolist() == [0, 0, 1, 1, 1, 0]
    share = column(X, "container_prose_share_up1")
    assert share[2] > 0.9 and share[5] < 0.1  # the comment's container holds one short sentence


def test_plain_text_has_no_containers():
    X = featurize(segment_text("One line of prose here.\n\nAnother line of prose here."))
    assert column(X, "in_main_container").tolist() == [0, 0]
