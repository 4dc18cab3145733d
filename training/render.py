"""Render an HTML page to a plain-text scrape, the way a simple scraper does.

Every block element goes on its own line, a blank line between; link lists and teasers stay
in, as in ../shared/seeds/pages. Used to teach and test the text mode on pages whose gold we have.

The layout is deliberately uniform. Which elements a scraper prints without a blank line
between is the scraper's own convention (the seeds' scraper glues related-links boxes and
captions to the line above); imitating one convention here would teach the model that
convention for every site. A site's own layout is learned from its fixtures instead.
"""
from __future__ import annotations

import zlib
from dataclasses import replace

import lxml.html

from cleaner.segment import segment_html
from training.data import Example

_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8", no_network=True)

# For scraper_text: elements a browser draws as blocks start a new line; headings, paragraphs
# and block containers are followed by a blank line, list items and table rows are not (the
# convention of html2text-like scrapers, and of the seeds' "Tin khác" lists).
_LINE_TAGS = frozenset("li dt dd tr br option figcaption caption label".split())
_PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 div section article header footer nav aside main ul ol dl "
                            "table blockquote pre figure form address fieldset details summary".split())
_CELL_TAGS = frozenset(("td", "th"))
_SKIP_TAGS = frozenset("script style noscript template head iframe svg math select textarea button".split())


def render_text(html: str) -> str:
    blocks = segment_html(html).blocks
    return "".join(f"{b.text}\n\n" for b in blocks).removesuffix("\n")


def as_text_example(example: Example, layout: str = "uniform") -> Example:
    """The same page and gold, seen as a plain-text scrape; its source is marked '+text'.

    ``layout``: "uniform" (render_text), "scraped" (scraper_text) or "lines" (scraper_text with
    no blank lines at all, a layout training never uses)."""
    page = render_text(example.page) if layout == "uniform" else scraper_text(example.page, blank_lines=layout != "lines")
    return replace(example, id=f"{example.id}.txt", source=f"{example.source}+text", page=page, input_format="text")


def seen_as_text(example: Example, layout: str | None) -> Example:
    """An HTML example as a plain-text scrape in ``layout`` (as_text_example); a text example, or
    any example when ``layout`` is None, as it is."""
    return as_text_example(example, layout) if layout and example.input_format == "html" else example


def training_layout(example: Example) -> str:
    """Which scrape layout a training page is rendered in: half the pages each way, fixed by the
    page's key, so the text mode learns no single scraper's habit of blank lines."""
    return "scraped" if zlib.crc32(example.key.encode("utf-8")) % 2 else "uniform"


def scraper_text(html: str, blank_lines: bool = True) -> str:
    """A plain-text scrape made *without* cleaner's segmenter.

    ``render_text`` lays out exactly cleaner's own HTML blocks; this is how another scraper would
    print the page: inline text joined, a line break at list items and rows, a blank line after
    paragraphs, headings and containers (none at all with ``blank_lines=False``)."""
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=_UTF8_PARSER)
    except (ValueError, lxml.etree.ParserError):  # nothing parseable: the scraper prints nothing
        return ""
    lines: list[str] = []
    current: list[str] = []

    def end_line(blank: bool) -> None:
        text = " ".join("".join(current).split())
        current.clear()
        if text:
            lines.append(text)
        if blank and lines and lines[-1] != "":
            lines.append("")

    def walk(element) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS:  # comments, processing instructions, scripts
            if element.tail:
                current.append(element.tail)
            return
        if tag in _CELL_TAGS:
            current.append(" ")
        if tag in _LINE_TAGS or tag in _PARAGRAPH_TAGS:
            end_line(False)
        if element.text:
            current.append(element.text)
        for child in element:
            walk(child)
        if tag in _PARAGRAPH_TAGS or tag in _LINE_TAGS:
            end_line(blank_lines and tag in _PARAGRAPH_TAGS)
        if element.tail:
            current.append(element.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    end_line(False)
    return "\n".join(lines).strip("\n") + "\n" if lines else ""
