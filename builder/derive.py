"""Derive stage: the figures the pages show, computed from the loaded tables.

In: a `Catalog` (validated).
Out: plain, template-ready structures: city statistics with province totals, policies with citations.
Pure functions: no file is read or written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from builder.load import Catalog


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


@dataclass(frozen=True)
class Figures:
    """One city's (or the province's) figures; None where the source gives none."""

    accepted_by_department: dict[str, int]
    accepted_total: int | None
    platform_completions: int | None
    target: int | None


@dataclass(frozen=True)
class CityRow:
    city: dict
    figures: Figures
    basins: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class CityStatistics:
    acceptance_year: int
    platform_year: int
    platform_as_of: str
    target_year: int
    departments: list[dict]
    cities: list[CityRow]
    province: Figures
    sources: dict[str, dict]

    def city(self, city_code: str) -> CityRow:
        return next(row for row in self.cities if row.city["city_code"] == city_code)


def _latest(frame: pd.DataFrame) -> tuple[int, pd.DataFrame]:
    year = int(frame["year"].max())
    return year, frame[frame["year"] == year]


def city_statistics(catalog: Catalog) -> CityStatistics:
    reference, stats = catalog["reference"].tables, catalog["audit-statistics"].tables
    departments = _records(reference["departments"].frame)
    acceptance_year, accepted = _latest(stats["acceptances"].frame)
    platform_year, platform = _latest(stats["platform_completions"].frame)
    target_year, targets = _latest(stats["targets"].frame)

    by_department = accepted.pivot_table(index="city_code", columns="lead_department",
                                         values="enterprises", aggfunc="sum", fill_value=0)
    platform_by_city = platform.set_index("city_code")["enterprises"]
    target_by_city = targets.set_index("city_code")["target"]
    basin_names = reference["basins"].frame.set_index("basin_code")
    basins_by_city: dict[str, list[dict]] = {}
    for link in _records(reference["basin_cities"].frame):
        basin = basin_names.loc[link["basin_code"]]
        basins_by_city.setdefault(link["city_code"], []).append(
            {"basin_code": link["basin_code"], "name_zh": basin["name_zh"], "notice_order": int(basin["notice_order"])})

    def figures_for(code: str) -> Figures:
        # A city absent from the source table has no figure, which is not the same as zero.
        if code in by_department.index:
            parts = {d["department_code"]: int(by_department.loc[code].get(d["department_code"], 0))
                     for d in departments}
            total = sum(parts.values())
        else:
            parts, total = {}, None
        return Figures(parts, total,
                       int(platform_by_city[code]) if code in platform_by_city else None,
                       int(target_by_city[code]) if code in target_by_city else None)

    cities = [CityRow(city, figures_for(city["city_code"]),
                      sorted(basins_by_city.get(city["city_code"], []), key=lambda b: b["notice_order"]))
              for city in _records(reference["cities"].frame)]
    province = Figures(
        {d["department_code"]: sum(r.figures.accepted_by_department.get(d["department_code"], 0) for r in cities)
         for d in departments},
        sum(r.figures.accepted_total or 0 for r in cities),
        sum(r.figures.platform_completions or 0 for r in cities),
        sum(r.figures.target or 0 for r in cities),
    )
    as_of = platform["as_of"].max()
    sources = {s["source_id"]: s for s in _records(stats["sources"].frame)}
    return CityStatistics(acceptance_year, platform_year, as_of.isoformat(), target_year,
                          departments, cities, province, sources)


def policies(catalog: Catalog) -> list[dict]:
    """Policies, newest first (undated last), each with what it cites and what cites it."""
    tables = catalog["policies"].tables
    items = {p["policy_id"]: {**p, "cites": [], "cited_by": []} for p in _records(tables["policies"].frame)}
    for link in _records(tables["policy_citations"].frame):
        citing, cited = items[link["policy_id"]], items[link["cited_policy_id"]]
        citing["cites"].append({"policy": cited, "cited_as": link["cited_as"]})
        cited["cited_by"].append({"policy": citing, "cited_as": link["cited_as"]})
    dated = sorted((p for p in items.values() if p["issued_date"]), key=lambda p: p["issued_date"], reverse=True)
    return dated + [p for p in items.values() if not p["issued_date"]]
