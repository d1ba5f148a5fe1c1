"""`python -m builder import` as a maintainer uses it: exit codes, the report, JSON, and an atomic write."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import openpyxl
import pytest

from builder.importing import write
from builder.importing.run import import_file
from builder.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "tests" / "import_corpus"
TARGETS = PROJECT_ROOT / "datapackages" / "audit-statistics" / "targets.csv"


def run(*args: str):
    return subprocess.run(
        [sys.executable, "-m", "builder", "import", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


@pytest.fixture
def gbk_targets(tmp_path):
    path = tmp_path / "各地目标.csv"
    path.write_bytes(TARGETS.read_text(encoding="utf-8").replace("\n", "\r\n").encode("gbk"))
    return path


def test_gbk_export_of_a_shipped_resource_imports_to_the_identical_file(data_copy, gbk_targets):
    (data_copy / "audit-statistics" / "targets.csv").write_text("stale\n", encoding="utf-8")
    result = run(str(gbk_targets), "--into", "audit-statistics/targets", "--data", str(data_copy))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("✓ 导入") and "已写入" in result.stdout
    assert "读取 21 行数据 = 写入 21 行 + 拒绝 0 行。" in result.stdout
    assert (data_copy / "audit-statistics" / "targets.csv").read_bytes() == TARGETS.read_bytes()


def test_bad_file_exits_1_and_says_where_what_and_how_to_fix(data_copy):
    target = data_copy / "audit-statistics" / "targets.csv"
    before = target.read_bytes()
    result = run(str(CORPUS / "unit-wan.csv"), "--into", "audit-statistics/targets", "--data", str(data_copy))
    assert result.returncode == 1
    out = result.stdout
    assert "发现 1 个错误" in out and "原文件保持不变" in out
    assert "unit-wan.csv，第 2 行，C 列，字段 target，值 '1.2万'" in out
    assert "[number-with-unit] 数值中含有单位或限定词 '万'。" in out
    assert "处理办法：只填写数字（单位：家）" in out and "x-multipliers" in out
    assert "读取 3 行数据 = 写入 0 行 + 拒绝 3 行（其中 1 行本身有错误，其余因文件有错误一并拒绝）。" in out
    assert target.read_bytes() == before


def test_json_report_is_machine_readable(data_copy):
    result = run(
        str(CORPUS / "footer-total.csv"),
        "--into",
        "audit-statistics/targets",
        "--data",
        str(data_copy),
        "--format",
        "json",
    )
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False and report["written"] is False and report["error_count"] == 1
    error = report["errors"][0]
    assert {k: error[k] for k in ("rule", "row", "line", "column", "value", "severity")} == {
        "rule": "footer-row",
        "row": 5,
        "line": 5,
        "column": "A",
        "value": "合计",
        "severity": "error",
    }
    assert error["message"] and error["hint"]
    assert report["counts"]["rows_read"] == report["counts"]["rows_written"] + report["counts"]["rows_refused"] == 4
    assert {w["rule"] for w in report["warnings"]} == {"decoded", "line-endings"}


def test_invisible_characters_are_escaped_in_the_text_report(data_copy):
    result = run(str(CORPUS / "bidi-override.csv"), "--into", "audit-statistics/sources", "--data", str(data_copy))
    assert result.returncode == 1
    assert "值 '统计截至\\u202e01-30-2202\\u202c。'" in result.stdout
    assert "\u202e" not in result.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (["--into", "audit-statistics/"], "--into 应写成"),
        (["--into", "reference"], "没有导入配置"),
        (["--into", "audit-statistics"], "与任何导入配置都不相符"),
        (["--into", "nowhere/targets"], "没有数据包"),
        (["--into", "audit-statistics/nothing"], "没有资源"),
        (["--into", "audit-statistics/targets", "--encoding", "klingon"], "未知的编码"),
    ],
)
def test_bad_usage_exits_2(data_copy, gbk_targets, args, message):
    result = run(str(gbk_targets), *args, "--data", str(data_copy))
    assert result.returncode == 2 and message in result.stderr


def test_missing_or_unsupported_file_exits_2(data_copy, tmp_path):
    missing = run(str(tmp_path / "nothing.csv"), "--into", "audit-statistics/targets", "--data", str(data_copy))
    assert missing.returncode == 2 and "找不到要导入的文件" in missing.stderr
    other = tmp_path / "book.numbers"
    other.write_bytes(b"PK")
    unsupported = run(str(other), "--into", "audit-statistics/targets", "--data", str(data_copy))
    assert unsupported.returncode == 2 and ".xls、.docx、.pdf" in unsupported.stderr
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")  # an old workbook cut short: read, found broken, refused
    legacy = run(str(old), "--into", "audit-statistics/targets", "--data", str(data_copy))
    assert legacy.returncode == 1 and "[broken-file] 无法读取文件" in legacy.stdout and "Traceback" not in legacy.stderr


def test_declared_encoding_comes_first_and_is_never_lossy(data_copy, tmp_path):
    source = tmp_path / "targets.csv"
    source.write_bytes("年度,行政区划代码,预期目标,来源\n2022,广州,150,gd-2022-notice-att2\n".encode("gbk"))
    ok = import_file(source, "audit-statistics/targets", data_copy, encoding="gbk", mode="update")
    assert ok.valid and ok.encoding == "gbk"
    wrong = import_file(source, "audit-statistics/targets", data_copy, encoding="utf-8")
    assert [(p.rule, p.line) for p in wrong.errors] == [("undecodable", 1)]
    assert wrong.encoding is None and "没有读取也没有写入任何行" in wrong.summary()


def test_a_workbook_with_several_sheets_needs_sheet(data_copy, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本工作簿为示例"])
    sheet = book.create_sheet("数据")
    for line in TARGETS.read_text(encoding="utf-8").splitlines():
        sheet.append(line.split(","))
    path = tmp_path / "book.xlsx"
    book.save(path)
    unclear = run(str(path), "--into", "audit-statistics/targets", "--data", str(data_copy))
    assert unclear.returncode == 2 and "--sheet" in unclear.stderr
    chosen = run(str(path), "--into", "audit-statistics/targets", "--data", str(data_copy), "--sheet", "数据")
    assert chosen.returncode == 0, chosen.stdout
    assert chosen.stdout.startswith("✓")
    assert (data_copy / "audit-statistics" / "targets.csv").read_bytes() == TARGETS.read_bytes()


def test_a_failed_write_leaves_the_target_and_no_temporary_file(data_copy, gbk_targets, monkeypatch):
    target = data_copy / "audit-statistics" / "targets.csv"
    target.write_text("stale\n", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        import_file(gbk_targets, "audit-statistics/targets", data_copy)
    assert target.read_text(encoding="utf-8") == "stale\n"
    assert sorted(p.name for p in target.parent.iterdir() if p.name.startswith(".")) == []


def test_written_file_keeps_its_permissions(data_copy, gbk_targets):
    target = data_copy / "audit-statistics" / "targets.csv"
    target.write_text("stale\n", encoding="utf-8")
    target.chmod(0o640)
    assert import_file(gbk_targets, "audit-statistics/targets", data_copy).written
    assert target.stat().st_mode & 0o777 == 0o640
    assert write.replace_atomically(target, target.read_bytes()) is False
