"""Other extractors, run on the same pages for comparison. Installed by ``pip install .[bench]``."""
from __future__ import annotations

from collections.abc import Callable

Extractor = Callable[[str], str]

# jusText needs a stop-word list; pages in the evaluation sets are English unless the manifest
# says otherwise, and jusText's own default is English too.
JUSTEXT_LANGUAGES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
                     "vi": "Vietnamese", "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "ru": "Russian"}


def trafilatura_default(html: str) -> str:
    import trafilatura
    return trafilatura.extract(html) or ""


def trafilatura_fast(html: str) -> str:
    import trafilatura
    return trafilatura.extract(html, fast=True) or ""


def justext_english(html: str) -> str:
    import justext
    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"), encoding="utf-8")
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def readability(html: str) -> str:
    import lxml.html
    from readability import Document
    summary = Document(html).summary(html_partial=True)
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


def boilerpy3_article(html: str) -> str:
    from boilerpy3 import extractors
    return extractors.ArticleExtractor(raise_on_failure=False).get_content(html)


def resiliparse_main(html: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    return extract_plain_text(html, main_content=True)


def keep_everything(page: str) -> str:
    """The floor: every block cleaner's segmenter finds, kept."""
    from cleaner.segment import segment
    return "\n\n".join(b.text for b in segment(page).blocks)


ANCHORS: dict[str, Extractor] = {
    "keep-all": keep_everything,
    "trafilatura": trafilatura_default,
    "trafilatura-fast": trafilatura_fast,
    "justext": justext_english,
    "readability": readability,
    "boilerpy3": boilerpy3_article,
    "resiliparse": resiliparse_main,
}


def anchor(name: str) -> Extractor:
    if name not in ANCHORS:
        raise ValueError(f"unknown anchor {name!r}; choose from {', '.join(ANCHORS)}")
    return ANCHORS[name]
