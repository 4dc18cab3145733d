import numpy as np
import pytest

from cleaner.document import Block, Page
from cleaner.features import FEATURE_NAMES, LEXICAL_COLUMNS, featurize, with_lexical_columns
from cleaner.lexicon import LEXICAL_NAMES, WEIGHT_STEP, Lexicon, fit_lexicon
from cleaner.segment import segment_text


def page_of(*lines: str) -> Page:
    return Page(blocks=tuple(Block(text=line, tag="p") for line in lines), input_format="html")


def labelled_site(site: str) -> tuple[Page, np.ndarray, str]:
    page = page_of("The council said the plan would cost more.", "Subscribe to our newsletter",
                   "However, residents told reporters they agreed.", "Advertisement")
    return page, np.array([True, False, True, False]), site


def test_boilerplate_words_weigh_against_content_and_prose_words_for_it():
    lexicon = fit_lexicon([labelled_site(s) for s in ("a.com", "b.com", "c.com")])
    assert lexicon.weights["newsletter"] < 0 < lexicon.weights["said"]
    assert lexicon.weights["advertisement"] < 0
    # On the step (WEIGHT_STEP), so a block's sum is exact in any order (the compiled twin's too).
    assert all((w / WEIGHT_STEP).is_integer() for w in lexicon.weights.values())


def test_tokens_seen_on_too_few_sites_are_left_out():
    two_sites = fit_lexicon([labelled_site(s) for s in ("a.com", "b.com")])
    assert len(two_sites) == 0
    assert "newsletter" in fit_lexicon([labelled_site(s) for s in ("a.com", "b.com", "c.com")]).weights


def test_one_label_only_teaches_nothing():
    page, _, _ = labelled_site("a.com")
    assert len(fit_lexicon([(page, np.ones(4, dtype=bool), s) for s in ("a.com", "b.com", "c.com")])) == 0


def test_a_blocks_columns_are_mean_min_max_first_and_last_weight_and_unknown_words_weigh_zero():
    lexicon = Lexicon({"subscribe": -2.0, "said": 1.0})
    columns = lexicon.columns(page_of("subscribe now said", "", "nothing known"))
    mean, low, high, first, last, _window = columns[0]
    assert (mean, low, high, first, last) == pytest.approx((-1 / 3, -2.0, 1.0, -2.0, 1.0))
    assert columns[1, :5].tolist() == [0.0] * 5  # no tokens
    assert columns[2, :5].tolist() == [0.0] * 5  # unknown tokens
    assert columns[:, 5] == pytest.approx([columns[:, 0].mean()] * 3)  # every block within the window


def test_featurize_fills_the_lexical_columns_from_the_lexicon_given_and_zero_without():
    page = segment_text("Subscribe to the newsletter\n\nThe mayor said so.")
    lexicon = Lexicon({"newsletter": -3.0, "said": 2.0})
    plain, read = featurize(page), featurize(page, lexicon)
    assert FEATURE_NAMES[LEXICAL_COLUMNS] == LEXICAL_NAMES
    assert not plain[:, LEXICAL_COLUMNS].any()
    assert read[0, FEATURE_NAMES.index("lex_min")] == -3.0 and read[1, FEATURE_NAMES.index("lex_max")] == 2.0
    assert np.array_equal(plain[:, :LEXICAL_COLUMNS.start], read[:, :LEXICAL_COLUMNS.start])
    assert np.array_equal(with_lexical_columns(plain, page, lexicon), read)
