"""Derive stage, static JSON API: small documents under /api/v1/ for programs that want summaries.

In: city statistics, the registry summary and the sectors with their cases.
Out: {path under the site: JSON-ready object}. Pure; `export` writes them.
"""

from __future__ import annotations

from builder.derive import CityStatistics, RegistrySummary, SectorCases

API_ROOT = "api/v1"


def _registry_by_year(registry: RegistrySummary | None, key) -> dict[str, dict]:
    if registry is None:
        return {}
    return {str(year): sums for year in registry.years if (sums := key(year)) is not None}


def city_document(row, stats: CityStatistics, registry: RegistrySummary | None) -> dict:
    code = row.city["city_code"]
    progress = [p for p in (registry.progress if registry else []) if p.city_code == code]
    return {
        "city_code": code, "city_name": row.city["city_name"], "city_en": row.city["city_en"],
        "region": row.city["region"],
        "acceptances": {"year": stats.acceptance_year, "by_lead_department": row.figures.accepted_by_department,
                        "total": row.figures.accepted_total},
        "platform_completions": {"year": stats.platform_year, "as_of": stats.platform_as_of,
                                 "enterprises": row.figures.platform_completions},
        "target": {"year": stats.target_year, "enterprises": row.figures.target},
        "registry": {"sample": True, "by_year": _registry_by_year(registry, lambda y: registry.by_city_year.get((code, y))),
                     "progress": [{"year": p.year, "target": p.target, "achieved": p.achieved,
                                   "percent": p.percent, "status": p.status} for p in progress]},
        "page": f"cities/{code}/",
    }


def sector_document(entry: SectorCases) -> dict:
    sector = entry.sector
    return {
        "sector_code": sector["sector_code"], "name_zh": sector["name_zh"], "name_en": sector["name_en"],
        "vocs_sector": sector["vocs_sector"], "heavy_metal_industries": sector["heavy_metal_industries"],
        "cases": {"sample": True, "count": len(entry.cases), "case_ids": [c["case_id"] for c in entry.cases],
                  "median_investment_cny_10k": entry.median_investment, "median_payback_years": entry.median_payback,
                  "total_savings": entry.totals},
        "registry": {"sample": True, "by_year": {str(y): s for y, s in entry.registry_by_year.items()}},
        "page": f"sectors/{sector['sector_code']}/",
    }


def documents(stats: CityStatistics, registry: RegistrySummary | None, sectors: list[SectorCases]) -> dict[str, object]:
    cities = {row.city["city_code"]: city_document(row, stats, registry) for row in stats.cities}
    sector_docs = {s.sector["sector_code"]: sector_document(s) for s in sectors}
    docs: dict[str, object] = {
        f"{API_ROOT}/index.json": {
            "api": "v1", "description": "广东省清洁生产开放数据静态 JSON 接口；路径相对于网站根目录。",
            "endpoints": {"cities": f"{API_ROOT}/cities.json", "city": f"{API_ROOT}/cities/{{city_code}}.json",
                          "sectors": f"{API_ROOT}/sectors.json", "sector": f"{API_ROOT}/sectors/{{sector_code}}.json",
                          "datasets": "data/catalog.jsonld"},
            "province": {"acceptances": {"year": stats.acceptance_year,
                                         "by_lead_department": stats.province.accepted_by_department,
                                         "total": stats.province.accepted_total},
                         "platform_completions": stats.province.platform_completions,
                         "target": {"year": stats.target_year, "enterprises": stats.province.target}},
        },
        f"{API_ROOT}/cities.json": [{k: d[k] for k in ("city_code", "city_name", "region", "acceptances",
                                                        "platform_completions", "target", "page")} for d in cities.values()],
        f"{API_ROOT}/sectors.json": [{k: d[k] for k in ("sector_code", "name_zh", "page")} | {"case_count": d["cases"]["count"]}
                                     for d in sector_docs.values()],
    }
    docs |= {f"{API_ROOT}/cities/{code}.json": doc for code, doc in cities.items()}
    docs |= {f"{API_ROOT}/sectors/{code}.json": doc for code, doc in sector_docs.items()}
    return docs
