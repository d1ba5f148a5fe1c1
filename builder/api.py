"""Derive stage, static JSON API: small documents under /api/v1/ for programs that want summaries.

In: city statistics, the registry summary and the sectors with their cases.
Out: {path under the site: JSON-ready object}. Pure; `export` writes them.

A document a program reads on its own must say what it holds: every document (and every item of the
lists) has `sample` (true when any of its figures come from a package marked x-sample) and `sample_note`
(in Chinese, naming the parts that are sample data); each part from a package says `sample` too. Target
progress against the registry appears only for a real registry; beside every target, `note` says when
the official results of the target year are not yet published.
"""

from __future__ import annotations

from builder.derive import SAMPLE_LABEL, CityStatistics, RegistrySummary, SectorCases

API_ROOT = "api/v1"


def _registry_by_year(registry: RegistrySummary | None, key) -> dict[str, dict]:
    if registry is None:
        return {}
    return {str(year): sums for year in registry.years if (sums := key(year)) is not None}


def _marked(document: dict, parts: dict[str, str | None]) -> dict:
    """The document with `sample` and `sample_note` first: parts maps a part's key to its sample note (None: real)."""
    notes = [f"{key} 部分为{SAMPLE_LABEL}：{note}" for key, note in parts.items() if note]
    return {"sample": bool(notes), "sample_note": "；".join(notes) or None, **document}


def _target(stats: CityStatistics, enterprises: int | None) -> dict:
    return {"year": stats.target_year, "enterprises": enterprises,
            "results_published": stats.target_results_published, "note": stats.target_note}


def city_document(row, stats: CityStatistics, registry: RegistrySummary | None) -> dict:
    code = row.city["city_code"]
    document = {
        "city_code": code, "city_name": row.city["city_name"], "city_en": row.city["city_en"],
        "region": row.city["region"],
        "acceptances": {"year": stats.acceptance_year, "by_lead_department": row.figures.accepted_by_department,
                        "total": row.figures.accepted_total},
        "platform_completions": {"year": stats.platform_year, "as_of": stats.platform_as_of,
                                 "enterprises": row.figures.platform_completions},
        "target": _target(stats, row.figures.target),
        "page": f"cities/{code}/",
    }
    if registry is None:
        return _marked(document, {})
    part = {"sample": registry.sample, "sample_note": registry.sample_note,
            "by_year": _registry_by_year(registry, lambda y: registry.by_city_year.get((code, y)))}
    if not registry.sample:  # a sample registry is never compared with a real target
        part["progress"] = [{"year": p.year, "target": p.target, "achieved": p.achieved, "percent": p.percent,
                             "status": p.status} for p in registry.progress if p.city_code == code]
    return _marked({**document, "registry": part}, {"registry": registry.sample_note})


def sector_document(entry: SectorCases, cases_note: str | None, registry_note: str | None) -> dict:
    sector = entry.sector
    return _marked({
        "sector_code": sector["sector_code"], "name_zh": sector["name_zh"], "name_en": sector["name_en"],
        "vocs_sector": sector["vocs_sector"], "heavy_metal_industries": sector["heavy_metal_industries"],
        "cases": {"sample": entry.cases_sample, "sample_note": cases_note, "count": len(entry.cases),
                  "case_ids": [c["case_id"] for c in entry.cases],
                  "median_investment_cny_10k": entry.median_investment, "median_payback_years": entry.median_payback,
                  "total_savings": entry.totals},
        "registry": {"sample": entry.registry_sample, "sample_note": registry_note,
                     "by_year": {str(y): s for y, s in entry.registry_by_year.items()}},
        "page": f"sectors/{sector['sector_code']}/",
    }, {"cases": cases_note, "registry": registry_note})


def documents(stats: CityStatistics, registry: RegistrySummary | None, sectors: list[SectorCases],
              cases_note: str | None = None) -> dict[str, object]:
    """Every API document; cases_note is the technology-case package's sample note (None: real data)."""
    registry_note = registry.sample_note if registry else None
    cities = {row.city["city_code"]: city_document(row, stats, registry) for row in stats.cities}
    sector_docs = {s.sector["sector_code"]: sector_document(s, cases_note, registry_note) for s in sectors}
    summary_keys = ("city_code", "city_name", "region", "acceptances", "platform_completions", "target", "page")
    docs: dict[str, object] = {
        f"{API_ROOT}/index.json": _marked({
            "api": "v1", "description": "广东省清洁生产开放数据静态 JSON 接口；路径相对于网站根目录。",
            "endpoints": {"cities": f"{API_ROOT}/cities.json", "city": f"{API_ROOT}/cities/{{city_code}}.json",
                          "sectors": f"{API_ROOT}/sectors.json", "sector": f"{API_ROOT}/sectors/{{sector_code}}.json",
                          "datasets": "data/catalog.jsonld"},
            "province": {"acceptances": {"year": stats.acceptance_year,
                                         "by_lead_department": stats.province.accepted_by_department,
                                         "total": stats.province.accepted_total},
                         "platform_completions": stats.province.platform_completions,
                         "target": _target(stats, stats.province.target)},
        }, {}),
        # The city list holds official figures only.
        f"{API_ROOT}/cities.json": [_marked({k: d[k] for k in summary_keys}, {}) for d in cities.values()],
        f"{API_ROOT}/sectors.json": [_marked({k: d[k] for k in ("sector_code", "name_zh", "page")}
                                             | {"case_count": d["cases"]["count"]}, {"case_count": cases_note})
                                     for d in sector_docs.values()],
    }
    docs |= {f"{API_ROOT}/cities/{code}.json": doc for code, doc in cities.items()}
    docs |= {f"{API_ROOT}/sectors/{code}.json": doc for code, doc in sector_docs.items()}
    return docs
