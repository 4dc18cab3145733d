from cleaner.segment import segment, segment_html, segment_text


def texts(page):
    return [b.text for b in page.blocks]


def test_block_elements_split_and_inline_elements_join():
    page = segment_html("<body><p>One <b>bold</b> <a href='#'>link</a>.</p><h2>Heading</h2><ul><li>a</li><li>b</li></ul></body>")
    assert texts(page) == ["One bold link.", "Heading", "a", "b"]
    assert [b.tag for b in page.blocks] == ["p", "h2", "li", "li"]
    assert page.blocks[0].link_words == 1 and page.blocks[0].words == 3


def test_code_and_controls_are_dropped():
    page = segment_html(
        "<body><script>var x = 1;</script><style>p{}</style><!-- comment --><p>shown</p>"
        "<template>tpl</template><noscript>enable js</noscript><button>Menu</button></body>")
    assert texts(page) == ["shown"]


def test_hidden_block_elements_are_kept_and_marked_hidden():
    page = segment_html(
        "<body><p>shown</p><p hidden>hidden</p><div style='display: none'>gone</div>"
        "<section aria-hidden='true'><p>aria</p></section><p>shown again</p></body>")
    assert texts(page) == ["shown", "hidden", "gone", "aria", "shown again"]
    assert [b.hidden for b in page.blocks] == [False, True, True, True, False]


def test_hidden_inline_elements_are_skipped_as_a_browser_does():
    page = segment_html("<body><p>Price <span style='display:none'>spam</span>12 euros</p></body>")
    assert texts(page) == ["Price 12 euros"]
    assert not page.blocks[0].hidden


def test_double_br_splits_a_block_single_br_does_not():
    page = segment_html("<body><div>first<br>same<br><br>second</div></body>")
    assert texts(page) == ["first same", "second"]


def test_table_cells_and_captions_are_blocks():
    page = segment_html("<body><table><tr><td>cell one</td><td>cell two</td></tr></table>"
                        "<figure><img src=x><figcaption>A caption.</figcaption></figure></body>")
    assert texts(page) == ["cell one", "cell two", "A caption."]


def test_blocks_keep_dom_provenance_and_class_tokens():
    page = segment_html("<body><div class='articleBody main-text' id='story'><p>Text</p></div></body>")
    block = page.blocks[0]
    assert block.dom_path == "html/body/div/p"
    assert block.class_tokens == ("article", "body", "main", "text", "story")


def test_title_hints_come_from_metadata_and_h1():
    page = segment_html("<html><head><title>Site | Story</title><meta property='og:title' content='Story'>"
                        "</head><body><h1>Story</h1></body></html>")
    assert page.title_hints == ("Story", "Site | Story")


def test_posts_only_inside_noscript_are_rescued():
    words = " ".join(f"word{i}" for i in range(60))
    page = segment_html(f"<body><noscript><p>{words}</p></noscript></body>")
    assert page.blocks and page.blocks[0].words == 60


ARTICLE = " ".join(["Readers see this story once the page's script has run."] * 8)


def test_a_page_hidden_until_its_script_runs_is_read_when_nothing_else_is_visible():
    page = segment_html(f"<body><div style='visibility:hidden'><main><p>{ARTICLE}</p></main></div></body>")
    assert texts(page) == [ARTICLE]
    assert not page.blocks[0].hidden  # the page's script shows it: not hidden from the reader


def test_a_page_the_parser_swallowed_into_a_menu_button_is_read():
    # A stray <div> left open inside the button: libxml2 ignores </button> and nests the rest of
    # the body in it, where a browser closes the button.
    html = (f"<body><header><button class='menu'><span>Menu</span><div class='inner'><div></button></header>"
            f"<main><p>{ARTICLE}</p></main></body>")
    assert ARTICLE in texts(segment_html(html))


def test_on_a_page_with_visible_text_hidden_content_stays_marked_and_buttons_stay_out():
    html = (f"<body><p>{ARTICLE}</p><div style='visibility:hidden'><p>Loading overlay</p></div>"
            "<button>Subscribe now</button></body>")
    page = segment_html(html)
    assert texts(page) == [ARTICLE, "Loading overlay"]
    assert [b.hidden for b in page.blocks] == [False, True]


def test_an_article_after_a_premature_end_of_page_is_read_as_a_browser_does():
    html = f"<html><body><nav><a href='/'>Home</a></nav></body></html>\n<div class='post'><p>{ARTICLE}</p></div>"
    assert texts(segment_html(html)) == ["Home", ARTICLE]
    # The usual end of a page, even with a comment or white space after it, changes nothing.
    assert texts(segment_html(f"<html><body><p>{ARTICLE}</p></body></html>\n<!-- cached -->\n")) == [ARTICLE]


def test_an_element_that_does_not_belong_in_head_starts_the_body_as_a_browser_does():
    # libxml2 keeps an unknown element met in <head> there, with the rest of the page inside it.
    html = (f"<html><head><title>Story</title><mbox><div><p>{ARTICLE}</p></div></mbox></head>"
            "<body><p>Footer</p></body></html>")
    page = segment_html(html)
    assert texts(page) == [ARTICLE, "Footer"]
    assert page.title_hints == ("Story",)
    # With no <body> at all the same content is read, and scripts and styles left in <head> stay out.
    assert texts(segment_html(f"<html><head><script>var x = 1;</script><csscriptdict><p>{ARTICLE}</p>"
                             "</csscriptdict></head></html>")) == [ARTICLE]


def test_a_self_closed_html_tag_does_not_end_the_page():
    # libxml2 takes "<html ... />" for the whole document; a browser ignores the slash.
    html = f"<html lang='en' /><body><p>{ARTICLE}</p></body></html>"
    assert texts(segment_html(html)) == [ARTICLE]


def test_text_scrape_is_one_block_per_line_with_blank_line_layout():
    page = segment_text("Title\n\nLede line.\nGlued line\n\nBody.")
    assert texts(page) == ["Title", "Lede line.", "Glued line", "Body."]
    assert [(b.blank_before, b.blank_after) for b in page.blocks] == [
        (True, True), (True, False), (False, True), (True, True)]


def test_format_is_sniffed_or_forced():
    assert segment("<p>x</p><p>y</p><div>z</div>").input_format == "html"
    assert segment("<p>x</p>", input_format="text").blocks[0].text == "<p>x</p>"


def test_empty_and_markup_only_pages_give_no_blocks():
    assert segment_html("").blocks == ()
    assert segment_html("<html><body><script>x</script></body></html>").blocks == ()
    assert segment_html("<!-- only a comment -->").blocks == ()  # libxml2 returns no tree at all
    assert segment_text("\n \n").blocks == ()


def test_encoding_declarations_inside_decoded_text_are_ignored():
    page = segment_html('<?xml version="1.0" encoding="junk, words" /><html><body><p>Hà Nội</p></body></html>')
    assert [b.text for b in page.blocks] == ["Hà Nội"]


def test_unrendered_template_placeholders_are_dropped():
    page = segment_html("<body><p>{{ article.kicker }}</p><p>Real {% if x %}text{% endif %} here.</p></body>")
    assert [b.text for b in page.blocks] == ["Real text here."]


def test_sibling_containers_with_the_same_path_are_told_apart():
    page = segment_html("<body><div><p>first</p></div><div><p>second</p></div></body>")
    first, second = page.blocks
    assert first.dom_path == second.dom_path
    assert first.containers[:-2] == second.containers[:-2] and first.containers[-2:] != second.containers[-2:]


def test_react_streamed_segments_are_read_in_the_place_of_their_placeholders():
    # React streaming (Next.js): the story arrives hidden at the end of <body>; a script moves it.
    page = segment_html(
        "<body><h1>Kurban bedelleri belirlendi</h1><template id='B:0'></template><p>Footer links</p>"
        "<div hidden id='S:0'><p>Diyanet İşleri Başkanı bedelleri açıkladı.</p></div> after"
        "<script>$RC('B:0','S:0')</script></body>")
    assert [b.text for b in page.blocks] == [
        "Kurban bedelleri belirlendi", "Diyanet İşleri Başkanı bedelleri açıkladı.", "Footer links", "after"]
    assert not any(b.hidden for b in page.blocks)


def test_other_hidden_elements_stay_marked_hidden():
    page = segment_html("<body><p>Shown.</p><div hidden id='menu'><p>Hidden menu</p></div></body>")
    assert [(b.text, b.hidden) for b in page.blocks] == [("Shown.", False), ("Hidden menu", True)]
