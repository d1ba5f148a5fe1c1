"""Every validation rule in one registry: id → `Rule` (title and wording), as the importer's `messages.RULES`.

In: the rules each check declares beside its code, the import's file-level rules, and the rules the
validation stage itself reports. Out: `RULES`; a rule id is declared once (`tests/test_validation_rules.py`).
"""

from __future__ import annotations

from builder.importing.messages import RULES as IMPORT_RULES
from builder.validate.checks import CHECKS
from builder.validate.rules import Rule

# Reported by the validation stage itself (validate/__init__.py) and by frictionless.
STAGE_RULES = [
    Rule(id="descriptor", title="数据包描述文件 datapackage.json 可以读取。"),
    Rule(
        id="package-name",
        title="数据包名称与所在目录名相同。",
        message="数据包名称 {name!r} 必须与所在目录名 {folder!r} 相同。",
    ),
    Rule(
        id="release-changed",
        title="已发布版本未被改动：数据与 releases/ 中同一版本号的保存内容不同时给出警告（应先提高版本号）。",
        severity="warning",
    ),
]
FRICTIONLESS = Rule(
    id="frictionless", title="Frictionless 数据包校验：描述文件、表结构、类型、约束、主键和包内外键（不设错误数上限）。"
)


def _registry() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for rule in [FRICTIONLESS, *STAGE_RULES, *(r for check in CHECKS for r in check.RULES)]:
        if rule.id in rules:
            raise ValueError(f"validation rule {rule.id!r} is declared twice")
        rules[rule.id] = rule
    return rules


RULES: dict[str, Rule] = _registry()
# The importer's rules word the problems of `package_files`; their ids are the importer's own.
ALL_RULE_IDS = frozenset(RULES) | frozenset(IMPORT_RULES)
