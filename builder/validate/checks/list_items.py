"""x-itemEnum on a list field: every item must be one of the allowed values."""

from __future__ import annotations

from builder.problems import Problem
from builder.validate.checks._cells import unknown
from builder.validate.context import Context
from builder.validate.rules import Rule

NAME = "check_list_items"
RULES = [
    Rule(id="list-item-enum", title="多值字段的每个取值都在允许范围内。", message="取值不在允许范围内：{allowed}。")
]
TITLE = RULES[0].title


def check(ctx: Context) -> list[Problem]:
    (rule,) = RULES
    problems = []
    for table in ctx.tables():
        for field in table.fields:
            allowed = field.get("x-itemEnum")
            if not allowed:
                continue
            for row, item in unknown(table.frame[field["name"]], allowed):
                problems.append(
                    ctx.problem(
                        rule,
                        table,
                        row=int(row),
                        field=field["name"],
                        value=str(item),
                        allowed="、".join(allowed),
                    )
                )
    return problems
