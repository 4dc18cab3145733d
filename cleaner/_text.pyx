# cython: language_level=3, boundscheck=False, wraparound=False
"""Tokens and a block's derived fields, compiled: ``cleaner.text.python_tokens`` and
``cleaner.document.python_derived_fields`` in C.

Tokenising every block (a regex ``findall`` on the lower-cased text, then the tuple, the set and
the counts) was a third of making blocks. This module gives exactly the same tokens: the
regex's ``\\w`` is ``str.isalnum()`` plus "_" (Python's ``re`` tests ``Py_UNICODE_ISALNUM``, as
this module does), and the characters of scripts written without spaces are tokens one by one.
A test compares the two on hand-picked and generated text in every script. The Python versions
stay the reference and the fallback where this was not built.
"""
from cpython.unicode cimport Py_UNICODE_ISALNUM, Py_UNICODE_ISSPACE, PyUnicode_Substring

cdef list _ranges = []  # (first, last) code points of the scripts without spaces, set by configure
cdef Py_UCS4 _lowest = 0x110000
cdef Py_UCS4 _highest = 0


def configure(no_space_ranges):
    """``no_space_ranges``: (first, last) characters of each script written without spaces."""
    global _ranges, _lowest, _highest
    _ranges = [(ord(first), ord(last)) for first, last in no_space_ranges]
    _lowest = min(first for first, _last in _ranges)
    _highest = max(last for _first, last in _ranges)


cdef inline bint _no_space(Py_UCS4 ch):
    cdef Py_UCS4 first, last
    if ch < _lowest or ch > _highest:  # every Latin, Cyrillic, Vietnamese ... character
        return False
    for first, last in _ranges:
        if first <= ch <= last:
            return True
    return False


cdef inline bint _is_word_char(Py_UCS4 ch):
    if ch < 128:  # the common case without a call; lower-cased, so a-z and digits
        return (u"a" <= ch <= u"z") or (u"0" <= ch <= u"9") or (u"A" <= ch <= u"Z")
    return Py_UNICODE_ISALNUM(ch)


cdef list _tokens(str lowered):
    cdef list out = []
    cdef Py_ssize_t i, start = -1, n = len(lowered)
    cdef Py_UCS4 ch
    for i in range(n):
        ch = lowered[i]
        if _no_space(ch):  # a token by itself, alphanumeric or not, as the regex's first branch
            if start >= 0:
                out.append(PyUnicode_Substring(lowered, start, i))
                start = -1
            out.append(PyUnicode_Substring(lowered, i, i + 1))
        elif _is_word_char(ch):
            if start < 0:
                start = i
        elif start >= 0:
            out.append(PyUnicode_Substring(lowered, start, i))
            start = -1
    if start >= 0:
        out.append(PyUnicode_Substring(lowered, start, n))
    return out


def tokens(str text) -> list:
    """Lower-cased word tokens of ``text`` (``cleaner.text.tokens``)."""
    return _tokens(text.lower())


def derived_fields(str text) -> tuple:
    """A block's tokens, token_set, words and chars (``cleaner.document.derived_fields``)."""
    cdef tuple toks = tuple(tokens(text))
    cdef Py_ssize_t chars = 0
    cdef Py_UCS4 ch
    for ch in text:
        if not Py_UNICODE_ISSPACE(ch):  # str.split()'s white space
            chars += 1
    return toks, frozenset(toks), len(toks), chars
