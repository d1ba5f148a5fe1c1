"""Several files at once (e.g. the 21 cities' lists): reported per file and in total, written all or nothing."""

from __future__ import annotations

import subprocess
import sys

from builder.importing.run import Options, import_files
from builder.settings import PROJECT_ROOT

HEADER = "year,city_code,target,source_id\n"
INTO = "audit-statistics/targets"


def _split(data_copy, tmp_path):
    """The shipped targets cut into three files, as three cities' offices would send them."""
    lines = (data_copy / "audit-statistics" / "targets.csv").read_text(encoding="utf-8").splitlines(keepends=True)[1:]
    paths = []
    for number, part in enumerate((lines[:7], lines[7:14], lines[14:]), 1):
        path = tmp_path / f"第{number}批.csv"
        path.write_text(HEADER + "".join(part), encoding="utf-8")
        paths.append(path)
    return paths


def test_files_into_one_resource_are_merged_as_one_and_nothing_is_lost(data_copy, tmp_path):
    shipped = (data_copy / "audit-statistics" / "targets.csv").read_bytes()
    reports = import_files(_split(data_copy, tmp_path), INTO, data_copy, Options(mode="replace"))
    assert all(r.valid for r in reports) and [r.counts.rows_read for r in reports] == [7, 7, 7]
    assert reports[0].merge.unchanged == 21 and not reports[0].merge.removed
    assert (data_copy / "audit-statistics" / "targets.csv").read_bytes() == shipped


def test_one_bad_file_holds_back_every_file(data_copy, tmp_path):
    paths = _split(data_copy, tmp_path)
    paths[0].write_text(HEADER + "2022,440100,151,gd-2022-notice-att2\n", encoding="utf-8")
    paths[2].write_text(HEADER + "2022,440300,1.2万,gd-2022-notice-att2\n", encoding="utf-8")
    before = (data_copy / "audit-statistics" / "targets.csv").read_bytes()
    reports = import_files(paths, INTO, data_copy, Options(mode="update"))
    assert [r.valid for r in reports] == [True, True, False]
    assert reports[0].held and not any(r.written for r in reports)
    assert (data_copy / "audit-statistics" / "targets.csv").read_bytes() == before


def test_a_key_in_two_files_is_refused(data_copy, tmp_path):
    paths = _split(data_copy, tmp_path)
    paths[1].write_text(HEADER + "2022,440100,150,gd-2022-notice-att2\n", encoding="utf-8")
    reports = import_files(paths[:2], INTO, data_copy, Options(mode="append"))
    assert "duplicate-key-in-files" in [p.rule for r in reports for p in r.errors]


def test_the_command_reports_each_file_and_the_total(data_copy, tmp_path):
    paths = _split(data_copy, tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "builder",
            "import",
            *map(str, paths),
            "--into",
            INTO,
            "--data",
            str(data_copy),
            "--mode",
            "update",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("✓ 导入") == 3
    assert "合计：3 项导入（3 个文件、1 个资源），读取 21 行数据，0 个错误：全部已写入。" in result.stdout
