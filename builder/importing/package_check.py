"""The import's file-level rules, applied by `validate` to the package files themselves.

In: a loaded `Catalog` (for the tables' paths and schemas).
Out: `Problem`s: unsafe resource paths; files that are not UTF-8 or carry a BOM; blank or ragged rows;
and cells holding control or bidirectional-override characters, U+FFFD or mojibake, text a spreadsheet
would execute as a formula, or personal data. The hint is folded into the message, which is what
`validate`'s report shows.

This reads the files' bytes, which `load` (the one reader of typed data) does not expose: encoding and BOM
are properties of the bytes.
"""

from __future__ import annotations

from dataclasses import replace

from builder.importing import paths
from builder.importing.cells import refusals
from builder.importing.decode import decode_package_file
from builder.importing.findings import ImportProblem, Place, make
from builder.importing.normalize import trim
from builder.importing.rules import harmless
from builder.importing.source import parse_csv
from builder.importing.target import TargetError, field_specs
from builder.load import Catalog, DataPackage, Table
from builder.problems import Problem, relative_path
from builder.settings import PROJECT_ROOT, project_options


def _public_contacts() -> frozenset[str]:
    # The same allowance the site's privacy audit uses; CHECKS receive only the catalog.
    return frozenset(project_options(PROJECT_ROOT).get("public_contacts", []))


def _with_hint(problem: ImportProblem) -> ImportProblem:
    return replace(problem, message=f"{problem.message}处理办法：{problem.hint}") if problem.hint else problem


def _rows(text: str, table: Table, place: Place, allowed: frozenset[str]) -> list[ImportProblem]:
    records, problems = parse_csv(text, place)
    if not records:
        return problems
    try:
        specs = {spec.name: spec for spec in field_specs(table.descriptor["schema"])}
    except TargetError as error:
        return problems + [make("bad-multipliers", place, why=str(error))]
    header = records[0].cells
    columns = [(index, specs[label]) for index, label in enumerate(header) if label in specs]
    last = max((i for i, r in enumerate(records) if any(trim(c) for c in r.cells)), default=0)
    for record in records[1:]:
        where = place.at(row=record.row, line=record.line)
        if not any(trim(cell) for cell in record.cells):
            if record.row - 1 < last:
                problems.append(make("blank-row", where))
            continue
        if len(record.cells) != len(header):
            problems.append(make("ragged-row", where, count=len(record.cells), expected=len(header)))
            continue
        for index, spec in columns:
            value = record.cells[index]
            if value and not harmless(value):
                problems += refusals(value, spec, where.at(column=index, field=spec.name), allowed)
    return problems


def _table(package: DataPackage, table: Table, allowed: frozenset[str]) -> list[ImportProblem]:
    place = Place(package.name, table.name, relative_path(table.path, package.root.parent))
    declared = table.descriptor.get("path")
    why = paths.unsafe_reason(package.root, declared)
    if why:
        where = place.at(path=relative_path(package.descriptor_path, package.root.parent), field="path")
        return [make("unsafe-path", where, str(declared), why=why)]
    if not table.path.is_file():
        return [make("missing-file", place, str(declared))]
    text, problems = decode_package_file(table.path.read_bytes(), place)
    if text is None:
        return problems
    return problems + _rows(text, table, place, allowed)


def check_package_files(catalog: Catalog) -> list[Problem]:
    """Every shipped CSV must be as `import` would write it, and hold nothing `import` would refuse."""
    allowed = _public_contacts()
    problems: list[Problem] = []
    for package in catalog.values():
        for table in package.tables.values():
            problems += [_with_hint(p) for p in _table(package, table, allowed)]
    return problems
