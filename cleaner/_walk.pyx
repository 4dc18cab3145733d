# cython: language_level=3
"""The segmenter's tree walk, compiled: ``cleaner.segment.blocks_of`` without a Python step per
element.

The pure-Python walk spends about 4.5 µs of interpreter time on each element (lxml's iterwalk
makes an event tuple and an element proxy, ``items()`` a list of attribute pairs, the loop body
runs as bytecode). This module reads libxml2's nodes directly through lxml's public C API and
calls back into Python only where a block is made or an attribute matters (class, id, style,
hidden, aria-hidden). It must give exactly the blocks the Python walk gives: every rule of that
walk is repeated here in the same order, and a test compares the two on every test page (and,
when the datasets are present, ``python -m training.twincheck`` on all of them). The Python walk
stays the reference and the fallback where this module was not built.

Only struct fields are read (no libxml2 function is called), so the module needs lxml's headers
to build and no link to libxml2.
"""
from cpython.object cimport PyObject_GenericSetAttr
from cpython.unicode cimport PyUnicode_AsUTF8AndSize, PyUnicode_DecodeUTF8
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport strcmp, strlen
from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Element, import_lxml__etree

import_lxml__etree()

# Set once by cleaner.segment (configure), which owns every rule's vocabulary and helpers.
cdef object _Block = None
cdef object _derived_fields = None
cdef object _tokens = None
cdef object _collapse_space = None
cdef object _hidden_style_search = None
cdef object _template_residue_sub = None
cdef frozenset _block_tags = frozenset()
cdef Py_ssize_t _max_class_tokens = 0
cdef tuple _root_frame = ()


def configure(block, derived_fields, tokens, collapse_space, hidden_style, template_residue, block_tags,
              max_class_tokens, root_frame):
    import dataclasses
    global _Block, _derived_fields, _tokens, _collapse_space, _hidden_style_search, _template_residue_sub
    global _block_tags, _max_class_tokens, _root_frame
    names = tuple(field.name for field in dataclasses.fields(block))
    if sorted(names) != sorted(_BLOCK_FIELDS):
        raise RuntimeError(f"cleaner._walk fills {_BLOCK_FIELDS}, but Block has {names}: update _new_block")
    _Block, _derived_fields, _tokens, _collapse_space = block, derived_fields, tokens, collapse_space
    _hidden_style_search, _template_residue_sub = hidden_style.search, template_residue.sub
    _block_tags, _max_class_tokens, _root_frame = frozenset(block_tags), max_class_tokens, tuple(root_frame)


cdef inline str _text(const char* c_text):
    return PyUnicode_DecodeUTF8(c_text, strlen(c_text), NULL)


cdef inline bint _is_text(tree.xmlNode* c_node):
    return c_node.type == tree.XML_TEXT_NODE or c_node.type == tree.XML_CDATA_SECTION_NODE


cdef inline bint _is_xinclude(tree.xmlNode* c_node):
    return c_node.type == tree.XML_XINCLUDE_START or c_node.type == tree.XML_XINCLUDE_END


cdef object _collect_text(tree.xmlNode* c_node):
    """lxml's ``.text`` / ``.tail``: the run of text nodes starting at ``c_node`` (XInclude
    markers skipped), joined; None when there is none."""
    cdef object first = None
    cdef list pieces = None
    cdef bint found = False
    while c_node is not NULL:
        if _is_text(c_node):
            found = True
            if c_node.content is not NULL and c_node.content[0] != 0:
                if first is None:
                    first = _text(<const char*>c_node.content)
                else:
                    if pieces is None:
                        pieces = [first]
                    pieces.append(_text(<const char*>c_node.content))
        elif not _is_xinclude(c_node):
            break
        c_node = c_node.next
    if pieces is not None:
        return "".join(pieces)
    if first is None:
        return "" if found else None
    return first


cdef inline bint _ascii_space(unsigned char c):
    # str.isspace() on ASCII: \t \n \x0b \x0c \r, \x1c-\x1f and the space.
    return c == 32 or 9 <= c <= 13 or 28 <= c <= 31


cdef bint _blank_run(tree.xmlNode* c_node):
    """Whether the text run starting at ``c_node`` is missing, empty or ASCII white space only:
    text the walk drops unless a block is being gathered (``add``'s first test), told without
    making a str of it. Non-ASCII text answers False and is decided on the str."""
    cdef const unsigned char* c
    while c_node is not NULL:
        if _is_text(c_node):
            if c_node.content is not NULL:
                c = <const unsigned char*>c_node.content
                while c[0] != 0:
                    if not _ascii_space(c[0]):
                        return False
                    c += 1
        elif not _is_xinclude(c_node):
            break
        c_node = c_node.next
    return True


cdef str _tag(tree.xmlNode* c_node):
    name = _text(<const char*>c_node.name)
    if c_node.ns is not NULL and c_node.ns.href is not NULL:
        return "{" + _text(<const char*>c_node.ns.href) + "}" + name
    return name


cdef str _attribute_value(tree.xmlAttr* c_attr):
    """What lxml's ``get`` returns for an attribute the HTML parser made: its text children joined
    ('' for a bare attribute such as ``hidden``)."""
    cdef tree.xmlNode* child = c_attr.children
    if child is NULL:
        return ""
    value = _collect_text(child)
    return "" if value is None else value


cdef inline bint _ascii_alnum(unsigned char c):
    return (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122)


cdef int _class_pieces(const unsigned char* c, list out) except -1:
    """Append the word pieces of a class or id value to ``out``, as ``cleaner.segment._split_class``
    cuts them: at every run of characters other than ASCII letters and digits (every byte of a
    non-ASCII character in UTF-8 is >= 0x80, so such characters cut as they do there) and between
    a lower-case and an upper-case ASCII letter; lower-cased."""
    cdef char buffer[64]
    cdef Py_ssize_t length = 0
    cdef unsigned char previous = 0
    cdef bytearray long_piece = None
    while True:
        if c[0] != 0 and _ascii_alnum(c[0]) and not (97 <= previous <= 122 and 65 <= c[0] <= 90):
            if long_piece is not None:
                long_piece.append(c[0] + 32 if 65 <= c[0] <= 90 else c[0])
            elif length < 64:
                buffer[length] = c[0] + 32 if 65 <= c[0] <= 90 else c[0]
                length += 1
            else:  # a piece longer than the buffer (a hashed class name): rare
                long_piece = bytearray(buffer[:length])
                long_piece.append(c[0] + 32 if 65 <= c[0] <= 90 else c[0])
            previous = c[0]
            c += 1
            continue
        if long_piece is not None:
            out.append(long_piece.decode("ascii"))
            long_piece = None
        elif length:
            out.append(buffer[:length].decode("ascii"))
        length = 0
        if c[0] == 0:
            return 0
        if _ascii_alnum(c[0]):  # an upper-case letter after a lower-case one starts a piece
            previous = 0
            continue
        previous = c[0]
        c += 1


cdef const unsigned char* _single_text(tree.xmlAttr* c_attr):
    """The attribute's value as libxml2 holds it when it is one text node (what the HTML parser
    makes), else NULL."""
    cdef tree.xmlNode* child = c_attr.children
    if child is not NULL and child.next is NULL and child.type == tree.XML_TEXT_NODE and child.content is not NULL:
        return <const unsigned char*>child.content
    return NULL


cdef int _value_pieces(tree.xmlAttr* c_attr, list out) except -1:
    cdef const unsigned char* c = _single_text(c_attr)
    if c is NULL:
        value = _attribute_value(c_attr).encode("utf-8")
        return _class_pieces(<const unsigned char*>(<bytes>value), out)
    return _class_pieces(c, out)


cdef Py_ssize_t _ascii_word_count(str text) except -1:
    """len(cleaner.text.tokens(text)) for ASCII text: the runs of ASCII letters and digits."""
    cdef Py_ssize_t size, i, count = 0
    cdef const unsigned char* c = <const unsigned char*>PyUnicode_AsUTF8AndSize(text, &size)
    cdef bint inside = False
    for i in range(size):
        if _ascii_alnum(c[i]):
            if not inside:
                count += 1
                inside = True
        else:
            inside = False
    return count


# A Block's fields in the order _new_block fills them: what the walk knows, then what the text
# gives (cleaner.document.derived_fields). configure checks this against the dataclass.
_BLOCK_FIELDS = ("text", "tag", "dom_path", "class_tokens", "depth", "containers", "link_words", "hidden",
                 "blank_before", "blank_after", "tokens", "token_set", "words", "chars")


cdef object _new_block(str text, tuple context, Py_ssize_t link_words):
    """``Block(text=..., tag=..., ...)`` as the Python walk makes it, without the dataclass's
    generated ``__init__`` (keyword parsing and fourteen ``object.__setattr__`` calls in Python
    were half the cost of a block): the same fields set from C on a bare instance."""
    cdef Py_ssize_t i
    block = _Block.__new__(_Block)
    tag, path, class_tokens, depth, containers, hidden = context
    values = (text, tag, path, class_tokens, depth, containers, link_words, hidden, True, True,
              *_derived_fields(text))
    for i in range(14):
        PyObject_GenericSetAttr(block, _BLOCK_FIELDS[i], values[i])
    return block


cdef class _Walk:
    """State of one walk: the open elements and the block being gathered (the Python walk's
    ``_Builder``).

    The Python walk pushes a frame tuple per element, carrying path, class chain and container
    numbers down ready-made. Here the open elements' tags, class tokens and numbers sit in
    per-level arrays and a block's context is built from them when a block starts (one element
    in six or so): the same values, fewer objects. Skipped elements are not pushed (the Python
    walk's skipped frame repeats its parent's, and only its tail is read)."""
    cdef list blocks, parts
    cdef list tags, class_tokens, block_tags  # per open element, outermost first; block_tags has the root's too
    cdef long* numbers
    cdef char* hidden  # per level: this element or an ancestor is hidden; hidden[0] is the root's
    cdef Py_ssize_t depth, capacity, link_words, link_depth, number
    cdef object context
    cdef bint pending_br, honour_hidden
    cdef frozenset skip

    def __cinit__(self, frozenset skip, bint honour_hidden):
        self.blocks, self.parts = [], []
        self.tags, self.class_tokens, self.block_tags = [], [], [_root_frame[4]]
        self.capacity = 64
        self.numbers = <long*>malloc(self.capacity * sizeof(long))
        self.hidden = <char*>malloc((self.capacity + 1) * sizeof(char))
        if self.numbers is NULL or self.hidden is NULL:
            raise MemoryError()
        self.hidden[0] = _root_frame[6]
        self.depth = self.link_words = self.link_depth = self.number = 0
        self.context = None
        self.pending_br = False
        self.skip, self.honour_hidden = skip, honour_hidden

    def __dealloc__(self):
        free(self.numbers)
        free(self.hidden)

    cdef int push(self, str tag, tuple class_tokens, bint is_block, bint hidden) except -1:
        cdef long* numbers
        cdef char* flags
        if self.depth == self.capacity:
            numbers = <long*>realloc(self.numbers, 2 * self.capacity * sizeof(long))
            if numbers is NULL:
                raise MemoryError()
            self.numbers = numbers
            flags = <char*>realloc(self.hidden, (2 * self.capacity + 1) * sizeof(char))
            if flags is NULL:
                raise MemoryError()
            self.hidden = flags
            self.capacity *= 2
        self.numbers[self.depth] = self.number
        self.hidden[self.depth + 1] = hidden or self.hidden[self.depth]
        self.depth += 1
        self.tags.append(tag)
        self.class_tokens.append(class_tokens)
        self.block_tags.append(tag if is_block else self.block_tags[self.depth - 1])
        return 0

    cdef inline void pop(self):
        self.depth -= 1
        del self.tags[self.depth]
        del self.class_tokens[self.depth]
        del self.block_tags[self.depth + 1]

    cdef tuple chain(self):
        """Class/id tokens of the open elements, nearest first, at most MAX_CLASS_TOKENS (before
        de-duplication): what the Python walk's frames carry down, (own + parent's)[:max]."""
        cdef Py_ssize_t level = self.depth - 1
        cdef tuple out = ()
        while level >= 0 and len(out) < _max_class_tokens:
            own = <tuple>self.class_tokens[level]
            if own:
                out = out + own
            level -= 1
        return out[:_max_class_tokens] if len(out) > _max_class_tokens else out

    cdef tuple make_context(self):
        containers = tuple([self.numbers[i] for i in range(self.depth)])
        return (self.block_tags[self.depth], "/".join(self.tags), tuple(dict.fromkeys(self.chain())), self.depth,
                containers, bool(self.hidden[self.depth]))

    cdef inline bint gathering(self):
        return self.context is not None or len(self.parts) > 0

    cdef int add(self, object text) except -1:
        if not text:
            return 0
        if self.context is None:
            if text.isspace():
                return 0
            self.context = self.make_context()
        self.parts.append(text)
        self.pending_br = False
        if self.link_depth > 0:
            self.link_words += _ascii_word_count(text) if text.isascii() else len(_tokens(text))
        return 0

    cdef int read(self, tree.xmlNode* c_node) except -1:
        """The text run at ``c_node`` (an element's text or tail) into the block being gathered."""
        if self.context is None and _blank_run(c_node):
            return 0
        text = _collect_text(c_node)
        if text and (self.context is not None or not text.isspace()):
            self.add(text)
        return 0

    cdef int flush(self) except -1:
        if self.context is None and not self.parts and not self.pending_br:
            return 0
        if self.context is not None:
            text = "".join(self.parts)
            if "{" in text or "<%" in text:
                text = _template_residue_sub(" ", text)
            text = _collapse_space(text)
            if text:
                self.blocks.append(_new_block(text, self.context, self.link_words))
        self.parts, self.link_words, self.context, self.pending_br = [], 0, None, False
        return 0

    cdef tuple facts(self, tree.xmlNode* c_node, bint* hidden):
        """The class tokens of an element, and (into ``hidden``) whether it is hidden, as
        ``cleaner.segment._attribute_facts`` reads them."""
        cdef tree.xmlAttr* c_attr = c_node.properties
        cdef tree.xmlAttr* c_class = NULL
        cdef tree.xmlAttr* c_id = NULL
        cdef const char* name
        cdef const unsigned char* value
        hidden[0] = False
        while c_attr is not NULL:
            if c_attr.ns is NULL:  # a namespaced name is '{uri}name' to lxml: none of these
                name = <const char*>c_attr.name
                if strcmp(name, "class") == 0:
                    c_class = c_attr
                elif strcmp(name, "id") == 0:
                    c_id = c_attr
                elif strcmp(name, "style") == 0:
                    if not hidden[0]:
                        hidden[0] = _hidden_style_search(_attribute_value(c_attr)) is not None
                elif strcmp(name, "hidden") == 0:
                    hidden[0] = True
                elif strcmp(name, "aria-hidden") == 0:
                    value = _single_text(c_attr)
                    if value is not NULL:
                        if strcmp(<const char*>value, "true") == 0:
                            hidden[0] = True
                    elif _attribute_value(c_attr) == "true":
                        hidden[0] = True
            c_attr = c_attr.next
        if c_class is NULL and c_id is NULL:
            return ()
        pieces = []
        if c_class is not NULL:
            _value_pieces(c_class, pieces)
        if c_id is not NULL:
            _value_pieces(c_id, pieces)
        return tuple(pieces)

    cdef int visit(self, tree.xmlNode* c_node) except -1:
        cdef tree.xmlNode* child
        cdef bint hidden = False
        cdef tuple class_tokens = ()
        tag = _tag(c_node)
        if c_node.properties is not NULL:
            class_tokens = self.facts(c_node, &hidden)
            hidden = hidden and self.honour_hidden
        is_block = tag in _block_tags
        if tag in self.skip or (hidden and not is_block):
            if is_block:
                self.flush()
            self.number += 1
        else:
            if is_block:
                if self.gathering():
                    self.flush()
            elif tag == "br":
                if self.pending_br:
                    self.flush()
                else:
                    self.parts.append(" ")
                    self.pending_br = True
            if tag == "a":
                self.link_depth += 1
            self.number += 1
            self.push(tag, class_tokens, is_block, hidden)
            self.read(c_node.children)
            child = c_node.children
            while child is not NULL:
                if child.type == tree.XML_ELEMENT_NODE:
                    self.visit(child)
                child = child.next
            # the element's end
            self.pop()
            if is_block and self.gathering():
                self.flush()
            if tag == "a":
                self.link_depth -= 1
        self.read(c_node.next)  # the tail, read in the parent's context
        return 0


def blocks_of(_Element root not None, frozenset skip not None, bint honour_hidden=True):
    """The blocks of ``root``'s tree: ``cleaner.segment.blocks_of`` (see there), compiled."""
    if _Block is None:
        raise RuntimeError("cleaner._walk.configure was not called (cleaner.segment does it on import)")
    walk = _Walk(skip, honour_hidden)
    if root._c_node.type == tree.XML_ELEMENT_NODE:
        walk.visit(root._c_node)
    walk.flush()
    return walk.blocks
