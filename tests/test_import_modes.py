"""Corrections never lose rows: --mode replace|update|append, --delete-missing, --check, and an accounting of
every row (read, added, changed, unchanged, removed, refused). The one-row correction file of issue 17 is the case."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from builder.importing.run import ImportUsageError, import_file
from builder.settings import PROJECT_ROOT

HEADER = "年度,行政区划代码,牵头主管部门,验收企业数,来源\n"
GUANGZHOU_IT = "2021,440100,industry_it,{n},gd-2022-notice-att1\n"
INTO = "audit-statistics/acceptances"


@pytest.fixture
def correction(tmp_path):
    path = tmp_path / "更正.csv"
    path.write_text(HEADER + GUANGZHOU_IT.format(n=199), encoding="utf-8")
    return path


def _acceptances(data):
    return data / "audit-statistics" / "acceptances.csv"


def test_replace_refuses_to_drop_41_rows_and_names_them(data_copy, correction):
    before = _acceptances(data_copy).read_bytes()
    report = import_file(correction, INTO, data_copy)
    assert not report.valid and not report.written
    assert [p.rule for p in report.errors] == ["rows-would-be-removed"]
    message = report.errors[0].message
    assert "导入会删除现有 41 行：数据包文件现有 42 行，导入文件只有 1 行" in message
    assert "year=2021，city_code=440100，lead_department=ecology_environment" in message
    assert "--mode update" in report.errors[0].hint and "--delete-missing" in report.errors[0].hint
    assert _acceptances(data_copy).read_bytes() == before


def test_delete_missing_removes_and_lists_what_it_removed(data_copy, correction):
    report = import_file(correction, INTO, data_copy, delete_missing=True)
    assert report.valid and report.written
    assert len(report.merge.removed) == 41 and report.merge.changed_rows == 1
    assert "删除 41 行（year=2021，city_code=440100，lead_department=ecology_environment；" in report.summary()
    assert _acceptances(data_copy).read_text(encoding="utf-8") == (
        "year,city_code,lead_department,enterprises,source_id\n" + GUANGZHOU_IT.format(n=199)
    )


def test_update_changes_one_cell_and_keeps_every_other_byte(data_copy, correction):
    shipped = _acceptances(data_copy).read_text(encoding="utf-8")
    report = import_file(correction, INTO, data_copy, mode="update")
    assert report.valid and report.written
    change = report.merge.changes[0]
    assert (change.field, change.before, change.after) == ("enterprises", "198", "199")
    assert _acceptances(data_copy).read_text(encoding="utf-8") == shipped.replace(
        GUANGZHOU_IT.format(n=198), GUANGZHOU_IT.format(n=199)
    )
    assert "新增 0 行，修改 1 行（1 个单元格），未变 0 行，删除 0 行；写入后共 42 行。" in report.summary()


def test_update_refuses_a_key_that_is_not_there(data_copy, tmp_path):
    path = tmp_path / "新年度.csv"
    path.write_text(HEADER + "2022,440100,industry_it,5,gd-2022-notice-att1\n", encoding="utf-8")
    before = _acceptances(data_copy).read_bytes()
    report = import_file(path, INTO, data_copy, mode="update")
    assert [p.rule for p in report.errors] == ["update-unknown-key"]
    assert report.errors[0].row == 2 and "--mode append" in report.errors[0].hint
    assert _acceptances(data_copy).read_bytes() == before


def test_append_adds_new_keys_at_the_end_and_refuses_changed_ones(data_copy, tmp_path):
    shipped = _acceptances(data_copy).read_text(encoding="utf-8")
    path = tmp_path / "追加.csv"
    path.write_text(
        HEADER + GUANGZHOU_IT.format(n=198) + "2022,440100,industry_it,5,gd-2022-notice-att1\n", encoding="utf-8"
    )
    report = import_file(path, INTO, data_copy, mode="append")
    assert report.valid, report.errors
    assert (len(report.merge.added), report.merge.unchanged, report.merge.changed_rows) == (1, 1, 0)
    assert (
        _acceptances(data_copy).read_text(encoding="utf-8")
        == shipped + "2022,440100,industry_it,5,gd-2022-notice-att1\n"
    )
    path.write_text(HEADER + GUANGZHOU_IT.format(n=199), encoding="utf-8")
    refused = import_file(path, INTO, data_copy, mode="append")
    assert [p.rule for p in refused.errors] == ["append-existing-key"]
    assert "enterprises '198' → '199'" in refused.errors[0].message


@pytest.mark.parametrize("mode", ["replace", "update", "append"])
def test_check_writes_nothing_in_any_mode(data_copy, correction, mode):
    before = _acceptances(data_copy).read_bytes()
    report = import_file(correction, INTO, data_copy, mode=mode, check=True)
    assert not report.written and _acceptances(data_copy).read_bytes() == before
    assert report.check


def test_every_row_is_accounted_for(data_copy):
    shipped = _acceptances(data_copy)
    report = import_file(shipped, INTO, data_copy)  # the file onto itself: every row unchanged
    c, m = report.counts, report.merge
    assert c.rows_read == 42 == len(m.added) + m.changed_rows + m.unchanged + c.rows_refused
    assert m.unchanged == 42 and not m.removed and not report.changed


def test_unknown_mode_is_bad_usage(data_copy, correction):
    with pytest.raises(ImportUsageError, match="--mode"):
        import_file(correction, INTO, data_copy, mode="merge")


def test_cli_check_prints_each_changed_cell_before_and_after(data_copy, correction):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "builder",
            "import",
            str(correction),
            "--into",
            INTO,
            "--data",
            str(data_copy),
            "--mode",
            "update",
            "--check",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert out.startswith("✓ 检查") and "按 --check 未写入" in out
    assert "- 第 2 行（year=2021，city_code=440100，lead_department=industry_it）字段 enterprises：'198' → '199'" in out
    assert "读取 1 行数据 = 将写入 1 行 + 拒绝 0 行。" in out
    json_out = subprocess.run(
        [
            sys.executable,
            "-m",
            "builder",
            "import",
            str(correction),
            "--into",
            INTO,
            "--data",
            str(data_copy),
            "--format",
            "json",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    document = json.loads(json_out.stdout)
    assert json_out.returncode == 1 and len(document["accounting"]["removed"]) == 41
