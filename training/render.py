"""Render an HTML page to a plain-text scrape, the way a simple scraper does.

Every block element goes on its own line, a blank line between; link lists and teasers stay
in, as in ../shared/seeds/pages. Used to teach and test the text mode on pages whose gold we have.

The layout is deliberately uniform. Which elements a scraper prints without a blank line
between is the scraper's own convention (the seeds' scraper glues related-links boxes and
captions to the line above); imitating one convention here would teach the model that
convention for every site. A site's own layout is learned from its fixtures instead.
"""
from __future__ import annotations

from dataclasses import replace

from cleaner.segment import segment_html
from training.data import Example


def render_text(html: str) -> str:
    blocks = segment_html(html).blocks
    return "".join(f"{b.text}\n\n" for b in blocks).removesuffix("\n")


def as_text_example(example: Example) -> Example:
    """The same page and gold, seen as a plain-text scrape; its source is marked '+text'."""
    return replace(example, id=f"{example.id}.txt", source=f"{example.source}+text",
                   page=render_text(example.page), input_format="text")
