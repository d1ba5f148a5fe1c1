"""The site's search index, in two files so that the first results need only the small one.

In: the pages the site generator built (their HTML) and the pages rendered directly (their data).
Out: search/pages.json — per page its address, title, summary (and weight, if not 1; its identifiers such as a
document number in "keys"), which is what the search box
downloads before it shows results — and search/text.json — the text of every page's sections,
fetched after the first results to find words deeper in the pages. docs/assets/search.js reads
both; it matches substrings of folded text (builder/publish/search_terms.py: traditional → simplified,
width, case, punctuation), and pages.json also carries what the folding and the splitting of an
unspaced query need: the character pairs, the groups of synonymous terms, the words of the titles.

Parts of a page marked `data-search-exclude` (sample banners, lists of other pages) are left out.
A page that shows a sample package's records (it carries a sample banner, `data-sample-package`) is
listed in both files' `sample` (page numbers), and search.js labels its results with `sample_label`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from builder import layout
from builder.data.sample_mark import SAMPLE_LABEL
from builder.publish import search_terms
from builder.render.html_pages import SAMPLE_ATTRIBUTE, DirectPage, SearchSection

PAGES_JSON = "search/pages.json"
TEXT_JSON = "search/text.json"
FORMAT_VERSION = 2
SUMMARY_CHARS = 120
SKIPPED_TAGS = {"script", "style", "svg", "template", "noscript"}
# Elements whose boundaries separate words (table cells, list items, blocks).
SEPARATING_TAGS = {"p", "div", "li", "td", "th", "tr", "br", "dt", "dd", "caption", "figcaption", "section"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Section headings a search result can point into.
SECTION_TAGS = {"h2", "h3"}
# The label of a result on a page showing sample records: "含" because a city page, say, also shows official figures.
SAMPLE_RESULT_LABEL = f"含{SAMPLE_LABEL}"


@dataclass
class SearchDocument:
    url: str  # site-relative, e.g. "cases/TC-001/"
    title: str
    summary: str = ""
    sections: list[SearchSection] = field(default_factory=list)
    boost: float = 1.0  # front matter search.boost: full-text documents rank above pages that mention a term
    sample: bool = False  # the page shows records of a sample package
    keys: str = ""  # front matter search.identifier: the page's document number, ranked above its title


class _PageText(HTMLParser):
    """Title, description and per-section text of one page built by the theme (inside <article>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.description = ""
        self.boost = 1.0
        self.keys = ""
        self.sample = False
        self.title: list[str] = []
        self.first_paragraph: list[str] = []
        self.sections: list[tuple[str, list[str], list[str]]] = [("", [], [])]  # anchor, heading, text
        self._in_article = False
        self._skip = 0  # depth inside an element left out of the index
        self._heading: str | None = None  # the tag of the heading being read
        self._paragraph = 0  # 1 while reading the first paragraph, 2 after it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name") == "description":
            self.description = attributes.get("content") or ""
        if tag == "meta" and attributes.get("name") == "gd-search-boost":
            self.boost = float(attributes.get("content") or 1)
        if tag == "meta" and attributes.get("name") == "gd-search-keys":
            self.keys = attributes.get("content") or ""
        if tag == "article":
            self._in_article = True
        if self._in_article and SAMPLE_ATTRIBUTE in attributes:
            self.sample = True  # the banner itself is left out of the text, not out of this flag
        self._separate(tag)
        if not self._in_article or tag in VOID_TAGS:
            return
        if self._skip:
            self._skip += 1
        elif tag in SKIPPED_TAGS or "data-search-exclude" in attributes:
            self._skip = 1
        elif tag == "h1":
            self._heading = tag
        elif tag in SECTION_TAGS and (anchor := attributes.get("id")):
            self._heading = tag
            self.sections.append((anchor, [], []))
        elif tag == "p" and self._paragraph == 0:
            self._paragraph = 1

    def _separate(self, tag: str) -> None:
        """A space at block and cell boundaries, so that "甲</td><td>乙" does not read as one word."""
        if tag in SEPARATING_TAGS and self._in_article and not self._skip:
            self.sections[-1][2].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._in_article = False
        self._separate(tag)
        if not self._in_article or tag in VOID_TAGS:
            return
        if self._skip:
            self._skip -= 1
        elif tag == self._heading:
            self._heading = None
        elif tag == "p" and self._paragraph == 1:
            self._paragraph = 2

    def handle_data(self, data: str) -> None:
        if not self._in_article or self._skip:
            return
        if self._heading == "h1":
            self.title.append(data)
        elif self._heading:
            self.sections[-1][1].append(data)
        else:
            self.sections[-1][2].append(data)
            if self._paragraph == 1:
                self.first_paragraph.append(data)


def _squeeze(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def _summary(text: str) -> str:
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS].rstrip() + "…"


def document_from_html(url: str, html: str, site_description: str = "") -> SearchDocument:
    parser = _PageText()
    parser.feed(html)
    parser.close()
    summary = parser.description if parser.description and parser.description != site_description else ""
    sections = [SearchSection(anchor, _squeeze(heading), _squeeze(text)) for anchor, heading, text in parser.sections]
    return SearchDocument(
        url,
        _squeeze(parser.title),
        _summary(summary or _squeeze(parser.first_paragraph)),
        [s for s in sections if s.heading or s.text],
        parser.boost,
        parser.sample,
        parser.keys,
    )


def document_from_direct(page: DirectPage) -> SearchDocument:
    return SearchDocument(layout.page_url(page.path), page.title, page.summary, list(page.sections), sample=page.sample)


def generator_documents(site: Path, skip_urls: set[str], site_description: str = "") -> list[SearchDocument]:
    """Every page the site generator built, except the 404 page and the given addresses."""
    documents = []
    for path in sorted(site.rglob("index.html")):
        url = path.parent.relative_to(site).as_posix()
        url = "" if url == "." else url + "/"
        if url in skip_urls:
            continue
        documents.append(document_from_html(url, path.read_text(encoding="utf-8"), site_description))
    return documents


def _order(document: SearchDocument) -> tuple:
    """Sections in the order of the site's tabs, then by address: search.js ranks ties in this order."""
    section = document.url.split("/", 1)[0]
    return (
        layout.SEARCH_SECTIONS.index(section) if section in layout.SEARCH_SECTIONS else len(layout.SEARCH_SECTIONS),
        document.url,
    )


def _index_text(documents: list[SearchDocument]) -> str:
    return "".join(d.title + d.summary + "".join(s.heading + s.text for s in d.sections) for d in documents)


def index_files(documents: list[SearchDocument], data_dir: Path | None = None) -> dict[str, bytes]:
    """The two files; with the data folder, pages.json also names the reference data's terms."""
    documents = sorted(documents, key=_order)
    # Both files name the pages showing sample records, so that neither is passed on without the mark.
    sample = {"sample": [number for number, d in enumerate(documents) if d.sample], "sample_label": SAMPLE_RESULT_LABEL}
    keys = {"keys": {str(number): d.keys for number, d in enumerate(documents) if d.keys}}
    pages = {
        "version": FORMAT_VERSION,
        "sections": layout.SECTION_TITLES,
        "pages": [[d.url, d.title, d.summary] + ([d.boost] if d.boost != 1 else []) for d in documents],
        **sample,
        **keys,
        **search_terms.browser_data(
            _index_text(documents),
            [d.title for d in documents],
            data_dir,
            {d.url: number for number, d in enumerate(documents)},
        ),
    }
    text = {
        "version": FORMAT_VERSION,
        "sections": [[number, s.anchor, s.heading, s.text] for number, d in enumerate(documents) for s in d.sections],
        **sample,
    }

    def encode(document: dict) -> bytes:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    return {PAGES_JSON: encode(pages), TEXT_JSON: encode(text)}


def write_index(
    site: Path, generated: list[SearchDocument], direct_pages: list[DirectPage], data_dir: Path | None = None
) -> list[Path]:
    files = index_files(generated + [document_from_direct(page) for page in direct_pages], data_dir)
    written = []
    for name, data in files.items():
        target = site / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written
