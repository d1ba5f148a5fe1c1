"""Versions and alerts: every release listed with its date, changelog and files; an index page in each
download folder; changelog headings in Chinese; Atom feeds of data releases and of policies, discoverable."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pandas as pd
import pytest

from builder.settings import PROJECT_ROOT
from helpers import DATA

PACKAGES = {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in DATA.glob("*/datapackage.json")}
ATOM = "{http://www.w3.org/2005/Atom}"


def releases_of(package: str) -> list[tuple[str, str]]:
    """(version, release date) of the current release and every kept one."""
    found = {PACKAGES[package]["version"]: PACKAGES[package]["x-releaseDate"]}
    for path in (PROJECT_ROOT / "releases" / package).glob("*/datapackage.json"):
        found.setdefault(path.parent.name, json.loads(path.read_text(encoding="utf-8")).get("x-releaseDate", ""))
    return sorted(found.items())


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_the_dataset_page_lists_every_release_with_date_changelog_and_files(built_site, package):
    html = (built_site / "data" / package / "index.html").read_text(encoding="utf-8")
    table = re.search(rf'<table data-releases="{package}">.*?</table>', html, re.S).group(0)
    rows = re.findall(r'<tr data-version="([^"]+)">(.*?)</tr>', table, re.S)
    assert sorted((v, re.search(r"<td>([^<]*)</td>", row).group(1)) for v, row in rows) == releases_of(package)
    for version, row in rows:
        for name in (f"{version}/{package}.zip", f"{version}/datapackage.json", f"{version}/SHA256SUMS"):
            assert f'downloads/{package}/{name}"' in row
            assert (built_site / "downloads" / package / name).is_file()
        assert ("changelog" in row) if version == PACKAGES[package]["version"] else (f'{version}/#changes"' in row)


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_each_download_folder_has_an_index_page(built_site, package):
    latest = (built_site / "downloads" / package / "index.html").read_text(encoding="utf-8")
    for resource in PACKAGES[package]["resources"]:
        for ext in ("csv", "excel.csv", "xlsx", "json", "parquet"):
            assert f'href="{resource["name"]}.{ext}"' in latest
    for version, _ in releases_of(package):
        page = (built_site / "downloads" / package / version / "index.html").read_text(encoding="utf-8")
        assert f'data-version="{version}"' in page and f'href="{package}.zip"' in page
        assert "发布：" in page  # the site's footer: a page like every other
        assert f"<title>{PACKAGES[package]['title']} · 版本 {version}" in page and "feedback:" not in page


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_an_earlier_version_page_counts_its_changes_against_the_release_before(built_site, package):
    from builder.data import load, releases

    kept = load.load_releases(PROJECT_ROOT / "releases").get(package, [])
    for i, release in enumerate(kept):
        if release.version == PACKAGES[package]["version"]:
            continue  # the current version's page links the changelog page instead
        page = (built_site / "downloads" / package / release.version / "index.html").read_text(encoding="utf-8")
        for name, counts in releases.release_changes(release, kept[i - 1] if i else None).items():
            row = re.search(rf'<tr data-resource="{name}">(.*?)</tr>', page, re.S).group(1)
            assert re.findall(r"<td>(\d+)</td>", row) == [str(counts[k]) for k in ("added", "removed", "changed")]
            if not i:
                assert counts["added"] == len(release.resource(name)[1]) and not counts["changed"]


def test_changelog_headings_are_the_resources_chinese_titles(built_site):
    html = (built_site / "data/reference/changelog/index.html").read_text(encoding="utf-8")
    for resource in PACKAGES["reference"]["resources"]:
        heading = re.search(rf'<h2 id="{resource["name"]}">(.*?)<', html).group(1)
        assert heading.startswith(resource["title"]), heading


def test_the_releases_feed_announces_every_release(built_site):
    feed = ET.parse(built_site / "data/releases.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    expected = {
        (meta["title"], version) for package, meta in PACKAGES.items() for version, date in releases_of(package) if date
    }
    assert {(t.split(" ")[0], t.split(" ")[1]) for t in titles} == expected
    dates = [e.find(f"{ATOM}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    for title in titles:
        sample = next(m for m in PACKAGES.values() if title.startswith(m["title"] + " ")).get("x-sample")
        assert ("（示例数据）" in title) == bool(sample)


def test_the_policies_feed_lists_every_policy(built_site):
    feed = ET.parse(built_site / "policies/feed.xml").getroot()
    titles = {e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")}
    assert titles == set(pd.read_csv(DATA / "policies/policies.csv")["title"])


@pytest.mark.parametrize(
    "page", ["index.html", "data/index.html", "policies/index.html", "data/enterprises/index.html"]
)
def test_pages_announce_both_feeds(built_site, page):
    html = (built_site / page).read_text(encoding="utf-8")
    found = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html)
    links = {urljoin("http://site/" + page, link) for link in found}
    assert {"http://site/data/releases.xml", "http://site/policies/feed.xml"} <= links
    assert all((built_site / link[len("http://site/") :]).is_file() for link in links)
