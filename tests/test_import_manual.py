"""The maintainers' manual (MAINTAINING.md) as written: every `python -m builder` command in its shell blocks runs
exactly as printed (on a copy of the data, with the example files it names) and succeeds; every message rule is
explained; the README opens with a Chinese summary that links to it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

import docx
import pytest

from builder.importing.messages import RULES
from builder.settings import PROJECT_ROOT

MANUAL = PROJECT_ROOT / "MAINTAINING.md"
FIXTURES = PROJECT_ROOT / "tests" / "import_attachments"
NOT_RUN = {"release"}  # writes releases/ of the project itself: covered by tests/test_catalogue.py


def _commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", MANUAL.read_text(encoding="utf-8"), re.S)
    return [line for block in blocks for line in block.splitlines() if line.startswith(".venv/bin/python -m builder")]


COMMANDS = _commands()


def _example_files(folder, data_copy) -> None:
    """The files the manual's examples name, as a maintainer would have them."""
    (folder / "更正.csv").write_text(
        "年度,地市,牵头主管部门,验收企业数,来源\n2021,广州,工业和信息化,199,gd-2022-notice-att1\n", encoding="utf-8"
    )
    document = docx.Document()
    for rows in ([["附件说明"], ["（略）"]], [["地市", "预期目标"], ["广州", "151"]]):
        grid = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    document.save(str(folder / "目标.docx"))
    lines = (data_copy / "audit-statistics" / "targets.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    for number, part in enumerate((lines[1:8], lines[8:15], lines[15:]), 1):
        (folder / f"第{number}批.csv").write_text(lines[0] + "".join(part), encoding="utf-8")
    shutil.copy(FIXTURES / "attachment-1.xlsx", folder / "附件1.xlsx")
    shutil.copy(FIXTURES / "attachment-2.pdf", folder / "附件2.pdf")


def test_the_manual_shows_each_step():
    verbs = [shlex.split(c)[3] for c in COMMANDS]
    assert verbs.count("import") >= 6 and {"validate", "release"} <= set(verbs)
    text = MANUAL.read_text(encoding="utf-8")
    for needed in (
        "make site",
        "make serve",
        "SITE_URL",
        "GitHub Pages",
        "--delete-missing",
        "import_limits",
        "推送到 main",
    ):
        assert needed in text, needed


@pytest.mark.parametrize("command", [c for c in COMMANDS if shlex.split(c)[3] not in NOT_RUN])
def test_each_command_of_the_manual_runs_as_written(command, data_copy, tmp_path):
    _example_files(tmp_path, data_copy)
    args = shlex.split(command)
    result = subprocess.run(
        [sys.executable, *args[1:], "--data", str(data_copy)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    assert result.returncode == 0, command + "\n" + result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_every_message_rule_is_explained_in_the_manual():
    text = MANUAL.read_text(encoding="utf-8")
    assert [name for name in RULES if f"`{name}`" not in text] == []


def test_the_readme_opens_in_chinese_and_links_the_manual():
    head = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")[:3000]
    assert "MAINTAINING.md" in head and "维护手册" in head
    assert "## 简介" in head


def test_the_limits_the_manual_prints_are_the_defaults():
    import dataclasses
    import tomllib

    from builder.importing.limits import Limits

    block = re.search(r"```toml\n(.*?)```", MANUAL.read_text(encoding="utf-8"), re.S).group(1)
    assert tomllib.loads(block)["tool"]["builder"]["import_limits"] == dataclasses.asdict(Limits())
