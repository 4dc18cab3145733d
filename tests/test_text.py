from cleaner.text import collapse_space, normalise, tokens


def test_vietnamese_syllables_are_tokens():
    assert tokens("Công đoàn các KCN&CX Hà Nội") == ["công", "đoàn", "các", "kcn", "cx", "hà", "nội"]


def test_scripts_without_spaces_count_each_character():
    assert tokens("北京欢迎你") == ["北", "京", "欢", "迎", "你"]
    assert len(tokens("ภาษาไทย")) == 7
    assert tokens("東京 Tower") == ["東", "京", "tower"]


def test_normalise_ignores_case_punctuation_and_spacing():
    assert normalise("  Hello,   WORLD! ") == normalise("hello world")
    assert collapse_space(" a \n\t b ") == "a b"
