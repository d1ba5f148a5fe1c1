"""The command line as a maintainer uses it: exit codes and messages."""

import json
import subprocess
import sys

from builder.settings import PROJECT_ROOT
from helpers import replace_once


def run(*args: str):
    return subprocess.run(
        [sys.executable, "-m", "builder", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, encoding="utf-8"
    )


def test_validate_exits_0_on_the_shipped_data(data_copy):
    result = run("validate", "--data", str(data_copy))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "没有发现错误" in result.stdout


def test_validate_exits_1_and_names_the_changed_row(data_copy):
    replace_once(
        data_copy / "audit-statistics" / "acceptances.csv", "2021,440300,industry_it,37,", "2021,440300,industry_it,38,"
    )
    result = run("validate", "--data", str(data_copy))
    assert result.returncode == 1
    assert "datapackages/audit-statistics/printed_totals.csv，第 3 行，字段 value，值 '103'" in result.stdout
    assert "acceptances.csv" in result.stdout and "第 4 行（38）" in result.stdout


def test_validate_json_report(data_copy):
    replace_once(
        data_copy / "audit-statistics" / "acceptances.csv", "2021,440300,industry_it,37,", "2021,440300,industry_it,38,"
    )
    result = run("validate", "--data", str(data_copy), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    # Three printed totals no longer add up, and the notice's table still prints 37 (transcription check).
    assert report["valid"] is False and report["error_count"] == 4
    assert sorted(e["rule"] for e in report["errors"]) == ["printed-total"] * 3 + ["transcription-mismatch"]
    first = report["errors"][0]
    assert set(first) >= {"package", "resource", "path", "row", "field", "value", "rule", "message"}
    assert 4 in first["related_rows"]


def test_bad_usage_exits_2(tmp_path):
    assert run("validate", "--format", "xml").returncode == 2
    assert run("frobnicate").returncode == 2
    missing = run("validate", "--data", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "数据目录不存在" in missing.stderr


def test_build_refuses_invalid_data_and_reports_it(data_copy, tmp_path):
    replace_once(data_copy / "audit-statistics" / "targets.csv", "2022,440300,100,", "2022,440300,-5,")
    out = tmp_path / "out"
    result = run("build", "--data", str(data_copy), "--out", str(out))
    assert result.returncode == 1
    assert "targets.csv，第 3 行，字段 target，值 '-5'" in result.stderr
    assert not out.exists()
