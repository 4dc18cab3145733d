from cleaner.headline import body_lines, headline_above_body
from cleaner.segment import segment_text

BODY = [
    "The city council approved the new harbour budget on Tuesday after a long debate in the chamber.",
    "Members of the council said the harbour had waited ten years for the repairs it now gets.",
    "Work on the harbour walls starts in spring and should end before the next budget year.",
]


def lines(*text: str):
    return segment_text("\n\n".join(text)).blocks


def test_a_scraped_page_finds_its_headline_under_the_menu_and_above_the_byline():
    blocks = lines("Home", "World news and local sport", "Contact the newsroom today",
                   "Council approves the harbour budget", "By Ann Lee, 3 May 2025", "Share this story",
                   *BODY, "Related: Ten cheap things to do in the city this weekend")
    assert body_lines(blocks) == [6, 7, 8]
    assert blocks[headline_above_body(blocks)].text == "Council approves the harbour budget"
    assert segment_text("\n\n".join(b.text for b in blocks)).headline == 3


def test_a_standfirst_under_the_headline_is_not_taken_for_it():
    blocks = lines("Menu", "Council approves the harbour budget",
                   "The vote ends ten years of waiting for harbour repairs in the city.", *BODY)
    assert headline_above_body(blocks) == 1


def test_without_a_body_the_first_early_line_the_page_repeats_is_the_headline():
    page = segment_text("Menu\n\nA short note on the harbour\n\nOpen today.\n\nA short note on the harbour")
    assert body_lines(page.blocks) == []
    assert page.headline == 1


def test_a_body_starting_the_page_leaves_the_headline_to_the_early_lines():
    page = segment_text("\n\n".join(BODY))
    assert headline_above_body(page.blocks) is None
    assert page.headline == 0  # the first line of three or more words


COMMENTS = [
    "I have lived by the harbour for forty years and these repairs are long overdue, thank you.",
    "The council should have spent this money on the schools instead of the old harbour walls.",
    "Ten years of waiting is too long for any town, and the walls were falling into the sea.",
    "My father worked on those walls in the sixties, and he would be glad to see them repaired.",
    "Who will pay for the repairs when the budget runs out next year, and what happens then?",
]


def test_a_comment_thread_longer_than_the_post_does_not_take_the_headline():
    thread = [line for i, text in enumerate(COMMENTS) for line in (f"Reader {i} wrote on 3 May 2025", text)]
    blocks = lines("Home", "Council approves the harbour budget", "By Ann Lee, 3 May 2025", *BODY,
                   "Share", "Tweet", "Email", "Print", "Tags: harbour, council", "Previous post", "Next post",
                   "Related posts", "Ten cheap things to do", "The best harbour walks", "5 Comments",
                   "Leave a reply", *thread)
    assert body_lines(blocks) == [3, 4, 5]  # the post, though the thread after it holds more prose
    assert blocks[headline_above_body(blocks)].text == "Council approves the harbour budget"


def test_a_lone_sentence_above_the_article_is_not_its_body():
    blocks = lines("The harbour news site for the whole coast, written by people who live there.",
                   "Menu", "Sport", "Weather", "Events", "Council approves the harbour budget", *BODY, *COMMENTS)
    assert body_lines(blocks) == list(range(6, 14))  # a run under a fifth of the longest is skipped
    assert blocks[headline_above_body(blocks)].text == "Council approves the harbour budget"
