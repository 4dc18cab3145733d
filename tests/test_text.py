from hypothesis import given
from hypothesis import strategies as st

from cleaner.text import collapse_space, count_chars, normalise, tokens


def test_vietnamese_syllables_are_tokens():
    assert tokens("Công đoàn các KCN&CX Hà Nội") == ["công", "đoàn", "các", "kcn", "cx", "hà", "nội"]


def test_scripts_without_spaces_count_each_character():
    assert tokens("北京欢迎你") == ["北", "京", "欢", "迎", "你"]
    assert len(tokens("ภาษาไทย")) == 7
    assert tokens("東京 Tower") == ["東", "京", "tower"]


def test_normalise_ignores_case_punctuation_and_spacing():
    assert normalise("  Hello,   WORLD! ") == normalise("hello world")
    assert collapse_space(" a \n\t b ") == "a b"


def test_characters_are_counted_without_white_space():
    assert count_chars("Hà Nội, 25/7") == 10
    assert count_chars("tab\there\u00a0and\u3000there") == 15


@given(st.text())
def test_the_fast_character_count_agrees_with_dropping_every_space(text):
    assert count_chars(text) == len("".join(text.split()))
    assert count_chars(collapse_space(text)) == len("".join(text.split()))
