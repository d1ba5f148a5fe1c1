"""x-foreignKeys in a Table Schema point into another package; every non-empty value must exist there."""

from __future__ import annotations

from builder.problems import Problem
from builder.validate.checks._cells import single, unknown
from builder.validate.context import Context
from builder.validate.rules import Rule

NAME = "check_cross_package_keys"
TARGET = Rule(
    id="reference-target",
    title="x-foreignKeys 指向的数据包和资源存在。",
    message="x-foreignKeys 指向不存在的数据包或资源 {target}。",
)
KEY = Rule(
    id="cross-package-key",
    title="引用其他数据包代码的字段（x-foreignKeys）逐行可查到被引用的代码。",
    message="在 {label} 中找不到该代码。",
)
RULES = [KEY, TARGET]
TITLE = KEY.title


def check(ctx: Context) -> list[Problem]:
    problems = []
    for package in ctx.catalog.values():
        for table in package.tables.values():
            where = ctx.where(table)
            for key in table.descriptor["schema"].get("x-foreignKeys", []):
                field, ref = single(key["fields"]), key["reference"]
                target = ctx.catalog.get(ref["package"], None)
                target_table = target.tables.get(ref["resource"]) if target else None
                if target_table is None:
                    problems.append(
                        TARGET.problem(
                            package=package.name,
                            resource=table.name,
                            path=where,
                            field=field,
                            target=f"{ref['package']}/{ref['resource']}",
                        )
                    )
                    continue
                known = set(target_table.frame[single(ref["fields"])])
                label = f"{ref['package']}/{ref['resource']}.{single(ref['fields'])}"
                # A list field (e.g. several sectors in one cell) is checked item by item.
                for row, item in unknown(table.frame[field], known):
                    problems.append(
                        KEY.problem(
                            package=package.name,
                            resource=table.name,
                            path=where,
                            row=int(row),
                            field=field,
                            value=str(item),
                            label=label,
                        )
                    )
    return problems
