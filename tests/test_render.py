"""Pure rendering helpers: escaping and links."""

import re
from html import unescape

import pytest
from markdown import Markdown

from builder.render.site_pages import count, markdown_inline, md_link


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "[x](javascript:alert(1))",
        "**粗体** _斜体_ `代码`",
        "a | b | c",
        "{ onclick=alert(1) }",
        "# 标题",
    ],
)
def test_inline_values_render_as_literal_text(hostile):
    html = Markdown(extensions=["tables", "attr_list"]).convert(f"值：{markdown_inline(hostile)}")
    for dangerous in ("<script", "<img", "<a ", "<strong", "<em", "<code", 'onclick="', "<h1"):
        assert dangerous not in html
    assert hostile in unescape(re.sub(r"<[^>]+>", "", html)), "shown exactly as written"


def test_count_shows_missing_figures_as_a_dash_not_zero():
    assert count(None) == "—"
    assert count(0) == "0"
    assert count(1901) == "1901"


@pytest.mark.parametrize(
    "target, page, expected",
    [
        ("cities/440300.md", "cities/index.md", "440300.md"),
        ("cities/index.md", "cities/440300.md", "index.md"),
        ("data/index.md", "policies/x.md", "../data/index.md"),
        ("downloads/audit-statistics/targets.csv", "data/index.md", "../downloads/audit-statistics/targets.csv"),
        ("about.md", "index.md", "about.md"),
        ("policies/a.md", "index.md", "policies/a.md"),
    ],
)
def test_relative_link(target, page, expected):
    assert md_link(target, page) == expected
