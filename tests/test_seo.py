"""What search engines and feed readers read (issue 15, point 9): robots.txt names the sitemap at the
site's own address, every page has a description of its own, and every page announces the two feeds."""

from __future__ import annotations

import html
import posixpath
import re
import urllib.robotparser
from collections import Counter
from pathlib import Path

from helpers import SITE_PORT

SITE_URL = f"http://127.0.0.1:{SITE_PORT}/"  # the address the session's site is built for (conftest)
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)"')


def pages(site: Path) -> dict[str, str]:
    """Every page's address (relative to the site) and HTML; the 404 page is no address."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        if path.name == "404.html" and path.parent == site:
            continue
        found[path.relative_to(site).as_posix()] = path.read_text(encoding="utf-8")
    return found


def test_robots_txt_lets_every_page_be_crawled_and_names_the_sitemap(built_site: Path):
    text = (built_site / "robots.txt").read_text(encoding="utf-8")
    sitemaps = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.lower().startswith("sitemap:")]
    # The build's own address, not the local-preview default: the sitemap line follows SITE_URL.
    assert sitemaps == [SITE_URL + "sitemap.xml"], text
    assert (built_site / "sitemap.xml").is_file()
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(text.splitlines())
    blocked = [p for p in pages(built_site) if not robots.can_fetch("Baiduspider", SITE_URL + p)]
    assert not blocked, blocked[:5]
    assert not re.search(r"[{}%]\s", text), "template syntax left in robots.txt"


def test_every_page_has_a_description_of_its_own(built_site: Path):
    site_default = (
        re.search(r"^site_description:\s*(.+)$", (built_site.parent / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
        .group(1)
        .strip()
    )
    descriptions = {}
    for address, text in pages(built_site).items():
        found = DESCRIPTION.findall(text)
        assert len(found) == 1, (address, found)
        descriptions[address] = html.unescape(found[0])
    assert len(descriptions) > 150
    generic = [a for a, d in descriptions.items() if d == site_default]
    assert not generic, f"{len(generic)} pages carry only the site's description: {generic[:8]}"
    shared = {d: n for d, n in Counter(descriptions.values()).items() if n > 1}
    assert not shared, {d: [a for a, x in descriptions.items() if x == d][:4] for d in shared}
    for address, text in descriptions.items():
        # Written for people: no template or markup left in, no doubled escaping, not a whole page.
        assert 15 <= len(text) <= 170, (address, len(text), text)
        assert not re.search(r"[<>{}]|&\w+;", text), (address, text)


def test_pages_with_sample_data_say_so_in_their_description(built_site: Path):
    """A description is what a search engine shows: sample data is marked there too."""
    site = pages(built_site)
    for address in ("enterprises/index.html", "cases/index.html", "sectors/index.html", "data/enterprises/index.html"):
        assert "示例数据" in html.unescape(DESCRIPTION.search(site[address]).group(1)), address


def test_every_page_announces_the_feeds(built_site: Path):
    """Feed autodiscovery: inside <noscript> in the head (overrides/main.html says why), which parsers
    without scripting, as feed readers are, read as links."""
    feeds = {"data/releases.xml", "policies/feed.xml"}
    for name in feeds:
        assert (built_site / name).is_file(), name
    for address, text in pages(built_site).items():
        head = text.split("</head>", 1)[0]
        links = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', head)
        resolved = {posixpath.normpath(posixpath.join(posixpath.dirname(address), href)) for href in links}
        assert resolved == feeds, (address, links)
        assert "<noscript>" in head  # not seen by the theme's script, which would fetch a sitemap beside each
