"""Registry counts per city and department against the official statistics: differences are warnings."""

from __future__ import annotations

from builder.data.load import Packages
from builder.data.sample_mark import is_sample, records
from builder.problems import Problem
from builder.validate.context import Context
from builder.validate.rules import Rule

NAME = "check_registry_reconciles"
RULES = [
    Rule(
        id="registry-reconciliation",
        title="企业名录各市、各部门记录数与官方统计核对（不一致为警告）。",
        message="{year} 年 {city_code} {lead_department} 牵头：名录 {registry} 家，官方统计 {official} 家，"
        "相差 {difference:+d}。{remedy}",
        severity="warning",
    )
]
TITLE = RULES[0].title
# What to do about a difference: a sample is regenerated from the official counts; real records are corrected.
REMEDY_SAMPLE = (
    "名录是示例数据，按官方统计生成：请运行 python -m builder generate-sample 重新生成，"
    "再提高 enterprises 的版本号并运行 python -m builder release。"
)
REMEDY_REAL = "请核对名录，补齐或更正该市该部门的记录。"


def reconciliation(catalog: Packages) -> list[dict]:
    """Registry counts against official counts, per year, city and lead department, for years with official data."""
    if "enterprises" not in catalog:
        return []
    registry = catalog["enterprises"].tables["accepted_enterprises"].frame
    official = catalog["audit-statistics"].tables["acceptances"].frame
    counted = registry.groupby(["acceptance_year", "city_code", "lead_department"]).size()
    rows = []
    for row in records(official):
        key = (row["year"], row["city_code"], row["lead_department"])
        in_registry = int(counted.get(key, 0))
        rows.append(
            {
                "year": row["year"],
                "city_code": row["city_code"],
                "lead_department": row["lead_department"],
                "official": row["enterprises"],
                "registry": in_registry,
                "difference": in_registry - row["enterprises"],
            }
        )
    return rows


def check(ctx: Context) -> list[Problem]:
    (rule,) = RULES
    if "enterprises" not in ctx.catalog:
        return []
    table = ctx.catalog["enterprises"].tables["accepted_enterprises"]
    remedy = REMEDY_SAMPLE if is_sample(ctx.catalog["enterprises"]) else REMEDY_REAL
    return [
        rule.problem(
            package="enterprises",
            resource=table.name,
            path=ctx.where(table),
            field="city_code",
            value=row["city_code"],
            remedy=remedy,
            **row,
        )
        for row in reconciliation(ctx.catalog)
        if row["difference"]
    ]
