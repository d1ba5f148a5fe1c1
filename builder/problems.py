"""What validation finds, and how it is reported to a maintainer.

In: problems from frictionless and from the project's own checks.
Out: text for a terminal, or JSON for tools.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong with the data, located as precisely as the data allow.

    `row` counts lines as a spreadsheet does: the header is row 1, the first record row 2.
    """

    package: str
    resource: str | None
    path: str | None
    row: int | None
    field: str | None
    value: str | None
    rule: str
    message: str
    # A plain default: the field named `field` above hides dataclasses.field in this class body.
    related_rows: tuple[int, ...] = ()
    severity: str = "error"  # "error" blocks publishing; "warning" is reported and published

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        parts = [self.path or self.package]
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.field is not None:
            parts.append(f"字段 {self.field}")
        if self.value is not None:
            parts.append(f"值 {self.value!r}")
        return "，".join(parts)


def relative_path(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve().parent))
    except ValueError:
        return str(path)


def _listing(problems: list[Problem], heading: str) -> list[str]:
    lines = [heading, ""]
    for number, problem in enumerate(problems, 1):
        scope = problem.package + (f"/{problem.resource}" if problem.resource else "")
        lines.append(f"{number}. {problem.location()}")
        lines.append(f"   [{problem.rule}] {scope}：{problem.message}")
    return lines + [""]


def format_text(problems: list[Problem], summary: str) -> str:
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    if errors:
        lines = _listing(errors, f"✗ {summary}：发现 {len(errors)} 个错误，网站不会发布。")
    else:
        lines = [f"✓ {summary}：没有发现错误。"]
    if warnings:
        lines += ([""] if not errors else []) + _listing(
            warnings, f"提示：{len(warnings)} 个警告（不影响发布，请核对）。"
        )
    return "\n".join(lines).rstrip("\n") + "\n"


def format_json(problems: list[Problem], summary: str) -> str:
    errors = [asdict(p) for p in problems if p.is_error]
    warnings = [asdict(p) for p in problems if not p.is_error]
    document = {
        "valid": not errors,
        "summary": summary,
        "error_count": len(errors),
        "warning_count": len(warnings),
        "errors": errors,
        "warnings": warnings,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
