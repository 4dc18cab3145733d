"""Bytes to text, and telling HTML from a plain-text scrape."""
from __future__ import annotations

import codecs
import re
import unicodedata

from cleaner.document import InputFormat

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# How far into the bytes a charset declaration is looked for: browsers prescan 1024 bytes; real
# pages often put <meta charset> after long inline scripts, so we look further, still cheaply.
_PRESCAN_BYTES = 8192
# Single-byte fallback when neither UTF-8 nor the declaration decodes: never fails, keeps ASCII.
_FALLBACK = "cp1252"

_HTML_MARKERS = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|meta|title|div|p|span|table|script|article|section|a\s+href|br)\b",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?>")
# Sniffing reads this many characters: enough for a doctype or a few tags, cheap on a 50 MB page.
_SNIFF_CHARS = 4096


# File signatures of things scrapers fetch that are not pages.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
    (b"%PDF-", "PDF document"), (b"\x1f\x8b", "gzip archive"), (b"PK\x03\x04", "zip archive"),
    (b"BZh", "bzip2 archive"), (b"\xfd7zXZ\x00", "xz archive"), (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"RIFF", "RIFF media"), (b"\x00\x00\x00\x18ftyp", "MP4 video"), (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"\x7fELF", "executable"), (b"wOFF", "web font"), (b"wOF2", "web font"),
)
# Share of control bytes (other than tab, newline, carriage return, form feed) in the first
# 4 KB above which bytes are not text: real pages have next to none; a stray NUL or two in a
# page must not make it "binary".
_BINARY_CONTROL_SHARE = 0.1
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13))


def binary_kind(data: bytes) -> str | None:
    """What the bytes are if they are clearly not a page (an image, an archive ...), else None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return None
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:4096]
    controls = len(head) - len(head.translate(None, _CONTROL))
    if controls > max(8, _BINARY_CONTROL_SHARE * len(head)):  # a few NULs in a short page are not binary
        return "binary data"
    return None


def declared_encoding(data: bytes) -> str | None:
    """The charset a page declares (meta, http-equiv or XML declaration), if Python knows it."""
    match = _DECLARED.search(data[:_PRESCAN_BYTES])
    if not match:
        return None
    return known_codec(match.group(1).decode("ascii", "ignore"))


def known_codec(name: str | None) -> str | None:
    """Python's name for a charset label, or None if Python has no such codec."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def tidy(text: str) -> str:
    """Turn NUL characters into spaces (lxml stops at them; deleting them would glue the words
    on either side into a token the page never had) and compose characters (NFC).

    windows-1258 writes Vietnamese tone marks as combining characters; uncomposed, a syllable
    would split into several tokens and no longer match the same word typed in UTF-8.
    """
    text = text.replace("\x00", " ")
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def decode(data: bytes, transport_charset: str | None = None) -> str:
    """Decode page bytes: BOM first, then strict UTF-8, then the charset the server sent
    (``transport_charset``, e.g. from a WARC record's HTTP Content-Type), then the one the page
    declares, then cp1252.

    Valid UTF-8 beats a declaration because mis-declared UTF-8 pages are common and non-UTF-8
    text that happens to be valid UTF-8 is rare.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return tidy(data[len(bom):].decode(encoding, errors="replace"))
    try:
        return tidy(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    for declared in (known_codec(transport_charset), declared_encoding(data)):
        if declared and declared not in ("utf-8", "utf-16-le", "utf-16-be", "utf-16"):
            try:
                return tidy(data.decode(declared))
            except UnicodeDecodeError:
                pass
    return tidy(data.decode(_FALLBACK, errors="replace"))


def sniff_format(text: str) -> InputFormat:
    """'html' when the start of the input looks like markup, else 'text' (a plain-text scrape)."""
    head = text[:_SNIFF_CHARS]
    if _HTML_MARKERS.search(head):
        return "html"
    # Markup without the usual landmarks (a fragment): several tags per line means HTML.
    lines = max(1, head.count("\n"))
    return "html" if len(_ANY_TAG.findall(head)) >= max(3, lines) else "text"
