"""A resource's file is <name>.csv at the package root, so downloads keep stable, predictable names."""

from __future__ import annotations

from builder.problems import Problem
from builder.validate.context import Context
from builder.validate.rules import Rule

NAME = "check_resource_paths"
RULES = [
    Rule(
        id="resource-path",
        title="资源文件名为 <资源名>.csv 并位于数据包根目录。",
        message="资源文件应命名为 {expected} 并放在数据包根目录。",
    )
]
TITLE = RULES[0].title


def check(ctx: Context) -> list[Problem]:
    (rule,) = RULES
    problems = []
    for package in ctx.catalog.values():
        for table in package.tables.values():
            expected = f"{table.name}.csv"
            if table.descriptor.get("path") != expected:
                problems.append(
                    rule.problem(
                        package=package.name,
                        resource=table.name,
                        path=ctx.descriptor_path(package.name),
                        field="path",
                        value=str(table.descriptor.get("path")),
                        expected=expected,
                    )
                )
    return problems
