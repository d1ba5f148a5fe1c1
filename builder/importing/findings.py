"""What the importer finds: a located `Problem` that also carries the source line, the Excel column letter,
the value after a normalization and a hint on how to fix it.

In: a rule name (see `messages.RULES`), where it happened and the values involved.
Out: `ImportProblem`s. They are `Problem`s, so `validate`'s formatters and callers keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.importing.messages import RULES
from builder.problems import Problem


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass(frozen=True, kw_only=True)
class ImportProblem(Problem):
    line: int | None = None  # physical line in the source file (a quoted cell may span lines; XLSX: the sheet row)
    column: str | None = None  # Excel column letter
    after: str | None = None  # for a normalization: the value that is written
    hint: str = ""

    def location(self) -> str:
        parts = [self.path or self.package]
        if self.row is not None:
            line = f"（源文件第 {self.line} 行）" if self.line not in (None, self.row) else ""
            parts.append(f"第 {self.row} 行{line}")
        elif self.line is not None:
            parts.append(f"源文件第 {self.line} 行")
        if self.column is not None:
            parts.append(f"{self.column} 列")
        if self.field is not None:
            parts.append(f"字段 {self.field}")
        if self.value is not None:
            parts.append(f"值 {self.value!r}")
        if self.after is not None:
            parts.append(f"改为 {self.after!r}")
        return "，".join(parts)


@dataclass(frozen=True)
class Place:
    """Where a rule applies: narrowed step by step from the file to one cell."""

    package: str
    resource: str | None
    path: str | None
    row: int | None = None
    line: int | None = None
    column: int | None = None  # 0-based index in the source row
    field: str | None = None

    def at(self, **changes: Any) -> Place:
        return Place(**{**self.__dict__, **changes})


def make(
    rule: str,
    place: Place,
    value: str | None = None,
    after: str | None = None,
    related_rows: tuple[int, ...] = (),
    **details: object,
) -> ImportProblem:
    """An `ImportProblem` worded from `messages.RULES[rule]`, its placeholders filled from `details`."""
    entry = RULES[rule]
    fill = {"value": value, "after": after, **details}
    return ImportProblem(
        package=place.package,
        resource=place.resource,
        path=place.path,
        row=place.row,
        field=place.field,
        value=value,
        rule=rule,
        message=entry.message.format(**fill),
        related_rows=tuple(related_rows),
        severity=entry.severity,
        line=place.line,
        column=None if place.column is None else column_letter(place.column),
        after=after,
        hint=entry.hint.format(**fill),
    )
