"""The transcription check: the notice's attachment tables (Markdown) against the CSVs and printed totals.

Each test breaks one side of a private copy of the data (`data_copy`) and validates it as a maintainer would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder import validate
from builder.validate import checks
from builder.validate.checks.transcriptions import PROPERTY, parse_tables, split_cells

NOTICE = Path("policies/documents/gd-2022-cleaner-production-notice.md")
TABLE_1 = "附件 1　2021 年通过清洁生产审核验收企业情况（家）"


def problems_of(data: Path, rule_prefix: str = "transcription-"):
    found = validate.validate(data).problems
    return [p for p in found if p.rule.startswith(rule_prefix)]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- the Markdown table parser --------------------------------------------------------------------------


def test_parser_reads_the_first_table_under_each_heading_with_line_numbers():
    text = (
        "# 文件\n\n### 表一\n\n说明\n\n| 序号 | 地市 | 数 |\n|---:|---|---:|\n| 1 | 广州 | 3 |\n| 合计 | | 3 |\n\n"
        "| 不是 | 第二张 |\n|---|---|\n| x | y |\n\n## 表二 ##\n|a|b|\n|-|:-:|\n|1\\|2| |\n"
    )
    tables = parse_tables(text)
    assert list(tables) == ["表一", "表二"]
    first = tables["表一"]
    assert first.header == ("序号", "地市", "数")
    assert [(row.line, row.cells) for row in first.rows] == [(9, ("1", "广州", "3")), (10, ("合计", "", "3"))]
    assert tables["表二"].rows[0].cells == ("1|2", "")


def test_parser_ignores_a_pipe_line_without_an_alignment_row_and_trims_full_width_spaces():
    assert parse_tables("### 甲\n| 不是表格 |\n正文\n") == {}
    assert split_cells("|\u3000深圳\u3000| 37 |") == ("深圳", "37")


# --- the shipped data ----------------------------------------------------------------------------------


def test_shipped_transcriptions_match_and_every_cell_is_covered(data_copy):
    result = validate.validate(data_copy)
    assert [p for p in result.problems if p.rule.startswith("transcription-")] == []
    assert "check_transcriptions" in dict(result.checks_run)
    assert checks.transcriptions in checks.CHECKS


def test_every_transcribed_resource_declares_its_table_in_data(data_copy):
    descriptor = json.loads((data_copy / "audit-statistics" / "datapackage.json").read_text(encoding="utf-8"))
    declared = {r["name"] for r in descriptor["resources"] if r.get(PROPERTY)}
    assert declared == {"acceptances", "platform_completions", "targets", "printed_totals"}
    assert PROPERTY in descriptor["description"]


# --- one side changed -----------------------------------------------------------------------------------


def test_a_csv_figure_changed_with_its_printed_totals_is_named_cell_by_cell(data_copy):
    """深圳 37 → 38 in acceptances.csv, printed totals raised to match: the sums agree, the notice does not."""
    stats = data_copy / "audit-statistics"
    edit(stats / "acceptances.csv", "2021,440300,industry_it,37,", "2021,440300,industry_it,38,")
    edit(
        stats / "printed_totals.csv",
        "acceptances,2021,440300,,enterprises,103,",
        "acceptances,2021,440300,,enterprises,104,",
    )
    edit(stats / "printed_totals.csv", ",industry_it,enterprises,861,", ",industry_it,enterprises,862,")
    edit(stats / "printed_totals.csv", "acceptances,2021,,,enterprises,1901,", "acceptances,2021,,,enterprises,1902,")
    every = validate.validate(data_copy).problems
    assert [p for p in every if p.rule == "printed-total"] == []
    errors = [p for p in every if p.is_error]
    assert {p.rule for p in errors} == {"transcription-mismatch"}
    cell = [p for p in errors if p.resource == "acceptances"]
    assert len(cell) == 1
    problem = cell[0]
    assert (problem.path, problem.row, problem.field, problem.value) == (
        "datapackages/audit-statistics/acceptances.csv",
        4,
        "enterprises",
        "38",
    )
    for part in (
        "附件 1",
        "深圳",
        "序号 2",
        "工业和信息化牵头数量",
        "列为 37",
        "为 38",
        str(NOTICE),
        "第 41 行",
        "acceptances.csv 第 4 行",
    ):
        assert part in problem.message, part
    # The raised totals are printed in the notice too: each is named in its 合计 cell.
    totals = sorted((p.row, p.value) for p in errors if p.resource == "printed_totals")
    assert totals == [(3, "104"), (23, "862"), (25, "1902")]


def test_a_csv_figure_changed_alone_fails_naming_the_cell(data_copy):
    edit(data_copy / "audit-statistics" / "targets.csv", "2022,440300,100,", "2022,440300,101,")
    found = problems_of(data_copy)
    assert len(found) == 1 and found[0].rule == "transcription-mismatch"
    assert (
        "附件 2" in found[0].message
        and "深圳" in found[0].message
        and "完成企业清洁生产审核数（家）" in found[0].message
    )
    assert (found[0].path, found[0].row, found[0].value) == ("datapackages/audit-statistics/targets.csv", 3, "101")


def test_a_markdown_figure_changed_alone_fails_naming_the_cell(data_copy):
    edit(data_copy / NOTICE, "| 2 | 深圳 | 37 | 66 | 103 | 170 |", "| 2 | 深圳 | 38 | 66 | 103 | 170 |")
    found = problems_of(data_copy)
    assert len(found) == 1 and found[0].rule == "transcription-mismatch"
    message = found[0].message
    for part in ("附件 1", "深圳", "工业和信息化牵头数量", "列为 38", "为 37", "第 41 行"):
        assert part in message, part


def test_a_markdown_total_changed_alone_is_checked_against_printed_totals(data_copy):
    edit(data_copy / NOTICE, "| 合计 | | 861 | 1040 | 1901 | 925 |", "| 合计 | | 861 | 1040 | 1901 | 952 |")
    found = problems_of(data_copy)
    assert len(found) == 1 and found[0].resource == "printed_totals"
    assert (
        "序号 合计" in found[0].message
        and "“平台”完成验收流程企业数量" in found[0].message
        and "952" in found[0].message
    )


def test_a_row_removed_from_the_csv_is_a_row_missing_from_the_data(data_copy):
    edit(
        data_copy / "audit-statistics" / "platform_completions.csv",
        "2021,440300,170,2022-03-10,gd-2022-notice-att1\n",
        "",
    )
    found = problems_of(data_copy)
    assert [p.rule for p in found] == ["transcription-missing-row"]
    assert found[0].path == f"datapackages/{NOTICE}" and found[0].row == 41
    assert "深圳" in found[0].message and "platform_completions.csv" in found[0].message


def test_a_row_removed_from_the_markdown_names_each_csv_row_it_leaves_unmatched(data_copy):
    edit(data_copy / NOTICE, "| 2 | 深圳 | 37 | 66 | 103 | 170 |\n", "")
    found = problems_of(data_copy)
    assert {p.rule for p in found} == {"transcription-missing-row"}
    named = sorted((p.resource, p.row) for p in found)
    assert named == [("acceptances", 4), ("acceptances", 5), ("platform_completions", 3), ("printed_totals", 3)]
    assert all("深圳" in p.message and "附件 1" in p.message for p in found)


def test_an_unknown_city_name_in_the_markdown_is_named(data_copy):
    edit(data_copy / NOTICE, "| 2 | 深圳 | 37 |", "| 2 | 深 圳 | 37 |")
    found = problems_of(data_copy)
    unknown = [p for p in found if p.field == "地市"]
    assert len(unknown) == 1 and unknown[0].value == "深 圳" and "reference/cities.city_short" in unknown[0].message


def test_a_markdown_column_no_declaration_covers_is_reported(data_copy):
    edit(
        data_copy / NOTICE,
        "| 序号 | 地市 | 完成企业清洁生产审核数（家） |\n|---:|---|---:|",
        "| 序号 | 地市 | 完成企业清洁生产审核数（家） | 备注 |\n|---:|---|---:|---|",
    )
    text = (data_copy / NOTICE).read_text(encoding="utf-8")
    start = text.index("### 附件 2")
    lines = text[start:].splitlines()
    widened = "\n".join(
        line + " |" if line.startswith("| ") and not line.startswith("| 序号") else line for line in lines
    )
    (data_copy / NOTICE).write_text(text[:start] + widened + "\n", encoding="utf-8")
    found = problems_of(data_copy)
    assert [(p.rule, p.field) for p in found] == [("transcription-unchecked", "备注")]


def test_a_declaration_naming_a_missing_table_is_an_error(data_copy):
    path = data_copy / "audit-statistics" / "datapackage.json"
    edit(path, f'"table": "{TABLE_1}"', '"table": "附件 9"', count=4)
    found = problems_of(data_copy)
    assert found and {p.rule for p in found} == {"transcription-declaration"}
    assert "附件 9" in found[0].message


def test_a_ragged_markdown_row_is_reported_once_with_its_line(data_copy):
    edit(data_copy / NOTICE, "| 3 | 珠海 | 35 | 45 | 80 | 43 |", "| 3 | 珠海 | 35 | 45 | 80 |")
    found = problems_of(data_copy)
    assert [(p.rule, p.row) for p in found] == [("transcription-declaration", 42)]


@pytest.mark.parametrize("fmt", ["json"])
def test_the_cli_reports_a_transcription_error_with_exit_code_1(data_copy, fmt, capsys):
    from builder import cli

    edit(data_copy / NOTICE, "| 21 | 云浮 | 20 |", "| 21 | 云浮 | 21 |")
    assert cli.main(["validate", "--data", str(data_copy), "--format", fmt]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [e["rule"] for e in report["errors"]] == ["transcription-mismatch"]
