"""A `body` path must name a UTF-8 Markdown file inside its package."""

from __future__ import annotations

from pathlib import Path

from builder.problems import Problem
from builder.validate.checks._cells import is_blank
from builder.validate.context import Context
from builder.validate.rules import Rule

NAME = "check_document_files"
RULES = [
    Rule(
        id="document-file",
        title="政策正文文件存在、位于数据包内且为 UTF-8。",
        message="正文文件不存在、不在数据包内或不是 UTF-8 编码。",
    )
]
TITLE = RULES[0].title


def _readable(path: Path, root: Path) -> bool:
    if not (path.is_relative_to(root) and path.is_file()):
        return False
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return False
    return True


def check(ctx: Context) -> list[Problem]:
    (rule,) = RULES
    problems = []
    for package in ctx.catalog.values():
        for table in package.tables.values():
            if "body" not in table.frame.columns:
                continue
            for row, body in table.frame["body"].items():
                if not is_blank(body) and not _readable((package.root / body).resolve(), package.root.resolve()):
                    problems.append(
                        ctx.problem(
                            rule,
                            table,
                            row=int(row),
                            field="body",
                            value=str(body),
                        )
                    )
    return problems
