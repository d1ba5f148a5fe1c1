"""Links that reach pages must be http(s): no javascript:, data: or file: from the data."""

from __future__ import annotations

from collections.abc import Iterator

from builder.problems import Problem
from builder.validate.checks._cells import is_blank
from builder.validate.context import Context
from builder.validate.rules import Rule

NAME = "check_urls"
RULES = [
    Rule(id="url-scheme", title="描述文件和链接字段只含 http/https 地址。", message="链接只允许 http 或 https 地址。")
]
SCHEMES = ("http://", "https://")
TITLE = RULES[0].title


def _descriptor_urls(descriptor: dict) -> Iterator[tuple[str, str]]:
    for key in ("licenses", "sources", "contributors"):
        for entry in descriptor.get(key, []) or []:
            for prop in ("path", "url", "href"):
                if isinstance(entry, dict) and entry.get(prop):
                    yield f"{key}.{prop}", entry[prop]


def check(ctx: Context) -> list[Problem]:
    (rule,) = RULES
    problems = []
    for package in ctx.catalog.values():
        for where, url in _descriptor_urls(package.descriptor):
            if not str(url).lower().startswith(SCHEMES):
                problems.append(
                    rule.problem(
                        package=package.name, path=ctx.descriptor_path(package.name), field=where, value=str(url)
                    )
                )
        for table in package.tables.values():
            for field in table.fields:
                if field.get("format") != "uri":
                    continue
                for row, value in table.frame[field["name"]].items():
                    if not is_blank(value) and not str(value).lower().startswith(SCHEMES):
                        problems.append(
                            ctx.problem(
                                rule,
                                table,
                                row=int(row),
                                field=field["name"],
                                value=str(value),
                            )
                        )
    return problems
