"""Split a page into text blocks: HTML through lxml, plain-text scrapes line by line.

Both segmenters produce the same ``Page`` so everything downstream is format-agnostic;
the format itself stays visible to the classifier as a feature.
"""
from __future__ import annotations

import functools
import re
import threading
import types

from lxml import etree

from cleaner.compiled import compiled_module
from cleaner.decode import sniff_format
from cleaner.document import Block, InputFormat, Page, derived_fields
from cleaner.text import collapse_space, tokens

# Bump when segmentation changes what a block is; models trained on other blocks refuse to load.
# 2 did not change when React-streamed segments were revealed, near-empty pages got a last walk
# reading hidden elements and buttons, or markup after a premature </body></html> was read: each
# only added blocks to a few pages. 3: hidden block-level elements are read and their blocks
# marked hidden (they were skipped), which adds blocks to most modern pages.
SEGMENTER_VERSION = 3

# Elements that start and end a block of text. Everything else (a, span, b, em, font, custom
# elements ...) is inline and its text joins the surrounding block.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main menu nav ol p "
    "pre section summary table tbody td tfoot th thead tr ul".split()
)
# Elements whose content a reader never sees as text.
SKIP_TAGS = frozenset(
    "script style noscript template svg math canvas iframe object embed head select option "
    "button textarea input audio video map area frameset frame link meta base".split()
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Unrendered template placeholders (Jinja/Django/Handlebars/Angular, ERB/ASP) are not text.
_TEMPLATE_RESIDUE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|<%.*?%>", re.DOTALL)
_CLASS_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")
# Class/id tokens kept per block: the nearest ancestors say the most; beyond this many the
# tokens are page-wide wrappers (body classes, layout grids) shared by content and noise alike.
MAX_CLASS_TOKENS = 24
# A page whose visible blocks hold fewer words than this is re-segmented with <noscript>
# content kept: some sites (Discourse forums in wcxb-dev) serve their posts only there.
NOSCRIPT_FALLBACK_WORDS = 50
# A <title> longer than this that contains markup is an unclosed <title> that swallowed the page.
SWALLOWED_TITLE_CHARS = 1000

# The text is already decoded: lxml gets UTF-8 bytes with the encoding fixed, so no in-page
# declaration (including malformed <?xml ... encoding=...> lines, seen in l3s-gn1) can override it.
# lxml.etree's parser, not lxml.html's: lxml.html looks up a Python element class for every
# element the walk touches, which cost a tenth of the whole pipeline. One parser per thread,
# as lxml advises (a shared parser is locked).
_PARSERS = threading.local()


def _parser() -> etree.HTMLParser:
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.HTMLParser(
            remove_comments=True, remove_pis=True, no_network=True, recover=True, default_doctype=False,
            encoding="utf-8",
            # Lifts libxml2's 10 MB cap on one text node (a 50 MB one-paragraph page would be cut)
            # and its depth limit from 256 to 2048 (a page nested 300 deep lost all its text).
            # The HTML parser expands no entities, so this opens no billion-laughs door (tested).
            huge_tree=True,
            # Nothing looks elements up by id: skipping libxml2's id table saves 7 % of the parse.
            collect_ids=False,
        )
    return parser


def segment(text: str, input_format: InputFormat | None = None) -> Page:
    """Segment decoded page text; the format is sniffed unless given."""
    fmt = input_format or sniff_format(text)
    return segment_html(text) if fmt == "html" else segment_text(text)


# --- plain text -------------------------------------------------------------------------------

def segment_text(text: str) -> Page:
    """One block per non-blank line; whether blank lines surround it is kept as layout."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = []
    for i, line in enumerate(lines):
        cleaned = collapse_space(line)
        if not cleaned:
            continue
        blocks.append(
            Block(
                text=cleaned,
                tag="line",
                blank_before=i == 0 or not lines[i - 1].strip(),
                blank_after=i == len(lines) - 1 or not lines[i + 1].strip(),
            )
        )
    return Page(blocks=tuple(blocks), input_format="text")


# --- HTML -------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _split_class(raw: str) -> tuple[str, ...]:
    # Sites repeat the same few class strings thousands of times: split each once per process.
    return tuple(t.lower() for t in _CLASS_SPLIT.split(raw) if t)


_NO_FACTS: tuple[bool, tuple[str, ...]] = (False, ())


def _attribute_facts(items: list[tuple[str, str]]) -> tuple[bool, tuple[str, ...]]:
    """Whether an element is hidden (hidden, aria-hidden="true", display:none or visibility:hidden
    in its style), and the lower-case word pieces of its class and id ('articleBody__text' ->
    article, body, text), from its attribute list. One
    ``items()`` call per element and one pass over it: five separate ``get`` calls cost a fifth
    of the walk, and most elements have one or two attributes."""
    if not items:
        return _NO_FACTS
    hidden = False
    cls = ident = None
    for name, value in items:
        if name == "class":
            cls = value
        elif name == "id":
            ident = value
        elif name == "style":
            hidden = hidden or _HIDDEN_STYLE.search(value) is not None
        elif name == "hidden" or (name == "aria-hidden" and value == "true"):
            hidden = True
    if not cls and not ident:
        return hidden, ()
    return hidden, _split_class(f"{cls or ''} {ident or ''}")


# A frame of the open-element stack: (tag, class tokens, skipped, dom path, nearest block tag,
# container numbers, hidden). Everything a block reads off its context is carried down from the
# parent when the frame is pushed: the nearest ancestors' class/id tokens (at most
# MAX_CLASS_TOKENS, before de-duplication), the numbers of every element from the root, and
# whether any ancestor is hidden. A block then reads its context off the top frame alone; pushing
# costs a tuple concatenation per element, rebuilding the chain per block cost a tenth of the
# walk. A skipped element's subtree is not read, only its tail, so its frame carries its parent's
# chain unchanged. Plain tuples: this runs once per element, where a dataclass costs several
# times more.
_Frame = tuple[str, tuple[str, ...], bool, str, str, tuple[int, ...], bool]
_ROOT_FRAME: _Frame = ("", (), False, "", "body", (), False)


def _frame(tag: str, class_tokens: tuple[str, ...], parent: _Frame, number: int, hidden: bool) -> _Frame:
    path = f"{parent[3]}/{tag}" if parent[3] else tag
    chain = (class_tokens + parent[1])[:MAX_CLASS_TOKENS] if class_tokens else parent[1]
    return (tag, chain, False, path, tag if tag in BLOCK_TAGS else parent[4], parent[5] + (number,),
            hidden or parent[6])


def _skipped_frame(tag: str, parent: _Frame) -> _Frame:
    return tag, parent[1], True, parent[3], parent[4], parent[5], parent[6]


class _Builder:
    """Accumulates inline text until a block boundary; private to one segment_html call."""

    __slots__ = ("blocks", "parts", "link_words", "context", "pending_br")

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.link_words = 0
        self.context: tuple[str, str, tuple[str, ...], int, tuple[int, ...], bool] | None = None  # see _context
        self.pending_br = False

    def add(self, text: str | None, stack: list[_Frame], in_link: bool) -> None:
        if not text:
            return
        if self.context is None:
            if text.isspace():
                return
            self.context = _context(stack)
        self.parts.append(text)
        self.pending_br = False
        if in_link:
            self.link_words += len(tokens(text))

    def flush(self) -> None:
        if self.context is None and not self.parts and not self.pending_br:
            return  # nothing gathered since the last boundary (most boundaries)
        if self.context is not None:
            text = "".join(self.parts)
            if "{" in text or "<%" in text:
                text = _TEMPLATE_RESIDUE.sub(" ", text)
            text = collapse_space(text)
            if text:
                tag, path, class_tokens, depth, containers, hidden = self.context
                self.blocks.append(
                    Block(text=text, tag=tag, dom_path=path, class_tokens=class_tokens,
                          depth=depth, containers=containers, link_words=self.link_words, hidden=hidden)
                )
        self.parts, self.link_words, self.context, self.pending_br = [], 0, None, False


def _context(stack: list[_Frame]) -> tuple[str, str, tuple[str, ...], int, tuple[int, ...], bool]:
    """Block tag, dom path, class tokens (nearest first), depth, container numbers and hiddenness
    of a block starting at the top of the stack (the root frame at the bottom does not count in
    the depth)."""
    top = stack[-1]
    return top[4], top[3], tuple(dict.fromkeys(top[1])), len(top[5]), top[5], top[6]


# </body> or </html> with markup after it: a template that closed the page early (a WordPress
# header include did, with the whole article after it, in wcxb-dev). Browsers go on reading the
# rest into <body>; libxml2 drops it.
_END_OF_PAGE = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_MARKUP = re.compile(r"<[A-Za-z]")


def drop_premature_page_ends(text: str) -> str:
    """The page without its </body> and </html> tags when elements follow the first of them, so
    the parser reads on as a browser does (it closes both at the end anyway)."""
    end = _END_OF_PAGE.search(text)
    if end is None or _MARKUP.search(text, end.end()) is None:
        return text
    return _END_OF_PAGE.sub(" ", text)


# The page's first <html ...> tag. libxml2 reads a self-closed one ("<html ... />", left by a
# crawl that spliced two pages: an l3s-gn1 page lost all 1,147 words of its story) as the whole
# document; browsers ignore the slash on any element that is not void.
_HTML_START = re.compile(r"<html\b[^>]*>", re.IGNORECASE)


def open_self_closed_root(text: str) -> str:
    """The page with the slash of a self-closed <html/> start tag removed, so the parser reads on."""
    start = _HTML_START.search(text)
    if start is None or not start.group().endswith("/>"):
        return text
    return f"{text[:start.end() - 2]}>{text[start.end():]}"


def parse_html(text: str) -> etree._Element | None:
    """lxml tree of the page, as a browser would build it where libxml2 differs in ways that lose
    text, or None when there is nothing to parse. Never touches the network, never expands
    entities declared in the page (the HTML parser reads no DTD)."""
    if not text.strip():
        return None
    text = drop_premature_page_ends(text)
    parser = _parser()
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), parser=parser)
        if root is not None and not len(root):  # nothing read: perhaps a self-closed <html/>
            reopened = open_self_closed_root(text)
            if reopened is not text:
                text = reopened
                root = etree.fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # libxml2 gives up below 2048 open elements and the whole page is lost; flattening the
        # excess keeps every word (only a hostile or broken page nests that deep).
        try:
            root = etree.fromstring(flatten_deep(text).encode("utf-8", errors="replace"), parser=parser)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            return None
    if root is not None:  # a page of nothing but comments parses to no tree at all
        close_head_at_content(root)
    return root


# Tags opening deeper than this are dropped by flatten_deep: far below libxml2's limit of 2048
# (which counts elements the parser opens implicitly too), far above any real page (l3s-gn1's
# deepest is under 60).
FLATTEN_DEPTH = 1000
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def flatten_deep(text: str, max_depth: int = FLATTEN_DEPTH) -> str:
    """The page with every tag that would open (or close) an element deeper than ``max_depth``
    removed, text kept. Depth is estimated from the tags alone, as a fallback must not fail."""
    out, depth, last = [], 0, 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            deep = depth > max_depth
            depth = max(depth - 1, 0)
        elif name in _VOID_TAGS or self_closing:
            deep = depth >= max_depth
        else:
            depth += 1
            deep = depth > max_depth
        if deep:
            out.append(text[last:match.start()])
            out.append(" ")
            last = match.end()
    out.append(text[last:])
    return "".join(out)


_TITLE_METAS = (("property", "og:title"), ("name", "og:title"), ("property", "twitter:title"), ("name", "twitter:title"))


def title_hints(root: etree._Element) -> tuple[str, ...]:
    """What the page says its title is: og:title, twitter:title, <title>, first <h1>. One pass
    over the tree for all of them (six searches cost 1.5 % of a page)."""
    metas: dict[tuple[str, str], list[str]] = {key: [] for key in _TITLE_METAS}
    title = h1 = None
    for element in root.iter("meta", "title", "h1"):
        tag = element.tag
        if tag == "meta":
            for attribute in ("property", "name"):
                key = (attribute, element.get(attribute))
                if key in metas:
                    metas[key].append(element.get("content") or "")
        elif tag == "title":
            title = element if title is None else title
        elif h1 is None:
            h1 = element
    hints = [hint for key in _TITLE_METAS for hint in metas[key]]
    if title is not None and title.text:
        hints.append(title.text)
    if h1 is not None:
        hints.append("".join(h1.itertext()))
    cleaned = (collapse_space(h) for h in hints)
    return tuple(dict.fromkeys(h for h in cleaned if h and len(h) < SWALLOWED_TITLE_CHARS))


def blocks_of(root: etree._Element, skip: frozenset[str] = SKIP_TAGS, honour_hidden: bool = True) -> list[Block]:
    """Blocks of the tree: the compiled walk (cleaner._walk) where it was built, else ``python_blocks_of``."""
    if _compiled_walk is not None:
        return _compiled_walk.blocks_of(root, skip, honour_hidden)
    return python_blocks_of(root, skip, honour_hidden)


def python_blocks_of(root: etree._Element, skip: frozenset[str] = SKIP_TAGS, honour_hidden: bool = True) -> list[Block]:
    """Walk the tree once (lxml's C iterwalk), cutting blocks at block-level elements and <br><br>.
    Subtrees of ``skip`` tags are not read. With ``honour_hidden``, a hidden block-level element
    is read and its blocks are marked ``hidden`` (accordions, tabs and collapsed sections hold
    text that labelled pages keep; menus and modals hold noise: the classifier decides), and a
    hidden inline element is skipped, as a browser shows the paragraph around it; without it,
    everything is read and nothing is marked."""
    builder = _Builder()
    stack: list[_Frame] = [_ROOT_FRAME]  # never popped: every "end" matches a "start"
    link_depth = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    block_tags = BLOCK_TAGS
    number = 0
    # The checks before builder.add/flush calls repeat their first lines: most text and tail
    # nodes are None or white space and most boundaries close nothing, and skipping the call
    # there saves a measurable share of the walk.
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):  # comments, processing instructions, entities
            continue
        # No tag.lower(): libxml2's HTML parser already gives lower-case names.
        if event == "start":
            items = element.items()
            hidden, class_tokens = _attribute_facts(items) if items else _NO_FACTS
            hidden = hidden and honour_hidden
            if tag in skip or (hidden and tag not in block_tags):
                if tag in block_tags:
                    builder.flush()
                walker.skip_subtree()
                number += 1  # popped at its "end", where its tail is read
                stack.append(_skipped_frame(tag, stack[-1]))
                continue
            if tag in block_tags:
                if builder.context is not None or builder.parts:
                    builder.flush()
            elif tag == "br":
                if builder.pending_br:
                    builder.flush()
                else:
                    builder.parts.append(" ")
                    builder.pending_br = True
            if tag == "a":
                link_depth += 1
            number += 1
            stack.append(_frame(tag, class_tokens, stack[-1], number, hidden))
            text = element.text
            if text and (builder.context is not None or not text.isspace()):
                builder.add(text, stack, link_depth > 0)
        else:
            if not stack.pop()[2]:
                if tag in block_tags and (builder.context is not None or builder.parts):
                    builder.flush()
                if tag == "a":
                    link_depth -= 1
            text = element.tail
            if text and (builder.context is not None or not text.isspace()):
                builder.add(text, stack, link_depth > 0)
    builder.flush()
    return builder.blocks


def _load_compiled_walk() -> types.ModuleType | None:
    """The compiled walk, configured with this module's rules, unless it was not built (no C
    compiler at install time) or CLEANER_PURE_PYTHON is set (cleaner.compiled)."""
    walk = compiled_module("_walk")
    if walk is not None:
        walk.configure(Block, derived_fields, tokens, collapse_space, _HIDDEN_STYLE, _TEMPLATE_RESIDUE, BLOCK_TAGS,
                       MAX_CLASS_TOKENS, _ROOT_FRAME)
    return walk


_compiled_walk = _load_compiled_walk()


def segment_html(text: str) -> Page:
    root = parse_html(text)
    if root is None:
        return Page(blocks=(), input_format="html")
    if "<template" in text and "S:" in text:  # cheap test first: most pages are not streamed
        reveal_streamed_segments(root)
    blocks = blocks_of(root)
    if visible_words(blocks) < NOSCRIPT_FALLBACK_WORDS:
        blocks = _rescue_hidden_content(root, blocks)
    return Page(blocks=tuple(blocks), input_format="html", title_hints=title_hints(root))


# The elements the HTML standard's "in head" insertion mode keeps in <head>. Any other element
# there ends the head, and a browser puts it and everything after it into <body>; libxml2 keeps an
# unknown element (<mbox>, GoLive's <csscriptdict>) in <head> with the rest of the page inside it,
# and the walk, which skips <head>, lost a whole l3s-gn1 article (dailyindia.com: 0 blocks).
HEAD_ELEMENTS = frozenset("base basefont bgsound link meta title noscript noframes style script template".split())


def close_head_at_content(root: etree._Element) -> None:
    """Do what a browser's parser does with an element that does not belong in <head>: move it,
    and every later child of <head>, to the start of <body> (made if missing). Mutates ``root``."""
    head = root.find("head")
    if head is None:
        return
    stray = next((i for i, child in enumerate(head) if child.tag not in HEAD_ELEMENTS), None)
    if stray is None:
        return
    body = root.find("body")
    if body is None:
        body = etree.Element("body")
        head.addnext(body)
    for k, element in enumerate(head[stray:]):
        body.insert(k, element)


# React's streaming server rendering (Next.js and others) sends the parts of a page that were not
# ready at first in <div hidden id="S:n"> at the end of <body>, and a script moves each into the
# place of its <template id="B:n"> placeholder. Read as hidden, a whole article can vanish
# (an aa.com.tr page in fundus-testdata kept 6 words of its story).
_STREAMED_SEGMENTS = etree.XPath("//div[@hidden][starts-with(@id, 'S:')]")


def reveal_streamed_segments(root: etree._Element) -> None:
    """Do what React's script would: unhide each streamed segment and move it to its placeholder
    (left at the end of <body> when the placeholder is missing). Mutates ``root``."""
    placeholders = {t.get("id"): t for t in root.iter("template") if (t.get("id") or "").startswith("B:")}
    for streamed in _STREAMED_SEGMENTS(root):
        del streamed.attrib["hidden"]
        placeholder = placeholders.get("B:" + streamed.get("id", "")[2:])
        parent = placeholder.getparent() if placeholder is not None else None
        if parent is None:
            continue
        _detach_keeping_tail(streamed)
        streamed.tail = placeholder.tail
        parent.replace(placeholder, streamed)


def _detach_keeping_tail(element: etree._Element) -> None:
    """Remove ``element`` from its parent; the text after it stays where it was."""
    parent, tail = element.getparent(), element.tail
    if parent is None:
        return
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    element.tail = None
    parent.remove(element)


# Second-chance walks for a near-empty page. Posts served only inside <noscript> (Discourse
# forums). Then everything a reader could be shown: a page-wide wrapper hidden until a script
# has loaded (style="visibility:hidden" on geeksforgeeks.org), and a page libxml2 swallowed into
# a <button> (its HTML parser nests an unclosed-looking menu button around the rest of the body:
# two Dotdash Meredith sites in wcxb-dev kept "Skip to content" and nothing else).
_NOSCRIPT_KEPT = SKIP_TAGS - {"noscript"}
_CONTROLS_READ = SKIP_TAGS - {"noscript", "button"}


def _rescue_hidden_content(root: etree._Element, blocks: list[Block]) -> list[Block]:
    """Second chance for near-empty pages: posts inside <noscript>, content hidden until a script
    runs or swallowed into a button, a page swallowed by <title>, or the <noframes> fallback of
    a frameset. The candidate with the most words wins; hidden content and buttons are read
    only when nothing else rescues the page."""
    candidates = [blocks, blocks_of(root, skip=_NOSCRIPT_KEPT)]
    title = root.find(".//title")
    if title is not None and title.text and len(title.text) > SWALLOWED_TITLE_CHARS and "<" in title.text:
        inner = parse_html(title.text)
        if inner is not None:
            candidates.append(blocks_of(inner))
    # A frameset page's only text is its <noframes> fallback, which libxml2 keeps as raw markup.
    for fallback in root.iter("noframes"):
        inner = parse_html(fallback.text or "") if "<" in (fallback.text or "") else None
        if inner is not None:
            candidates.append(blocks_of(inner))
    best = max(candidates, key=visible_words)
    if visible_words(best) < NOSCRIPT_FALLBACK_WORDS:
        # Everything shown and nothing marked hidden: on these pages a script shows it all.
        best = blocks_of(root, skip=_CONTROLS_READ, honour_hidden=False)
    # Only a real rescue counts: "enable JavaScript" in <noscript> is not a page.
    return best if visible_words(best) >= NOSCRIPT_FALLBACK_WORDS else blocks


def visible_words(blocks: list[Block]) -> int:
    """Words in the blocks a reader sees without a script's help."""
    return sum(b.words for b in blocks if not b.hidden)
