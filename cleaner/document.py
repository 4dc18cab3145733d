"""The one document type that flows through cleaner: an immutable ``Page`` of ``Block``s.

Block statistics are computed once, when the block is made (boilerpipe's TextBlock idea);
derived ratios are properties. Labels never live on a block: they travel beside the page
as numpy arrays, so a ``Page`` can be shared between threads and stages without copying.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from cleaner.headline import find_headline
from cleaner.text import compiled_text, count_chars, python_tokens

InputFormat = Literal["html", "text"]


@dataclass(frozen=True, slots=True)
class Block:
    """One run of text the page shows as a unit: a paragraph, heading, list item, cell, or a line."""

    text: str
    tag: str  # HTML tag of the block element; "line" for a plain-text scrape
    dom_path: str = ""  # e.g. "html/body/div/article/p"; empty for plain text
    class_tokens: tuple[str, ...] = ()  # class/id tokens of the element and its ancestors, nearest first
    depth: int = 0
    # Which elements hold the block, outermost first: numbers unique within the page (element
    # order), so sibling containers with the same dom_path stay apart. Empty for plain text.
    containers: tuple[int, ...] = ()
    link_words: int = 0  # words inside <a> elements
    # Inside an element the page hides until a script shows it (the hidden attribute,
    # aria-hidden="true", display:none or visibility:hidden): accordions, tabs, menus, modals.
    hidden: bool = False
    blank_before: bool = True  # plain text only: a blank line (or page start) precedes this line
    blank_after: bool = True
    tokens: tuple[str, ...] = field(init=False, repr=False, compare=False)  # lower-cased, see cleaner.text
    token_set: frozenset[str] = field(init=False, repr=False, compare=False)
    words: int = field(init=False)
    chars: int = field(init=False)

    def __post_init__(self) -> None:
        # Tokenised once here: features, rules and the title all need the tokens.
        toks, token_set, words, chars = derived_fields(self.text)
        object.__setattr__(self, "tokens", toks)
        object.__setattr__(self, "token_set", token_set)
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "chars", chars)

    @property
    def link_density(self) -> float:
        return min(1.0, self.link_words / self.words) if self.words else 0.0


def python_derived_fields(text: str) -> tuple[tuple[str, ...], frozenset[str], int, int]:
    """A block's tokens, token_set, words and chars, from its text."""
    toks = tuple(python_tokens(text))
    return toks, frozenset(toks), len(toks), count_chars(text)


# A block's tokens, token_set, words and chars: the one place they come from (the compiled walk
# too, which fills a Block's fields without calling its generated __init__).
derived_fields: Callable[[str], tuple[tuple[str, ...], frozenset[str], int, int]] = (
    compiled_text.derived_fields if compiled_text is not None else python_derived_fields)


@dataclass(frozen=True, slots=True)
class Page:
    """A segmented page: its blocks in reading order and what the page says its title is."""

    blocks: tuple[Block, ...]
    input_format: InputFormat
    title_hints: tuple[str, ...] = ()  # <title>, og:title, first <h1>; empty for plain text
    headline: int | None = field(init=False, compare=False)  # index of the headline block, if any

    def __post_init__(self) -> None:
        object.__setattr__(self, "headline", find_headline(self.blocks, self.input_format == "text", self.title_hints))

    def __len__(self) -> int:
        return len(self.blocks)
