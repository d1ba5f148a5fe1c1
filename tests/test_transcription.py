"""The figures transcribed from the 2022 notice reproduce the totals it prints.

Read with pandas straight from the CSV files, independently of the builder's loader and checks.
"""

import re

import pandas as pd
import pytest

from helpers import DATA

STATS = DATA / "audit-statistics"
NOTICE = DATA / "policies" / "documents" / "gd-2022-cleaner-production-notice.md"

# The 合计 row of Attachment 1 and Attachment 2, as printed in the notice.
PRINTED = {"industry_it": 861, "ecology_environment": 1040, "accepted": 1901, "platform": 925, "target_2022": 1275}


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(STATS / f"{name}.csv", dtype={"city_code": str})


def test_attachment_1_department_columns_add_up_to_the_printed_totals():
    acceptances = read("acceptances")
    by_department = acceptances.groupby("lead_department")["enterprises"].sum().to_dict()
    assert by_department == {
        "industry_it": PRINTED["industry_it"],
        "ecology_environment": PRINTED["ecology_environment"],
    }
    assert acceptances["enterprises"].sum() == PRINTED["accepted"]


def test_attachment_1_each_city_total_equals_its_two_departments():
    per_city = read("acceptances").groupby("city_code")["enterprises"].sum()
    printed = read("printed_totals")
    city_totals = printed[(printed["resource"] == "acceptances") & printed["city_code"].notna()]
    assert len(city_totals) == 21
    for _, total in city_totals.iterrows():
        assert per_city[total["city_code"]] == total["value"], total["city_code"]


def test_platform_and_target_columns_add_up_to_the_printed_totals():
    assert read("platform_completions")["enterprises"].sum() == PRINTED["platform"]
    assert read("targets")["target"].sum() == PRINTED["target_2022"]


def test_platform_completions_exceed_acceptances_where_the_notice_says_so():
    """Counted on another basis: 深圳 170 vs 103 and 河源 26 vs 24 must survive transcription."""
    accepted = read("acceptances").groupby("city_code")["enterprises"].sum()
    platform = read("platform_completions").set_index("city_code")["enterprises"]
    exceeding = sorted(code for code in platform.index if platform[code] > accepted[code])
    assert exceeding == ["440300", "441600"]
    assert (platform["440300"], accepted["440300"]) == (170, 103)


def _markdown_table(text: str, heading: str) -> list[list[str]]:
    section = text[text.index(heading) :]
    rows = []
    for line in section.splitlines()[1:]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif rows:
            break
    return [r for r in rows[2:]]  # skip header and alignment rows


@pytest.fixture(scope="module")
def notice_text() -> str:
    return NOTICE.read_text(encoding="utf-8")


def test_notice_attachment_tables_match_the_data_files(notice_text):
    """The transcribed document and the data packages say the same thing, city by city."""
    cities = pd.read_csv(DATA / "reference" / "cities.csv", dtype=str).set_index("city_short")["city_code"]
    acceptances = read("acceptances").pivot(index="city_code", columns="lead_department", values="enterprises")
    platform = read("platform_completions").set_index("city_code")["enterprises"]
    targets = read("targets").set_index("city_code")["target"]

    table_1 = _markdown_table(notice_text, "### 附件 1")
    assert len(table_1) == 22 and table_1[-1][0] == "合计"
    for _seq, short, industry, ecology, total, plat in table_1[:-1]:
        code = cities[short]
        assert [int(industry), int(ecology), int(total), int(plat)] == [
            acceptances.loc[code, "industry_it"],
            acceptances.loc[code, "ecology_environment"],
            acceptances.loc[code].sum(),
            platform[code],
        ], short
    assert [int(v) for v in table_1[-1][2:]] == [861, 1040, 1901, 925]

    table_2 = _markdown_table(notice_text, "### 附件 2")
    assert len(table_2) == 22
    for _seq, short, target in table_2[:-1]:
        assert int(target) == targets[cities[short]], short
    assert table_2[-1][2] == "1275"


def test_notice_transcription_has_no_page_debris(notice_text):
    assert not re.search(r"—\s*\d+\s*—", notice_text), "page numbers like — 2 — must be removed"
    for heading in ("### 一、总体要求", "### 二、重点任务", "### 三、工作要求", "### 附件 1", "### 附件 2"):
        assert heading in notice_text
    assert "020-" not in notice_text, "contact phone numbers are deliberately not transcribed"
