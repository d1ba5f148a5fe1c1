"""The import report a maintainer acts on: every problem located, and a summary that accounts for every row.

In: an `ImportReport` built by `run`.
Out: text for a terminal (errors, then warnings, each with file, row and source line, Excel column, field,
escaped value, rule, message and hint) or JSON for tools.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from builder.importing.findings import ImportProblem


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
        lines = [f"读取 {c.rows_read} 行数据 = 写入 {c.rows_written} 行 + 拒绝 {c.rows_refused} 行"
                 + (f"（其中 {c.rows_with_errors} 行本身有错误，其余因文件有错误一并拒绝）" if c.rows_refused else "") + "。"]
        if c.records:
            parts = [f"表头在第 {c.header_row} 行"] if c.header_row else []
            if c.above_header:
                parts.append(f"表头上方 {c.above_header} 行")
            if c.trailing_blank:
                parts.append(f"末尾空行 {c.trailing_blank} 行（已忽略）")
            lines.append(f"文件共 {c.records} 行：" + "，".join(parts) + "。")
        return "\n".join(lines)


def _listing(problems: list[ImportProblem], heading: str) -> list[str]:
    lines = [heading, ""]
    for number, problem in enumerate(problems, 1):
        lines.append(f"{number}. {problem.location()}")
        lines.append(f"   [{problem.rule}] {problem.message}")
        if problem.hint:
            lines.append(f"   处理办法：{problem.hint}")
    return lines + [""]


def format_text(report: ImportReport) -> str:
    if report.valid:
        state = "已写入" if report.changed else "内容与原文件相同，未改动"
        lines = [f"✓ 导入 {report.source} → {report.target}：{state} {report.target_path}。"]
    else:
        lines = [f"✗ 导入 {report.source} → {report.target}：发现 {len(report.errors)} 个错误，"
                 f"未写入 {report.target_path}（原文件保持不变）。", ""]
        lines += _listing(report.errors, "错误：")
    if report.warnings:
        lines += [""] if report.valid else []
        lines += _listing(report.warnings, f"已做的规范化改写（{len(report.warnings)} 个警告，请核对）：")
    lines.append(report.summary())
    return "\n".join(lines).rstrip("\n") + "\n"


def format_json(report: ImportReport) -> str:
    document = {
        "valid": report.valid,
        "source": report.source,
        "target": report.target,
        "target_path": report.target_path,
        "encoding": report.encoding,
        "written": report.written,
        "changed": report.changed,
        "summary": report.summary(),
        "counts": asdict(report.counts),
        "error_count": len(report.errors),
        "warning_count": len(report.warnings),
        "errors": [asdict(p) for p in report.errors],
        "warnings": [asdict(p) for p in report.warnings],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
