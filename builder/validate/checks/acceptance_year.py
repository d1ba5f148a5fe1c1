"""acceptance_year repeats the year of acceptance_date; the two must agree."""

from __future__ import annotations

from builder.problems import Problem
from builder.validate.checks._cells import is_blank
from builder.validate.context import Context
from builder.validate.rules import Rule

NAME = "check_acceptance_year"
RULES = [
    Rule(
        id="acceptance-year", title="验收年度与验收日期的年份一致。", message="验收年度与验收日期 {date} 的年份不一致。"
    )
]
TITLE = RULES[0].title


def check(ctx: Context) -> list[Problem]:
    (rule,) = RULES
    problems = []
    for table in ctx.tables():
        if not {"acceptance_year", "acceptance_date"} <= set(table.frame.columns):
            continue
        frame = table.frame
        for row, year, date in zip(frame.index, frame["acceptance_year"], frame["acceptance_date"]):
            if not is_blank(date) and date.year != year:
                problems.append(
                    ctx.problem(
                        rule,
                        table,
                        row=int(row),
                        field="acceptance_year",
                        value=str(year),
                        date=date.isoformat(),
                    )
                )
    return problems
