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
