"""Every field needs a Chinese title and a description: the site's labels come from them."""

from __future__ import annotations

import re

from builder.problems import Problem
from builder.validate.context import Context
from builder.validate.rules import Rule

NAME = "check_field_metadata"
RULES = [
    Rule(
        id="field-metadata",
        title="每个字段都有中文标题和说明。",
        message="字段缺少中文标题（title）或说明（description）。",
    )
]
TITLE = RULES[0].title
CJK = re.compile(r"[\u4e00-\u9fff]")


def check(ctx: Context) -> list[Problem]:
    (rule,) = RULES
    problems = []
    for table in ctx.tables():
        for field in table.fields:
            title, description = field.get("title", ""), field.get("description", "")
            if not CJK.search(title) or not description.strip():
                problems.append(ctx.problem(rule, table, field=field["name"]))
    return problems
