"""`validate` applies the import's file-level rules to the package files themselves, and import refuses to read
or write a resource whose path is not a plain file inside its package."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.data.load import load, load_package
from builder.importing import package_check, rules
from builder.importing.package_check import check_package_files
from builder.importing.paths import unsafe_reason
from builder.importing.run import ImportUsageError, import_file
from builder.validate import validate
from helpers import DATA, replace_once

POLICY_SUMMARY = "本站未收录其全文。,,成文日期为通过日期。"


def only(problems, rule):
    found = [p for p in problems if p.rule == rule]
    assert found, f"no {rule} problem in {problems}"
    return found


def test_shipped_package_files_pass_the_import_rules(data_copy):
    assert check_package_files(load(data_copy)) == []
    assert validate(data_copy).valid


@pytest.mark.parametrize(
    "inserted,rule",
    [
        ('=HYPERLINK("http://example.invalid")', "formula-text"),
        ("\u202e逆序文字", "bidi-control"),
        ("控制\u0007字符", "control-character"),
        ("骞垮窞甯傛竻娲佺敓浜�", "replacement-character"),
        ("广东省工业和信息化厅".encode().decode("gb18030"), "mojibake"),
        ("联系人手机 13812345678", "personal-data"),
    ],
)
def test_validate_refuses_what_import_would_refuse(data_copy, inserted, rule):
    policies = data_copy / "policies" / "policies.csv"
    replace_once(policies, POLICY_SUMMARY, f'本站未收录其全文。,,"{inserted.replace(chr(34), chr(34) * 2)}"')
    problems = validate(data_copy).problems
    problem = only(problems, rule)[0]
    assert problem.path.endswith("policies/policies.csv")
    assert (problem.row, problem.field) == (3, "metadata_note")
    assert problem.column == "K" and "处理办法：" in problem.message


def test_a_bom_in_a_package_file_is_reported(data_copy):
    targets = data_copy / "audit-statistics" / "targets.csv"
    targets.write_bytes(b"\xef\xbb\xbf" + targets.read_bytes())
    problem = only(validate(data_copy).problems, "bom-in-package")[0]
    assert problem.path.endswith("audit-statistics/targets.csv") and problem.line == 1


def test_a_negative_number_is_not_a_formula_but_negative_text_is(data_copy):
    from builder.importing.cells import refusals
    from builder.importing.findings import Place
    from builder.importing.target import FieldSpec

    place = Place("p", "r", "f.csv")
    number = FieldSpec("delta", "变化", "number", "number", False)
    text = FieldSpec("label", "标注", "string", "text", False)
    assert refusals("-5", number, place) == []
    assert [p.rule for p in refusals("-5", text, place)] == ["formula-text"]
    assert [p.rule for p in refusals("=5", number, place)] == ["formula-text"]


def test_blank_and_ragged_rows_in_package_files_are_reported(data_copy):
    catalog = load(data_copy)
    targets = data_copy / "audit-statistics" / "targets.csv"
    lines = targets.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "")
    lines[5] += ",多"
    targets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [(p.rule, p.row) for p in check_package_files(catalog) if p.path.endswith("targets.csv")]
    assert found == [("blank-row", 4), ("ragged-row", 6)]


def test_a_symlinked_resource_file_is_unsafe(data_copy, tmp_path):
    targets = data_copy / "audit-statistics" / "targets.csv"
    outside = tmp_path / "outside.csv"
    outside.write_bytes(targets.read_bytes())
    targets.unlink()
    os.symlink(outside, targets)
    problem = only(validate(data_copy).problems, "unsafe-path")[0]
    assert problem.value == "targets.csv" and "符号链接" in problem.message
    with pytest.raises(ImportUsageError, match="符号链接"):
        import_file(outside, "audit-statistics/targets", data_copy)
    assert targets.is_symlink() and outside.read_bytes() == targets.read_bytes()


def _set_path(data_dir, resource: str, path: str) -> None:
    descriptor_path = data_dir / "audit-statistics" / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["name"] == resource)["path"] = path
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def test_a_hidden_resource_file_is_unsafe_for_validate_and_import(data_copy):
    targets = data_copy / "audit-statistics" / "targets.csv"
    (data_copy / "audit-statistics" / ".targets.csv").write_bytes(targets.read_bytes())
    _set_path(data_copy, "targets", ".targets.csv")
    problem = only(validate(data_copy).problems, "unsafe-path")[0]
    assert problem.path.endswith("audit-statistics/datapackage.json") and "隐藏文件" in problem.message
    with pytest.raises(ImportUsageError, match="隐藏文件"):
        import_file(targets, "audit-statistics/targets", data_copy)


@pytest.mark.parametrize(
    "path,why",
    [
        ("/etc/passwd", "绝对路径"),
        ("C:/data/targets.csv", "绝对路径"),
        ("../reference/cities.csv", ".."),
        ("sub/../../x.csv", ".."),
        ("https://example.invalid/targets.csv", "URL"),
        ("file:///etc/passwd", "URL"),
        ("data\\targets.csv", "反斜杠"),
        (".hidden/targets.csv", "隐藏"),
        ("", "不是一个文件名"),
    ],
)
def test_unsafe_resource_paths_are_named(tmp_path, path, why):
    assert why in (unsafe_reason(tmp_path, path) or "")


def test_import_refuses_to_write_outside_the_package(data_copy, tmp_path):
    _set_path(data_copy, "targets", "../reference/targets.csv")
    source = tmp_path / "targets.csv"
    source.write_bytes((data_copy / "audit-statistics" / "targets.csv").read_bytes())
    with pytest.raises(ImportUsageError, match=r"'\.\./reference/targets\.csv' 不安全：用 \.\. 跳出了数据包目录"):
        import_file(source, "audit-statistics/targets", data_copy)
    assert not (data_copy / "reference" / "targets.csv").exists()
    assert unsafe_reason(data_copy / "audit-statistics", "targets.csv") is None


# --- validate checks only the rows a rule could refuse: it must find what checking every cell finds -----------

TRICKY = [
    "\u202e逆序",
    "控制\u0007字符",
    "tab\there",
    "骞垮窞\ufffd",
    "广东省工业和信息化厅".encode().decode("gb18030"),
    "广东".encode().decode("cp1252", errors="replace"),
    "å¹¿ä¸\x9c",
    "锟斤拷",
    "=1+1",
    "-5",
    "+x",
    "@x",
    "＝SUM",
    "－3",
    "13812345678",
    "someone@example.com",
    "11010519491231002X",
    "第一行\n第二行",
    "a\rb",
    "禅城区",
    "浈江区",
    "榄核",
    "≥³×·μ",
    "\u3000两端\u3000",
    "中文“引号”",
    "–",
    "\u2028",
    "x,y",
    '"引"',
    "",
    "  ",
    "锆铵黏膦",
    "ｘ＠ｙ．ｃｎ",
    "１３８１２３４５６７８",
    "\ue000私用",
]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.sampled_from(TRICKY)), max_size=6))
def test_the_rows_validate_skips_hold_nothing_it_would_refuse(data_copy, monkeypatch, edits):
    cases = data_copy / "technology-cases" / "technology_cases.csv"
    # Every example starts from the shipped file (the folder is shared by the examples), so that a
    # failure hypothesis reports is reproducible from its edits alone.
    shipped = (DATA / "technology-cases" / "technology_cases.csv").read_bytes()
    cases.write_bytes(shipped)
    catalog = {"technology-cases": load_package(data_copy / "technology-cases")}
    rows = list(csv.reader(io.StringIO(shipped.decode("utf-8"), newline="")))
    for row, column, value in edits:
        body = rows[1 + row % (len(rows) - 1)]
        body[column % len(body)] = value
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    cases.write_text(out.getvalue(), encoding="utf-8")
    quick = check_package_files(catalog)
    with monkeypatch.context() as patched:
        patched.setattr(package_check, "_suspect_lines", lambda *args: None)  # every row, cell by cell
        assert quick == check_package_files(catalog)


PLAIN = [chr(code) for code in range(0x4E00, 0xA000, 7)] + list("，。；：、（）《》！？—…·“”") + list("abc 123-_/")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PLAIN), min_size=1, max_size=12).map("".join))
def test_text_without_suspect_characters_passes_the_character_rules(text):
    if not rules.suspect_offsets(text):
        assert rules.invisible(text) == [] and rules.corrupted(text) is None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", "中", ",", "\n", " ", "\x0c", "\u2028", "\x85", ""]), max_size=30).map("".join))
def test_unquoted_text_is_split_as_the_csv_reader_splits_it(text):
    from builder.importing.findings import Place
    from builder.importing.source import parse_csv

    records, problems = parse_csv(text, Place("p", "r", "f.csv"))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    assert [(r.row, r.line, r.cells) for r in records] == [
        (n, reader.line_num, cells) for n, cells in enumerate(reader, 1)
    ]
    assert problems == []


def test_the_quick_sieve_lets_through_every_character_that_is_not_plain():
    """rules._unusual() skips the plain CJK characters without judging each: it must skip no other."""
    for code in range(0x80, 0x10000):
        char = chr(code)
        if char in rules.FORMULA_LEADS:
            continue
        assert (rules.suspect_offsets(char) == [0]) == (not rules._plain(char)), hex(code)
