"""Publishing guards: data changed under a released version is a warning while editing, and an error — naming
the version to raise to — in the build that publishes (CI runs `validate --publishing` before deploying)."""

from __future__ import annotations

import json
import subprocess
import sys

from builder.settings import PROJECT_ROOT
from builder.validate import validate

RELEASES = PROJECT_ROOT / "releases"


def _change_a_target(data_copy):
    path = data_copy / "audit-statistics" / "targets.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2022,440100,150,", "2022,440100,151,"), encoding="utf-8")
    return json.loads((data_copy / "audit-statistics" / "datapackage.json").read_text(encoding="utf-8"))["version"]


def test_a_changed_release_is_a_warning_while_editing_and_an_error_when_publishing(data_copy):
    version = _change_a_target(data_copy)
    editing = [p for p in validate(data_copy, RELEASES).problems if p.rule == "release-changed"]
    assert editing and all(not p.is_error for p in editing)
    publishing = [p for p in validate(data_copy, RELEASES, publishing=True).problems if p.rule == "release-changed"]
    assert publishing and all(p.is_error for p in publishing)
    major, minor, patch = version.split(".")
    assert f"version 提高到 {major}.{minor}.{int(patch) + 1}" in publishing[0].message
    assert "python -m builder release" in publishing[0].message


def test_the_publishing_check_fails_the_command_and_ci_runs_it(data_copy):
    _change_a_target(data_copy)
    result = subprocess.run(
        [sys.executable, "-m", "builder", "validate", "--publishing", "--data", str(data_copy)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 1 and "发布构建不允许改动已发布的" in result.stdout
    workflow = (PROJECT_ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    assert "python -m builder validate --publishing" in workflow
