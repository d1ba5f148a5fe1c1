"""The data files themselves, by the import's file-level rules (see builder/importing/messages.py)."""

from __future__ import annotations

from builder.importing.messages import RULES as IMPORT_RULES
from builder.importing.package_check import check_package_files
from builder.problems import Problem
from builder.validate.context import Context
from builder.validate.rules import Rule

NAME = "check_package_files"
TITLE = "数据文件本身：编码、BOM、空行与不齐行、公式样文本、不可见字符、乱码、个人信息、路径安全。"
RULES: list[Rule] = []  # worded by the importer's registry, which `messages.RULES` includes: IMPORT_RULES
__all__ = ["IMPORT_RULES"]


def check(ctx: Context) -> list[Problem]:
    return check_package_files(ctx.catalog, ctx.public_contacts)
