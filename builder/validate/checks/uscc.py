"""A unified social credit code, when given, must carry the right check character (GB 32100-2015)."""

from __future__ import annotations

from builder.problems import Problem
from builder.validate.checks._cells import is_blank
from builder.validate.context import Context
from builder.validate.rules import Rule

NAME = "check_uscc"
RULES = [
    Rule(
        id="uscc-check-digit",
        title="统一社会信用代码（如填写）通过 GB 32100 校验码检验。",
        message="统一社会信用代码校验码错误：{hint}",
    )
]
TITLE = RULES[0].title
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    """GB 32100-2015: the 18th character of a unified social credit code."""
    total = sum(USCC_CHARSET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _hint(code: str) -> str:
    expected = (
        uscc_check_character(code[:17]) if len(code) == 18 and all(c in USCC_CHARSET for c in code[:17]) else None
    )
    return f"按 GB 32100 计算，第 18 位应为 {expected}。" if expected else "格式不符合 GB 32100。"


def check(ctx: Context) -> list[Problem]:
    (rule,) = RULES
    problems = []
    for table in ctx.tables():
        if "uscc" not in table.frame.columns:
            continue
        for row, code in table.frame["uscc"].items():
            if is_blank(code):
                continue
            if not (
                len(code) == 18 and all(c in USCC_CHARSET for c in code) and uscc_check_character(code[:17]) == code[17]
            ):
                problems.append(
                    ctx.problem(
                        rule,
                        table,
                        row=int(row),
                        field="uscc",
                        value=str(code),
                        hint=_hint(code),
                    )
                )
    return problems
