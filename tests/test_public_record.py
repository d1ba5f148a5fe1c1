"""The public-record package against its source notes, its derived figures, and the pages that show it.

In: tests/sources/REAL-DATA.md (a verbatim copy of the project's source notes) §2–§4, the shipped
`public-record` package, and the site built from the real data (the session `built_site`).
Out: assertions. The REAL-DATA tables are parsed here, not copied, so a change on either side fails.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from builder.data import load
from builder.derive import public_record
from builder.settings import PROJECT_ROOT
from builder.validate import validate
from helpers import DATA, replace_once

REAL_DATA = PROJECT_ROOT / "tests" / "sources" / "REAL-DATA.md"
PACKAGE = DATA / "public-record"
ADDRESS = re.compile(r"https?://[^\s)|]+")
ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th) batch")
# The English qualifiers REAL-DATA puts in brackets after a list's name, as the package writes them.
KIND_DETAIL = {
    "heavy metals": "重金属",
    "key sectors": "重点行业",
    "工信 + 生态环境": "工信 + 生态环境",
    "by lead department": "按牵头部门",
}
VERIFICATION = {
    "O": "官方网页所载，未见原件",
    "A": "半官方网页所载，未见原件",
    "M": "仅见转载，待核对原件",
    "S": "待核实（仅见转载）",
}


# --- REAL-DATA ----------------------------------------------------------------------------------


def section(number: int) -> list[str]:
    text = REAL_DATA.read_text(encoding="utf-8")
    start = text.index(f"\n## {number}. ")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None].splitlines()


def table(number: int) -> list[list[str]]:
    """The body rows of the section's table, as stripped cells."""
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in section(number) if line.startswith("|")]
    return [r for r in rows[1:] if not all(set(c) <= set("-: ") for c in r)]


def paragraph(number: int, starts: str) -> str:
    """A paragraph of the section after its table, its lines joined."""
    lines = section(number)
    first = next(i for i, line in enumerate(lines) if line.startswith(starts))
    end = next((i for i in range(first, len(lines)) if not lines[i].strip()), len(lines))
    return " ".join(line.strip() for line in lines[first:end])


def rows(resource: str) -> list[dict]:
    with (PACKAGE / f"{resource}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def city_codes() -> dict[str, str]:
    with (DATA / "reference" / "cities.csv").open(encoding="utf-8", newline="") as f:
        return {r["city_short"]: r["city_code"] for r in csv.DictReader(f)}


def number(text: str) -> str:
    return "" if text == "—" else text


# --- §2 Provincial 2025 targets --------------------------------------------------------------------


def test_provincial_targets_equal_section_2_row_by_row():
    source = table(2)
    provincial = [r for r in rows("plan_targets") if r["scope"] == "省级"]
    assert len(source) == len(provincial) == 14
    address = None
    for (indicator, target, copies), row in zip(source, provincial):
        assert (row["indicator"], row["target_text"]) == (indicator, target)
        count, trust = re.match(r"(.+?) \(([OAMS])", copies).groups()
        assert (row["copies_seen"], row["trust"]) == (count, trust)
        assert row["base_year"] == "2020" and row["target_year"] == "2025"
        assert row["policy_id"] == "gd-2023-2025-cleaner-production-plan"
        if trust == "S":  # "(S: address)" on the first such row, "(S, same)" after it
            found = ADDRESS.search(copies)
            address = found.group() if found else address
            assert address and row["read_at"] == address


def test_a_target_read_only_in_a_mirror_is_awaiting_verification():
    source = {indicator: copies for indicator, _, copies in table(2)}
    for row in rows("plan_targets"):
        if row["scope"] == "省级":
            only_mirror = "(S" in source[row["indicator"]]
            assert (row["verification"] == "待核实（仅见转载）") == only_mirror, row["target_id"]
    assert sum(r["verification"] == "待核实（仅见转载）" for r in rows("plan_targets")) == 4


def test_value_and_unit_are_the_figure_printed_in_the_target_text():
    for row in rows("plan_targets"):
        figure = re.search(r"(\d+(?:\.\d+)?)(%|万亩|万吨)", row["target_text"])
        assert figure, row["target_id"]
        assert float(row["value"]) == float(figure.group(1)) and row["unit"] == figure.group(2), row["target_id"]


def test_national_targets_are_those_section_2_lists_beside_the_provincial_ones():
    notes = paragraph(2, "National 14th five-year targets")
    national = [r for r in rows("plan_targets") if r["scope"] == "国家级"]
    assert len(national) == 8 and all(r["policy_id"] == "national-14th-fyp-cleaner-production-plan" for r in national)
    for row in national:
        quoted = re.search(r"笔记原文：(.+?)）", row["note"])
        written = quoted.group(1) if quoted else f"{row['indicator']} {row['target_text']}"
        assert written in notes and row["target_text"] in written, row["target_id"]
    paired = {r["national_counterpart"] for r in rows("plan_targets") if r["national_counterpart"]}
    assert paired <= {r["target_id"] for r in national}


# --- §3 City list notices ---------------------------------------------------------------------------


def test_city_notices_equal_section_3_row_by_row():
    source, codes = table(3), city_codes()
    notices = rows("city_list_notices")
    assert len(source) == len(notices) == 9
    for (city, when, kind, count, day, documents, read_in, trust), row in zip(source, notices):
        inferred = re.match(r"(\S+) \(inferred from (\S+)\)", city)
        assert row["city_code"] == codes[inferred.group(1) if inferred else city]
        assert row["city_inferred"] == ("true" if inferred else "false")
        if inferred:
            assert inferred.group(2) in row["city_note"] and "推断" in row["city_note"]
        year = re.match(r"(\d{4})", when)
        batch = ORDINAL.search(when)
        listed = re.search(r"list of (\d{4}-\d{2}-\d{2})", when)
        assert row["year"] == (year.group(1) if year else "")
        assert row["batch"] == (batch.group(1) if batch else "")
        assert row["list_date"] == (listed.group(1) if listed else "")
        name, _, detail = kind.partition(" (")
        name, _, results = name.partition(": ")
        name, _, detail = name.partition(", ") if not detail else (name, "", detail)
        assert row["kind_text"] == name
        assert row["kind_detail"] == (KIND_DETAIL[detail.rstrip(")")] if detail else results)
        parts = count.split(" / ")
        if len(parts) == 3:
            assert [row["passed"], row["cancelled_or_deferred"], row["failed"], row["count"]] == parts + [""]
        else:
            figure = re.match(r"(\d+)", count)
            assert row["count"] == (figure.group(1) if figure else "")
            assert bool(row["count_note"]) == ("(" in count)
        reposted = day.startswith("reposted ")
        assert row["reposted_date"] == (day.removeprefix("reposted ") if reposted else "")
        assert row["published_date"] == ("" if reposted else number(day))
        cited = documents.removeprefix("cites ").split(", ") if documents.startswith("cites ") else []
        assert (row["cited_documents"].split(";") if row["cited_documents"] else []) == cited
        assert row["doc_number"] == ("" if documents.startswith("cites ") else documents)
        assert (row["read_at"], row["trust"]) == (read_in, trust)
        assert row["verification"] == VERIFICATION[trust] and row["list_in"] == "名单见原件附件"


# --- §4 粤港清洁生产伙伴 ------------------------------------------------------------------------------

PARTS = public_record.CPPP_PARTS


def test_recognitions_equal_section_4_row_by_row():
    source = table(4)
    counts = rows("cppp_recognitions")
    assert len(source) == len(counts) == 8
    for (year, batch, *figures, total, status, read_in, trust), row in zip(source, counts):
        assert row["year"] == year
        ordinal = re.match(r"(\d+)", batch)
        assert row["batch"] == (ordinal.group(1) if ordinal else "")
        assert row["batch_inferred"] == ("true" if "inferred" in batch else "false")
        assert [row[name] for name in PARTS] == [number(f) for f in figures]
        approximate = re.match(r"about (\d+)", total)
        if approximate:
            assert row["total"] == "" and row["total_basis"] == "约数"
            assert row["total_text"] == f"约 {approximate.group(1)}"
        else:
            assert row["total"] == total and row["total_text"] == ""
        dates = re.findall(r"\d{4}-\d{2}-\d{2}", status)
        assert row["event_date"] == (dates[0] if dates else "")
        if len(re.findall(r"\d{2}-\d{2}", status)) > 2:  # "2019-09-18 to 09-24"
            end = re.search(r"to (\d{2}-\d{2})", status).group(1)
            assert row["event_end_date"] == f"{year}-{end}"
        assert (row["status"] == "申报（非认定）") == ("applications" in status)
        assert (row["read_at"], row["trust"]) == (read_in, trust)
        assert row["verification"] == VERIFICATION[trust]


def test_totals_are_sums_of_parts_or_printed_as_section_4_says():
    notes = paragraph(4, '"—" means')
    summed = set(re.findall(r"\d{4}", re.search(r"Totals of ([\d, and]+) are sums", notes).group(1)))
    printed = set(re.findall(r"\d{4}", re.search(r"; ([\d, and]+) print their totals", notes).group(1)))
    assert len(summed) == len(printed) == 3
    for row in rows("cppp_recognitions"):
        basis = row["total_basis"]
        assert (basis == "分项之和") == (row["year"] in summed), row["year"]
        assert (basis == "印制合计") == (row["year"] in printed), row["year"]
        if row["total"]:
            assert int(row["total"]) == sum(int(row[name]) for name in PARTS if row[name]), row["year"]


def test_programme_facts_equal_section_4():
    notes = paragraph(4, "Programme facts")
    facts = {r["fact_id"]: r for r in rows("cppp_programme_facts")}
    for fact in facts.values():
        assert fact["date"] in notes and fact["trust"] == "O"
        if fact["amount_text"]:
            assert fact["amount_text"] in notes and str(int(float(fact["value"]))) in fact["amount_text"].replace(
                ",", ""
            )
        if fact["read_at"]:  # named in the notes, or one of "the news.gov.hk pages above" (the §4 table)
            above = "news.gov.hk pages above" in notes and fact["read_at"] in [row[-2] for row in table(4)]
            assert fact["read_at"] in notes or above and urlsplit(fact["read_at"]).hostname.endswith("news.gov.hk")
        else:
            assert "news.gov.hk" in fact["read_note"]
    assert facts["launch"]["read_at"] == "http://epd.gov.hk/epd/english/news_events/press/press_080418b.html"


def test_nothing_from_section_5_appears_as_a_fact():
    text = " ".join(
        " ".join(r.values())
        for resource in ("plan_targets", "city_list_notices", "cppp_recognitions", "cppp_programme_facts")
        for r in rows(resource)
    )
    for absent in ("1222", "10,000", "10000", "400万吨", "2亿吨"):
        assert absent not in text


# --- derived structures and the chart ----------------------------------------------------------------


@pytest.fixture(scope="module")
def record():
    return public_record.public_record(load.load(DATA))


def test_chart_draws_only_partner_years_with_parts(record):
    chart = record.chart
    assert chart.category_codes == ["2011", "2012", "2015", "2016", "2017", "2019"]
    assert all(s.stack == "cppp" for s in chart.series)
    by_year = {r["year"]: r for r in record.recognitions}
    for i, code in enumerate(chart.category_codes):
        assert [s.values[i] for s in chart.series] == [by_year[int(code)][name] for name in PARTS]
    assert "2018 年未画入" in chart.caption and "约 150" in chart.caption
    assert "2023 年未画入" in chart.caption and "申报" in chart.caption


def test_provincial_targets_carry_their_national_counterpart(record):
    paired = {t["indicator"]: t["national"]["indicator"] for t in record.provincial if t["national"]}
    assert paired == {
        "新增高效节水灌溉面积": "新增高效节水灌溉面积",
        "全省农膜回收率": "农膜回收率",
        "秸秆综合利用率": "秸秆综合利用率",
        "畜禽粪污资源化利用率": "畜禽粪污综合利用率",
    }
    assert all(t["scope"] == "国家级" for t in record.national)


def test_notices_cite_documents_the_policies_package_holds(record):
    cited = {d["doc_number"]: d["policy_id"] for n in record.notices for d in n["cited"]}
    assert cited["粤经信规字〔2017〕3号"] == "gd-2017-audit-acceptance-procedure"
    assert cited["深工信规〔2019〕9号"] is None


# --- validation -------------------------------------------------------------------------------------


def test_descriptor_passes_frictionless_validate():
    frictionless = Path(sys.executable).parent / "frictionless"
    result = subprocess.run(
        [str(frictionless), "validate", str(PACKAGE / "datapackage.json")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_descriptor_is_real_data_with_chinese_metadata():
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    assert "x-sample" not in descriptor and descriptor["version"] == "1.0.0"
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            assert re.search(r"[\u4e00-\u9fff]", field["title"]) and field["description"], field["name"]


@pytest.mark.parametrize(
    "resource,field,old,new,value,rule",
    [
        ("city_list_notices", "city_code", "cz-2023,445100,", "cz-2023,445900,", "445900", "cross-package-key"),
        (
            "plan_targets",
            "trust",
            "/0518-70752667.html,S,待核实（仅见转载）,只在一份文字残缺的镜像转载中见到，未见其他副本。\ngd-10",
            "/0518-70752667.html,X,待核实（仅见转载）,只在一份文字残缺的镜像转载中见到，未见其他副本。\ngd-10",
            "X",
            "constraint-error",
        ),
        ("plan_targets", "national_counterpart", ",cn-08,", ",cn-99,", "cn-99", "foreign-key"),
    ],
)
def test_a_bad_cell_names_file_row_field_and_value(data_copy, resource, field, old, new, value, rule):
    replace_once(data_copy / "public-record" / f"{resource}.csv", old, new)
    problems = [p for p in validate(data_copy).problems if p.package == "public-record"]
    assert problems and all(p.is_error for p in problems), problems
    problem = problems[0]
    assert problem.path.endswith(f"public-record/{resource}.csv") and problem.row and problem.row > 1
    assert problem.rule == rule and re.search(r"[\u4e00-\u9fff]", problem.message)
    if rule == "foreign-key":  # frictionless_problems reports a foreign key's field and value in the message only
        assert field in problem.message and f'"{value}"' in problem.message
    else:
        assert problem.field == field and problem.value == value


# --- the built site ---------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Every <a href>, the text of each table row keyed by its data-* id, and the page text."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.rows, self.text = [], {}, []
        self._row = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag in ("tr", "li"):
            key = (
                attrs.get("data-target") or attrs.get("data-notice") or attrs.get("data-year") or attrs.get("data-fact")
            )
            self._row = key
            if key:
                self.rows[key] = []
        if tag == "td" and self._row:
            self.rows[self._row].append("")

    def handle_data(self, data):
        self.text.append(data)
        if self._row and self.rows[self._row]:
            self.rows[self._row][-1] += data
        elif self._row:
            self.rows[self._row].append(data)

    def handle_endtag(self, tag):
        if tag in ("tr", "li"):
            self._row = None


def page(site: Path, address: str) -> _Page:
    parser = _Page()
    parser.feed((site / address / "index.html").read_text(encoding="utf-8"))
    return parser


def reprint_hosts() -> set[str]:
    return {
        urlsplit(r["read_at"]).hostname
        for resource in ("plan_targets", "city_list_notices", "cppp_recognitions", "cppp_programme_facts")
        for r in rows(resource)
        if r["trust"] in ("M", "S") and r["read_at"]
    }


def test_targets_page_shows_status_and_national_labelled_and_no_progress(built_site):
    shown = page(built_site, "policies/targets-2025")
    for row in rows("plan_targets"):
        cells = shown.rows[row["target_id"]]
        assert row["target_text"] in " ".join(cells) and row["verification"] in " ".join(cells)
    for target in ("gd-06", "gd-07", "gd-08", "gd-09"):
        assert "待核实（仅见转载）" in " ".join(shown.rows[target])
    assert "国家级：新增高效节水灌溉面积 6000万亩" in " ".join(shown.rows["gd-05"])
    html = (built_site / "policies/targets-2025/index.html").read_text(encoding="utf-8")
    headers = re.findall(r"<th scope=\"col\">([^<]+)</th>", html)
    assert not any(word in h for h in headers for word in ("进展", "完成", "进度"))


def test_partners_page_never_shows_2018_as_an_exact_count(built_site):
    shown = page(built_site, "partners")
    cells = shown.rows["2018"]
    assert "约 150" in cells and "150" not in cells
    assert "分项之和" in "".join(shown.text) and "印制合计" in "".join(shown.text)
    chart = json.loads((built_site / "charts" / f"{public_record.PARTNERS_CHART_ID}.json").read_text(encoding="utf-8"))
    assert "2018" not in chart["category_codes"] and "2023" not in chart["category_codes"]
    table = (built_site / "charts" / f"{public_record.PARTNERS_CHART_ID}.csv").read_text(encoding="utf-8")
    assert not re.search(r"^20(18|23)", table, re.M)
    downloaded = json.loads((built_site / "downloads/public-record/cppp_recognitions.json").read_text(encoding="utf-8"))
    year_2018 = next(r for r in downloaded if r["year"] == 2018)
    assert year_2018["total"] is None and all(year_2018[name] is None for name in PARTS)
    assert year_2018["total_text"] == "约 150"


def test_partners_page_marks_2023_as_applications_and_shows_the_chart(built_site):
    shown = page(built_site, "partners")
    assert "申报（非认定）" in shown.rows["2023"]
    html = (built_site / "partners/index.html").read_text(encoding="utf-8")
    assert f'id="chart-{public_record.PARTNERS_CHART_ID}"' in html
    for fact in rows("cppp_programme_facts"):
        assert fact["fact_id"] in shown.rows


def test_each_city_with_a_notice_lists_it_on_its_page(built_site):
    notices = rows("city_list_notices")
    for code in {n["city_code"] for n in notices}:
        shown = page(built_site, f"cities/{code}")
        expected = {n["notice_id"] for n in notices if n["city_code"] == code}
        assert expected <= set(shown.rows), code
        assert "名单见原件附件" in "".join(shown.text)
    quiet = page(built_site, "cities/440200")  # 韶关: no notice was found
    assert "清洁生产审核名单公告" not in "".join(quiet.text)
    listing = page(built_site, "cities/notices")
    assert {n["notice_id"] for n in notices} <= set(listing.rows)
    assert "36" in " ".join(listing.rows["zs-2019-1"]) and "不通过 6" in " ".join(listing.rows["zs-2019-1"])
    assert "转载网站的日期" in " ".join(listing.rows["zj-2024"])


def test_the_pages_are_linked_from_their_indexes(built_site):
    assert any(h.endswith("targets-2025/") for h in page(built_site, "policies").hrefs)
    assert any(
        h.endswith("targets-2025/") for h in page(built_site, "policies/gd-2023-2025-cleaner-production-plan").hrefs
    )
    assert any(h.endswith("notices/") for h in page(built_site, "cities").hrefs)
    assert any(h.endswith("partners/") for h in page(built_site, ".").hrefs)
    assert any(h.endswith("partners/") for h in page(built_site, "about").hrefs)


@pytest.mark.parametrize(
    "address",
    ["policies/targets-2025", "cities/notices", "partners", "cities/440300", "cities/445100", "data/public-record"],
)
def test_reprint_and_mirror_addresses_are_text_never_links(built_site, address):
    shown = page(built_site, address)
    linked = {urlsplit(h).hostname for h in shown.hrefs}
    assert not linked & reprint_hosts()
    text = "".join(shown.text)
    if address != "data/public-record":
        on_page = [
            r["read_at"]
            for resource in ("plan_targets", "city_list_notices", "cppp_recognitions")
            for r in rows(resource)
            if r["trust"] in ("M", "S")
        ]
        assert any(a in text for a in on_page)  # shown as provenance text


def test_no_page_of_the_site_links_a_reprint_host_of_the_public_record(built_site):
    forbidden = reprint_hosts()
    for path in built_site.rglob("*.html"):
        hrefs = re.findall(r'href="(https?://[^"]+)"', path.read_text(encoding="utf-8"))
        assert not {urlsplit(h).hostname for h in hrefs} & forbidden, path


@pytest.mark.browser
def test_partners_chart_draws_and_reprint_addresses_are_not_clickable(page, site_url):
    page.goto(f"{site_url}/partners/")
    figure = page.locator(f"#chart-{public_record.PARTNERS_CHART_ID}")
    figure.scroll_into_view_if_needed()
    figure.locator(".chart svg").first.wait_for(timeout=10000)
    assert page.console_errors == []
    page.goto(f"{site_url}/cities/notices/")
    for host in reprint_hosts():
        assert page.locator(f'a[href*="{host}"]').count() == 0, host
    assert page.locator("a[href*='meeb.sz.gov.cn']").count() == 1  # an official copy is a link
