"""Derive stage: the figures the pages show, computed from the loaded tables.

In: a `Packages` (validated).
Out: plain, template-ready structures: city statistics with province totals, policies with citations,
registry and case summaries.
Pure functions: no file is read or written here.

A package whose descriptor has `x-sample` holds sample data (`is_sample`): its figures may be summed and
shown with the sample mark, but never compared with a real target. With a sample registry no target
progress (达标 / 未达标) is computed at all, so no page, chart or API document can show one.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pandas as pd

from builder.data.load import Packages
from builder.data.sample_mark import is_sample, records, sample_note


@dataclass(frozen=True)
class CityCounts:
    """One city's (or the province's) figures; None where the source gives none."""

    accepted_by_department: dict[str, int]
    accepted_total: int | None
    platform_completions: int | None
    target: int | None


@dataclass(frozen=True)
class CityRow:
    city: dict
    figures: CityCounts
    basins: list[dict] = field(default_factory=list)
    accepted_by_year: dict[int, int | None] = field(default_factory=dict)  # every year of the acceptances table


@dataclass(frozen=True)
class CityStatistics:
    acceptance_year: int
    platform_year: int
    platform_as_of: str
    target_year: int
    departments: list[dict]
    cities: list[CityRow]
    province: CityCounts
    sources: dict[str, dict]
    target_results_published: bool = False  # the acceptances table has rows for the target year
    acceptance_years: list[int] = field(default_factory=list)  # every year of the acceptances table, oldest first
    province_by_year: dict[int, int] = field(default_factory=dict)
    # Where the latest figures were printed, as the charts cite it: 《title》附件 N (from the sources table).
    acceptance_source: str = ""
    history_source: str = ""  # the sources of every year's acceptances, oldest first
    target_source: str = ""
    # Cities (short names) whose “平台” count exceeds their acceptances in the latest year: the two are
    # counted differently and never divided.
    platform_above_accepted: list[str] = field(default_factory=list)

    @property
    def target_note(self) -> str | None:
        """Said beside every target figure until the official results of the target year are in the data."""
        return None if self.target_results_published else f"{self.target_year} 年官方完成情况尚未公布"

    def city(self, city_code: str) -> CityRow:
        return next(row for row in self.cities if row.city["city_code"] == city_code)


def _latest(frame: pd.DataFrame) -> tuple[int, pd.DataFrame]:
    year = int(frame["year"].max())
    return year, frame[frame["year"] == year]


def city_statistics(catalog: Packages) -> CityStatistics:
    reference, stats = catalog["reference"].tables, catalog["audit-statistics"].tables
    departments = records(reference["departments"].frame)
    acceptance_year, accepted = _latest(stats["acceptances"].frame)
    platform_year, platform = _latest(stats["platform_completions"].frame)
    target_year, targets = _latest(stats["targets"].frame)
    published = bool((stats["acceptances"].frame["year"] == target_year).any())

    by_department = accepted.pivot_table(
        index="city_code", columns="lead_department", values="enterprises", aggfunc="sum", fill_value=0
    )
    platform_by_city = platform.set_index("city_code")["enterprises"]
    target_by_city = targets.set_index("city_code")["target"]
    basin_names = reference["basins"].frame.set_index("basin_code")
    basins_by_city: dict[str, list[dict]] = {}
    for link in records(reference["basin_cities"].frame):
        basin = basin_names.loc[link["basin_code"]]
        basins_by_city.setdefault(link["city_code"], []).append(
            {"basin_code": link["basin_code"], "name_zh": basin["name_zh"], "notice_order": int(basin["notice_order"])}
        )

    def figures_for(code: str) -> CityCounts:
        # A city absent from the source table has no figure, which is not the same as zero.
        if code in by_department.index:
            parts = {
                d["department_code"]: int(by_department.loc[code].get(d["department_code"], 0)) for d in departments
            }
            total = sum(parts.values())
        else:
            parts, total = {}, None
        return CityCounts(
            parts,
            total,
            int(platform_by_city[code]) if code in platform_by_city else None,
            int(target_by_city[code]) if code in target_by_city else None,
        )

    cities = [
        CityRow(
            city,
            figures_for(city["city_code"]),
            sorted(basins_by_city.get(city["city_code"], []), key=lambda b: b["notice_order"]),
        )
        for city in records(reference["cities"].frame)
    ]
    province = CityCounts(
        {
            d["department_code"]: sum(r.figures.accepted_by_department.get(d["department_code"], 0) for r in cities)
            for d in departments
        },
        sum(r.figures.accepted_total or 0 for r in cities),
        sum(r.figures.platform_completions or 0 for r in cities),
        sum(r.figures.target or 0 for r in cities),
    )
    as_of = platform["as_of"].max()
    sources = {s["source_id"]: s for s in records(stats["sources"].frame)}
    every_year = stats["acceptances"].frame.groupby(["city_code", "year"])["enterprises"].sum()
    years = sorted(int(y) for y in stats["acceptances"].frame["year"].unique())
    cities = [
        replace(
            row,
            accepted_by_year={
                y: int(every_year[(row.city["city_code"], y)])
                if (row.city["city_code"], y) in every_year.index
                else None
                for y in years
            },
        )
        for row in cities
    ]
    above = [
        row.city["city_short"]
        for row in cities
        if row.figures.platform_completions is not None
        and row.figures.accepted_total is not None
        and row.figures.platform_completions > row.figures.accepted_total
    ]
    return CityStatistics(
        acceptance_year,
        platform_year,
        as_of.isoformat(),
        target_year,
        departments,
        cities,
        province,
        sources,
        published,
        acceptance_years=years,
        province_by_year={
            y: int(v) for y, v in stats["acceptances"].frame.groupby("year")["enterprises"].sum().items()
        },
        acceptance_source=_cited(sources, accepted),
        target_source=_cited(sources, targets),
        history_source=_cited(sources, stats["acceptances"].frame.sort_values("year", kind="stable")),
        platform_above_accepted=above,
    )


def _cited(sources: dict[str, dict], rows: pd.DataFrame) -> str:
    """《title》附件 N for the source(s) the rows were transcribed from, as the charts cite them."""
    cited = []
    for source_id in dict.fromkeys(rows["source_id"]):
        source = sources[source_id]
        attachment = f"附件 {source['attachment_no']}" if source.get("attachment_no") else ""
        cited.append(f"《{source['title']}》{attachment}")
    return "；".join(cited)


def policies(catalog: Packages) -> list[dict]:
    """Policies grouped by level in the schema's order, newest first within a level.

    A year-only date sorts by its year, after the fully dated documents of that year. Each policy gets what
    it cites and what cites it, the label of its copy's trust, its date as shown, and its series: the
    members oldest first and each change of title (a member's title, its own year masked, differs from
    the previous member's), so that a renamed series still reads as one."""
    table = catalog["policies"].tables["policies"]
    trust_labels = table.field("source_trust").get("x-labels", {})
    levels = table.field("level")["constraints"]["enum"]
    items = {
        p["policy_id"]: {
            **p,
            "cites": [],
            "cited_by": [],
            "trust_label": trust_labels.get(p["source_trust"], p["source_trust"]),
            "date_text": p["issued_date"].isoformat() if p["issued_date"] else f"{p['issued_year']} 年",
        }
        for p in records(table.frame)
    }
    for link in records(catalog["policies"].tables["policy_citations"].frame):
        citing, cited = items[link["policy_id"]], items[link["cited_policy_id"]]
        citing["cites"].append({"policy": cited, "cited_as": link["cited_as"]})
        cited["cited_by"].append({"policy": citing, "cited_as": link["cited_as"]})
    ordered = sorted(
        items.values(),
        key=lambda p: (
            -int(p["issued_year"]),
            p["issued_date"] is None,
            -(p["issued_date"].toordinal() if p["issued_date"] else 0),
        ),
    )
    series: dict[str, list[dict]] = {}
    for p in reversed(ordered):
        if p["series"]:
            series.setdefault(p["series"], []).append(p)
    for p in ordered:
        members = series.get(p["series"], []) if p["series"] else []
        masked = [m["title"].replace(str(m["issued_year"]), "{年}") for m in members]
        p["series_members"] = members
        p["series_renamings"] = [
            {"policy": members[i], "previous": members[i - 1]}
            for i in range(1, len(members))
            if masked[i] != masked[i - 1]
        ]
    return sorted(ordered, key=lambda p: levels.index(p["level"]))


# --- Accepted-enterprise registry -------------------------------------------------------------

PERFORMANCE_FIELDS = [
    "co2_reduction_t",
    "energy_saving_tce",
    "water_saving_t",
    "cod_reduction_t",
    "vocs_reduction_t",
    "heavy_metal_reduction_kg",
    "investment_cny_10k",
    "economic_benefit_cny_10k",
]


def registry_frame(catalog: Packages) -> pd.DataFrame | None:
    package = catalog.get("enterprises")
    return None if package is None else package.tables["accepted_enterprises"].frame


def _sums(frame: pd.DataFrame) -> dict:
    sums: dict[str, float | None] = {"count": len(frame)}
    for name in PERFORMANCE_FIELDS:
        values = pd.to_numeric(frame[name], errors="coerce")
        sums[name] = round(float(values.sum()), 1) if values.notna().any() else None
    return sums


@dataclass(frozen=True)
class Progress:
    city_code: str
    year: int
    target: int
    achieved: int
    percent: float
    status: str  # 达标 / 未达标 / 进行中


@dataclass(frozen=True)
class RegistrySummary:
    years: list[int]
    by_year: dict[int, dict]
    by_city_year: dict[tuple[str, int], dict]
    by_sector_year: dict[tuple[str | None, int], dict]
    by_city_sector: dict[tuple[str, str | None], dict]
    progress: list[Progress]  # empty for a sample registry
    province_progress: dict[int, Progress]
    as_of: str | None
    sample: bool = False
    sample_note: str | None = None


def _status(achieved: int, target: int, year: int, as_of: str | None) -> str:
    if achieved >= target:
        return "达标"
    if as_of is not None and as_of <= f"{year}-12-31":
        return "进行中"
    return "未达标"


def registry_summary(catalog: Packages) -> RegistrySummary | None:
    registry = registry_frame(catalog)
    if registry is None:
        return None
    as_of = catalog["enterprises"].descriptor.get("x-dataAsOf")
    frame = registry.assign(sector_code=registry["sector_code"].where(registry["sector_code"].notna(), None))
    years = sorted(int(y) for y in frame["acceptance_year"].unique())
    by_year = {int(y): _sums(g) for y, g in frame.groupby("acceptance_year")}
    by_city_year = {(c, int(y)): _sums(g) for (c, y), g in frame.groupby(["city_code", "acceptance_year"])}
    by_sector_year = {
        (s, int(y)): _sums(g) for (s, y), g in frame.groupby(["sector_code", "acceptance_year"], dropna=False)
    }
    by_city_sector = {(c, s): _sums(g) for (c, s), g in frame.groupby(["city_code", "sector_code"], dropna=False)}
    package = catalog["enterprises"]
    progress, province = ([], {}) if is_sample(package) else _progress(catalog, by_city_year, as_of)
    return RegistrySummary(
        years,
        by_year,
        by_city_year,
        by_sector_year,
        by_city_sector,
        progress,
        province,
        as_of,
        is_sample(package),
        sample_note(package),
    )


def _progress(catalog: Packages, by_city_year: dict, as_of: str | None) -> tuple[list[Progress], dict[int, Progress]]:
    """Each city's target against the registry's count, and the province's: only ever for real registry data."""
    progress = []
    totals: dict[int, list[int]] = {}
    for target in records(catalog["audit-statistics"].tables["targets"].frame):
        year, code = target["year"], target["city_code"]
        achieved = by_city_year.get((code, year), {"count": 0})["count"]
        progress.append(
            Progress(
                code,
                year,
                target["target"],
                achieved,
                round(100 * achieved / target["target"], 1) if target["target"] else 0.0,
                _status(achieved, target["target"], year, as_of),
            )
        )
        totals.setdefault(year, [0, 0])
        totals[year][0] += target["target"]
        totals[year][1] += achieved
    province = {
        year: Progress("440000", year, t, a, round(100 * a / t, 1) if t else 0.0, _status(a, t, year, as_of))
        for year, (t, a) in totals.items()
    }
    return progress, province


# --- Technology cases ----------------------------------------------------------------------------

SAVING_FIELDS = [
    "energy_saving_tce",
    "water_saving_t",
    "co2_reduction_t",
    "cod_reduction_t",
    "vocs_reduction_t",
    "heavy_metal_reduction_kg",
]


@dataclass(frozen=True)
class SectorCases:
    sector: dict
    cases: list[dict]  # ranked: largest CO2 reduction first, then shortest payback
    median_investment: float | None
    median_payback: float | None
    totals: dict[str, float | None]
    registry_by_year: dict[int, dict] = field(default_factory=dict)
    cases_sample: bool = False  # the case figures (count, medians, totals) come from sample cases
    registry_sample: bool = False


def _median(values: Iterable[float | None]) -> float | None:
    series = pd.Series([v for v in values if v is not None], dtype=float)
    return None if series.empty else round(float(series.median()), 1)


def _rank_key(case: dict) -> tuple[bool, float, bool, float, str]:
    co2 = case.get("co2_reduction_t")
    payback = case.get("payback_years")
    return (co2 is None, -(co2 or 0), payback is None, payback or 0, case["case_id"])


def technology_cases(catalog: Packages) -> list[dict]:
    package = catalog.get("technology-cases")
    if package is None:
        return []
    cases = records(package.tables["technology_cases"].frame)
    # Each sector's cases in rank order once; a case's related cases are the best of its sectors' lists
    # (not a comparison of every pair: a thousand cases would make that a million).
    by_sector: dict[str, list[int]] = {}
    for position, case in sorted(enumerate(cases), key=lambda item: _rank_key(item[1])):
        for code in dict.fromkeys(case["sector_codes"]):
            by_sector.setdefault(code, []).append(position)
    for position, case in enumerate(cases):
        candidates = heapq.merge(
            *(by_sector[code][:9] for code in dict.fromkeys(case["sector_codes"])),
            key=lambda other: _rank_key(cases[other]),
        )
        related = []
        for other in candidates:
            if other != position and other not in related:
                related.append(other)
            if len(related) == 8:
                break
        case["related"] = [cases[other] for other in related]
    return cases


def sectors_with_cases(catalog: Packages, cases: list[dict], registry: RegistrySummary | None) -> list[SectorCases]:
    result = []
    for sector in records(catalog["reference"].tables["sectors"].frame):
        code = sector["sector_code"]
        own = sorted((c for c in cases if code in c["sector_codes"]), key=_rank_key)
        totals = {}
        for name in SAVING_FIELDS:
            values = [c[name] for c in own if c.get(name) is not None]
            totals[name] = round(sum(values), 1) if values else None
        by_year = (
            {}
            if registry is None
            else {year: sums for (sector_code, year), sums in registry.by_sector_year.items() if sector_code == code}
        )
        result.append(
            SectorCases(
                sector,
                own,
                _median(c.get("investment_cny_10k") for c in own),
                _median(c.get("payback_years") for c in own),
                totals,
                dict(sorted(by_year.items())),
                is_sample(catalog.get("technology-cases")),
                registry is not None and registry.sample,
            )
        )
    return result
