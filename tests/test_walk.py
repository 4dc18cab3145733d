"""The compiled tree walk (cleaner/_walk.pyx) gives exactly the Python walk's blocks.

The Python walk (``cleaner.segment.python_blocks_of``) is the reference; the compiled one is what
runs wherever it was built (``pip install .`` or ``pip install -e .`` with a C compiler). These
tests compare every field of every block, the derived ones (tokens, token set, counts) included.
They skip where the extension was not built.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import segment as segmentation
from cleaner.api import as_text
from tests.conftest import DATASETS
from tests.test_api import news_page
from tests.test_properties import EXAMPLES, html_documents
from training.twincheck import differing_walks

compiled = segmentation._compiled_walk
needs_compiled = pytest.mark.skipif(compiled is None, reason="cleaner._walk was not built (pip install -e . builds it)")


def assert_same_walks(page: str) -> None:
    assert differing_walks(page) == []


TRICKY_PAGES = {
    "class and id pieces": "<body><div class='articleBody__text col9Md' id='mainContent'><p class='ABCdef xY-z'>"
                           "a</p><p class='café naïveClass 日本 x' id='ÜberBox'>b</p></div></body>",
    "a class piece longer than 64 characters": f"<body><p class='{'a' * 70}B {'Z' * 100}'>long class</p></body>",
    "more class tokens than the chain keeps": "<body>" + "".join(f"<div class='c{i} d{i}'>" for i in range(30))
                                              + "<p>deep</p>" + "</div>" * 30 + "</body>",
    "nesting deeper than the walk's first arrays": "<body>" + "<div>" * 300 + "<p>bottom</p>" + "</div>" * 300
                                                   + "<p>after</p></body>",
    "hidden by attribute, style and aria": "<body><p hidden>h</p><div style='color:red; DISPLAY : NONE'>s</div>"
                                           "<p aria-hidden='true'>a</p><p aria-hidden='false'>f</p>"
                                           "<p>in <span style='visibility:hidden'>x</span>line</p></body>",
    "links and line breaks": "<body><div>one<br>two<br><br>three <a href=1>link <b>words</b></a> "
                             "<a>Ünïcödé línk wörds</a><br><br><br>four</div></body>",
    "skipped elements and their tails": "<body><p>a<script>x</script>b<noscript>n</noscript>c<button>btn</button>d"
                                        "</p><select><option>o</option></select>tail</body>",
    "template residue": "<body><p>{{ title }} real {% if x %} words <%= y %></p></body>",
    "white space and entities": "<body>\n  <p>\n\t&nbsp;</p><p> &amp; \u3000 x\u00a0y </p>\n<p>\x1c</p></body>",
    "text outside any block": "before<p>in</p>between<span>inline</span><p>again</p>after",
    "namespaced attributes": "<html xmlns:fb='x'><body><p xml:lang='en' fb:class='no'>n</p></body></html>",
}


@needs_compiled
@pytest.mark.parametrize("name", sorted(TRICKY_PAGES))
def test_compiled_walk_gives_the_python_walks_blocks(name):
    assert_same_walks(TRICKY_PAGES[name])


@needs_compiled
@pytest.mark.parametrize("article_wrapper", [True, False])
def test_compiled_walk_gives_the_python_walks_blocks_on_a_news_page(article_wrapper):
    assert_same_walks(news_page(article_wrapper))


PAGES_PER_DATASET = 40  # the check over every page of every dataset: python -m training.twincheck


@needs_compiled
@pytest.mark.parametrize("dataset", ["l3s-gn1", "dragnet", "wcxb-dev", "fundus-testdata"])
def test_compiled_walk_gives_the_python_walks_blocks_on_dataset_pages(dataset):
    folder = DATASETS / dataset / "pages"
    if not folder.is_dir():
        pytest.skip(f"{folder} not present (sh ../shared/datasets/unpack.sh)")
    for path in sorted(folder.iterdir())[:PAGES_PER_DATASET]:
        assert_same_walks(as_text(path.read_bytes()))


@needs_compiled
@settings(max_examples=EXAMPLES, deadline=None)
@given(html_documents(), st.sampled_from(["", "<html><body>", "<body><div class='wrapMe'>"]))
def test_compiled_walk_gives_the_python_walks_blocks_on_any_markup(document, opening):
    assert_same_walks(opening + document)
