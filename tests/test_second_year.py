"""No data facts in code: the day a maintainer adds next year's tables, the pages follow the data.

In a temporary copy, a second year of acceptances (with its printed totals, from a second notice) and the
next year's targets are added to the shipped data, without touching code or templates. The build passes,
and the home, cities, city, tile map, chart and API outputs show the latest year and both years' series.
(The second notice is invented for this test only; it never leaves the temporary folder.)
"""

from __future__ import annotations

import csv
import json
import re

import pytest

from builder import pipeline
from helpers import settings_for

NEW_SOURCE = "test-2023-notice"
NEW_TITLE = "测试用：关于2023年清洁生产推行工作的通知"


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _append(path, rows):
    fields = _rows(path)[0].keys() if _rows(path) else rows[0].keys()
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(fields), lineterminator="\n")
        writer.writerows(rows)


def add_second_year(data):
    """2022 acceptances (each 2021 figure + 1), their printed totals, 2023 targets (each 2022 target + 10)."""
    stats = data / "audit-statistics"
    _append(
        stats / "sources.csv",
        [
            {
                "source_id": f"{NEW_SOURCE}-att1",
                "issuers": "广东省工业和信息化厅；广东省生态环境厅",
                "title": NEW_TITLE,
                "issued_date": "2023-03-20",
                "attachment_no": "1",
                "attachment_title": "2022年通过清洁生产审核验收企业情况",
                "unit": "家",
                "note": "",
            },
            {
                "source_id": f"{NEW_SOURCE}-att2",
                "issuers": "广东省工业和信息化厅；广东省生态环境厅",
                "title": NEW_TITLE,
                "issued_date": "2023-03-20",
                "attachment_no": "2",
                "attachment_title": "2023年各地清洁生产审核预期目标",
                "unit": "家",
                "note": "",
            },
        ],
    )
    accepted = [
        {**row, "year": "2022", "enterprises": str(int(row["enterprises"]) + 1), "source_id": f"{NEW_SOURCE}-att1"}
        for row in _rows(stats / "acceptances.csv")
        if row["year"] == "2021"
    ]
    _append(stats / "acceptances.csv", accepted)
    by_city: dict[str, int] = {}
    for row in accepted:
        by_city[row["city_code"]] = by_city.get(row["city_code"], 0) + int(row["enterprises"])
    _append(
        stats / "printed_totals.csv",
        [
            {
                "source_id": f"{NEW_SOURCE}-att1",
                "resource": "acceptances",
                "year": "2022",
                "city_code": code,
                "lead_department": "",
                "measure": "enterprises",
                "value": str(total),
                "label": "合计",
            }
            for code, total in by_city.items()
        ]
        + [
            {
                "source_id": f"{NEW_SOURCE}-att1",
                "resource": "acceptances",
                "year": "2022",
                "city_code": "",
                "lead_department": "",
                "measure": "enterprises",
                "value": str(sum(by_city.values())),
                "label": "合计",
            }
        ],
    )
    targets = [
        {**row, "year": "2023", "target": str(int(row["target"]) + 10), "source_id": f"{NEW_SOURCE}-att2"}
        for row in _rows(stats / "targets.csv")
        if row["year"] == "2022"
    ]
    _append(stats / "targets.csv", targets)
    return by_city, {row["city_code"]: int(row["target"]) for row in targets}


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    from helpers import copy_project

    root = copy_project(tmp_path_factory.mktemp("second-year"))
    accepted_2022, targets_2023 = add_second_year(root / "datapackages")
    result = pipeline.build(settings_for(root, root / "site"))
    assert result.validation.valid, [p.message for p in result.validation.problems if p.is_error]
    return result.site, accepted_2022, targets_2023


def _text(site, page):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (site / page / "index.html").read_text(encoding="utf-8")))


def test_home_and_cities_show_the_latest_year(two_years):
    site, accepted, targets = two_years
    home = _text(site, "")
    assert "2022 年通过清洁生产审核验收企业" in home and "2023 年清洁生产审核预期目标" in home
    assert NEW_TITLE in home  # the latest official figures are the new notice's
    cities = _text(site, "cities")
    assert "2022 年验收合计" in cities and "2023 年预期目标" in cities
    assert f"{accepted['440300']}" in cities


def test_the_tile_map_labels_follow_the_data(two_years):
    site, _, _ = two_years
    html = (site / "cities" / "index.html").read_text(encoding="utf-8")
    assert "2022 年验收企业数（家）" in html and "2023 年预期目标（家）" in html
    assert "2021 年验收企业数" not in html


def test_both_years_are_charted_on_the_cities_and_the_city_pages(two_years):
    site, accepted, _ = two_years
    history = json.loads((site / "charts" / "acceptances-2021-2022.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in history["series"]] == ["2021 年", "2022 年"]
    shenzhen = history["category_codes"].index("440300")
    assert history["series"][1]["values"][shenzhen] == accepted["440300"]
    assert history["series"][0]["values"][shenzhen] == accepted["440300"] - 2  # two departments, each +1
    assert NEW_TITLE in history["source"]
    city = (site / "cities" / "440300" / "index.html").read_text(encoding="utf-8")
    assert "city-440300-acceptances-by-year" in city


def test_the_api_gives_the_latest_year_and_every_year(two_years):
    site, accepted, targets = two_years
    city = json.loads((site / "api" / "v1" / "cities" / "440300.json").read_text(encoding="utf-8"))
    assert city["acceptances"]["year"] == 2022 and city["acceptances"]["total"] == accepted["440300"]
    assert city["target"]["year"] == 2023 and city["target"]["enterprises"] == targets["440300"]
    assert [entry["year"] for entry in city["acceptances_by_year"]] == [2021, 2022]
    index = json.loads((site / "api" / "v1" / "index.json").read_text(encoding="utf-8"))
    assert [entry["year"] for entry in index["province"]["acceptances_by_year"]] == [2021, 2022]
    assert index["province"]["acceptances_by_year"][1]["total"] == sum(accepted.values())
