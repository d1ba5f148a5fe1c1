"""The import report a maintainer acts on: every problem located, and a summary that accounts for every row.

In: an `ImportReport` built by `run`.
Out: text for a terminal (errors, then warnings, each with file, row and source line, Excel column, field,
escaped value, rule, message and hint) or JSON for tools.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from builder.importing.findings import ImportProblem
from builder.importing.merge import Merge

CHANGES_SHOWN = 200  # cells listed before → after; the JSON report lists them all


@dataclass
class Counts:
    records: int = 0  # every record in the file, blank ones included
    above_header: int = 0  # title rows and blank rows above the header
    header_row: int | None = None
    rows_read: int = 0  # records below the header, up to the last non-blank one
    rows_written: int = 0
    rows_refused: int = 0
    rows_with_errors: int = 0  # refused rows that have an error of their own
    trailing_blank: int = 0

    def balanced(self) -> bool:
        return self.rows_read == self.rows_written + self.rows_refused


@dataclass
class ImportReport:
    source: str
    target: str  # package/resource
    target_path: str
    encoding: str | None = None
    counts: Counts = field(default_factory=Counts)
    problems: list[ImportProblem] = field(default_factory=list)
    written: bool = False
    changed: bool = False
    mode: str = "replace"
    check: bool = False  # --check: everything is judged, nothing is written
    merge: Merge | None = None
    held: bool = False  # acceptable, but not written because another file or resource of the import has errors
    merged_into: str | None = None  # several files into one resource: the accounting is under the first file

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def valid(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        c = self.counts
        if self.encoding is None:
            return "文件未能读取（见上方错误），没有读取也没有写入任何行；目标文件保持不变。"
        written = "将写入" if self.check else "写入"
        lines = [
            f"读取 {c.rows_read} 行数据 = {written} {c.rows_written} 行 + 拒绝 {c.rows_refused} 行"
            + (_refused(c) if c.rows_refused else "")
            + "。"
        ]
        lines += self._accounting()
        if c.records:
            parts = [f"表头在第 {c.header_row} 行"] if c.header_row else []
            if c.above_header:
                parts.append(f"表头上方 {c.above_header} 行")
            if c.trailing_blank:
                parts.append(f"末尾空行 {c.trailing_blank} 行（已忽略）")
            lines.append(f"文件共 {c.records} 行：" + "，".join(parts) + "。")
        return "\n".join(lines)

    def _accounting(self) -> list[str]:
        """Every imported row is added, changed or unchanged; every existing row is kept, changed or removed."""
        m = self.merge
        if m is None:
            return (
                [f"与 {self.merged_into} 导入同一资源，各文件的行合在一起核对，增删改见该文件的统计。"]
                if self.merged_into
                else []
            )
        after = len(m.rows)
        verb = "若写入：" if self.check or m.problems else ""
        listed = m.removed and not m.problems  # when refused, the error already lists them
        removed = f"删除 {len(m.removed)} 行" + (
            f"（{'；'.join(m.removed[:10])}{' 等' if len(m.removed) > 10 else ''}）" if listed else ""
        )
        return [
            f"{verb}按 --mode {self.mode}，与数据包现有 {m.existing} 行相比：新增 {len(m.added)} 行，"
            f"修改 {m.changed_rows} 行（{len(m.changes)} 个单元格），未变 {m.unchanged} 行，{removed}；"
            f"写入后共 {after} 行。"
        ]


def _refused(c: Counts) -> str:
    if c.rows_with_errors == 0:
        return "（行本身没有错误，因文件有错误全部拒绝）"
    return f"（其中 {c.rows_with_errors} 行本身有错误，其余因文件有错误一并拒绝）"


def _changes(report: ImportReport) -> list[str]:
    if report.merge is None or not report.merge.changes:
        return []
    changes = report.merge.changes
    lines = [f"修改的单元格（改前 → 改后，共 {len(changes)} 个）：", ""]
    for change in changes[:CHANGES_SHOWN]:
        lines.append(f"- 第 {change.row} 行（{change.key}）字段 {change.field}：{change.before!r} → {change.after!r}")
    if len(changes) > CHANGES_SHOWN:
        lines.append(f"- ……其余 {len(changes) - CHANGES_SHOWN} 个见 --format json")
    return lines + [""]


def _listing(problems: list[ImportProblem], heading: str) -> list[str]:
    lines = [heading, ""]
    for number, problem in enumerate(problems, 1):
        lines.append(f"{number}. {problem.location()}")
        lines.append(f"   [{problem.rule}] {problem.message}")
        if problem.hint:
            lines.append(f"   处理办法：{problem.hint}")
    return lines + [""]


def format_text(report: ImportReport) -> str:
    if report.valid and report.held:
        lines = [
            f"… 导入 {report.source} → {report.target}：本身可以导入，但同一批导入中另有错误，"
            f"全部未写入（{report.target_path} 保持不变）。"
        ]
    elif report.valid and report.check:
        lines = [f"✓ 检查 {report.source} → {report.target}：可以导入；按 --check 未写入 {report.target_path}。"]
    elif report.valid:
        state = "已写入" if report.changed else "内容与原文件相同，未改动"
        lines = [f"✓ 导入 {report.source} → {report.target}：{state} {report.target_path}。"]
    else:
        lines = [
            f"✗ 导入 {report.source} → {report.target}：发现 {len(report.errors)} 个错误，"
            f"未写入 {report.target_path}（原文件保持不变）。",
            "",
        ]
        lines += _listing(report.errors, "错误：")
    lines += ([""] if report.valid and report.merge and report.merge.changes else []) + _changes(report)
    if report.warnings:
        lines += [""] if report.valid and not (report.merge and report.merge.changes) else []
        lines += _listing(report.warnings, f"已做的规范化改写（{len(report.warnings)} 个警告，请核对）：")
    lines.append(report.summary())
    return "\n".join(lines).rstrip("\n") + "\n"


def total_text(reports: list[ImportReport]) -> str:
    """One line for an import of several files or resources: all written, or none."""
    read = sum(r.counts.rows_read for r in reports)
    errors = sum(len(r.errors) for r in reports)
    written = all(r.written for r in reports)
    state = (
        "全部已写入"
        if written
        else "按 --check 未写入"
        if all(r.check for r in reports) and not errors
        else "全部未写入"
    )
    return (
        f"合计：{len(reports)} 项导入（{len({r.source for r in reports})} 个文件、{len({r.target for r in reports})} 个资源），"
        f"读取 {read} 行数据，{errors} 个错误：{state}。\n"
    )


def format_json(report: ImportReport) -> str:
    return json.dumps(_document(report), ensure_ascii=False, indent=2) + "\n"


def format_json_all(reports: list[ImportReport]) -> str:
    document = {
        "valid": all(r.valid for r in reports),
        "written": all(r.written for r in reports),
        "summary": total_text(reports).strip(),
        "imports": [_document(r) for r in reports],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _document(report: ImportReport) -> dict:
    document = {
        "valid": report.valid,
        "source": report.source,
        "target": report.target,
        "target_path": report.target_path,
        "encoding": report.encoding,
        "written": report.written,
        "changed": report.changed,
        "mode": report.mode,
        "check": report.check,
        "accounting": None
        if report.merge is None
        else {
            "existing": report.merge.existing,
            "added": report.merge.added,
            "changed_rows": report.merge.changed_rows,
            "changes": [asdict(c) for c in report.merge.changes],
            "unchanged": report.merge.unchanged,
            "removed": report.merge.removed,
            "rows_after": len(report.merge.rows),
        },
        "summary": report.summary(),
        "counts": asdict(report.counts),
        "error_count": len(report.errors),
        "warning_count": len(report.warnings),
        "errors": [asdict(p) for p in report.errors],
        "warnings": [asdict(p) for p in report.warnings],
        "held": report.held,
    }
    return document
