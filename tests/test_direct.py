"""Pages rendered directly into a shell the site generator built (builder/render/html_pages.py)."""

from __future__ import annotations

import gzip

import pytest

from builder.render import html_pages

SHELL = (
    f'<html><head><title>{html_pages.TITLE} - 站点</title><meta name="description" content="{html_pages.DESCRIPTION}">'
    '<link rel="canonical" href="http://example.org/cases/__page__/"></head><body>'
    f'<header>{html_pages.TITLE}</header><article><p>{html_pages.START}</p><h1>{html_pages.TITLE}</h1><h2 id="a">甲</h2><p>{html_pages.END}</p></article>'
    "<footer>页脚</footer></body></html>"
)
SITEMAP = (
    "<urlset><url><loc>http://example.org/</loc><lastmod>2022-03-24</lastmod></url>"
    "<url><loc>http://example.org/cases/__page__/</loc><lastmod>2022-03-24</lastmod></url></urlset>"
)


def make_site(tmp_path, shell: str = SHELL):
    (tmp_path / "cases" / "__page__").mkdir(parents=True)
    (tmp_path / "cases" / "__page__" / "index.html").write_text(shell, encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text(SITEMAP, encoding="utf-8")
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(SITEMAP.encode()))
    return tmp_path


def case(case_id: str, title: str = "余热回收") -> html_pages.DirectPage:
    return html_pages.DirectPage(
        f"cases/{case_id}.md",
        "cases/__page__.md",
        title,
        '简介 "引号"',
        f'<h1>{title}</h1><h2 id="a">甲</h2><p>{case_id} 正文</p>',
    )


def test_each_page_is_its_shell_with_its_own_title_address_and_article(tmp_path):
    site = make_site(tmp_path)
    html_pages.write_pages(site, [case("TC-001", "<b>余热</b> & 回收"), case("TC-002")])
    first = (site / "cases" / "TC-001" / "index.html").read_text(encoding="utf-8")
    assert "<title>&lt;b&gt;余热&lt;/b&gt; &amp; 回收 - 站点</title>" in first, "titles are escaped"
    assert 'content="简介 &quot;引号&quot;"' in first
    assert 'href="http://example.org/cases/TC-001/"' in first
    assert "TC-001 正文" in first and html_pages.START not in first and html_pages.END not in first
    assert "<footer>页脚</footer>" in first
    assert not (site / "cases" / "__page__").exists(), "the shell is not published"


def test_the_sitemap_lists_the_pages_instead_of_the_shell(tmp_path):
    site = make_site(tmp_path)
    html_pages.write_pages(site, [case("TC-001"), case("TC-002")])
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "__page__" not in sitemap
    assert sitemap.count("<loc>http://example.org/cases/TC-00") == 2
    assert "<loc>http://example.org/</loc>" in sitemap
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode() == sitemap


def test_a_shell_without_its_markers_is_refused(tmp_path):
    site = make_site(tmp_path, SHELL.replace(html_pages.END, "其他"))
    with pytest.raises(html_pages.ShellError, match="GD-DIRECT-END"):
        html_pages.write_pages(site, [case("TC-001")])


def test_a_direct_page_never_replaces_a_generated_page(tmp_path):
    site = make_site(tmp_path)
    (site / "cases" / "TC-001").mkdir()
    (site / "cases" / "TC-001" / "index.html").write_text("生成器的页面", encoding="utf-8")
    with pytest.raises(FileExistsError):
        html_pages.write_pages(site, [case("TC-001")])


def test_the_shell_markdown_carries_the_headings_with_their_ids():
    text = html_pages.shell_markdown([("principle", "技术原理"), ("process", "工艺")])
    assert "## 技术原理 {#principle}" in text and "## 工艺 {#process}" in text
    assert text.index(html_pages.START) < text.index("# " + html_pages.TITLE) < text.index(html_pages.END)
