"""Property-based tests: whatever a scraper feeds it, clean() returns text and invents nothing."""
import html as html_lib
import os
import re
import unicodedata

import lxml.etree
import lxml.html
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.segment import BLOCK_TAGS
from cleaner.text import tokens

TAGS = ["p", "div", "span", "a", "b", "li", "ul", "td", "tr", "table", "h1", "h2", "br", "script",
        "style", "nav", "footer", "article", "figcaption", "noscript", "template", "section"]
words = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@st.composite
def html_documents(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        choice = draw(st.integers(0, 4 if depth < 4 else 1))
        if choice <= 1:
            parts.append(draw(words))
        elif choice == 2:
            parts.append(draw(st.sampled_from(["&amp;", "&#233;", "&nbsp;", "&lt;", "<!-- c -->", "<br>", "&bogus;"])))
        else:
            tag = draw(st.sampled_from(TAGS))
            attrs = draw(st.sampled_from(["", ' class="nav menu"', ' id="content"', " hidden", ' style="display:none"']))
            close = draw(st.booleans())  # unclosed tags too
            parts.append(f"<{tag}{attrs}>{draw(html_documents(depth + 1))}" + (f"</{tag}>" if close else ""))
    return "".join(parts)


# 300 examples per property in every test run; a fuzzing run raises it, e.g.
# CLEANER_FUZZ_EXAMPLES=20000 python -m pytest tests/test_properties.py
EXAMPLES = int(os.environ.get("CLEANER_FUZZ_EXAMPLES", "300"))


@pytest.fixture(scope="module")
def cleaner():
    return Cleaner()


def visible_source_text(page: str) -> str:
    """What an output token may come from: the input with tags removed and entities decoded,
    in NFC (cleaner composes characters; CJK compatibility ideographs become their unified form).
    As in HTML's tokenizer, '<' starts a tag only before a letter, '/', '!' or '?' ('<0' is text)."""
    visible = html_lib.unescape(re.sub(r"<[/!?A-Za-z][^>]*>", "", page.replace("\x00", " ")))
    return unicodedata.normalize("NFC", visible).lower()


def rendered_text(page: str, shown: str = "none", noscript: bool = False) -> str:
    """What a browser shows: the parsed page without hidden and never-rendered elements.
    Dropping an inline element joins the text around it ('0<a hidden>1</a>0' shows '00').
    ``shown``: which hidden elements are shown anyway: "blocks" (hidden block-level elements, as
    cleaner reads every page) or "all" (as cleaner reads a near-empty page whose text is all
    hidden until a script runs). ``noscript``: <noscript> content shown, as a browser without
    scripts shows it and cleaner reads a near-empty page (text after it then joins its last line)."""
    # lxml refuses control characters in text it re-joins; libxml2 drops them when parsing.
    page = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", page)
    try:
        root = lxml.html.fromstring(page)
    except (lxml.etree.ParserError, ValueError):
        return ""
    # Not <head> itself: libxml2 leaves an element that does not belong there (a stray <td>) in
    # <head>, with the text after it, where a browser ends the head and shows them in <body>.
    never = ("script", "style", "template", "title") if noscript else ("script", "style", "noscript", "template", "title")
    unseen = "|".join(f"//{tag}" for tag in never)
    try:
        hidden = "" if shown == "all" else "|//*[@hidden]|//*[contains(@style, 'display:none')]"
        for element in root.xpath(f"{unseen}{hidden}"):
            if shown == "blocks" and element.tag in BLOCK_TAGS:
                continue
            element.drop_tree()
        text = root.text_content()
    except ValueError:  # control characters lxml refuses to re-join, or a page that parses to a
        return ""      # lone comment ('&nbsp;<!-- c -->'): no opinion then
    return unicodedata.normalize("NFC", text).lower()


def from_input(token: str, page: str) -> bool:
    return (token in visible_source_text(page) or token in rendered_text(page)
            or token in rendered_text(page, shown="blocks") or token in rendered_text(page, shown="all")
            or token in rendered_text(page, shown="blocks", noscript=True)
            or token in rendered_text(page, shown="all", noscript=True)
            or token in unicodedata.normalize("NFC", page).lower())  # a text scrape is kept verbatim


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=html_documents())
@example(page="&nbsp;<!-- c -->")  # sniffed as text, kept verbatim; lxml parses it to a lone comment
# A near-empty page is re-read with <noscript> shown: its last line joins the text after it ('0:0:0Y').
@example(page="<p><noscript>" + "word " * 60 + "0:0:0<template>1</template></noscript>Y")
# The last resort for a near-empty page shows everything, <noscript> and hidden text ('true0').
@example(page="x<noscript>word <b style='display:none'>true<script>1</script>0:0 " + "word " * 60)
# libxml2 keeps a stray <td> and the text after it in <head>; a browser shows '00' in <body>.
@example(page="<script></script><td>0<script>1</script>0")
def test_html_never_raises_and_every_output_token_is_in_the_input(cleaner, page):
    text = cleaner.clean(page)
    assert isinstance(text, str)
    for token in tokens(text):
        assert from_input(token, page)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.text())
def test_any_string_is_cleaned_without_error(cleaner, page):
    text = cleaner.clean(page)
    for token in tokens(text):
        assert from_input(token, page)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_any_bytes_are_cleaned_without_error(cleaner, data):
    assert isinstance(cleaner.clean(data), str)
