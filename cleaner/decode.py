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
    """Decode page bytes, the way that reads most like text.

    1. A byte-order mark decides.
    2. Valid UTF-8 is UTF-8: mis-declared UTF-8 pages are common, while legacy text that happens
       to be valid UTF-8 is rare. UTF-8 with a few broken bytes (a truncated download) stays
       UTF-8, with U+FFFD for the broken bytes.
    3. Otherwise every candidate charset that decodes the bytes without error is scored (see
       ``implausibility``): the charset the server sent (``transport_charset``, e.g. a WARC
       record's HTTP header), the one the page declares, and the legacy charsets of
       ``DETECTED``. The declared ones win ties, so a wrong declaration loses only to a clearly
       better reading. cp1252 with replacement characters is the last resort.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return tidy(data[len(bom):].decode(encoding, errors="replace"))
    try:
        return tidy(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    as_utf8 = data.decode("utf-8", errors="replace")
    broken = as_utf8.count("\ufffd")
    if broken <= max(1, _UTF8_BROKEN_SHARE * sum(1 for c in as_utf8 if ord(c) > 127)):
        return tidy(as_utf8)
    declared = [c for c in (known_codec(transport_charset), declared_encoding(data))
                if c and c not in _UNICODE_CODECS]
    # Only the best reading so far is kept, and only the winner is composed in full: a 50 MB
    # page is not held or normalised six times over.
    best: tuple[tuple[int, int, int], str] | None = None
    for rank, codec in enumerate(dict.fromkeys([*declared, *DETECTED])):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        key = _reading_key(codec, tidy(text[:_SCORE_CHARS]), rank, declared)
        if best is None or key < best[0]:
            best = (key, text)
    if best is None:
        return tidy(data.decode(_FALLBACK, errors="replace"))
    return tidy(best[1])


_UNICODE_CODECS = frozenset({"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
# A UTF-8 page with at most this share of its non-ASCII characters broken is a damaged UTF-8
# page, not a legacy one (a legacy page read as UTF-8 breaks nearly all of them).
_UTF8_BROKEN_SHARE = 0.05
# Legacy charsets tried when the bytes are not UTF-8, in order of preference on equal evidence:
# Western European, Vietnamese (real in our first users' crawls), Japanese, Chinese.
DETECTED = ("cp1252", "cp1258", "shift_jis", "gb18030")
# Scored on this much text: enough evidence, bounded cost on a 50 MB page.
_SCORE_CHARS = 65536
# Implausibility is compared in steps of this size: differences below it are noise.
_SCORE_STEP = 0.02
# Non-letters that real text uses outside ASCII. Deliberately without the symbols that mojibake
# is made of (cp1252 reading Shift-JIS gives '‚±‚ê').
_COMMON_SYMBOLS = frozenset("\u00a0–—‘’“”…•·«»€£¥©®°×§¶™¿¡€　、。「」『』・（）！？：；，．〜ー")
# Evidence that a reading found the right script: letters only that charset yields for real
# text (Vietnamese precomposed letters from windows-1258's combining tone marks; kana).
_EVIDENCE = {
    "cp1258": lambda c: "\u1ea0" <= c <= "\u1ef9",
    "shift_jis": lambda c: "\u3040" <= c <= "\u30ff",
}


def implausibility(text: str) -> float:
    """Share of the non-ASCII characters that real text seldom has: C1 controls, private use,
    U+FFFD, half-width katakana, stray combining marks, symbols outside ``_COMMON_SYMBOLS``, and
    CJK characters glued to Latin letters (a CJK charset reading Latin-1 accents)."""
    sample = text[:_SCORE_CHARS]
    non_ascii = bad = 0
    for i, ch in enumerate(sample):
        code = ord(ch)
        if code < 128:
            continue
        non_ascii += 1
        if (0x80 <= code <= 0x9F or 0xE000 <= code <= 0xF8FF or code == 0xFFFD or 0xFF61 <= code <= 0xFF9F):
            bad += 1
        elif ch.isalpha():
            if code >= 0x2E80 and (sample[i - 1:i].isascii() and sample[i - 1:i].isalpha()
                                   or sample[i + 1:i + 2].isascii() and sample[i + 1:i + 2].isalpha()):
                bad += 1
        elif not (ch.isspace() or ch in _COMMON_SYMBOLS):
            bad += 1  # includes combining marks left over after NFC composition
    return bad / non_ascii if non_ascii else 0.0


def _reading_key(codec: str, text: str, rank: int, declared: list[str]) -> tuple[int, int, int]:
    """Sort key, smaller is better: implausibility (in steps), then script evidence, then the
    declared charsets and DETECTED's order. A declared charset whose script leaves no trace
    (windows-1258 without a single Vietnamese letter) loses its precedence: a Portuguese page
    mislabelled windows-1258 would otherwise read 'econômicas' with a Vietnamese ơ."""
    steps = int(implausibility(text) / _SCORE_STEP)
    evidence = _EVIDENCE.get(codec)
    letters = [c for c in text[:_SCORE_CHARS] if ord(c) > 127 and c.isalpha()]
    found = sum(map(evidence, letters)) if evidence else 0  # type: ignore[arg-type]
    has_evidence = found >= 1 and found >= 0.1 * len(letters)
    if evidence and not has_evidence:
        rank += len(DETECTED) + len(declared)
    return steps, 0 if has_evidence else 1, rank


def sniff_format(text: str) -> InputFormat:
    """'html' when the start of the input looks like markup, else 'text' (a plain-text scrape)."""
    head = text[:_SNIFF_CHARS]
    if _HTML_MARKERS.search(head):
        return "html"
    # Markup without the usual landmarks (a fragment): several tags per line means HTML.
    lines = max(1, head.count("\n"))
    return "html" if len(_ANY_TAG.findall(head)) >= max(3, lines) else "text"
