"""Charts carry their data: the numbers equal the source tables, the table under each chart and its
CSV and JSON agree, and in Chromium the charts draw, offline, with a working tile map."""

import csv
import dataclasses
import json
from html.parser import HTMLParser

import pandas as pd
import pytest

from builder.data import load
from builder.derive import charts, statistics
from builder.render.formatting import number
from builder.settings import PROJECT_ROOT
from helpers import DATA


def province_figures(catalog):
    stats = statistics.city_statistics(catalog)
    registry = statistics.registry_summary(catalog)
    names = dict(
        zip(
            catalog["reference"].tables["sectors"].frame["sector_code"],
            catalog["reference"].tables["sectors"].frame["name_zh"],
        )
    )
    return {c.chart_id: c for c in charts.province_charts(stats, registry, names)}, stats, registry


@pytest.fixture(scope="module")
def figures():
    return province_figures(load.load(DATA))


@pytest.fixture(scope="module")
def real_registry_figures():
    """The same registry as if it were real data: its package without x-sample."""
    catalog = load.load(DATA)
    package = catalog["enterprises"]
    assert package.descriptor.get("x-sample"), "the shipped registry is a sample"
    unmarked = {k: v for k, v in package.descriptor.items() if k != "x-sample"}
    catalog["enterprises"] = dataclasses.replace(package, descriptor=unmarked)
    return province_figures(catalog)


def read(name):
    return pd.read_csv(DATA / "audit-statistics" / f"{name}.csv", dtype={"city_code": str})


def series(chart, name):
    return dict(zip(chart.category_codes, next(s for s in chart.series if s.name == name).values))


# --- pure: chart data equal the source tables ---------------------------------------------------------


def test_acceptance_chart_equals_attachment_1(figures):
    chart = figures[0]["acceptances-2021-by-department"]
    official = read("acceptances").pivot(index="city_code", columns="lead_department", values="enterprises")
    assert series(chart, "工业和信息化牵头") == official["industry_it"].to_dict()
    assert series(chart, "生态环境牵头") == official["ecology_environment"].to_dict()
    assert all(s.stack == "accepted" for s in chart.series)


def test_platform_chart_shows_two_bases_side_by_side_not_as_a_share(figures):
    chart = figures[0]["platform-beside-acceptances-2021"]
    platform = read("platform_completions").set_index("city_code")["enterprises"].to_dict()
    assert series(chart, "“平台”完成验收流程") == platform
    assert all(s.stack is None and s.unit == "家" for s in chart.series)
    assert "不是比例" in chart.caption and "%" not in "".join(s.unit for s in chart.series)
    accepted = series(chart, "通过审核验收")
    assert platform["440300"] > accepted["440300"] and platform["441600"] > accepted["441600"]


def test_a_sample_registry_gives_no_target_chart_and_its_charts_carry_the_mark(figures):
    assert not [c for c in figures[0] if c.startswith("target-vs-registry")]
    registry_charts = [c for c in figures[0].values() if c.chart_id.startswith("registry-")]
    assert registry_charts
    for chart in registry_charts:
        assert chart.sample and chart.title.endswith("（示例数据）") and chart.source.endswith("（示例数据）")
        assert all("示例数据" in title for title in chart.header()[1:])
        assert chart.to_json()["sample_note"] and chart.to_json()["labels"] == chart.header()[1:]
    for chart in figures[0].values():
        if not chart.chart_id.startswith("registry-"):
            assert not chart.sample and "示例数据" not in chart.title + "".join(chart.header())


def test_target_chart_equals_attachment_2_and_a_real_registry(real_registry_figures):
    chart = real_registry_figures[0]["target-vs-registry-2022"]
    assert not chart.sample and "示例数据" not in chart.title + "".join(chart.header())
    assert series(chart, "预期目标") == read("targets").set_index("city_code")["target"].to_dict()
    registry = pd.read_csv(DATA / "enterprises" / "accepted_enterprises.csv", dtype={"city_code": str})
    counts = registry[registry["acceptance_year"] == 2022].groupby("city_code").size().to_dict()
    assert series(chart, "名录中当年验收") == {c: counts.get(c, 0) for c in chart.category_codes}
    rate = series(chart, "完成率")
    assert rate["440300"] == round(100 * counts["440300"] / 100, 1)


def test_reduction_charts_equal_registry_sums(figures):
    registry = pd.read_csv(DATA / "enterprises" / "accepted_enterprises.csv", dtype={"city_code": str})
    by_city = registry.groupby("city_code")["co2_reduction_t"].sum()
    chart = figures[0]["registry-reduction-by-city"]
    for code, value in series(chart, "减碳量").items():
        assert value == pytest.approx(by_city[code], abs=0.2)
    by_sector = registry.groupby("sector_code")["energy_saving_tce"].sum()
    for code, value in series(figures[0]["registry-reduction-by-sector"], "节能量").items():
        assert value == pytest.approx(by_sector[code], abs=0.2)


# --- published: table, CSV and JSON agree -----------------------------------------------------------


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.current, self.cell = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-chart-table" in attrs:
            self.current = self.tables.setdefault(attrs["data-chart-table"], [])
        elif self.current is not None and tag == "tr":
            self.current.append([])
        elif self.current is not None and tag in ("td", "th"):
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.current[-1].append(self.cell.strip())
            self.cell = None
        elif tag == "table":
            self.current = None


def test_each_chart_csv_parses_to_the_numbers_shown(built_site):
    for page in [built_site / "cities/index.html", built_site / "cities/440300/index.html"]:
        parser = _Tables()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.tables, page
        for chart_id, shown in parser.tables.items():
            with open(built_site / "charts" / f"{chart_id}.csv", encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
            assert rows[0] == shown[0]
            # The table writes each figure for reading (render/formatting.py: 12,345, no ".0"); the CSV for machines.
            assert [row[:1] + [number(float(c)) if c else "—" for c in row[1:]] for row in rows[1:]] == shown[1:], (
                chart_id
            )
            spec = json.loads((built_site / "charts" / f"{chart_id}.json").read_text(encoding="utf-8"))
            assert [r[0] for r in rows[1:]] == spec["categories"]
            for i, s in enumerate(spec["series"], 1):
                assert [float(r[i]) if r[i] else None for r in rows[1:]] == s["values"]


def test_chart_library_is_served_from_the_site_and_not_committed(built_site):
    assert (built_site / "assets/vendor/echarts.min.js").stat().st_size > 100_000
    assert (built_site / "assets/vendor/LICENSE-echarts.txt").is_file()
    assert not list((PROJECT_ROOT / "docs").rglob("echarts*.js"))


# --- in the browser ----------------------------------------------------------------------------------------


@pytest.mark.browser
def test_province_page_draws_every_chart_offline(page, site_url, screenshots):
    page.goto(site_url + "/cities/")
    page.wait_for_load_state("networkidle")
    charts_on_page = page.locator(".chart[data-chart]")
    count = charts_on_page.count()
    assert count >= 4
    charts_on_page.first.scroll_into_view_if_needed()  # charts are drawn once one is near the screen
    page.wait_for_function(f"document.querySelectorAll('.chart[data-drawn] svg').length === {count}", timeout=15_000)
    outside = [u for u in page.requests if not u.startswith(site_url) and not u.startswith("data:")]
    assert not outside and not page.console_errors, (outside, page.console_errors)
    page.screenshot(path=str(screenshots / "cities.png"), full_page=True)


@pytest.mark.browser
def test_legend_toggles_a_series(page, site_url):
    page.goto(site_url + "/cities/")
    chart = page.locator("#chart-platform-beside-acceptances-2021 .chart")
    chart.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('#chart-platform-beside-acceptances-2021 .chart[data-drawn] svg')")
    bars_before = chart.locator("svg path").count()
    chart.get_by_text("“平台”完成验收流程（家）").click()
    page.wait_for_timeout(300)
    assert chart.locator("svg path").count() < bars_before


@pytest.mark.browser
def test_shenzhen_tile_links_to_its_page_and_the_indicator_recolours(page, site_url):
    page.goto(site_url + "/cities/")
    tile = page.locator(".tile[data-city='440300']")
    assert tile.locator(".tile__value").inner_text() == "103"
    page.select_option("#tile-indicator", "platform")
    assert tile.locator(".tile__value").inner_text() == "170"
    assert page.locator(".tile[data-level]").count() == 21
    tile.click()
    page.wait_for_url("**/cities/440300/")
    page.locator("#chart-city-440300-reduction-by-sector .chart").scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('#chart-city-440300-reduction-by-sector .chart[data-drawn] svg')")
    assert not page.console_errors


@pytest.mark.browser
def test_charts_are_drawn_on_pages_reached_by_the_tabs_and_the_tile_map(page, site_url):
    """site.js loads the charts' script (and it ECharts) only on pages with charts: follow the links there."""
    page.goto(site_url + "/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("!!window.echarts") is False, "the home page has no charts and loads no chart library"
    page.locator(".md-tabs__link", has_text="地市统计").click()
    page.wait_for_url("**/cities/")
    page.locator(".chart[data-chart]").first.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelectorAll('.chart[data-drawn] svg').length >= 4", timeout=15_000)
    page.locator(".tile[data-city='440300']").click()
    page.wait_for_url("**/cities/440300/")
    page.locator(".chart[data-chart]").first.scroll_into_view_if_needed()
    page.wait_for_function(
        "document.querySelector('#chart-city-440300-reduction-by-sector .chart[data-drawn] svg')", timeout=15_000
    )
    assert not page.console_errors
