from cleaner.decode import decode, declared_encoding, sniff_format


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
