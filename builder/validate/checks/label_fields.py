"""A code table's declared label field (x-labelField, x-shortLabelField) is one of its fields, and the table
has a primary key: the site, the downloads and the directory name every code from it."""

from __future__ import annotations

from builder.problems import Problem
from builder.validate.context import Context
from builder.validate.rules import Rule

NAME = "check_label_fields"
RULES = [
    Rule(
        id="label-field",
        title="代码表声明的名称字段（x-labelField、x-shortLabelField）存在，且代码表有主键。",
        message="{property} 指向的字段 {label} 不在资源 {resource_name} 中，或该资源没有主键（primaryKey）。",
    )
]
TITLE = RULES[0].title
PROPERTIES = ("x-labelField", "x-shortLabelField")


def check(ctx: Context) -> list[Problem]:
    (rule,) = RULES
    problems = []
    for package in ctx.catalog.values():
        for table in package.tables.values():
            schema = table.descriptor["schema"]
            names = {f["name"] for f in table.fields}
            for prop in PROPERTIES:
                label = schema.get(prop)
                if label is not None and (label not in names or not schema.get("primaryKey")):
                    problems.append(
                        rule.problem(
                            package=package.name,
                            resource=table.name,
                            path=ctx.descriptor_path(package.name),
                            field=prop,
                            value=str(label),
                            property=prop,
                            label=label,
                            resource_name=table.name,
                        )
                    )
    return problems
