"""Translates frictionless validation reports into located, Chinese-language problems.

In: a frictionless `Report` for one data package.
Out: `Problem`s naming package, resource, file, row, field, value and the rule broken.
"""

from __future__ import annotations

import re
from pathlib import Path

from frictionless import Error, Report

from builder.problems import Problem, relative_path

# Chinese wording for the frictionless error types a maintainer is likely to meet.
ERROR_MESSAGES = {
    "type-error": "值不能按字段类型 {field_type} 解析",
    "constraint-error": "值违反约束：{constraint}",
    "unique-error": "值与前面的行重复，而该字段要求唯一",
    "primary-key": "主键重复：同一组主键字段的值已出现过",
    "foreign-key": "外键找不到被引用的行",
    "missing-cell": "缺少单元格（该行列数少于表头）",
    "extra-cell": "多出单元格（该行列数多于表头）",
    "blank-row": "空行",
    "duplicate-label": "表头重复",
    "incorrect-label": "表头与表结构中的字段名不一致",
    "missing-label": "缺少表头",
    "extra-label": "表头多于表结构中的字段",
    "blank-label": "表头为空",
    "encoding-error": "文件编码无法按 UTF-8 解码",
    "source-error": "文件无法读取",
    "scheme-error": "文件路径无法访问",
    "format-error": "文件格式无法识别",
    "package-error": "数据包描述文件不符合 Data Package 规范",
    "resource-error": "资源描述不符合 Data Resource 规范",
    "schema-error": "表结构不符合 Table Schema 规范",
    "field-error": "字段定义不符合 Table Schema 规范",
}

CONSTRAINT_NAMES = {
    "required": "必填",
    "unique": "唯一",
    "minimum": "最小值",
    "maximum": "最大值",
    "exclusiveMinimum": "大于",
    "exclusiveMaximum": "小于",
    "minLength": "最短长度",
    "maxLength": "最长长度",
    "pattern": "格式（正则表达式）",
    "enum": "允许的取值",
}

_CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)" is "(.*)"', re.S)


def _constraint_text(note: str) -> str:
    match = _CONSTRAINT_NOTE.search(note or "")
    if not match:
        return note or ""
    name, value = match.groups()
    label = CONSTRAINT_NAMES.get(name, name)
    return label if name in ("required", "unique") else f"{label} {value}"


def _message(error: Error, field: dict | None) -> str:
    template = ERROR_MESSAGES.get(error.type, "数据不符合表结构")
    text = template.format(
        field_type=(field or {}).get("type", "?"),
        constraint=_constraint_text(getattr(error, "note", "")),
    )
    note = getattr(error, "note", "")
    return f"{text}。（frictionless: {error.type}: {note}）" if note else f"{text}。"


def _fields_by_name(descriptor: dict, resource: str | None) -> dict[str, dict]:
    for entry in descriptor.get("resources", []):
        if entry.get("name") == resource:
            return {f["name"]: f for f in entry.get("schema", {}).get("fields", [])}
    return {}


def report_problems(report: Report, package: str, package_dir: Path, descriptor: dict) -> list[Problem]:
    problems: list[Problem] = []
    base = package_dir.parent
    # Package-level errors (metadata) come without tasks.
    for error in report.errors:
        problems.append(
            Problem(
                package=package,
                resource=None,
                path=relative_path(package_dir / "datapackage.json", base),
                row=None,
                field=None,
                value=None,
                rule=error.type,
                message=_message(error, None),
            )
        )
    for task in report.tasks:
        resource = task.name
        path = relative_path(package_dir / task.place, base) if task.place else None
        fields = _fields_by_name(descriptor, resource)
        for error in task.errors:
            field_name = getattr(error, "field_name", None)
            cell = getattr(error, "cell", None)
            if error.type in ("primary-key", "foreign-key"):
                cells = getattr(error, "cells", None) or []
                cell = ",".join(str(c) for c in cells) if cells else None
            problems.append(
                Problem(
                    package=package,
                    resource=resource,
                    path=path,
                    row=getattr(error, "row_number", None),
                    field=field_name,
                    value=None if cell is None else str(cell),
                    rule=error.type,
                    message=_message(error, fields.get(field_name or "")),
                )
            )
        # A limit that was reached means some errors were not reported: that is a failure.
        for warning in task.warnings:
            problems.append(
                Problem(
                    package=package,
                    resource=resource,
                    path=path,
                    row=None,
                    field=None,
                    value=None,
                    rule="validation-limit",
                    message=f"校验未能完成，可能有错误未被报告：{warning}",
                )
            )
    return problems
