"""The policies package as the real public record: REAL-DATA §1 row by row, and links only to trusted hosts.

In: tests/sources/REAL-DATA.md (a verbatim copy of the project's source notes), the shipped policies
package, and the site built from the real data (the session `built_site`).
Out: assertions. The §1 table is parsed, not copied into this file, so a change on either side fails here.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from builder.render.site_pages import provenance
from builder.settings import PROJECT_ROOT
from builder.validate import validate
from helpers import DATA, replace_once

REAL_DATA = PROJECT_ROOT / "tests" / "sources" / "REAL-DATA.md"
POLICIES = DATA / "policies"
ADDRESS = re.compile(r"https?://[^\s，；。、（）()<>\"'“”|]+")
# Where REAL-DATA has no document number, and the only issuer row that gives a count instead of names.
NO_NUMBER = ("not printed in the copy we hold", "not in any copy")
UNNAMED_ISSUERS = re.compile(r"^(\d+) municipal departments of (\S+)$")
# Sites linked today that are neither data sources nor reprints: the data licence, the data-package
# standard and the theme's credit in the footer.
NON_SOURCE_HOSTS = {"creativecommons.org", "datapackage.org", "squidfunk.github.io"}


# --- REAL-DATA ----------------------------------------------------------------------------------


def table_rows(lines: list[str]) -> list[list[str]]:
    """The body rows of the Markdown tables among `lines`, as lists of stripped cells."""
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines if line.startswith("|")]
    return [r for r in rows if not all(set(c) <= set("-: ") for c in r) and r[0] != "Title"]


def section(number: int) -> list[str]:
    text = REAL_DATA.read_text(encoding="utf-8")
    start = text.index(f"\n## {number}. ")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None].splitlines()


def expected_issuers(cell: str) -> str:
    """REAL-DATA's issuers as the package writes them: full-width semicolons, 省… as 广东省…."""
    cell = re.sub(r"^\d+ departments: ", "", cell)
    return "；".join("广东" + name if name.startswith("省") else name for name in cell.split(", "))


def section_1() -> list[dict]:
    """§1 rows with "same" resolved from the row above it."""
    records, previous = [], None
    for title, issuers, when, number, read_in, trust in table_rows(section(1)):
        title = re.sub(r"\s+\([A-Za-z][^)]*\)$", "", title)  # "(the series renamed in 2024)" is a note
        addresses = ADDRESS.findall(read_in)
        if read_in.startswith("same"):
            addresses = previous["addresses"] + addresses
        record = {
            "title": title,
            "issuers": previous["issuers"] if issuers == "same" else issuers,
            "date": when,
            "number": number,
            "addresses": addresses,
            "trust": trust,
        }
        records.append(record)
        previous = record
    return records


def reprint_hosts() -> set[str]:
    """Hosts REAL-DATA marks M or S anywhere: a table row whose trust is M/S, or "(S: address)"."""
    text = REAL_DATA.read_text(encoding="utf-8")
    hosts = {urlsplit(a).hostname for a in re.findall(r"\((?:M|S)[:,] *(https?://[^\s)]+)", text)}
    for row in table_rows(text.splitlines()):
        if row[-1] in ("M", "S"):
            hosts |= {urlsplit(a).hostname for a in ADDRESS.findall(" ".join(row))}
    return hosts


SECTION_1 = section_1()


# --- the package -------------------------------------------------------------------------------


def policy_rows() -> dict[str, dict]:
    with (POLICIES / "policies.csv").open(encoding="utf-8", newline="") as f:
        return {r["policy_id"]: r for r in csv.DictReader(f)}


def by_title() -> dict[str, dict]:
    return {r["title"]: r for r in policy_rows().values()}


def trusted_hosts() -> set[str]:
    """Hosts of every address in a data row whose copy is marked O or A (any package, any *trust column),
    and the addresses printed in the originals the site transcribed (the 2022 notice names the platform)."""
    hosts = set()
    for path in DATA.glob("*/*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if any(v in ("O", "A") for k, v in row.items() if k == "trust" or k.endswith("_trust")):
                    hosts |= {urlsplit(a).hostname for a in ADDRESS.findall(" ".join(row.values()))}
    for row in policy_rows().values():
        if row["body"] and row["verification"] == "已核对原件":
            hosts |= {
                urlsplit(a).hostname for a in ADDRESS.findall((POLICIES / row["body"]).read_text(encoding="utf-8"))
            }
    return hosts


# --- the built site ----------------------------------------------------------------------------


class _Links(HTMLParser):
    """Every <a href>, and the headings (h2/h3) with the link inside each, in document order."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.headings, self._heading = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
            if self._heading is not None:
                self._heading["href"] = attrs["href"]
        elif tag in ("h2", "h3"):
            self._heading = {"tag": tag, "text": "", "href": None}

    def handle_data(self, data):
        if self._heading is not None:
            self._heading["text"] += data

    def handle_endtag(self, tag):
        if tag in ("h2", "h3") and self._heading is not None:
            self.headings.append(self._heading)
            self._heading = None


def parsed(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def off_site_links(site: Path) -> list[tuple[str, str]]:
    found = []
    for page in site.rglob("*.html"):
        for href in parsed(page).hrefs:
            host = urlsplit(href).hostname if href.startswith(("http://", "https://", "//")) else None
            if host and host not in ("127.0.0.1", "localhost"):
                found.append((str(page.relative_to(site)), href))
    return found


def cell(html: str, field: str) -> str:
    return re.search(rf'<td data-field="{field}">(.*?)</td>', html).group(1)


# --- §1 row by row -----------------------------------------------------------------------------


def test_section_1_is_read_and_every_document_is_a_row():
    assert len(SECTION_1) >= 11
    rows = by_title()
    assert [r["title"] for r in SECTION_1 if r["title"] not in rows] == []
    assert len(policy_rows()) >= len(SECTION_1)


@pytest.mark.parametrize("source", SECTION_1, ids=[f"section1-row{n}" for n in range(1, len(SECTION_1) + 1)])
def test_each_document_matches_real_data_exactly(source):
    row = by_title()[source["title"]]
    unnamed = UNNAMED_ISSUERS.match(source["issuers"])
    if unnamed:  # REAL-DATA counts the issuers but does not name them: no names are made up
        assert row["issuers"] == "" and f"{unnamed.group(1)} 个" in row["metadata_note"]
        assert unnamed.group(2) in row["metadata_note"]
    else:
        assert row["issuers"] == expected_issuers(source["issuers"])
    full_date = re.fullmatch(r"\d{4}-\d{2}-\d{2}", source["date"])
    assert row["issued_date"] == (source["date"] if full_date else "")
    assert row["issued_year"] == source["date"][:4]
    if source["number"] in NO_NUMBER:
        assert row["doc_number"] == "" and "发文字号" in row["metadata_note"]
    else:
        assert row["doc_number"] == source["number"]
    assert row["source_trust"] == ("T" if source["trust"] == "—" else source["trust"])
    assert all(a in row["read_in"] for a in source["addresses"]), (source["addresses"], row["read_in"])


def test_the_2020_recommendation_summary_carries_the_score_criterion_with_its_copy():
    criterion = re.search(r"score of\s+\*\*(\d+) or above\*\*", REAL_DATA.read_text(encoding="utf-8"))
    row = policy_rows()["gd-2020-provincial-enterprise-recommendation-notice"]
    assert f"{criterion.group(1)} 分及以上" in row["summary"]
    assert "转载本" in row["summary"] and row["source_trust"] == "M"


def test_verification_never_claims_more_than_the_copy_allows():
    claims = {
        "T": {"已核对原件", "仅见引用，待核对原件"},
        "O": {"官方网页所载，未见原件"},
        "A": {"半官方网页所载，未见原件"},
        "M": {"仅见转载，待核对原件"},
        "S": {"待核实（仅见转载）"},
    }
    rows = policy_rows().values()
    assert [
        (r["policy_id"], r["source_trust"], r["verification"])
        for r in rows
        if r["verification"] not in claims[r["source_trust"]]
    ] == []


def test_nothing_searched_for_and_not_found_appears_as_a_fact():
    text = (POLICIES / "policies.csv").read_text(encoding="utf-8")
    for absent in ("1222", "400万吨", "2亿吨", "10,000"):  # §5: Qingdao's count; the 2016 plan's expectations
        assert absent not in text


def test_the_provincial_series_is_one_series_across_its_renaming():
    rows = policy_rows()
    ids = [
        "gd-2022-cleaner-production-notice",
        "gd-2023-cleaner-production-notice",
        "gd-2024-industrial-cleaner-production-notice",
    ]
    assert len({rows[i]["series"] for i in ids}) == 1 and rows[ids[0]]["series"]


# --- links -------------------------------------------------------------------------------------


def test_provenance_links_only_official_and_semi_official_copies():
    text = "转载本：http://m.bailiqin.com/news/show-188126.html；另见 https://a.gov.cn/p?id=1&k=2（官方）"
    for trust in ("M", "S", "T"):
        assert "<a" not in provenance(text, trust) and "provenance-address" in provenance(text, trust)
    linked = str(provenance(text, "O"))
    assert '<a href="https://a.gov.cn/p?id=1&amp;k=2"' in linked and linked.endswith("（官方）")
    assert "<script>" not in provenance("<script>x</script>", "A")


def test_no_built_page_links_a_reprint_or_mirror_host(built_site):
    forbidden = reprint_hosts()
    assert {"m.bailiqin.com", "www.snebhl.com.cn", "xiaoyi0.com"} <= forbidden  # the parser reads every kind
    assert [(page, href) for page, href in off_site_links(built_site) if urlsplit(href).hostname in forbidden] == []


def test_every_off_site_link_goes_to_a_trusted_host(built_site):
    allowed = trusted_hosts() | NON_SOURCE_HOSTS
    assert "www.shantou.gov.cn" in allowed and not allowed & reprint_hosts()
    links = off_site_links(built_site)
    assert any(urlsplit(href).hostname == "meeb.sz.gov.cn" for _, href in links)
    assert [(page, href) for page, href in links if urlsplit(href).hostname not in allowed] == []


# --- pages -------------------------------------------------------------------------------------


def test_index_groups_by_level_then_newest_first(built_site):
    headings = parsed(built_site / "policies" / "index.html").headings
    rows = policy_rows()
    groups: dict[str, list[str]] = {}
    for h in headings:
        if h["tag"] == "h2" and h["text"].strip() in ("国家级", "省级", "市级"):
            current = groups.setdefault(h["text"].strip(), [])
        elif h["tag"] == "h3":
            current.append(h["href"].strip("/").split("/")[-1])
    assert list(groups) == ["国家级", "省级", "市级"]
    assert sorted(i for ids in groups.values() for i in ids) == sorted(rows)
    for level, ids in groups.items():
        assert {rows[i]["level"] for i in ids} == {level}
        # newest first; a year-only date counts as its year and follows that year's dated documents
        keys = [
            (
                int(rows[i]["issued_year"]),
                bool(rows[i]["issued_date"]),
                date.fromisoformat(rows[i]["issued_date"]) if rows[i]["issued_date"] else date.min,
            )
            for i in ids
        ]
        assert keys == sorted(keys, reverse=True), (level, ids)


def test_a_policy_page_shows_trust_verification_and_where_it_was_read(built_site):
    labels = {
        f["name"]: f
        for f in json.loads((POLICIES / "datapackage.json").read_text(encoding="utf-8"))["resources"][0]["schema"][
            "fields"
        ]
    }["source_trust"]["x-labels"]
    official = (built_site / "policies" / "gd-2017-audit-acceptance-procedure" / "index.html").read_text(
        encoding="utf-8"
    )
    assert cell(official, "source_trust") == f"{labels['O']}（O）"
    assert cell(official, "verification") == "官方网页所载，未见原件"
    assert '<a href="https://www.shantou.gov.cn/jxj/ywgz/jnjh/content/post_921193.html"' in cell(official, "read_in")
    assert "粤经信规字〔2017〕3号" in official and "2017 年" in official and "仅元数据" in official
    reprint = (built_site / "policies" / "gd-2023-2025-cleaner-production-plan" / "index.html").read_text(
        encoding="utf-8"
    )
    assert cell(reprint, "source_trust") == f"{labels['M']}（M）"
    assert cell(reprint, "verification") == "仅见转载，待核对原件"
    assert "<a" not in cell(reprint, "read_in") and "http://good.smartjx.com/shjj/2023/0510/25305589.html" in reprint
    notice = (built_site / "policies" / "gd-2022-cleaner-production-notice" / "index.html").read_text(encoding="utf-8")
    assert "<td>全文</td>" in notice and cell(notice, "verification") == "已核对原件"


def test_a_series_page_links_the_other_years_and_names_the_renaming(built_site):
    page = built_site / "policies" / "gd-2023-cleaner-production-notice" / "index.html"
    html = page.read_text(encoding="utf-8")
    hrefs = parsed(page).hrefs
    assert any("gd-2022-cleaner-production-notice/" in h for h in hrefs)
    assert any("gd-2024-industrial-cleaner-production-notice/" in h for h in hrefs)
    assert "本系列自 2024 年起改用新标题" in html


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field,old,new,words",
    [
        ("source_trust", ",T,已核对原件", ",X,已核对原件", "enum"),
        ("issued_year", "成文日期为通过日期。,2002,", "成文日期为通过日期。,,", "必填"),
    ],
)
def test_a_bad_trust_or_missing_year_names_file_row_field_and_value(data_copy, field, old, new, words):
    replace_once(data_copy / "policies" / "policies.csv", old, new)
    problems = [p for p in validate(data_copy).problems if p.field == field]
    assert problems, validate(data_copy).problems
    problem = problems[0]
    assert problem.path.endswith("policies/policies.csv") and problem.row in (2, 3)
    assert problem.rule == "constraint-error" and words in problem.message
    assert re.search(r"[\u4e00-\u9fff]", problem.message)
    if field == "source_trust":
        assert problem.value == "X"
