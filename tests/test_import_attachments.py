"""Official attachments as published, through the package's import profiles: the notice's two tables written as
.xlsx, .xls, .docx and .pdf in its printed layout (tests/import_attachments/) import with one command each and
reproduce the shipped CSVs byte for byte; the title, 序号, two-row header, 合计 and 注 are recognised and checked;
--table, --set, a missing LibreOffice and next year's tables."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from builder.importing import documents
from builder.importing.run import ImportUsageError, Options, import_files
from builder.settings import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "tests" / "import_attachments"
SHIPPED = PROJECT_ROOT / "datapackages" / "audit-statistics"
FED = ("acceptances", "platform_completions", "targets", "printed_totals")
FORMATS = ("xlsx", "xls", "docx", "pdf")
ATT1 = {"source_id": "gd-2022-notice-att1"}
ATT2 = {"source_id": "gd-2022-notice-att2"}


def _emptied(data: Path) -> None:
    """The resources the attachments feed, down to their header rows: the attachments must rebuild them."""
    for name in FED:
        path = data / "audit-statistics" / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")


def _import(paths, data, **options):
    return import_files([Path(p) for p in paths], "audit-statistics", data, Options(**options))


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_seed_attachments_rebuild_the_shipped_csvs_byte_for_byte(data_copy, suffix):
    _emptied(data_copy)
    first = _import([FIXTURES / f"attachment-1.{suffix}"], data_copy, sets=ATT1)
    assert all(r.valid and r.written for r in first), [p for r in first for p in r.errors]
    second = _import([FIXTURES / f"attachment-2.{suffix}"], data_copy, sets=ATT2)
    assert all(r.valid and r.written for r in second), [p for r in second for p in r.errors]
    for name in FED:
        assert (data_copy / "audit-statistics" / f"{name}.csv").read_bytes() == (
            SHIPPED / f"{name}.csv"
        ).read_bytes(), name
    rules = {p.rule for p in first[0].warnings}
    assert {"attachment-title", "attachment-two-row-header", "attachment-note", "total-checked", "city-alias"} <= rules


def test_reimporting_an_attachment_already_in_changes_nothing(data_copy):
    reports = _import([FIXTURES / "attachment-1.docx"], data_copy, sets=ATT1)
    assert [r.target for r in reports] == [
        "audit-statistics/acceptances",
        "audit-statistics/platform_completions",
        "audit-statistics/printed_totals",
    ]
    assert all(r.valid and not r.changed for r in reports)
    assert reports[0].merge.unchanged == 42 and not reports[0].merge.added


def test_the_year_and_date_come_from_the_title_and_the_note_and_set_overrides(data_copy):
    _emptied(data_copy)
    reports = _import([FIXTURES / "attachment-1.xlsx"], data_copy, sets={**ATT1, "year": "2023"}, check=True)
    assert all(r.valid for r in reports)
    acceptances = reports[0].merge.added
    assert acceptances[0] == "year=2023，city_code=440100，lead_department=industry_it"
    missing = _import([FIXTURES / "attachment-1.xlsx"], data_copy, check=True)
    assert [p.rule for p in missing[0].errors] == ["profile-missing-value"]
    assert "--set source_id=gd-2022-notice-att1" in missing[0].errors[0].hint


def _altered(tmp_path: Path, edit) -> Path:
    book = openpyxl.load_workbook(FIXTURES / "attachment-1.xlsx")
    edit(book.active)
    path = tmp_path / "附件1.xlsx"
    book.save(path)
    return path


def test_a_total_that_differs_from_the_sum_names_both_numbers_and_nothing_is_written(data_copy, tmp_path):
    path = _altered(tmp_path, lambda sheet: sheet.cell(5, 3, 197))  # 广州 198 → 197: column and row totals differ
    before = {name: (data_copy / "audit-statistics" / f"{name}.csv").read_bytes() for name in FED}
    reports = _import([path], data_copy, sets=ATT1)
    errors = [(p.rule, p.row, p.value) for r in reports for p in r.errors]
    assert ("total-mismatch", 26, "861") in errors
    assert ("row-total-mismatch", 5, "217") in errors
    message = next(p.message for r in reports for p in r.errors if p.rule == "total-mismatch")
    assert "印的是 861" in message and "之和是 860" in message
    assert not any(r.written for r in reports)
    assert before == {name: (data_copy / "audit-statistics" / f"{name}.csv").read_bytes() for name in FED}


def test_a_serial_number_that_does_not_run_one_to_n_is_an_error(data_copy, tmp_path):
    path = _altered(tmp_path, lambda sheet: sheet.cell(7, 1, 4))  # 珠海's 序号 3 → 4
    reports = _import([path], data_copy, sets=ATT1)
    assert [(p.rule, p.row, p.value) for p in reports[0].errors] == [("serial-number", 7, "4")]
    assert "序号应为 3" in reports[0].errors[0].message


def test_next_years_tables_append_to_the_earlier_ones(data_copy, tmp_path):
    def next_year(sheet):
        sheet.cell(2, 1, "2022 年通过清洁生产审核验收企业情况（家）")

    path = _altered(tmp_path, next_year)
    shipped = (data_copy / "audit-statistics" / "acceptances.csv").read_text(encoding="utf-8")
    reports = _import([path], data_copy, sets={"source_id": "gd-2022-notice-att1"})
    assert all(r.valid and r.written for r in reports), [p for r in reports for p in r.errors]
    written = (data_copy / "audit-statistics" / "acceptances.csv").read_text(encoding="utf-8")
    assert written.startswith(shipped) and written.count("\n2022,") == 42
    totals = (data_copy / "audit-statistics" / "printed_totals.csv").read_text(encoding="utf-8")
    assert "gd-2022-notice-att1,acceptances,2022,,,enterprises,1901,合计" in totals


def test_a_plain_resource_takes_a_docx_table_with_table_and_set(data_copy, tmp_path):
    import docx

    document = docx.Document()
    for rows in ([["说明"], ["无关"]], [["行政区划代码", "预期目标"], ["广州", "151"]]):
        grid = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    path = tmp_path / "目标.docx"
    document.save(str(path))
    options = dict(sets={"year": "2022", "source_id": "gd-2022-notice-att2"}, mode="update")
    with pytest.raises(ImportUsageError, match="有 2 个表格.*--table"):
        import_files([path], "audit-statistics/targets", data_copy, Options(**options))
    report = import_files([path], "audit-statistics/targets", data_copy, Options(table=2, **options))[0]
    assert report.valid and report.written, report.errors
    assert "2022,440100,151,gd-2022-notice-att2\n" in (data_copy / "audit-statistics" / "targets.csv").read_text(
        encoding="utf-8"
    )


def test_wps_and_old_word_files_name_libreoffice_when_it_is_missing(data_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(documents.shutil, "which", lambda name: None)
    for suffix, package in (
        (".doc", "libreoffice-writer"),
        (".et", "libreoffice-calc"),
        (".wps", "libreoffice-writer"),
    ):
        path = tmp_path / f"附件{suffix}"
        path.write_bytes(b"\xd0\xcf\x11\xe0")
        with pytest.raises(ImportUsageError, match=f"需要 LibreOffice.*{package}"):
            import_files([path], "audit-statistics", data_copy, Options())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed here")
def test_old_word_and_wps_files_convert_through_libreoffice(
    data_copy, tmp_path
):  # pragma: no cover - needs LibreOffice
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(FIXTURES / "attachment-2.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    shutil.copy(FIXTURES / "attachment-1.xls", tmp_path / "附件1.et")  # a WPS spreadsheet, read by its content
    _emptied(data_copy)
    for path, sets in ((tmp_path / "附件1.et", ATT1), (tmp_path / "attachment-2.doc", ATT2)):
        reports = _import([path], data_copy, sets=sets)
        assert all(r.valid and r.written for r in reports), [p for r in reports for p in r.errors]
    for name in FED:
        assert (data_copy / "audit-statistics" / f"{name}.csv").read_bytes() == (
            SHIPPED / f"{name}.csv"
        ).read_bytes(), name


def test_the_command_imports_an_attachment_in_one_line(data_copy):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "builder",
            "import",
            str(FIXTURES / "attachment-2.pdf"),
            "--into",
            "audit-statistics",
            "--set",
            "source_id=gd-2022-notice-att2",
            "--data",
            str(data_copy),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "（导入配置 attachment-2） → audit-statistics/targets" in result.stdout
    assert "合计：2 项导入（1 个文件、2 个资源）" in result.stdout and "全部已写入" in result.stdout


def _printed_targets(path, guangzhou="151", total="251", serial_two=2):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (
        ["附件 2"],
        ["2022 年各地清洁生产审核预期目标（更正）"],
        ["序号", "地市", "预期目标"],
        [1, "广州", int(guangzhou)],
        [serial_two, "深圳", 100],
        ["合计", "", int(total)],
        ["注：更正广州的目标。"],
    ):
        sheet.append(row)
    sheet.merge_cells("A6:B6")
    book.save(path)
    return path


def test_a_printed_table_imports_into_one_resource_with_its_title_total_and_note_recognised(data_copy, tmp_path):
    path = _printed_targets(tmp_path / "更正目标.xlsx")
    options = Options(sets={"year": "2022", "source_id": "gd-2022-notice-att2"}, mode="update")
    report = import_files([path], "audit-statistics/targets", data_copy, options)[0]
    assert report.valid and report.written, report.errors
    assert {"attachment-title", "attachment-note", "total-checked"} <= {p.rule for p in report.warnings}
    city = next(p for p in report.warnings if p.rule == "city-alias")
    assert (city.row, city.column) == (4, "B")  # the column as Excel names it, 序号 still counted
    assert report.merge.changed_rows == 1 and report.counts.records == 7
    wrong = _printed_targets(tmp_path / "错.xlsx", total="250", serial_two=3)
    refused = import_files([wrong], "audit-statistics/targets", data_copy, options)[0]
    assert sorted(p.rule for p in refused.errors) == ["serial-number", "total-mismatch"]


def test_a_plain_table_without_serial_numbers_keeps_refusing_title_rows(data_copy):
    report = import_files(
        [PROJECT_ROOT / "tests" / "import_corpus" / "title-row.csv"], "audit-statistics/targets", data_copy, Options()
    )[0]
    assert "title-row" in [p.rule for p in report.errors]


@pytest.mark.skipif(not (FIXTURES / "make_fixtures.py").is_file(), reason="generator missing")
def test_the_fixtures_are_what_the_generator_writes_from_the_seed_text(tmp_path):
    from builder.importing.findings import Place
    from builder.importing.source import read_source
    from tests.import_attachments import make_fixtures

    if not make_fixtures.FONT.is_file():
        pytest.skip("fonts-wqy-microhei is not installed: the PDF cannot be regenerated here")
    place = Place("audit-statistics", None, "附件")
    for path in make_fixtures.main(tmp_path):
        fresh = [r.cells for r in read_source(path, place)[0].records]
        committed = [r.cells for r in read_source(FIXTURES / path.name, place)[0].records]
        assert fresh == committed and len(fresh) > 20, path.name
