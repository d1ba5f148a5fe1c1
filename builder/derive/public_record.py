"""Derive stage, the public record: the real records read in public copies (package `public-record`).

In: a `Packages` (validated) holding `public-record`, and `policies` and `reference` for names.
Out: a `PublicRecord` of template-ready rows — the 2025 targets (provincial, each beside its national
counterpart), the city audit-list notices (also by city), the 粤港清洁生产伙伴 counts with the sum of
their parts beside the total, the programme facts — and the counts as a `Chart`.
Pure functions: no file is read or written here.

What the rows may say is decided here, once: an approximate total is never a count, applications are
never recognitions, and only years whose counts are category parts are drawn as stacked bars.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from builder.data.load import DataPackage, Packages
from builder.derive.charts import Chart, Series

PACKAGE = "public-record"
TARGETS_PAGE = "policies/targets-2025.md"
NOTICES_PAGE = "cities/notices.md"
PARTNERS_PAGE = "partners/index.md"
PARTNERS_CHART_ID = "cppp-recognitions-by-category"

# The category columns of cppp_recognitions, in the order the sources print them.
CPPP_PARTS = ["excellence", "manufacturing", "supply_chain", "env_services"]
# Only counts of partners (recognised, announced or proposed) are drawn: applications are not partners.
CPPP_CHARTED_STATUS = frozenset({"已认定", "公示", "拟认定（公示）"})


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts, a missing cell as None (pandas gives NaN for an empty number); 14.0 reads as 14."""

    def clean(value: object) -> object:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return None
        return int(value) if isinstance(value, float) and value.is_integer() else value

    return [{k: clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def field_titles(package: DataPackage) -> dict[str, dict[str, str]]:
    """Column labels by resource and field, from the schema (templates never hard-code them)."""
    return {name: {f["name"]: f["title"] for f in table.fields} for name, table in package.tables.items()}


def trust_labels(package: DataPackage) -> dict[str, str]:
    """The trust codes' Chinese labels, from the schema's x-labels."""
    return next(iter(package.tables.values())).field("trust")["x-labels"]


# --- 2025 targets ---------------------------------------------------------------------------------


def targets(package: DataPackage, policy_titles: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """(provincial, national) targets; each provincial row carries its national counterpart or None."""
    rows = [
        {**row, "policy_title": policy_titles.get(row["policy_id"], row["policy_id"])}
        for row in _records(package.tables["plan_targets"].frame)
    ]
    national = [row for row in rows if row["scope"] == "国家级"]
    by_id = {row["target_id"]: row for row in national}
    provincial = [{**row, "national": by_id.get(row["national_counterpart"])} for row in rows if row["scope"] == "省级"]
    return provincial, national


# --- City audit-list notices ----------------------------------------------------------------------


def notices(package: DataPackage, city_names: dict[str, str], policy_by_doc: dict[str, str]) -> list[dict]:
    """Notices by city (in reference order), newest first; each cited document number with its policy id."""
    order = list(city_names)
    rows = []
    for row in _records(package.tables["city_list_notices"].frame):
        cited = [{"doc_number": doc, "policy_id": policy_by_doc.get(doc)} for doc in row["cited_documents"] or []]
        own = (
            {"doc_number": row["doc_number"], "policy_id": policy_by_doc.get(row["doc_number"])}
            if row["doc_number"]
            else None
        )
        rows.append(
            {
                **row,
                "city_name": city_names[row["city_code"]],
                "cited": cited,
                "own_document": own,
                "sort_date": row["published_date"] or row["reposted_date"] or row["list_date"],
            }
        )
    # An undated notice sorts by its year; a notice with neither goes last in its city.
    return sorted(
        rows,
        key=lambda r: (
            order.index(r["city_code"]),
            -(r["year"] or (r["sort_date"].year if r["sort_date"] else 0)),
            -(r["batch"] or 0),
        ),
    )


def notices_by_city(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["city_code"], []).append(row)
    return grouped


# --- 粤港清洁生产伙伴 -------------------------------------------------------------------------------


def parts_sum(row: dict) -> int | None:
    """The sum of the printed category counts; None when the source prints no part."""
    parts = [row[name] for name in CPPP_PARTS if row[name] is not None]
    return sum(parts) if parts else None


def recognitions(package: DataPackage) -> list[dict]:
    """Each year's counts with the sum of its parts beside the total, and whether the chart draws it."""
    rows = []
    for row in _records(package.tables["cppp_recognitions"].frame):
        total_sum = parts_sum(row)
        rows.append(
            {**row, "parts_sum": total_sum, "charted": row["status"] in CPPP_CHARTED_STATUS and total_sum is not None}
        )
    return sorted(rows, key=lambda r: r["year"])


def recognitions_chart(rows: list[dict], package: DataPackage) -> Chart:
    """Stacked bars by category for the years whose counts are partners with printed parts.

    A year with only an approximate total, and a year counting applications, are left out and named
    in the notes, so the chart's table, CSV and JSON never carry them as counts."""
    table = package.tables["cppp_recognitions"]
    drawn = [r for r in rows if r["charted"]]
    left_out = [r for r in rows if not r["charted"]]
    # A count from a public announcement is marked on its bar: it is not (yet) a final recognition.
    status_mark = {r["year"]: "" if r["status"] == "已认定" else f"（{r['status'].split('（')[0]}）" for r in drawn}
    notes = []
    for r in left_out:
        reason = (
            f"合计只有约数（{r['total_text']}），不是确切数，来源也未分类别"
            if r["total_basis"] == "约数"
            else f"数字为“{r['status']}”，不是认定数"
            if r["status"] not in CPPP_CHARTED_STATUS
            else "来源未分类别"
        )
        notes.append(f"{r['year']} 年未画入：{reason}。")
    without = [table.title(name) for name in CPPP_PARTS if any(r[name] is None for r in drawn)]
    if without:
        notes.append(f"空值（—）表示来源没有写该类别：{'、'.join(without)}。")
    return Chart(
        chart_id=PARTNERS_CHART_ID,
        title="粤港清洁生产伙伴各年度数量（按类别）",
        caption="按类别堆叠，柱高为各类别之和。年份后注明“公示”“拟认定（公示）”的，数字来自公示名单，不是最终认定。"
        + "".join(notes),
        source=f"{package.descriptor['title']}数据包 {table.name}（各年来源见下表）",
        category_title="年度",
        categories=[f"{r['year']}{status_mark[r['year']]}" for r in drawn],
        category_codes=[str(r["year"]) for r in drawn],
        series=[
            Series(table.title(name), [r[name] for r in drawn], table.field(name)["unit"], stack="cppp")
            for name in CPPP_PARTS
        ],
        notes=notes,
        dataset=package.name,
    )


def programme_facts(package: DataPackage) -> list[dict]:
    return sorted(_records(package.tables["cppp_programme_facts"].frame), key=lambda r: r["date"])


def outcomes(package: DataPackage, city_names: dict[str, str], policy_titles: dict[str, str]) -> list[dict]:
    """Enterprise audit outcomes an authority published, newest first, with the city and basis named."""
    table = package.tables.get("audit_outcomes")
    if table is None:
        return []
    rows = [
        {
            **r,
            "city_name": city_names[r["city_code"]],
            "basis_title": policy_titles.get(r["basis_policy_id"]) if r["basis_policy_id"] else None,
        }
        for r in _records(table.frame)
    ]
    return sorted(rows, key=lambda r: r["published_date"] or date.min, reverse=True)


# --- The bundle -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicRecord:
    package: DataPackage
    titles: dict[str, dict[str, str]]
    trust_labels: dict[str, str]
    provincial: list[dict]
    national: list[dict]
    notices: list[dict]
    notices_by_city: dict[str, list[dict]]
    recognitions: list[dict]
    facts: list[dict]
    chart: Chart
    outcomes: list[dict]


def public_record(catalog: Packages) -> PublicRecord | None:
    """Everything the public-record pages show; None when the package is absent."""
    package = catalog.get(PACKAGE)
    if package is None:
        return None
    cities = catalog["reference"].tables["cities"].frame
    city_names = dict(zip(cities["city_code"], cities["city_name"]))
    policies = _records(catalog["policies"].tables["policies"].frame) if "policies" in catalog else []
    policy_titles = {p["policy_id"]: p["title"] for p in policies}
    policy_by_doc = {p["doc_number"]: p["policy_id"] for p in policies if p.get("doc_number")}
    provincial, national = targets(package, policy_titles)
    listed = notices(package, city_names, policy_by_doc)
    counts = recognitions(package)
    return PublicRecord(
        package,
        field_titles(package),
        trust_labels(package),
        provincial,
        national,
        listed,
        notices_by_city(listed),
        counts,
        programme_facts(package),
        recognitions_chart(counts, package),
        outcomes(package, city_names, policy_titles),
    )
