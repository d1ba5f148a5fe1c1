"""Derive stage, static JSON API: small documents under /api/v1/ for programs that want summaries.

In: city statistics, the registry summary and the sectors with their cases.
Out: {path under the site: JSON-ready object}. Pure; `export` writes them (JSON with Chinese as it is).
`openapi` describes them as OpenAPI 3.1, each endpoint's schema inferred from the files it serves.

A document a program reads on its own must say what it holds: every document (and every item of the
lists) has `sample` (true when any of its figures come from a package marked x-sample) and `sample_note`
(in Chinese, naming the parts that are sample data); each part from a package says `sample` too. Target
progress against the registry appears only for a real registry; beside every target, `note` says when
the official results of the target year are not yet published.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from builder.data.sample_mark import SAMPLE_LABEL
from builder.derive.statistics import CityRow, CityStatistics, RegistrySummary, SectorCases
from builder.formats import jsontext

API_ROOT = "api/v1"


def _registry_by_year(registry: RegistrySummary | None, key: Callable[[int], dict | None]) -> dict[str, dict]:
    if registry is None:
        return {}
    return {str(year): sums for year in registry.years if (sums := key(year)) is not None}


def _marked(document: dict, parts: dict[str, str | None]) -> dict:
    """The document with `sample` and `sample_note` first: parts maps a part's key to its sample note (None: real)."""
    notes = [f"{key} 部分为{SAMPLE_LABEL}：{note}" for key, note in parts.items() if note]
    return {"sample": bool(notes), "sample_note": "；".join(notes) or None, **document}


def _target(stats: CityStatistics, enterprises: int | None) -> dict:
    return {
        "year": stats.target_year,
        "enterprises": enterprises,
        "results_published": stats.target_results_published,
        "note": stats.target_note,
    }


def city_document(row: CityRow, stats: CityStatistics, registry: RegistrySummary | None) -> dict:
    code = row.city["city_code"]
    document = {
        "city_code": code,
        "city_name": row.city["city_name"],
        "city_en": row.city["city_en"],
        "region": row.city["region"],
        "acceptances": {
            "year": stats.acceptance_year,
            "by_lead_department": row.figures.accepted_by_department,
            "total": row.figures.accepted_total,
        },
        # Every year of the official statistics, oldest first (null: the city is not in that year's table).
        "acceptances_by_year": [{"year": year, "total": total} for year, total in row.accepted_by_year.items()],
        "platform_completions": {
            "year": stats.platform_year,
            "as_of": stats.platform_as_of,
            "enterprises": row.figures.platform_completions,
        },
        "target": _target(stats, row.figures.target),
        "page": f"cities/{code}/",
    }
    if registry is None:
        return _marked(document, {})
    part: dict[str, object] = {
        "sample": registry.sample,
        "sample_note": registry.sample_note,
        "by_year": _registry_by_year(registry, lambda y: registry.by_city_year.get((code, y))),
    }
    if not registry.sample:  # a sample registry is never compared with a real target
        part["progress"] = [
            {"year": p.year, "target": p.target, "achieved": p.achieved, "percent": p.percent, "status": p.status}
            for p in registry.progress
            if p.city_code == code
        ]
    return _marked({**document, "registry": part}, {"registry": registry.sample_note})


def sector_document(entry: SectorCases, cases_note: str | None, registry_note: str | None) -> dict:
    sector = entry.sector
    return _marked(
        {
            "sector_code": sector["sector_code"],
            "name_zh": sector["name_zh"],
            "name_en": sector["name_en"],
            "vocs_sector": sector["vocs_sector"],
            "heavy_metal_industries": sector["heavy_metal_industries"],
            "cases": {
                "sample": entry.cases_sample,
                "sample_note": cases_note,
                "count": len(entry.cases),
                "case_ids": [c["case_id"] for c in entry.cases],
                "median_investment_cny_10k": entry.median_investment,
                "median_payback_years": entry.median_payback,
                "total_savings": entry.totals,
            },
            "registry": {
                "sample": entry.registry_sample,
                "sample_note": registry_note,
                "by_year": {str(y): s for y, s in entry.registry_by_year.items()},
            },
            "page": f"sectors/{sector['sector_code']}/",
        },
        {"cases": cases_note, "registry": registry_note},
    )


def documents(
    stats: CityStatistics, registry: RegistrySummary | None, sectors: list[SectorCases], cases_note: str | None = None
) -> dict[str, object]:
    """Every API document; cases_note is the technology-case package's sample note (None: real data)."""
    registry_note = registry.sample_note if registry else None
    cities = {row.city["city_code"]: city_document(row, stats, registry) for row in stats.cities}
    sector_docs = {s.sector["sector_code"]: sector_document(s, cases_note, registry_note) for s in sectors}
    summary_keys = ("city_code", "city_name", "region", "acceptances", "platform_completions", "target", "page")
    docs: dict[str, object] = {
        f"{API_ROOT}/index.json": _marked(
            {
                "api": "v1",
                "description": "广东省清洁生产开放数据静态 JSON 接口；路径相对于网站根目录。",
                "endpoints": {
                    "cities": f"{API_ROOT}/cities.json",
                    "city": f"{API_ROOT}/cities/{{city_code}}.json",
                    "sectors": f"{API_ROOT}/sectors.json",
                    "sector": f"{API_ROOT}/sectors/{{sector_code}}.json",
                    "datasets": "data/catalog.jsonld",
                },
                "province": {
                    "acceptances": {
                        "year": stats.acceptance_year,
                        "by_lead_department": stats.province.accepted_by_department,
                        "total": stats.province.accepted_total,
                    },
                    "acceptances_by_year": [
                        {"year": year, "total": total} for year, total in stats.province_by_year.items()
                    ],
                    "platform_completions": stats.province.platform_completions,
                    "target": _target(stats, stats.province.target),
                },
            },
            {},
        ),
        # The city list holds official figures only.
        f"{API_ROOT}/cities.json": [_marked({k: d[k] for k in summary_keys}, {}) for d in cities.values()],
        f"{API_ROOT}/sectors.json": [
            _marked(
                {k: d[k] for k in ("sector_code", "name_zh", "page")} | {"case_count": d["cases"]["count"]},
                {"case_count": cases_note},
            )
            for d in sector_docs.values()
        ],
    }
    docs |= {f"{API_ROOT}/cities/{code}.json": doc for code, doc in cities.items()}
    docs |= {f"{API_ROOT}/sectors/{code}.json": doc for code, doc in sector_docs.items()}
    return docs


# --- OpenAPI 3.1 description of the static API ------------------------------------------------------------

OPENAPI_PATH = "api/openapi.json"
# Each endpoint: its path template, the documents it serves (a regular expression over their paths), its
# parameter and summary.
ENDPOINTS = [
    ("/api/v1/index.json", r"api/v1/index\.json", None, "接口目录和全省汇总"),
    ("/api/v1/cities.json", r"api/v1/cities\.json", None, "各地市的验收数、“平台”数和目标"),
    (
        "/api/v1/cities/{city_code}.json",
        r"api/v1/cities/[^/]+\.json",
        ("city_code", "地市代码（GB/T 2260）"),
        "单个地市",
    ),
    ("/api/v1/sectors.json", r"api/v1/sectors\.json", None, "重点行业及案例数"),
    (
        "/api/v1/sectors/{sector_code}.json",
        r"api/v1/sectors/[^/]+\.json",
        ("sector_code", "重点行业代码"),
        "单个重点行业",
    ),
]


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}[type(value)]


def json_schema(values: list) -> dict:
    """The JSON Schema (2020-12) every one of these values satisfies, as narrow as they allow: each
    object's properties (required when every object has them), each array's items, the scalar types."""
    kinds = {_kind(v) for v in values}
    if "integer" in kinds and "number" in kinds:
        kinds.discard("integer")
    schema: dict = {"type": sorted(kinds)[0] if len(kinds) == 1 else sorted(kinds)}
    objects = [v for v in values if isinstance(v, dict)]
    if objects:
        keys = list(dict.fromkeys(k for o in objects for k in o))
        schema["properties"] = {k: json_schema([o[k] for o in objects if k in o]) for k in keys}
        schema["required"] = [k for k in keys if all(k in o for o in objects)]
    arrays = [v for v in values if isinstance(v, list)]
    if arrays and any(arrays):
        schema["items"] = json_schema([item for a in arrays for item in a])
    return schema


def openapi(documents: dict[str, object], site_url: str) -> dict:
    """OpenAPI 3.1 description of the static API: every endpoint with the schema its files satisfy (inferred
    from the files themselves) and, for a parameter, the values that have a file."""

    paths = {}
    for template, pattern, parameter, summary in ENDPOINTS:
        served = {path: doc for path, doc in documents.items() if re.fullmatch(pattern, path)}
        operation: dict[str, object] = {
            "summary": summary,
            "responses": {
                "200": {
                    "description": summary,
                    "content": {"application/json": {"schema": json_schema(list(served.values()))}},
                }
            },
        }
        if parameter:
            name, description = parameter
            codes = sorted(path.rsplit("/", 1)[-1][: -len(".json")] for path in served)
            operation["parameters"] = [
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "description": description,
                    "schema": {"type": "string", "enum": codes},
                }
            ]
        paths[template] = {"get": operation}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "广东省清洁生产开放数据 静态 JSON 接口",
            "version": "v1",
            "description": "随网站一起生成的 JSON 文件，无需密钥。每个文档含 sample 和 sample_note：为 true 时部分数字来自示例数据。",
        },
        "servers": [{"url": site_url.rstrip("/")}],
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
    }


def example(documents: dict[str, object], path: str, limit: int = 900) -> str:
    """A document as the API file holds it (Chinese as it is), cut at `limit` characters for the docs."""
    text = jsontext.text(documents[path], 1)
    return text if len(text) <= limit else text[:limit] + "\n…"
