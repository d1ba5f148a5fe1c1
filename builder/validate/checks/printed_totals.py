"""Each total printed in a source table must equal the sum of the transcribed rows it covers."""

from __future__ import annotations

import pandas as pd

from builder.problems import Problem
from builder.validate.checks._cells import is_blank
from builder.validate.context import Context
from builder.validate.rules import Rule

NAME = "check_printed_totals"
RULES = [
    Rule(
        id="printed-total",
        title="转录的分项数据之和等于原文印制的合计数。",
        message="原文印制的{label} {printed} 与 {file} 中对应各行（{scope}）之和 {actual} 不符。参与求和的行：{listed}。",
    )
]
TITLE = RULES[0].title


def _listed_rows(values: pd.Series, limit: int = 6) -> str:
    if values.empty:
        return "无"
    if len(values) > limit:
        return f"共 {len(values)} 行（第 {values.index.min()}–{values.index.max()} 行之间）"
    return "、".join(f"第 {row} 行（{value}）" for row, value in values.items())


def check(ctx: Context) -> list[Problem]:
    (rule,) = RULES
    problems = []
    for package in ctx.catalog.values():
        totals = package.tables.get("printed_totals")
        if totals is None:
            continue
        for row, total in totals.frame.iterrows():
            target = package.tables[total["resource"]]
            parts = target.frame[target.frame["year"] == total["year"]]
            scope = [f"{total['year']} 年"]
            for key in ("city_code", "lead_department"):
                if not is_blank(total[key]):
                    parts = parts[parts[key] == total[key]]
                    scope.append(str(total[key]))
            actual = int(parts[total["measure"]].sum())
            if actual != total["value"] or parts.empty:
                problems.append(
                    rule.problem(
                        package=package.name,
                        resource=totals.name,
                        path=ctx.where(totals),
                        row=int(row),
                        field="value",
                        value=str(total["value"]),
                        related_rows=tuple(int(r) for r in parts.index),
                        label=total["label"],
                        printed=total["value"],
                        file=ctx.where(target),
                        scope="，".join(scope),
                        actual=actual,
                        listed=_listed_rows(parts[total["measure"]]),
                    )
                )
    return problems
