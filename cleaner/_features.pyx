# cython: language_level=3, boundscheck=False, wraparound=False
"""What featurize reads off each block, compiled: ``cleaner.features.python_block_facts`` in C.

Everything featurize does one block at a time (counting character classes, the last and first
characters, the class/id and structure rows, the repeats of a block's tokens and of its DOM
path, the words it shares with the headline, its chain of containers) ran as bytecode: 0.8 of
its 1.4 ms per page. Here it is one C loop over the blocks; the columns are then made from these
arrays by the same numpy code as before. It must give exactly the arrays the Python version
gives: a test compares the two on test pages, and ``python -m training.twincheck`` on every
dataset page. The Python version stays the reference and the fallback where this was not built.
"""
from cpython.dict cimport PyDict_GetItem
from cpython.object cimport PyObject
from cpython.unicode cimport (Py_UNICODE_ISALNUM, Py_UNICODE_ISALPHA, Py_UNICODE_ISDIGIT, Py_UNICODE_ISSPACE,
                              Py_UNICODE_ISUPPER)
from libc.math cimport INFINITY, log1p

import numpy as np

# Set once by cleaner.features (configure), which owns the vocabularies and the cached rows.
cdef str _sentence_end = ""
cdef object _structure_row = None
cdef frozenset _negative_words = frozenset()
cdef frozenset _positive_words = frozenset()
cdef object _stem_flags = None
cdef object _hash_bucket = None
cdef Py_ssize_t _near_tokens = 0
cdef Py_ssize_t _structure_width = 0
cdef Py_ssize_t _class_width = 0
cdef object _facts_type = None
# The character classes counted per block, in features._CHAR_CLASSES' order: the same str methods
# (for one character, str.isalpha() is Py_UNICODE_ISALPHA, and so on) and the same sets of marks.
# Made here rather than read from features' table: building that table in Python took a twentieth
# of a second at every start (featurize names its columns by featurizing a demo page at import).
CHAR_CLASS_NAMES = ("letters", "digits", "upper", "alnum", "marks", "commas", "separators")
cdef int _classes = 7
cdef str _marks = ""
cdef str _separators = ""
cdef unsigned char[::1] _class_bits = None  # bit k of _class_bits[c]: code point c (BMP) is in class k


def configure(facts_type, char_class_names, sentence_marks, separators, sentence_end, structure_row,
              structure_width, negative_words, positive_words, stem_flags, hash_bucket, near_tokens, class_width):
    """The vocabularies and helpers of cleaner.features; the class-row arguments are those of
    ``features._class_row``."""
    global _facts_type, _marks, _separators, _sentence_end, _structure_row, _structure_width
    global _negative_words, _positive_words, _stem_flags, _hash_bucket, _near_tokens, _class_width
    if tuple(char_class_names) != CHAR_CLASS_NAMES:
        raise RuntimeError(f"cleaner._features counts {CHAR_CLASS_NAMES}, features has {tuple(char_class_names)}")
    _facts_type, _sentence_end = facts_type, "".join(sentence_end)
    _marks, _separators = "".join(sentence_marks), separators
    _structure_row, _structure_width = structure_row, structure_width
    _negative_words, _positive_words = frozenset(negative_words), frozenset(positive_words)
    _stem_flags, _hash_bucket, _near_tokens, _class_width = stem_flags, hash_bucket, near_tokens, class_width


cdef unsigned char _bits_of(Py_UCS4 ch):
    return (Py_UNICODE_ISALPHA(ch) | Py_UNICODE_ISDIGIT(ch) << 1 | Py_UNICODE_ISUPPER(ch) << 2
            | Py_UNICODE_ISALNUM(ch) << 3 | _among(ch, _marks) << 4 | (ch == u",") << 5 | _among(ch, _separators) << 6)


cdef int _load_class_bits() except -1:
    """The class bits of every code point below 0x10000, looked up per character (2 ms, once)."""
    global _class_bits
    bits = np.zeros(0x10000, dtype=np.uint8)
    cdef unsigned char[::1] view = bits
    cdef Py_UCS4 ch
    for ch in range(0x10000):
        view[ch] = _bits_of(ch)
    _class_bits = view
    return 0


cdef void _fill_class_row(tuple class_tokens, double[::1] row):
    """``features._class_row`` into ``row`` (zeros): keyword counts among the nearest and all
    tokens, compound keywords and comment names among the nearest, their hashed bag."""
    cdef Py_ssize_t j
    cdef bint negative, positive
    for j, token in enumerate(class_tokens):
        negative, positive = token in _negative_words, token in _positive_words
        row[2] += negative
        row[3] += positive
        if j < _near_tokens:
            row[0] += negative
            row[1] += positive
            compound_negative, compound_positive, comment = _stem_flags(token)
            row[4] += <bint>compound_negative
            row[5] += <bint>compound_positive
            if comment:
                row[6] = 1.0
            row[<Py_ssize_t>_hash_bucket(token)] = 1.0


cdef inline bint _among(Py_UCS4 ch, str chars):
    cdef Py_UCS4 c
    for c in chars:
        if c == ch:
            return True
    return False


cdef Py_ssize_t _shared(frozenset a, frozenset b):
    """len(a & b) without building the intersection."""
    cdef Py_ssize_t count = 0
    if len(a) > len(b):
        a, b = b, a
    for item in a:
        if item in b:
            count += 1
    return count


def block_facts(page):
    """``cleaner.features.BlockFacts`` of a page (a ``Page`` with at least one block)."""
    if _class_bits is None:
        _load_class_bits()
    cdef tuple blocks = page.blocks
    cdef Py_ssize_t n = len(blocks), i, j, k, count, length
    cdef bint has_paths = page.input_format == "html"
    cdef str text
    cdef Py_UCS4 ch, last, previous, before_previous
    cdef unsigned char bits
    cdef long long tally[8]
    cdef bint copyright, seen_empty = False
    cdef object block, tokens, index, headline = page.headline
    cdef frozenset title = blocks[headline].token_set if headline is not None else frozenset()
    cdef tuple containers

    floats = {name: np.zeros(n) for name in (
        "words", "chars", "link_density", "depth", "blank_before", "blank_after", "hidden", "ends_sentence",
        "ends_digit", "starts_upper", "has_copyright", "log_marks", "path_words", "path_blocks", "repeats",
        "first_occurrence", "title_shared", "token_counts")}
    cdef double[::1] words = floats["words"], chars = floats["chars"], link_density = floats["link_density"]
    cdef double[::1] depth = floats["depth"], blank_before = floats["blank_before"]
    cdef double[::1] blank_after = floats["blank_after"], hidden = floats["hidden"]
    cdef double[::1] ends_sentence = floats["ends_sentence"], ends_digit = floats["ends_digit"]
    cdef double[::1] starts_upper = floats["starts_upper"], has_copyright = floats["has_copyright"]
    cdef double[::1] log_marks = floats["log_marks"], path_words = floats["path_words"]
    cdef double[::1] path_blocks = floats["path_blocks"], repeats = floats["repeats"]
    cdef double[::1] first_occurrence = floats["first_occurrence"], title_shared = floats["title_shared"]
    cdef double[::1] token_counts = floats["token_counts"]
    char_counts_array = np.zeros((n, _classes), dtype=np.int64)
    structure_index_array = np.zeros(n, dtype=np.intp)
    class_index_array = np.zeros(n, dtype=np.intp)
    cdef Py_ssize_t[::1] structure_index = structure_index_array, class_index = class_index_array
    cdef list structure_table = [], class_table = []
    lengths_array = np.zeros(n, dtype=np.int64)
    cdef long long[:, ::1] char_counts = char_counts_array
    cdef long long[::1] lengths = lengths_array

    cdef dict structure_seen = {}, class_seen = {}, path_word_totals = {}, path_block_totals = {}, key_counts = {}
    cdef Py_ssize_t total_containers = 0
    for i in range(n):
        block = blocks[i]
        text = block.text
        count = block.words
        words[i] = count
        chars[i] = block.chars
        length = block.link_words
        link_density[i] = min(1.0, length / <double>count) if count else 0.0
        depth[i] = block.depth
        blank_before[i] = block.blank_before
        blank_after[i] = block.blank_after
        hidden[i] = block.hidden

        # Character classes and "(c)" in any case: one pass over the text.
        copyright = False
        previous = before_previous = 0
        tally[:] = [0, 0, 0, 0, 0, 0, 0, 0]
        for ch in text:
            bits = _class_bits[ch] if ch < 0x10000 else _bits_of(ch)
            # Written out: no loop and no branch per class (gcc -O2 does not unroll the loop).
            tally[0] += bits & 1
            tally[1] += (bits >> 1) & 1
            tally[2] += (bits >> 2) & 1
            tally[3] += (bits >> 3) & 1
            tally[4] += (bits >> 4) & 1
            tally[5] += (bits >> 5) & 1
            tally[6] += (bits >> 6) & 1
            tally[7] += bits >> 7
            if ch == u"©" or (ch == u")" and (previous == u"c" or previous == u"C") and before_previous == u"("):
                copyright = True
            before_previous, previous = previous, ch
        length = len(text)
        while length and Py_UNICODE_ISSPACE(text[length - 1]):  # str.rstrip()'s white space
            length -= 1
        if length:
            last = text[length - 1]
            ends_sentence[i] = _among(last, _sentence_end)
            ends_digit[i] = Py_UNICODE_ISDIGIT(last)
            starts_upper[i] = Py_UNICODE_ISUPPER(text[0])
        for k in range(_classes):
            char_counts[i, k] = tally[k]
        has_copyright[i] = copyright
        log_marks[i] = log1p(<double>char_counts[i, 4])

        # Rows are looked up once per distinct key and page (blocks of one container share
        # them) and gathered by numpy at the end.
        key = (block.tag, block.dom_path)
        index = structure_seen.get(key)
        if index is None:
            index = structure_seen[key] = len(structure_table)
            structure_table.append(_structure_row(block.tag, block.dom_path))
        structure_index[i] = index
        key = block.class_tokens
        index = class_seen.get(key)
        if index is None:
            index = class_seen[key] = len(class_table)
            class_table.append(key)
        class_index[i] = index

        if has_paths:
            key = block.dom_path
            path_word_totals[key] = path_word_totals.get(key, 0) + count
            path_block_totals[key] = path_block_totals.get(key, 0) + 1
        # Tokens never hold a space, so equal token tuples are exactly equal " ".join keys.
        tokens = block.tokens
        if tokens:
            if tokens in key_counts:
                key_counts[tokens] += 1
            else:
                key_counts[tokens] = 1
                first_occurrence[i] = 1.0
        elif not seen_empty:
            seen_empty = True
            first_occurrence[i] = 1.0
        token_set = block.token_set
        token_counts[i] = len(token_set)
        if headline is not None:
            title_shared[i] = _shared(token_set, title)
        containers = block.containers
        lengths[i] = len(containers)
        total_containers += len(containers)

    elements_array = np.zeros(total_containers, dtype=np.int64)
    cdef long long[::1] elements = elements_array
    k = 0
    for i in range(n):
        block = blocks[i]
        if has_paths:
            path_words[i] = path_word_totals[block.dom_path]
            path_blocks[i] = path_block_totals[block.dom_path]
        tokens = block.tokens
        if tokens:
            repeats[i] = key_counts[tokens] - 1
        for element in block.containers:
            elements[k] = element
            k += 1
    structure_array = np.array(structure_table, dtype=np.float64).reshape(-1, _structure_width)[structure_index_array]
    class_rows_array = np.zeros((len(class_table), _class_width))
    cdef double[:, ::1] class_rows = class_rows_array
    for k in range(len(class_table)):
        _fill_class_row(class_table[k], class_rows[k])
    class_array = class_rows_array[class_index_array]
    return _facts_type(char_counts=char_counts_array, structure=structure_array, class_rows=class_array,
                       chain_lengths=lengths_array, chain_elements=elements_array, **floats)



def lexical_stats(tuple blocks, dict weights):
    """``cleaner.lexicon.python_lexical_stats``: (n x 5) mean, min, max, first and last weight of
    each block's tokens, one C loop instead of numpy's segment reductions. The weights are
    multiples of a power of two (``lexicon.WEIGHT_STEP``), so this loop's sums equal numpy's
    pairwise ones exactly."""
    cdef Py_ssize_t n = len(blocks), i, j, m
    out_array = np.zeros((n, 5))
    cdef double[:, ::1] out = out_array
    cdef double weight, total, low, high
    cdef PyObject *found
    cdef tuple tokens
    for i in range(n):
        tokens = blocks[i].tokens
        m = len(tokens)
        if not m:
            continue
        total, low, high = 0.0, INFINITY, -INFINITY
        for j in range(m):
            found = PyDict_GetItem(weights, tokens[j])
            weight = <double>(<object>found) if found is not NULL else 0.0
            if j == 0:
                out[i, 3] = weight
            total += weight
            if weight < low:
                low = weight
            if weight > high:
                high = weight
        out[i, 0] = total / m
        out[i, 1] = low
        out[i, 2] = high
        out[i, 4] = weight
    return out_array
