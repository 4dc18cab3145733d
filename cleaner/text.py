"""Tokenisation shared by features, label alignment and scoring.

A token is a run of letters/digits, except in scripts written without spaces (Chinese,
Japanese kana, Thai, Lao, Khmer, Myanmar), where each character is a token: counting
characters there keeps "length in words" comparable across languages without a
dictionary segmenter. Vietnamese separates syllables by spaces, so it needs nothing special.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from cleaner.compiled import compiled_module

# A text whose last character (white space aside) is one of these ends a sentence: the features'
# ends_sentence, and the plain-text headline's prose lines.
SENTENCE_END = frozenset(".!?。！？…:;\"'”’»)")

_NO_SPACE_RANGES = (
    ("\u0e00", "\u0e7f"),  # Thai
    ("\u0e80", "\u0eff"),  # Lao
    ("\u1000", "\u109f"),  # Myanmar
    ("\u1780", "\u17ff"),  # Khmer
    ("\u3040", "\u30ff"),  # Hiragana, Katakana
    ("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uf900", "\ufaff"),  # CJK ideographs
)
_NO_SPACE_SCRIPTS = "".join(f"{first}-{last}" for first, last in _NO_SPACE_RANGES)
_TOKEN = re.compile(rf"[{_NO_SPACE_SCRIPTS}]|[^\W_{_NO_SPACE_SCRIPTS}]+")
# In ASCII text the pattern above matches exactly these runs (its letters and digits are [a-z0-9]
# once lower-cased), and without the alternation the scan is a quarter faster. Most blocks of
# most pages are ASCII, and tokenising every block was a third of building it.
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")


def python_tokens(text: str) -> list[str]:
    """Lower-cased word tokens of ``text``."""
    lowered = text.lower()
    return (_ASCII_TOKEN if lowered.isascii() else _TOKEN).findall(lowered)


# cleaner._text, configured; cleaner.document takes a block's derived fields from it too.
compiled_text = compiled_module("_text")
if compiled_text is not None:
    compiled_text.configure(_NO_SPACE_RANGES)
# Lower-cased word tokens of a text: the compiled twin of python_tokens where it was built.
tokens: Callable[[str], list[str]] = compiled_text.tokens if compiled_text is not None else python_tokens


def count_chars(text: str) -> int:
    """Characters that are not white space."""
    # Block texts are collapsed, so their only white space is " ". A printable string holds no
    # other white space (every str.isspace() character but " " is unprintable, checked over all
    # code points), and two C scans beat building the joined copy (a tenth of a block's cost).
    if text.isprintable():
        return len(text) - text.count(" ")
    return len("".join(text.split()))  # split() drops exactly what str.isspace() calls space, in C


def collapse_space(text: str) -> str:
    """One space for every run of white space, none at the ends."""
    # str.split() cuts at exactly the characters the regex \s matches (both use str.isspace),
    # in C and without the regex engine: this was 7 % of segmenting a page.
    return " ".join(text.split())


def normalise(text: str) -> str:
    """Comparison key for 'the same line': NFC, lower case, tokens joined by one space."""
    return " ".join(tokens(unicodedata.normalize("NFC", text)))
