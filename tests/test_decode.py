import pytest

from cleaner.decode import decode, declared_encoding, sniff_format
from tests.conftest import to_windows_1258


def test_utf16_with_bom():
    assert decode("<p>Xin chào</p>".encode("utf-16")) == "<p>Xin chào</p>"


def test_declared_windows_1258_is_decoded_and_composed():
    # cp1258 has ư, ơ, ô, đ precomposed but writes tone marks as combining characters.
    html = '<meta charset="windows-1258"><p>Ngươ\u0300i lao đô\u0323ng</p>'
    data = html.encode("cp1258")
    assert declared_encoding(data) == "cp1258"
    assert "Người lao động" in decode(data)  # composed again: tokens match UTF-8 text


def test_valid_utf8_wins_over_a_wrong_declaration():
    data = '<meta charset="iso-8859-1"><p>Hà Nội</p>'.encode("utf-8")
    assert "Hà Nội" in decode(data)


def test_undecodable_bytes_never_raise():
    assert isinstance(decode(b"\xff\xfe\xfa<p>x</p>\x00"), str)


def test_sniff_tells_html_from_a_text_scrape(seed_dirs):
    assert sniff_format("<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert sniff_format("<div><p>fragment</p><p>more</p></div>") == "html"
    scrape = (seed_dirs[0] / "page.txt").read_text(encoding="utf-8")
    assert scrape.startswith("-->")
    assert sniff_format(scrape) == "text"


# Legacy-charset pages with a right, a wrong and a missing declaration. Each must read as the
# text that was encoded: the charset is recovered from the bytes when the label lies or is absent.
SAMPLES = {
    "windows-1258": "Người lao động ở Hà Nội được tăng lương từ tháng tới, theo quyết định của thành phố. " * 3,
    "windows-1252": "Die Regierung hat neue Maßnahmen beschlossen. Größere Unternehmen zahlen künftig mehr; "
                    "« déjà vu », a dit le garçon du café. " * 3,
    "shift_jis": "東京都は新しい対策の方針を発表した。専門家は「早めの対策が大切だ」と話している。" * 3,
    "gb18030": "国家统计局发布了最新的经济数据。专家表示，经济运行总体平稳，消费市场持续回暖。" * 3,
}
WRONG_LABELS = {"windows-1258": "windows-1252", "windows-1252": "shift_jis", "shift_jis": "windows-1252",
                "gb18030": "shift_jis"}


def legacy_page(charset: str, label: str | None) -> bytes:
    meta = f'<meta charset="{label}">' if label else ""
    html = f"<html><head>{meta}<title>Tin</title></head><body><p>{SAMPLES[charset]}</p></body></html>"
    return to_windows_1258(html) if charset == "windows-1258" else html.encode(charset)


@pytest.mark.parametrize("charset", SAMPLES)
@pytest.mark.parametrize("label", ["right", "wrong", "missing"])
def test_legacy_charsets_read_right_whatever_the_page_declares(charset, label):
    declared = {"right": charset, "wrong": WRONG_LABELS[charset], "missing": None}[label]
    assert SAMPLES[charset] in decode(legacy_page(charset, declared))


def test_shift_jis_labelled_gb18030_is_still_japanese():
    assert SAMPLES["shift_jis"] in decode(legacy_page("shift_jis", "gb18030"))


def test_a_western_page_mislabelled_windows_1258_keeps_its_letters():
    text = "O governo anunciou medidas econômicas; as eleições serão em outubro. Il a dit così, però. " * 3
    data = f'<meta charset="windows-1258"><p>{text}</p>'.encode("cp1252")
    assert text in decode(data)


def test_the_server_charset_is_used_when_the_page_declares_none():
    page = legacy_page("gb18030", None)
    assert SAMPLES["gb18030"] in decode(page, transport_charset="GB18030")
    assert SAMPLES["gb18030"] in decode(page, transport_charset="no-such-charset")  # an unknown label is ignored


def test_utf8_with_a_few_broken_bytes_stays_utf8():
    data = ("<p>Giá vàng hôm nay tăng mạnh ở Hà Nội và TP.HCM</p>" * 5).encode("utf-8")
    damaged = data[:40] + b"\xff" + data[40:-3]  # one stray byte, and a multi-byte character cut off
    text = decode(damaged)
    assert "Giá vàng hôm nay tăng mạnh" in text and text.count("\ufffd") <= 2
