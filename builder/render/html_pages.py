"""Pages rendered directly, not by the site generator: a thousand case pages cost MkDocs seconds.

In: the site the generator built, holding one *shell* page per kind of direct page, and the direct
pages (title, description, article HTML) the render stage made. Out: one HTML file per direct page,
each its shell with the title, description, canonical address and article filled in; the shells are
removed and the sitemap lists the direct pages in their place.

A shell is a generated Markdown page whose front-matter title and description are markers and whose
content is a start marker, the title as h1, the headings every page of its kind carries (so the
theme builds the table of contents), and an end marker. Everything between the markers is replaced
by the page's own article, which must carry the same heading ids. Direct pages sit at the same
depth as their shell, so every relative link of the theme (assets, tabs, navigation) stays right.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from builder import layout

TITLE = "GD-DIRECT-TITLE"
DESCRIPTION = "GD-DIRECT-DESCRIPTION"
ITEM = "GD-DIRECT-ITEM"  # the record a page shows, named by its 纠错 link (front matter feedback.item)
START = "GD-DIRECT-START"
END = "GD-DIRECT-END"
SHELL_SLUG = "__page__"
# The attribute of a sample banner (templates/_sample.md.j2): a page carrying one shows sample records.
SAMPLE_ATTRIBUTE = "data-sample-package"


class ShellError(Exception):
    """The generator's output for a shell is not what the direct pages can be filled into."""


@dataclass(frozen=True)
class SearchSection:
    anchor: str
    heading: str
    text: str


@dataclass(frozen=True)
class DirectPage:
    path: str  # docs-relative, as if it were Markdown: "cases/TC-001.md"
    shell: str  # the shell's docs-relative path: "cases/__page__.md"
    title: str
    description: str
    article: str  # the HTML between the shell's markers
    summary: str = ""
    sections: tuple[SearchSection, ...] = field(default=())
    item: str = ""  # the record shown, for the 纠错 link (e.g. "TC-001")

    @property
    def sample(self) -> bool:
        """Whether the page shows a sample package's records: its article carries a sample banner."""
        return f"{SAMPLE_ATTRIBUTE}=" in self.article


def shell_path(folder: str) -> str:
    return f"{folder}/{SHELL_SLUG}.md"


def shell_markdown(headings: list[tuple[str, str]], dataset: str | None = None, version: str | None = None) -> str:
    """The shell's Markdown: markers, the h1 and the headings (id, text) the table of contents lists.

    With a dataset, the footer's 纠错 link names it, its version and each page's record (the item
    marker); `inline: false` keeps the per-table 纠错 script off these pages, whose one record is the page."""
    lines = ["---", f"title: {TITLE}", f"description: {DESCRIPTION}"]
    if dataset:
        lines.append("feedback: " + json.dumps({"dataset": dataset, "version": version, "item": ITEM, "inline": False}))
    lines += ["---", START, "", f"# {TITLE}", ""]
    for anchor, text in headings:
        lines += [f"## {text} {{#{anchor}}}", ""]
    return "\n".join(lines + [END, ""])


@dataclass(frozen=True)
class Shell:
    before: str  # up to the article, with the title and description markers
    after: str
    url: str  # the shell's own site-relative URL, which each page's replaces

    def fill(self, page: DirectPage) -> str:
        title = html.escape(page.title, quote=False)
        description = html.escape(page.description, quote=True)
        page_url = layout.page_url(page.path)
        parts = []
        for chunk in (self.before, self.after):
            chunk = (
                chunk.replace(self.url, page_url)
                .replace(DESCRIPTION, description)
                .replace(TITLE, title)
                .replace(ITEM, urllib.parse.quote(page.item))
            )
            parts.append(chunk)
        return parts[0] + page.article + parts[1]


_START = re.compile(rf"<p>{START}</p>")
_END = re.compile(rf"<p>{END}</p>")


def read_shell(site: Path, shell: str) -> Shell:
    url = layout.page_url(shell)
    source = site / url / "index.html"
    if not source.is_file():
        raise ShellError(f"站点生成器没有输出外壳页面 {url}")
    text = source.read_text(encoding="utf-8")
    start, end = _START.search(text), _END.search(text)
    if not start or not end or end.start() < start.end():
        raise ShellError(f"外壳页面 {url} 缺少内容标记 {START} / {END}")
    return Shell(text[: start.start()], text[end.end() :], url)


def write_pages(site: Path, pages: list[DirectPage]) -> list[Path]:
    """Fill every direct page into its shell, then remove the shells from the site and its sitemap."""
    shells = {name: read_shell(site, name) for name in sorted({page.shell for page in pages})}
    written = []
    for page in pages:
        target = site / layout.page_url(page.path) / "index.html"
        if target.exists():
            raise FileExistsError(f"直接生成的页面 {layout.page_url(page.path)} 与站点生成器的页面同名")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(shells[page.shell].fill(page), encoding="utf-8")
        written.append(target)
    for name in shells:
        shell_file = site / layout.page_url(name) / "index.html"
        shell_file.unlink()
        shell_file.parent.rmdir()
    rewrite_sitemap(site, {layout.page_url(name) for name in shells}, [layout.page_url(p.path) for p in pages])
    return written


_URL_ENTRY = re.compile(r"\s*<url>\s*<loc>(?P<loc>[^<]*)</loc>(?P<rest>.*?)</url>", re.S)


def rewrite_sitemap(site: Path, shell_urls: set[str], page_urls: list[str]) -> None:
    """Each shell's <url> entry becomes one entry per direct page (same lastmod); sitemap.xml.gz too."""
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = sitemap.read_text(encoding="utf-8")
    by_folder: dict[str, list[str]] = {}
    for url in page_urls:
        by_folder.setdefault(url.rsplit("/", 2)[0], []).append(url)

    def expand(match: re.Match) -> str:
        loc = match.group("loc")
        shell = next((url for url in shell_urls if loc.endswith("/" + url)), None)
        if shell is None:
            return match.group(0)
        base = loc[: -len(shell)]
        return "".join(match.group(0).replace(loc, base + url) for url in by_folder.get(shell.rsplit("/", 2)[0], []))

    text = _URL_ENTRY.sub(expand, text)
    sitemap.write_text(text, encoding="utf-8")
    compressed = site / "sitemap.xml.gz"
    if compressed.exists():
        # mtime 0: the same sitemap gives the same bytes.
        compressed.write_bytes(gzip.compress(text.encode("utf-8"), 9, mtime=0))
