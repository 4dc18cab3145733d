from cleaner.segment import segment_text
from training.labels import aligned_fraction, block_labels


def test_caption_is_matched_rather_than_the_alt_text_that_prefixes_it():
    # The seeds repeat the headline as image alt text right before a caption that starts the same way.
    page = segment_text("Headline of the story here\n\nBody one.\n\nHeadline of the story here\n"
                        "Headline of the story here signed today\n\nBody two.")
    gold = "Headline of the story here\n\nBody one.\n\nHeadline of the story here signed today\n\nBody two."
    assert block_labels(page, gold).tolist() == [True, True, False, True, True]


def test_partial_overlap_gives_a_fraction():
    page = segment_text("alpha beta gamma delta")
    assert aligned_fraction(page, "alpha beta").tolist() == [0.5]
