"""Hostile and broken files are refused with a Chinese message, never a traceback, and cheaply: an XML entity
expansion, a workbook that inflates to hundreds of MB (the 300,000-row file of issue 17), a broken ZIP, a CSV
past the row limit, and a limit set in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile

import openpyxl
import pytest

from builder.importing.limits import MB, Limits
from builder.importing.run import import_file
from builder.settings import PROJECT_ROOT

INTO = "audit-statistics/targets"
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


def _workbook(path):
    book = openpyxl.Workbook()
    book.active.append(["年度", "行政区划代码", "预期目标", "来源"])
    book.active.append([2022, "440100", 150, "gd-2022-notice-att2"])
    book.save(path)


def _rewrite_part(source, target, part, text_of):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, text_of(data) if info.filename == part else data)


def _refused(report, rule):
    assert not report.written and report.encoding is None
    assert [p.rule for p in report.errors] == [rule], report.errors
    problem = report.errors[0]
    assert problem.message and problem.hint and problem.path
    return problem


def test_entity_expansion_in_a_sheet_is_refused_before_parsing(data_copy, tmp_path):
    plain, hostile = tmp_path / "plain.xlsx", tmp_path / "laughs.xlsx"
    _workbook(plain)
    _rewrite_part(
        plain,
        hostile,
        "xl/worksheets/sheet1.xml",
        lambda data: (
            data.replace(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', b"", 1)
            .replace(b"<?xml version='1.0' encoding='UTF-8'?>", b"", 1)
            .join([LAUGHS.encode(), b""])
        ),
    )
    problem = _refused(import_file(hostile, INTO, data_copy), "xml-entities")
    assert "xl/worksheets/sheet1.xml" in problem.message and "实体" in problem.message


def _inflating_xlsx(path, rows: int) -> None:
    """A small .xlsx whose one sheet holds `rows` wide rows: the zip bomb of issue 17, streamed, never in memory."""
    _workbook(path.with_suffix(".base.xlsx"))
    cells = "".join(f'<c t="inlineStr"><is><t>{"填" * 60}</t></is></c>' for _ in range(8))
    with (
        zipfile.ZipFile(path.with_suffix(".base.xlsx")) as old,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                new.writestr(info.filename, old.read(info))
        with new.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            block = "".join(f"<row>{cells}</row>" for _ in range(1000)).encode()
            for _ in range(rows // 1000):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "炸弹.xlsx"
    _inflating_xlsx(path, 300_000)
    return path


def test_a_workbook_that_inflates_to_hundreds_of_mb_is_refused_in_well_under_a_second(data_copy, bomb):
    assert bomb.stat().st_size < 5 * MB
    with zipfile.ZipFile(bomb) as archive:
        assert sum(info.file_size for info in archive.infolist()) > 300 * MB
    start = time.perf_counter()
    problem = _refused(import_file(bomb, INTO, data_copy), "inflated-too-large")
    assert time.perf_counter() - start < 1.0
    assert "解压后却有" in problem.message and "50.0 MB" in problem.message


def test_the_row_limit_stops_a_workbook_within_the_inflated_limit(data_copy, tmp_path):
    path = tmp_path / "多行.xlsx"
    _inflating_xlsx(path, 3000)
    problem = _refused(import_file(path, INTO, data_copy, limits=Limits(rows=2000)), "too-many")
    assert "行数" in problem.message and "2000" in problem.message and "rows" in problem.hint


@pytest.mark.parametrize("content", [b"PK\x03\x04 not a zip", b"", bytes(range(256)) * 8])
def test_broken_workbooks_are_refused_in_chinese(data_copy, tmp_path, content):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(content)
    problem = _refused(import_file(path, INTO, data_copy), "broken-file")
    assert "无法读取文件" in problem.message


def test_a_csv_past_the_size_or_row_limit_is_refused(data_copy, tmp_path):
    path = tmp_path / "大.csv"
    path.write_text("年度,行政区划代码,预期目标,来源\n" + "2022,440100,150,x\n" * 5000, encoding="utf-8")
    _refused(import_file(path, INTO, data_copy, limits=Limits(rows=1000)), "too-many")
    problem = _refused(import_file(path, INTO, data_copy, limits=Limits(file_bytes=1000)), "file-too-large")
    assert "file_bytes" in problem.hint


def test_limits_are_read_from_pyproject_and_checked():
    assert Limits.from_options({"rows": 10}).rows == 10
    with pytest.raises(ValueError, match="正整数"):
        Limits.from_options({"rows": "10"})
    with pytest.raises(ValueError, match="多了：row"):
        Limits.from_options({"row": 10})


def test_the_command_line_refuses_the_bomb_without_a_traceback_and_little_memory(data_copy, bomb):
    # VmHWM is the peak of this program's own memory: getrusage's maxrss would also count the memory of
    # the pytest process it was forked from (Linux carries it across exec), which grows as the suite runs.
    code = (
        "import re, sys; from builder.cli import main; rc = main(sys.argv[1:]); "
        "print('MAXRSS', re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)); "
        "sys.exit(rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "import", str(bomb), "--into", INTO, "--data", str(data_copy)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "[inflated-too-large]" in result.stdout and "未写入" in result.stdout
    maxrss_kb = int(result.stdout.rsplit("MAXRSS", 1)[1])
    assert maxrss_kb < 400 * 1024  # the interpreter with pandas and frictionless, nothing inflated


ATTACHMENTS = PROJECT_ROOT / "tests" / "import_attachments"


def test_a_docx_with_entities_or_past_the_limits_is_refused(data_copy, tmp_path):
    hostile = tmp_path / "laughs.docx"
    _rewrite_part(
        ATTACHMENTS / "attachment-2.docx",
        hostile,
        "word/document.xml",
        lambda data: LAUGHS.encode() + data.split(b"?>", 1)[1],
    )
    problem = _refused(import_file(hostile, INTO, data_copy), "xml-entities")
    assert "word/document.xml" in problem.message
    _refused(
        import_file(ATTACHMENTS / "attachment-2.docx", INTO, data_copy, limits=Limits(inflated_bytes=1000)),
        "inflated-too-large",
    )
    _refused(import_file(ATTACHMENTS / "attachment-2.docx", INTO, data_copy, limits=Limits(rows=10)), "too-many")


def test_a_pdf_past_the_page_limit_or_broken_is_refused(data_copy, tmp_path):
    problem = _refused(
        import_file(ATTACHMENTS / "attachment-2.pdf", INTO, data_copy, limits=Limits(pages=0)), "too-many"
    )
    assert "页数" in problem.message and "pages" in problem.hint
    broken = tmp_path / "坏.pdf"
    broken.write_bytes(bytes(range(256)) * 4)
    _refused(import_file(broken, INTO, data_copy), "broken-file")
