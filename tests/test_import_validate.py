"""`validate` applies the import's file-level rules to the package files themselves, and import refuses to read
or write a resource whose path is not a plain file inside its package."""

from __future__ import annotations

import json
import os

import pytest

from builder.importing.package_check import check_package_files
from builder.importing.paths import unsafe_reason
from builder.importing.run import ImportUsageError, import_file
from builder.load import load
from builder.validate import validate
from test_validate import replace_once

POLICY_SUMMARY = "本站未收录其全文。,,成文日期为通过日期。"


def only(problems, rule):
    found = [p for p in problems if p.rule == rule]
    assert found, f"no {rule} problem in {problems}"
    return found


def test_shipped_package_files_pass_the_import_rules(data_copy):
    assert check_package_files(load(data_copy)) == []
    assert validate(data_copy).valid


@pytest.mark.parametrize("inserted,rule", [
    ("=HYPERLINK(\"http://example.invalid\")", "formula-text"),
    ("\u202e逆序文字", "bidi-control"),
    ("控制\u0007字符", "control-character"),
    ("骞垮窞甯傛竻娲佺敓浜�", "replacement-character"),
    ("广东省工业和信息化厅".encode("utf-8").decode("gb18030"), "mojibake"),
    ("联系人手机 13812345678", "personal-data"),
])
def test_validate_refuses_what_import_would_refuse(data_copy, inserted, rule):
    policies = data_copy / "policies" / "policies.csv"
    replace_once(policies, POLICY_SUMMARY, f"本站未收录其全文。,,\"{inserted.replace(chr(34), chr(34) * 2)}\"")
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


@pytest.mark.parametrize("path,why", [
    ("/etc/passwd", "绝对路径"),
    ("C:/data/targets.csv", "绝对路径"),
    ("../reference/cities.csv", ".."),
    ("sub/../../x.csv", ".."),
    ("https://example.invalid/targets.csv", "URL"),
    ("file:///etc/passwd", "URL"),
    ("data\\targets.csv", "反斜杠"),
    (".hidden/targets.csv", "隐藏"),
    ("", "不是一个文件名"),
])
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
