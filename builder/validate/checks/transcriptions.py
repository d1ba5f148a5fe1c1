"""Transcribed document tables against the data files, cell by cell and both ways.

In: a loaded `Packages`; each resource may declare `x-transcribedIn` (a list of mappings, see below) naming a
Markdown document in the data folder, the heading of a table in it, and which table cells are which rows and
fields of the resource.
Out: `Problem`s: a cell whose text differs from the CSV value, a row on one side only, a table column or row
that no mapping covers, or a mapping that cannot be followed.

A mapping (all of it data, in datapackage.json):

    {"document": "policies/documents/x.md",          # relative to the data folder
     "table": "附件 1　…",                             # the heading above the table, without the #s
     "rows": {"column": "地市", "field": "city_code",  # which table column names the row, and the CSV field it fills
              "lookup": {"package": "reference", "resource": "cities", "match": "city_short", "value": "city_code"}},
              # or "values": {"合计": null}: listed cell texts only, null meaning an empty CSV cell
     "where": {"year": 2021},                          # the CSV rows the table covers
     "columns": [{"header": "工业和信息化牵头数量", "field": "enterprises", "where": {"lead_department": "industry_it"}}]}

Cells are compared as text: the CSV value as the file writes it (37, an empty cell "") against the Markdown
cell after trimming. Only the figures count, so the comparison is exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from builder.data.load import DataPackage, Packages, Table
from builder.problems import Problem, relative_path
from builder.validate.context import Context as CheckContext
from builder.validate.rules import Rule

PROPERTY = "x-transcribedIn"
NAME = "check_transcriptions"
TITLE = "政策正文中的附件表格与数据文件及原文合计数逐格双向一致（按各资源的 x-transcribedIn 声明）。"
# Each rule's wording is one of MESSAGES below, chosen by what was found.
RULES = [
    Rule(id="transcription-mismatch", title="原文表格的每一格与数据文件中对应的值相同。"),
    Rule(id="transcription-missing-row", title="原文表格与数据文件的行一一对应，任何一方都不缺行。"),
    Rule(id="transcription-unchecked", title="原文表格的每一行、每一列都有 x-transcribedIn 声明覆盖。"),
    Rule(id="transcription-declaration", title="x-transcribedIn 声明指向存在的文件、表格、列和字段。"),
]

# Wording of the check's messages (rule ids: transcription-mismatch, transcription-missing-row,
# transcription-unchecked, transcription-declaration).
MESSAGES = {
    "mismatch": "{cell}为 {md}，而 {csv}（{scope}）字段 {field} 为 {value}：原文转录与数据文件不一致。",
    "missing-in-csv": "{cell}为 {md}，但 {csv_file} 中没有对应的行（{scope}）：数据文件缺少原文中的这一行。",
    "missing-in-document": "{csv}（{scope}）字段 {field} 为 {value}，但 {document}“{table}”中没有{key}为 {key_value} 的行：原文转录缺少数据文件中的这一行。",
    "duplicate": "{cell}对应 {csv_file} 中的多行（{rows}）：无法逐格核对。",
    "unknown-key": "{document} 第 {line} 行，表“{table}”{row}：{column}“{text}”在 {lookup} 中找不到，无法与数据文件核对。",
    "unchecked-column": "{document}“{table}”的“{column}”列没有任何 {property} 声明说明它对应哪个字段，因而未被核对。",
    "unchecked-row": "{document} 第 {line} 行，表“{table}”{row}没有任何 {property} 声明覆盖，因而未被核对。",
    "ragged-row": "{document} 第 {line} 行，表“{table}”：该行有 {count} 格，表头有 {width} 格。",
    "no-document": "{property} 指向的文件 {document} 不存在、不在数据目录内或不是 UTF-8 编码。",
    "no-table": "{document} 中没有标题为“{table}”的表格（{property}.table 须与表格上方的标题完全相同）。",
    "no-column": "{document}“{table}”没有“{column}”列（表头：{header}）。",
    "no-field": "{property} 引用的字段 {field} 不在资源 {resource} 中。",
    "no-lookup": "{property} 的 lookup 指向不存在的 {lookup}。",
}


# --- Markdown tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    line: int  # 1-based line number in the document
    cells: tuple[str, ...]


@dataclass(frozen=True)
class MarkdownTable:
    heading: str
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]

    def column(self, header: str) -> int | None:
        return self.header.index(header) if header in self.header else None


HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
ALIGNMENT = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def split_cells(line: str) -> tuple[str, ...]:
    """The cells of one pipe-table line, trimmed; `\\|` is a literal bar inside a cell."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return tuple(cell.replace("\\|", "|").strip() for cell in re.split(r"(?<!\\)\|", body))


def parse_tables(text: str) -> dict[str, MarkdownTable]:
    """The first pipe table under each heading (before the next heading), keyed by the heading's text."""
    tables: dict[str, MarkdownTable] = {}
    heading, lines = None, text.splitlines()
    number = 0
    while number < len(lines):
        line = lines[number]
        match = HEADING.match(line)
        if match:
            heading = match.group(1)
        elif (
            heading is not None
            and heading not in tables
            and line.lstrip().startswith("|")
            and number + 1 < len(lines)
            and ALIGNMENT.match(lines[number + 1])
        ):
            rows, end = [], number + 2
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                rows.append(TableRow(end + 1, split_cells(lines[end])))
                end += 1
            tables[heading] = MarkdownTable(heading, split_cells(line), tuple(rows))
            number = end
            continue
        number += 1
    return tables


# --- Following a mapping -------------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value == ""


def cell_text(value: object) -> str:
    """A typed CSV value as the file writes it: 37, 2022-03-10, an empty cell ''."""
    if _blank(value):
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _same(value: object, wanted: object) -> bool:
    return _blank(value) if wanted is None else value == wanted


def _scope(where: dict) -> str:
    return "，".join(f"{name} 为空" if value is None else f"{name} = {value}" for name, value in where.items())


@dataclass
class Declaration:
    """What every problem of one mapping names: the resource and the document, before its table is found."""

    package: DataPackage
    table: Table
    data_root: Path
    declared: str  # the document as declared, relative to the data folder

    @property
    def document(self) -> str:
        """The document's path as problems name files: from the project, like the CSV files."""
        return relative_path(self.data_root / self.declared, self.data_root)

    @property
    def csv_file(self) -> str:
        return relative_path(self.table.path, self.data_root)

    def problem(
        self,
        rule: str,
        message: str,
        *,
        path: str | None = None,
        row: int | None = None,
        field: str | None = None,
        value: str | None = None,
    ) -> Problem:
        return Problem(
            package=self.package.name,
            resource=self.table.name,
            path=path or self.csv_file,
            row=row,
            field=field,
            value=value,
            rule=rule,
            message=message,
        )


@dataclass
class Context(Declaration):
    """A mapping whose document and table were found: problems name the table too."""

    markdown: MarkdownTable

    def row_label(self, row: TableRow, key_column: int | None) -> str:
        """序号 2 深圳: the table's first column and the mapping's key column, as printed."""
        first = self.markdown.header[0]
        parts = [f"{first} {row.cells[0]}"] if row.cells and row.cells[0] else []
        if key_column is not None and key_column != 0 and key_column < len(row.cells) and row.cells[key_column]:
            parts.append(row.cells[key_column])
        return f"（{' '.join(parts)}）" if parts else ""

    def cell(self, row: TableRow, key_column: int | None, header: str) -> str:
        return (
            f"{self.document} 第 {row.line} 行，表“{self.markdown.heading}”{self.row_label(row, key_column)}"
            f"“{header}”列"
        )


def _key_domain(catalog: Packages, rows: dict) -> tuple[dict[str, object] | None, str]:
    """Cell text → CSV key value, from a lookup table or listed values; None when the lookup is missing."""
    if "values" in rows:
        return dict(rows["values"]), "listed values"
    lookup = rows["lookup"]
    label = f"{lookup['package']}/{lookup['resource']}.{lookup['match']}"
    package = catalog.get(lookup["package"])
    target = package.tables.get(lookup["resource"]) if package else None
    if target is None or not {lookup["match"], lookup["value"]} <= set(target.frame.columns):
        return None, label
    frame = target.frame
    return dict(zip(frame[lookup["match"]].map(cell_text), frame[lookup["value"]])), label


def _selected(frame: pd.DataFrame, where: dict) -> pd.DataFrame:
    for name, wanted in where.items():
        frame = frame[[_same(value, wanted) for value in frame[name]]]
    return frame


def _compare_column(
    ctx: Context, mapping: dict, column: dict, keyed_rows: list[tuple[TableRow, object]], key_column: int, domain: dict
) -> list[Problem]:
    """One mapped column: each table cell against its CSV row, then CSV rows the table lacks."""
    problems = []
    header, field = column["header"], column["field"]
    index = ctx.markdown.column(header)
    assert index is not None, "_declaration_problems found every mapped column before any is compared"
    key_field = mapping["rows"]["field"]
    where = {**mapping.get("where", {}), **column.get("where", {})}
    scope = _scope(where)
    candidates = _selected(ctx.table.frame, where)
    in_domain = set(map(cell_text, domain.values()))
    candidates = candidates[[cell_text(v) in in_domain for v in candidates[key_field]]]
    by_key: dict[str, list[int]] = {}
    for row_number, value in candidates[key_field].items():
        by_key.setdefault(cell_text(value), []).append(int(row_number))
    seen = set()
    for row, key in keyed_rows:
        key_text, md = cell_text(key), row.cells[index]
        seen.add(key_text)
        found = by_key.get(key_text, [])
        row_scope = _scope({**where, key_field: key})
        if not found:
            problems.append(
                ctx.problem(
                    "transcription-missing-row",
                    MESSAGES["missing-in-csv"].format(
                        cell=ctx.cell(row, key_column, header), md=md, csv_file=ctx.csv_file, scope=row_scope
                    ),
                    path=ctx.document,
                    row=row.line,
                    field=header,
                    value=md,
                )
            )
        elif len(found) > 1:
            problems.append(
                ctx.problem(
                    "transcription-mismatch",
                    MESSAGES["duplicate"].format(
                        cell=ctx.cell(row, key_column, header),
                        csv_file=ctx.csv_file,
                        rows="、".join(f"第 {n} 行" for n in found),
                    ),
                    path=ctx.document,
                    row=row.line,
                    field=header,
                    value=md,
                )
            )
        else:
            value = cell_text(ctx.table.frame.at[found[0], field])
            if value != md:
                problems.append(
                    ctx.problem(
                        "transcription-mismatch",
                        MESSAGES["mismatch"].format(
                            cell=ctx.cell(row, key_column, header),
                            md=md or "（空）",
                            csv=f"{ctx.csv_file} 第 {found[0]} 行",
                            scope=row_scope,
                            field=field,
                            value=value or "（空）",
                        ),
                        row=found[0],
                        field=field,
                        value=value,
                    )
                )
    for key_text, row_numbers in by_key.items():
        if key_text in seen:
            continue
        for row_number in row_numbers:
            value = cell_text(ctx.table.frame.at[row_number, field])
            shown = next((text for text, key in domain.items() if cell_text(key) == key_text), key_text)
            problems.append(
                ctx.problem(
                    "transcription-missing-row",
                    MESSAGES["missing-in-document"].format(
                        csv=f"{ctx.csv_file} 第 {row_number} 行",
                        scope=scope,
                        field=field,
                        value=value or "（空）",
                        document=ctx.document,
                        table=ctx.markdown.heading,
                        key=f"“{mapping['rows']['column']}”",
                        key_value=shown or "（空）",
                    ),
                    row=row_number,
                    field=field,
                    value=value,
                )
            )
    return problems


def _declaration_problems(ctx: Context, mapping: dict) -> list[Problem]:
    """Columns and fields a mapping names must exist: otherwise nothing it declares can be checked."""
    problems = []
    fields = set(ctx.table.frame.columns)
    wanted = [mapping["rows"]["column"]] + [column["header"] for column in mapping["columns"]]
    for column in wanted:
        if ctx.markdown.column(column) is None:
            problems.append(
                ctx.problem(
                    "transcription-declaration",
                    MESSAGES["no-column"].format(
                        document=ctx.document,
                        table=ctx.markdown.heading,
                        column=column,
                        header="、".join(ctx.markdown.header),
                    ),
                    path=ctx.document,
                    field=column,
                )
            )
    names = {mapping["rows"]["field"], *mapping.get("where", {})}
    for column in mapping["columns"]:
        names |= {column["field"], *column.get("where", {})}
    for name in sorted(names - fields):
        problems.append(
            ctx.problem(
                "transcription-declaration",
                MESSAGES["no-field"].format(property=PROPERTY, field=name, resource=ctx.table.name),
                path=relative_path(ctx.package.descriptor_path, ctx.data_root),
                field=PROPERTY,
                value=name,
            )
        )
    return problems


def _keyed_rows(ctx: Context, mapping: dict, domain: dict, label: str) -> tuple[list, list[Problem], set[int]]:
    """(row, CSV key) for each table row the mapping covers; a key the lookup lacks is a problem."""
    rows_spec = mapping["rows"]
    key_column = ctx.markdown.column(rows_spec["column"])
    assert key_column is not None, "_declaration_problems found the key column before rows are keyed"
    keyed, problems, covered = [], [], set()
    for row in ctx.markdown.rows:
        text = row.cells[key_column]
        if "values" in rows_spec and text not in domain:
            continue
        if "lookup" in rows_spec and not text:
            continue  # e.g. the 合计 row, whose 地市 cell is empty
        covered.add(row.line)
        if text in domain:
            keyed.append((row, domain[text]))
        else:
            problems.append(
                ctx.problem(
                    "transcription-missing-row",
                    MESSAGES["unknown-key"].format(
                        document=ctx.document,
                        line=row.line,
                        table=ctx.markdown.heading,
                        row=ctx.row_label(row, key_column),
                        column=rows_spec["column"],
                        text=text,
                        lookup=label,
                    ),
                    path=ctx.document,
                    row=row.line,
                    field=rows_spec["column"],
                    value=text,
                )
            )
    return keyed, problems, covered


def _check_mapping(ctx: Context, mapping: dict, catalog: Packages) -> tuple[list[Problem], set[int], set[str]]:
    """Problems of one mapping, and the table lines and columns it covered."""
    problems = _declaration_problems(ctx, mapping)
    columns = {mapping["rows"]["column"], *(column["header"] for column in mapping["columns"])}
    everything = {row.line for row in ctx.markdown.rows}
    if problems:  # reported once, as the declaration's fault, not again as unchecked cells
        return problems, everything, columns
    domain, label = _key_domain(catalog, mapping["rows"])
    if domain is None:
        return (
            [
                ctx.problem(
                    "transcription-declaration",
                    MESSAGES["no-lookup"].format(property=PROPERTY, lookup=label),
                    path=relative_path(ctx.package.descriptor_path, ctx.data_root),
                    field=PROPERTY,
                )
            ],
            everything,
            columns,
        )
    keyed, problems, covered = _keyed_rows(ctx, mapping, domain, label)
    key_column = ctx.markdown.column(mapping["rows"]["column"])
    assert key_column is not None, "_declaration_problems found the key column"
    for column in mapping["columns"]:
        problems += _compare_column(ctx, mapping, column, keyed, key_column, domain)
    return problems, covered, columns


def _read_document(data_root: Path, document: str) -> str | None:
    path = (data_root / document).resolve()
    if not path.is_relative_to(data_root.resolve()) or not path.is_file():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


def _shape_problems(ctx: Context) -> list[Problem]:
    width = len(ctx.markdown.header)
    return [
        ctx.problem(
            "transcription-declaration",
            MESSAGES["ragged-row"].format(
                document=ctx.document, line=row.line, table=ctx.markdown.heading, count=len(row.cells), width=width
            ),
            path=ctx.document,
            row=row.line,
        )
        for row in ctx.markdown.rows
        if len(row.cells) != width
    ]


def _coverage_problems(ctx: Context, lines: set[int], columns: set[str]) -> list[Problem]:
    """Every column and row of a transcribed table must be covered by some mapping."""
    problems = [
        ctx.problem(
            "transcription-unchecked",
            MESSAGES["unchecked-column"].format(
                document=ctx.document, table=ctx.markdown.heading, column=header, property=PROPERTY
            ),
            path=ctx.document,
            field=header,
        )
        for header in ctx.markdown.header
        if header not in columns
    ]
    problems += [
        ctx.problem(
            "transcription-unchecked",
            MESSAGES["unchecked-row"].format(
                document=ctx.document,
                line=row.line,
                table=ctx.markdown.heading,
                row=ctx.row_label(row, None),
                property=PROPERTY,
            ),
            path=ctx.document,
            row=row.line,
        )
        for row in ctx.markdown.rows
        if row.line not in lines
    ]
    return problems


def _mappings(catalog: Packages) -> Iterator[tuple[DataPackage, Table, dict]]:
    for package in catalog.values():
        for table in package.tables.values():
            for mapping in table.descriptor.get(PROPERTY, []) or []:
                yield package, table, mapping


def check_transcriptions(catalog: Packages) -> list[Problem]:
    """Tables transcribed in documents equal the data files they were transcribed into, cell by cell."""
    problems: list[Problem] = []
    texts: dict[str, dict[str, MarkdownTable] | None] = {}
    coverage: dict[tuple[str, str], tuple[Context, set[int], set[str]]] = {}
    for package, table, mapping in _mappings(catalog):
        data_root = package.root.parent
        declaration = Declaration(package, table, data_root, mapping["document"])
        if declaration.declared not in texts:
            text = _read_document(data_root, declaration.declared)
            texts[declaration.declared] = parse_tables(text) if text is not None else None
        tables = texts[declaration.declared]
        if tables is None:
            problems.append(
                declaration.problem(
                    "transcription-declaration",
                    MESSAGES["no-document"].format(property=PROPERTY, document=declaration.declared),
                    path=relative_path(package.descriptor_path, data_root),
                    field=PROPERTY,
                    value=declaration.declared,
                )
            )
            continue
        markdown = tables.get(mapping["table"])
        if markdown is None:
            problems.append(
                declaration.problem(
                    "transcription-declaration",
                    MESSAGES["no-table"].format(
                        document=declaration.document, table=mapping["table"], property=PROPERTY
                    ),
                    path=declaration.document,
                    value=mapping["table"],
                )
            )
            continue
        ctx = Context(package, table, data_root, mapping["document"], markdown)
        key = (ctx.document, ctx.markdown.heading)
        if key not in coverage:
            problems += _shape_problems(ctx)
            coverage[key] = (ctx, set(), set())
        if any(len(row.cells) != len(ctx.markdown.header) for row in ctx.markdown.rows):
            continue  # ragged rows reported once above; cells cannot be matched to columns
        found, lines, columns = _check_mapping(ctx, mapping, catalog)
        problems += found
        coverage[key][1].update(lines)
        coverage[key][2].update(columns)
    for ctx, lines, columns in coverage.values():
        if not any(len(row.cells) != len(ctx.markdown.header) for row in ctx.markdown.rows):
            problems += _coverage_problems(ctx, lines, columns)
    # A table row that several mappings read (an unknown city name) is one problem, not one per resource.
    unique = {(p.rule, p.path, p.row, p.field, p.value, p.message): p for p in problems}
    return list(unique.values())


def check(ctx: CheckContext) -> list[Problem]:
    return check_transcriptions(ctx.catalog)
