"""The project's own checks, beyond what frictionless verifies inside one package.

In: a loaded `Catalog` whose packages each passed frictionless validation.
Out: `Problem`s. Each check is one small function listed in CHECKS.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from builder.derive import sample_mark, statistics
from builder.importing.package_check import check_package_files
from builder.data.load import Catalog, Table
from builder.problems import Problem, relative_path
from builder.validate.transcription import check_transcriptions

CJK = re.compile(r"[\u4e00-\u9fff]")


def _where(table: Table, data_root) -> str:
    return relative_path(table.path, data_root)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value == ""


def check_field_metadata(catalog: Catalog) -> list[Problem]:
    """Every field needs a Chinese title and a description: the site's labels come from them."""
    problems = []
    for package in catalog.values():
        for table in package.tables.values():
            for field in table.fields:
                title, description = field.get("title", ""), field.get("description", "")
                if not CJK.search(title) or not description.strip():
                    problems.append(Problem(
                        package.name, table.name, _where(table, package.root.parent), None, field["name"], None,
                        "field-metadata", "字段缺少中文标题（title）或说明（description）。"))
    return problems


def _single(fields) -> str:
    return fields if isinstance(fields, str) else fields[0]


def _unknown(values: pd.Series, known) -> list[tuple[int, object]]:
    """(row, value) for each non-blank value of a column that is not in `known`; a list field's cells item by item."""
    found = []
    for row, value in zip(values.index, values.tolist()):
        if isinstance(value, list):
            found += [(row, item) for item in value if not _is_blank(item) and item not in known]
        elif value not in known and not _is_blank(value):
            found.append((row, value))
    return found


def check_list_items(catalog: Catalog) -> list[Problem]:
    """x-itemEnum on a list field: every item must be one of the allowed values."""
    problems = []
    for package in catalog.values():
        for table in package.tables.values():
            for field in table.fields:
                allowed = field.get("x-itemEnum")
                if not allowed:
                    continue
                for row, item in _unknown(table.frame[field["name"]], allowed):
                    problems.append(Problem(package.name, table.name, _where(table, package.root.parent),
                                            int(row), field["name"], str(item), "list-item-enum",
                                            f"取值不在允许范围内：{'、'.join(allowed)}。"))
    return problems


def check_cross_package_keys(catalog: Catalog) -> list[Problem]:
    """x-foreignKeys in a Table Schema point into another package; every non-empty value must exist there."""
    problems = []
    for package in catalog.values():
        for table in package.tables.values():
            where = _where(table, package.root.parent)
            for key in table.descriptor["schema"].get("x-foreignKeys", []):
                field, ref = _single(key["fields"]), key["reference"]
                target = catalog.get(ref["package"], None)
                target_table = target.tables.get(ref["resource"]) if target else None
                if target_table is None:
                    problems.append(Problem(package.name, table.name, where, None, field, None, "reference-target",
                                            f"x-foreignKeys 指向不存在的数据包或资源 {ref['package']}/{ref['resource']}。"))
                    continue
                known = set(target_table.frame[_single(ref["fields"])])
                label = f"{ref['package']}/{ref['resource']}.{_single(ref['fields'])}"
                # A list field (e.g. several sectors in one cell) is checked item by item.
                for row, item in _unknown(table.frame[field], known):
                    problems.append(Problem(package.name, table.name, where, int(row), field, str(item),
                                            "cross-package-key", f"在 {label} 中找不到该代码。"))
    return problems


def _listed_rows(values: pd.Series, limit: int = 6) -> str:
    if values.empty:
        return "无"
    if len(values) > limit:
        return f"共 {len(values)} 行（第 {values.index.min()}–{values.index.max()} 行之间）"
    return "、".join(f"第 {row} 行（{value}）" for row, value in values.items())


def check_printed_totals(catalog: Catalog) -> list[Problem]:
    """Each total printed in a source table must equal the sum of the transcribed rows it covers."""
    problems = []
    for package in catalog.values():
        totals = package.tables.get("printed_totals")
        if totals is None:
            continue
        where = _where(totals, package.root.parent)
        for row, total in totals.frame.iterrows():
            target = package.tables[total["resource"]]
            parts = target.frame[target.frame["year"] == total["year"]]
            scope = [f"{total['year']} 年"]
            for key in ("city_code", "lead_department"):
                if not _is_blank(total[key]):
                    parts = parts[parts[key] == total[key]]
                    scope.append(str(total[key]))
            actual = int(parts[total["measure"]].sum())
            if actual != total["value"] or parts.empty:
                listed = _listed_rows(parts[total["measure"]])
                problems.append(Problem(
                    package.name, totals.name, where, int(row), "value", str(total["value"]), "printed-total",
                    f"原文印制的{total['label']} {total['value']} 与 {_where(target, package.root.parent)} "
                    f"中对应各行（{'，'.join(scope)}）之和 {actual} 不符。参与求和的行：{listed}。",
                    tuple(int(r) for r in parts.index)))
    return problems


def check_document_files(catalog: Catalog) -> list[Problem]:
    """A `body` path must name a UTF-8 Markdown file inside its package."""
    problems = []
    for package in catalog.values():
        for table in package.tables.values():
            if "body" not in table.frame.columns:
                continue
            for row, body in table.frame["body"].items():
                if _is_blank(body):
                    continue
                path = (package.root / body).resolve()
                ok = path.is_relative_to(package.root.resolve()) and path.is_file()
                if ok:
                    try:
                        path.read_text(encoding="utf-8")
                    except UnicodeDecodeError:
                        ok = False
                if not ok:
                    problems.append(Problem(package.name, table.name, _where(table, package.root.parent),
                                            int(row), "body", str(body), "document-file",
                                            "正文文件不存在、不在数据包内或不是 UTF-8 编码。"))
    return problems


def check_resource_paths(catalog: Catalog) -> list[Problem]:
    """A resource's file is <name>.csv at the package root, so downloads keep stable, predictable names."""
    problems = []
    for package in catalog.values():
        for table in package.tables.values():
            expected = f"{table.name}.csv"
            if table.descriptor.get("path") != expected:
                problems.append(Problem(package.name, table.name, relative_path(package.descriptor_path, package.root.parent),
                                        None, "path", str(table.descriptor.get("path")), "resource-path",
                                        f"资源文件应命名为 {expected} 并放在数据包根目录。"))
    return problems


USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    """GB 32100-2015: the 18th character of a unified social credit code."""
    total = sum(USCC_CHARSET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def check_uscc(catalog: Catalog) -> list[Problem]:
    """A unified social credit code, when given, must carry the right check character."""
    problems = []
    for package in catalog.values():
        for table in package.tables.values():
            if "uscc" not in table.frame.columns:
                continue
            for row, code in table.frame["uscc"].items():
                if _is_blank(code):
                    continue
                valid = len(code) == 18 and all(c in USCC_CHARSET for c in code) and uscc_check_character(code[:17]) == code[17]
                if not valid:
                    expected = uscc_check_character(code[:17]) if len(code) == 18 and all(c in USCC_CHARSET for c in code[:17]) else None
                    hint = f"按 GB 32100 计算，第 18 位应为 {expected}。" if expected else "格式不符合 GB 32100。"
                    problems.append(Problem(package.name, table.name, _where(table, package.root.parent), int(row),
                                            "uscc", str(code), "uscc-check-digit", f"统一社会信用代码校验码错误：{hint}"))
    return problems


def check_acceptance_year(catalog: Catalog) -> list[Problem]:
    """acceptance_year repeats the year of acceptance_date; the two must agree."""
    problems = []
    for package in catalog.values():
        for table in package.tables.values():
            if not {"acceptance_year", "acceptance_date"} <= set(table.frame.columns):
                continue
            frame = table.frame
            for row, year, date in zip(frame.index, frame["acceptance_year"], frame["acceptance_date"]):
                if not _is_blank(date) and date.year != year:
                    problems.append(Problem(package.name, table.name, _where(table, package.root.parent), int(row),
                                            "acceptance_year", str(year), "acceptance-year",
                                            f"验收年度与验收日期 {date.isoformat()} 的年份不一致。"))
    return problems


def check_registry_reconciles(catalog: Catalog) -> list[Problem]:
    """Registry counts per city and department against the official statistics: differences are warnings."""
    if "enterprises" not in catalog:
        return []
    table = catalog["enterprises"].tables["accepted_enterprises"]
    where = _where(table, catalog["enterprises"].root.parent)
    # What to do about a difference: a sample is regenerated from the official counts; real records are corrected.
    remedy = ("名录是示例数据，按官方统计生成：请运行 python -m builder generate-sample 重新生成，"
              "再提高 enterprises 的版本号并运行 python -m builder release。"
              if sample_mark.is_sample(catalog["enterprises"]) else "请核对名录，补齐或更正该市该部门的记录。")
    problems = []
    for row in statistics.reconciliation(catalog):
        if row["difference"]:
            problems.append(Problem(
                "enterprises", table.name, where, None, "city_code", row["city_code"], "registry-reconciliation",
                f"{row['year']} 年 {row['city_code']} {row['lead_department']} 牵头：名录 {row['registry']} 家，"
                f"官方统计 {row['official']} 家，相差 {row['difference']:+d}。{remedy}", severity="warning"))
    return problems


def _descriptor_urls(descriptor: dict):
    for key in ("licenses", "sources", "contributors"):
        for entry in descriptor.get(key, []) or []:
            for prop in ("path", "url", "href"):
                if isinstance(entry, dict) and entry.get(prop):
                    yield f"{key}.{prop}", entry[prop]


def check_urls(catalog: Catalog) -> list[Problem]:
    """Links that reach pages must be http(s): no javascript:, data: or file: from the data."""
    problems = []
    for package in catalog.values():
        descriptor_path = relative_path(package.descriptor_path, package.root.parent)
        for where, url in _descriptor_urls(package.descriptor):
            if not str(url).lower().startswith(("http://", "https://")):
                problems.append(Problem(package.name, None, descriptor_path, None, where, str(url), "url-scheme",
                                        "链接只允许 http 或 https 地址。"))
        for table in package.tables.values():
            for field in table.fields:
                if field.get("format") != "uri":
                    continue
                for row, value in table.frame[field["name"]].items():
                    if not _is_blank(value) and not str(value).lower().startswith(("http://", "https://")):
                        problems.append(Problem(package.name, table.name, _where(table, package.root.parent), int(row),
                                                field["name"], str(value), "url-scheme", "链接只允许 http 或 https 地址。"))
    return problems


# What each check does, in the words the published validation report uses.
DESCRIPTIONS_ZH = {
    "check_field_metadata": "每个字段都有中文标题和说明。",
    "check_resource_paths": "资源文件名为 <资源名>.csv 并位于数据包根目录。",
    "check_urls": "描述文件和链接字段只含 http/https 地址。",
    "check_cross_package_keys": "引用其他数据包代码的字段（x-foreignKeys）逐行可查到被引用的代码。",
    "check_list_items": "多值字段的每个取值都在允许范围内。",
    "check_printed_totals": "转录的分项数据之和等于原文印制的合计数。",
    "check_document_files": "政策正文文件存在、位于数据包内且为 UTF-8。",
    "check_transcriptions": "政策正文中的附件表格与数据文件及原文合计数逐格双向一致（按各资源的 x-transcribedIn 声明）。",
    "check_uscc": "统一社会信用代码（如填写）通过 GB 32100 校验码检验。",
    "check_acceptance_year": "验收年度与验收日期的年份一致。",
    "check_registry_reconciles": "企业名录各市、各部门记录数与官方统计核对（不一致为警告）。",
    "check_package_files": "数据文件本身：编码、BOM、空行与不齐行、公式样文本、不可见字符、乱码、个人信息、路径安全。",
}

CHECKS: list[Callable[[Catalog], list[Problem]]] = [
    check_field_metadata,
    check_resource_paths,
    check_urls,
    check_cross_package_keys,
    check_list_items,
    check_printed_totals,
    check_document_files,
    check_transcriptions,
    check_uscc,
    check_acceptance_year,
    check_registry_reconciles,
    check_package_files,  # the import's file-level rules (encoding, BOM, formulas, invisible characters, personal data …)
]
