"""The compiled tokens (cleaner/_text.pyx) and per-block facts (cleaner/_features.pyx) equal their
Python twins exactly; the walk has its own tests (test_walk.py), the trees theirs (test_trees.py).

The Python versions are the reference; the compiled ones are what runs wherever they were built.
These tests skip where they were not.
"""
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import features
from cleaner.compiled import COMPILED_MODULES, compiled_module
from cleaner.document import Block, Page, python_derived_fields
from cleaner.lexicon import WEIGHT_STEP
from cleaner.segment import segment
from cleaner.text import python_tokens
from tests.conftest import DATASETS
from tests.test_api import news_page
from tests.test_properties import EXAMPLES
from tests.test_walk import TRICKY_PAGES
from training.render import render_text
from training.twincheck import differing_facts, differing_tokens, lexical_stats_differ

text_module = compiled_module("_text")
needs_text = pytest.mark.skipif(text_module is None, reason="cleaner._text was not built (pip install -e . builds it)")
needs_facts = pytest.mark.skipif(features._compiled_facts is None,
                                 reason="cleaner._features was not built (pip install -e . builds it)")

TRICKY_TEXTS = [
    "", " ", "Plain ASCII words, digits 2024 and under_scores.", "UPPER lower MiXeD",
    "Tiếng Việt có dấu: Đường phố Hà Nội", "東京タワーは333メートル・高さ", "ภาษาไทยไม่มีช่องว่าง ๆ ฿100",
    "ພາສາລາວ", "မြန်မာ", "ភាសាខ្មែរ", "İstanbul ǅemal ß ﬁ", "Ⅻ ² ½ ٣ ໒", "emoji 😀 and 𝐁𝐨𝐥𝐝 𝟏𝟐",
    "tab\tnew\nline\u00a0nbsp\u3000ideographic\u2028sep", "a\x00b\x1cc", "©2024 (C) (c) Corp",
    "mixed東京and English", "x" * 5000,
]


@needs_text
@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_compiled_tokens_are_the_regex_tokens(text):
    assert text_module.tokens(text) == python_tokens(text)
    assert text_module.derived_fields(text) == python_derived_fields(text)


@needs_text
@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
       | st.text(alphabet="aZ9_ ,.-Đđệ東タก\u0e46\u30fb\u0307İ\t\n\u00a0😀", max_size=60))
def test_compiled_tokens_are_the_regex_tokens_on_any_text(text):
    assert text_module.derived_fields(text) == python_derived_fields(text)


def pages_of(html: str) -> list[Page]:
    return [segment(html, "html"), segment(render_text(html), "text")]


@needs_facts
@pytest.mark.parametrize("name", sorted(TRICKY_PAGES))
def test_compiled_facts_are_the_python_facts(name):
    for page in pages_of(TRICKY_PAGES[name]):
        assert differing_facts(page) == []


@needs_facts
def test_compiled_facts_are_the_python_facts_on_a_news_page_and_odd_blocks():
    for page in pages_of(news_page(True)):
        assert differing_facts(page) == []
    odd = Page(blocks=tuple(Block(text=t, tag=tag, dom_path=path, class_tokens=classes, containers=chain)
                            for t, tag, path, classes, chain in [
                                ("", "p", "html/body/p", (), ()),
                                ("   ", "li", "html/body/ul/li", ("menu",), (1, 2)),
                                ("Tiêu đề bài báo (c) 2024", "h1", "html/body/article/h1", ("title",), (1, 3)),
                                ("Tiêu đề bài báo", "p", "html/body/article/p", ("title",), (1, 3)),
                                ("😀 astral 𝐁 end!", "div", "html/body/div", ("commentList",), (1,)),
                                ("(C) 2024 Báo Mới", "div", "html/body/footer/div", ("footer",), (1, 4)),
                                ("", "p", "html/body/p", (), ()),
                            ]), input_format="html", title_hints=("Tiêu đề bài báo",))
    assert differing_facts(odd) == []


block_texts = st.text(alphabet="aZ9 ,.!?:;|»/\"'”)(cC©東Đệ😀\u00a0\t", max_size=30)


@needs_facts
@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(st.lists(st.tuples(block_texts, st.sampled_from(["p", "h1", "li", "div"]),
                          st.sampled_from(["html/body", "html/body/nav/ul", "html/body/article"]),
                          st.sampled_from([(), ("comment", "list"), ("articleBody",), ("nav", "menu", "x")]),
                          st.lists(st.integers(1, 6), max_size=4)), min_size=1, max_size=12),
       st.sampled_from(["html", "text"]), st.lists(block_texts, max_size=2))
def test_compiled_facts_are_the_python_facts_on_any_blocks(rows, input_format, title_hints):
    blocks = tuple(Block(text=text, tag=tag, dom_path=path, class_tokens=classes, containers=tuple(chain))
                   for text, tag, path, classes, chain in rows)
    assert differing_facts(Page(blocks=blocks, input_format=input_format, title_hints=tuple(title_hints))) == []


@needs_facts
@pytest.mark.parametrize("dataset", ["l3s-gn1", "fundus-testdata"])
def test_compiled_facts_and_tokens_on_dataset_pages(dataset):
    folder = DATASETS / dataset / "pages"
    if not folder.is_dir():
        pytest.skip(f"{folder} not present (sh ../shared/datasets/unpack.sh)")
    for path in sorted(folder.iterdir())[:20]:
        for page in pages_of(path.read_bytes().decode("utf-8", errors="replace")):
            assert differing_facts(page) == []
            assert differing_tokens(page) == []


@needs_facts
@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(st.lists(block_texts, min_size=1, max_size=12), st.sampled_from(["html", "text"]),
       st.lists(st.integers(-20_000, 20_000), min_size=1, max_size=8))
def test_compiled_lexical_stats_are_the_python_ones_on_any_blocks(texts, input_format, steps):
    page = Page(blocks=tuple(Block(text=text, tag="p") for text in texts), input_format=input_format)
    # Weights on the lexicon's step, as fit_lexicon writes them, for every other token of the page
    # (the rest are unknown and weigh 0).
    known = sorted({token for block in page.blocks for token in block.tokens})[::2]
    weights = {token: steps[i % len(steps)] * WEIGHT_STEP for i, token in enumerate(known)}
    assert not lexical_stats_differ(page, weights)


@needs_facts
def test_compiled_lexical_stats_are_the_python_ones_with_the_shipped_lexicon():
    from cleaner.model import load_model

    weights = dict(load_model().lexicon.weights)
    for page in pages_of(news_page(True)):
        assert not lexical_stats_differ(page, weights)


WIRING = ("import cleaner.document as d, cleaner.features as f, cleaner.lexicon as lx, cleaner.segment as s, "
          "cleaner.text as t, cleaner.trees as tr; print(s._compiled_walk is None, t.tokens is t.python_tokens, "
          "d.derived_fields is d.python_derived_fields, f._compiled_facts is None, lx._compiled is None, "
          "tr._trees is None)")


def test_pure_python_runs_every_twin():
    env = {"CLEANER_PURE_PYTHON": "1", "PATH": ""}
    out = subprocess.run([sys.executable, "-c", WIRING], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True"] * 6


@pytest.mark.skipif(any(compiled_module(name) is None for name in COMPILED_MODULES), reason="not all parts built")
def test_every_compiled_part_runs_where_it_was_built():
    out = subprocess.run([sys.executable, "-c", WIRING], env={"PATH": ""}, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"] * 6


@pytest.mark.skipif(any(compiled_module(name) is None for name in COMPILED_MODULES), reason="not all parts built")
def test_features_are_the_same_with_and_without_the_compiled_parts():
    page = news_page(True)
    code = ("import sys, numpy; from cleaner.segment import segment; from cleaner.features import featurize; "
            "from cleaner.model import load_model; "
            "sys.stdout.buffer.write(featurize(segment(sys.stdin.read()), load_model().lexicon).tobytes())")
    outs = [subprocess.run([sys.executable, "-c", code], input=page.encode(), env=env, capture_output=True,
                           check=True).stdout for env in ({"CLEANER_PURE_PYTHON": "1"}, {})]
    assert outs[0] == outs[1]
    assert np.frombuffer(outs[0], dtype=np.float32).size > 0
