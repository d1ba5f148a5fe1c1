"""The import's file-level rules, applied by `validate` to the package files themselves.

In: a loaded `Packages` (for the tables' paths and schemas).
Out: `Problem`s: unsafe resource paths; files that are not UTF-8 or carry a BOM; blank or ragged rows;
and cells holding control or bidirectional-override characters, U+FFFD or mojibake, text a spreadsheet
would execute as a formula, or personal data. The hint is folded into the message, which is what
`validate`'s report shows.

This reads the files' bytes, which `load` (the one reader of typed data) does not expose: encoding and BOM
are properties of the bytes. A province-scale file has 600,000 cells: one pass over its text
(`rules.suspect_offsets`, `privacy.scan_bytes`) finds the lines that could hold a refused cell, and only the
rows on those lines are checked cell by cell; blank and ragged rows are found row by row.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from builder.data.load import DataPackage, Packages, Table
from builder.importing import paths, rules
from builder.importing.cells import refusals
from builder.importing.decode import decode_package_file
from builder.importing.findings import ImportProblem, Place, make
from builder.importing.normalize import trim
from builder.importing.rules import harmless
from builder.importing.source import parse_csv
from builder.importing.target import TargetError, field_specs
from builder.problems import Problem, relative_path
from builder.publish import privacy


def _with_hint(problem: ImportProblem) -> ImportProblem:
    return replace(problem, message=f"{problem.message}处理办法：{problem.hint}") if problem.hint else problem


_LINE_END = re.compile(r"\r\n|\r|\n")  # physical lines as the CSV reader counts them
_OTHER_LINE_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # str.splitlines also breaks at these


def _suspect_lines(text: str, data: bytes, allowed: frozenset[str]) -> set[int] | None:
    """The physical lines a refused cell could be on; None when every line must be checked."""
    starts = [0] + [m.end() for m in _LINE_END.finditer(text)]
    lines = {bisect_right(starts, offset) for offset in rules.suspect_offsets(text)}
    personal = privacy.scan_bytes(data, allowed)
    if personal and _OTHER_LINE_BREAKS.search(text):
        return None  # privacy counts lines differently here: check every row (the data fail anyway)
    return lines | {line for line, _, _ in personal}


def _rows(text: str, data: bytes, table: Table, place: Place, allowed: frozenset[str]) -> list[ImportProblem]:
    records, problems = parse_csv(text, place)
    if not records:
        return problems
    try:
        specs = {spec.name: spec for spec in field_specs(table.descriptor["schema"])}
    except TargetError as error:
        return problems + [make("bad-multipliers", place, why=str(error))]
    header = records[0].cells
    columns = [(index, specs[label]) for index, label in enumerate(header) if label in specs]
    suspects = _suspect_lines(text, data, allowed)
    filled = [bool(trim("".join(record.cells))) for record in records]  # trim strips spaces only: any cell
    last = max((i for i, full in enumerate(filled) if full), default=0)
    for i in range(1, len(records)):
        record = records[i]
        if not filled[i]:
            if record.row - 1 < last:
                problems.append(make("blank-row", place.at(row=record.row, line=record.line)))
            continue
        if len(record.cells) != len(header):
            problems.append(
                make(
                    "ragged-row",
                    place.at(row=record.row, line=record.line),
                    count=len(record.cells),
                    expected=len(header),
                )
            )
            continue
        one_line = (
            records[i + 1].line - record.line == 1
            if i + 1 < len(records)
            else not any("\n" in cell or "\r" in cell for cell in record.cells)
        )
        if one_line and suspects is not None and record.line not in suspects:
            continue  # nothing on this line that a rule could refuse
        where = place.at(row=record.row, line=record.line)
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
    data = table.path.read_bytes()
    text, problems = decode_package_file(data, place)
    if text is None:
        return problems
    return problems + _rows(text, data, table, place, allowed)


def check_package_files(catalog: Packages, public_contacts: frozenset[str] = frozenset()) -> list[Problem]:
    """Every shipped CSV must be as `import` would write it, and hold nothing `import` would refuse.

    `public_contacts` are the addresses the data may hold (the settings' [tool.builder] public_contacts).
    """
    allowed = public_contacts
    problems: list[Problem] = []
    for package in catalog.values():
        for table in package.tables.values():
            problems += [_with_hint(p) for p in _table(package, table, allowed)]
    return problems
