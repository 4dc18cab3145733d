"""Site template memory: what a site's labelled pages say about a block's place and its line."""
import numpy as np

from cleaner.features import featurize
from cleaner.segment import segment_html
from cleaner.template import TEMPLATE_COLUMN_NAMES, TemplateMemory, leave_one_page_out_columns, template_columns


def site_page(story: str) -> str:
    return (f"<body><div class='story'><p>{story}</p></div>"
            "<div class='more'><p>Tin khác: giá vàng hôm nay tăng mạnh.</p></div></body>")


def columns(X: np.ndarray, memory: TemplateMemory) -> dict[str, list[float]]:
    table = template_columns(X, memory)
    return {name: table[:, j].round(3).tolist() for j, name in enumerate(TEMPLATE_COLUMN_NAMES)}


def test_a_new_page_of_the_site_inherits_what_its_places_and_recurring_lines_were():
    labelled = featurize(segment_html(site_page("Hội đồng thành phố đã thông qua ngân sách mới vào thứ Hai.")))
    memory = TemplateMemory.learn(labelled, y=np.array([True, False]), weights=np.array([12.0, 8.0]))
    new_page = featurize(segment_html(site_page("Mưa lớn kéo dài khiến nhiều tuyến phố ngập sâu trong nước.")))
    seen = columns(new_page, memory)
    # The story's place was content; its text is new, so its line is unseen (share -1, count 0).
    assert seen["place_content_share"] == [1.0, 0.0]
    assert seen["line_content_share"] == [-1.0, 0.0]  # the teaser line recurs word for word: noise
    assert seen["line_log_count"][0] == 0.0 and seen["line_log_count"][1] > 0


def test_each_page_gets_the_columns_a_memory_of_the_other_pages_gives_it():
    stories = ["Hội đồng thành phố đã thông qua ngân sách mới.", "Mưa lớn khiến nhiều tuyến phố ngập.",
               "Giá xăng giảm lần thứ ba trong tháng."]
    pages = [featurize(segment_html(site_page(story))) for story in stories]
    X = np.vstack(pages)
    owner = np.repeat(np.arange(3), [len(p) for p in pages])
    y = np.tile([True, False], 3)
    weights = np.linspace(1.0, 3.0, len(X))  # unequal weights, so a wrong subtraction would show
    together = leave_one_page_out_columns(X, y, weights, owner)
    for page in range(3):
        held = owner == page
        one_by_one = template_columns(X[held], TemplateMemory.learn(X[~held], y[~held], weights[~held]))
        np.testing.assert_allclose(together[held], one_by_one, rtol=1e-12)
    # A single labelled page has no other pages: nothing is remembered.
    alone = leave_one_page_out_columns(pages[0], y[:2], weights[:2], np.zeros(2, dtype=int))
    assert alone[:, 0].tolist() == [-1.0, -1.0] and alone[:, 1].tolist() == [0.0, 0.0]


def test_an_empty_memory_knows_nothing():
    X = featurize(segment_html(site_page("Một câu văn bình thường của bài báo.")))
    assert columns(X, TemplateMemory.empty()) == {
        "place_content_share": [-1.0, -1.0], "place_log_count": [0.0, 0.0],
        "line_content_share": [-1.0, -1.0], "line_log_count": [0.0, 0.0]}


def test_an_adapter_fitted_on_the_seeds_remembers_their_recurring_boilerplate_lines(seed_dirs):
    from sklearn.dummy import DummyClassifier

    from cleaner.template import TemplateAdapted, line_keys
    from training.adapt import fit_adapter
    from training.corpus import label_pages, stack
    from training.data import read_source

    pages = label_pages(read_source(seed_dirs[0].parent), n_jobs=1)[:3]
    know_nothing = DummyClassifier(strategy="prior").fit(np.zeros((2, 1)), [0, 1])
    adapted = fit_adapter(know_nothing, pages)
    assert isinstance(adapted, TemplateAdapted)
    # Lines printed on all three pages (menus, "Tin khác" teasers) are remembered, almost all as noise.
    X, _, _, owner = stack(pages)
    on_every_page = set.intersection(*(set(line_keys(X[owner == i])) for i in range(3)))
    shares = [adapted.memory.line[key][0] / adapted.memory.line[key][1] for key in on_every_page]
    assert len(shares) >= 3 and sum(share == 0 for share in shares) > len(shares) / 2

