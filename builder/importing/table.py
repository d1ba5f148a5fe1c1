"""Checks across rows, on the cleaned values: duplicate keys, foreign keys, and the Table Schema itself
(types and constraints, by frictionless, exactly as `validate` will judge the written file).

In: the data rows, the target and the source's place.
Out: problems located at the source row, line and column. A cell already refused is not judged again.
"""

from __future__ import annotations

import copy

from frictionless import Resource, Schema

from builder.importing.findings import ImportProblem, Place, column_letter, make
from builder.importing.header import Header
from builder.importing.rows import Row
from builder.importing.target import Target
from builder.validate.frictionless_problems import report_problems

# Rules this module reports itself, with both rows named.
_OWN = {"primary-key", "unique-error", "foreign-key", "blank-row"}


def _where(row: Row, header: Header, place: Place, name: str) -> Place:
    column = next((c for c, n in header.columns.items() if n == name), None)
    return place.at(row=row.number, line=row.record.line, column=column, field=name)


def _usable(row: Row, fields: tuple[str, ...]) -> bool:
    return all(row.values.get(name) and name not in row.bad_fields for name in fields)


def _keyed(row: Row, fields: tuple[str, ...]) -> bool:
    """A key may have empty parts (a province total has no city), but not only empty parts or refused ones."""
    return any(row.values.get(name) for name in fields) and not row.bad_fields & set(fields)


def duplicate_keys(rows: list[Row], header: Header, target: Target, place: Place) -> list[ImportProblem]:
    problems = []
    keys = [target.primary_key] if target.primary_key else []
    keys += [(name,) for name in target.unique if (name,) != target.primary_key]
    for fields in keys:
        first: dict[tuple[str, ...], int] = {}
        for row in rows:
            if not _keyed(row, fields):
                continue
            key = tuple(row.values.get(name, "") for name in fields)
            if key in first:
                problems.append(
                    make(
                        "duplicate-key",
                        _where(row, header, place, fields[0]),
                        "，".join(key),
                        related_rows=(first[key],),
                        fields="、".join(fields),
                        first=first[key],
                    )
                )
            else:
                first[key] = row.number
    return problems


def _items(value: str, delimiter: str | None) -> list[str]:
    return [item for item in value.split(delimiter)] if delimiter else [value]


def foreign_keys(rows: list[Row], header: Header, target: Target, place: Place) -> list[ImportProblem]:
    problems = []
    for reference in target.references:
        values = reference.values
        if values is None:
            values = frozenset(tuple(row.values.get(n, "") for n in reference.target_fields) for row in rows)
        delimiter = target.spec(reference.fields[0]).delimiter if len(reference.fields) == 1 else None
        aliases = (
            "；地市可写行政区划代码，或 reference/cities 中的全称、简称、英文名"
            if set(reference.fields) <= target.city_fields
            else ""
        )
        accepted = target.code_lists.get(reference.fields[0]) if len(reference.fields) == 1 else ""
        if accepted:
            aliases = f"。可填写的代码（括号内的名称也可以）：{accepted}"
        for row in rows:
            if not _usable(row, reference.fields):
                continue
            keys: list[tuple[str, ...]]
            if delimiter:
                keys = [(item,) for item in _items(row.values[reference.fields[0]], delimiter)]
            else:
                keys = [tuple(row.values[name] for name in reference.fields)]
            for key in keys:
                if key not in values:
                    row.bad_fields.add(reference.fields[0])  # judged here; the schema check need not repeat it
                    problems.append(
                        make(
                            reference.rule,
                            _where(row, header, place, reference.fields[0]),
                            "，".join(key),
                            label=reference.label,
                            aliases=aliases,
                        )
                    )
    return problems


def _schema(target: Target) -> Schema:
    """The resource's fields alone: keys and uniqueness are checked above, where both rows can be named."""
    fields = copy.deepcopy(target.descriptor["schema"]["fields"])
    for spec in fields:
        spec.get("constraints", {}).pop("unique", None)
    return Schema.from_descriptor({"fields": fields})


def schema_errors(rows: list[Row], header: Header, target: Target, place: Place) -> list[ImportProblem]:
    if not rows:
        return []
    names = [spec.name for spec in target.fields]
    data = [names] + [[row.values.get(name, "") for name in names] for row in rows]
    resource = Resource(data=data, schema=_schema(target), name=target.resource)
    report = resource.validate(limit_errors=0)
    descriptor = {"resources": [{"name": target.resource, "schema": target.descriptor["schema"]}]}
    problems = []
    mapped = set(header.columns.values())
    for found in report_problems(report, target.package, target.package_dir, descriptor):
        if found.rule in _OWN or found.row is None:
            if found.row is None:
                problems.append(
                    ImportProblem(
                        package=target.package,
                        resource=target.resource,
                        path=place.path,
                        row=None,
                        field=None,
                        value=None,
                        rule=found.rule,
                        message=found.message,
                    )
                )
            continue
        row = rows[found.row - 2]  # frictionless counts the header as row 1
        if found.field in row.bad_fields or found.field not in mapped:
            continue  # a refused cell, or a missing column (reported once, at the header)
        where = (
            _where(row, header, place, found.field) if found.field else place.at(row=row.number, line=row.record.line)
        )
        spec = target.spec(found.field) if found.field else None
        hint = f"按字段说明更正：{spec.title}——{spec.description}" if spec else ""
        problems.append(
            ImportProblem(
                package=target.package,
                resource=target.resource,
                path=where.path,
                row=where.row,
                field=where.field,
                value=found.value,
                rule=found.rule,
                message=found.message,
                line=where.line,
                column=None if where.column is None else column_letter(where.column),
                hint=hint,
            )
        )
    return problems
