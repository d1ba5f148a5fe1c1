"""Derive stage, catalogue: what the open-data catalogue says about each data package.

In: a loaded package plus the site's address, publisher and default licence.
Out: a plain dict per dataset (metadata, data dictionary, preview, downloads, citations,
schema.org JSON-LD) and the DCAT catalogue of them all. Pure functions.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from builder import layout
from builder.downloads import EXCEL_SUFFIX
from builder.load import DataPackage

PREVIEW_ROWS = 5
# Each resource's download formats: label, file extension (after the resource name), media type.
DOWNLOAD_FORMATS = (("CSV", "csv"), ("Excel 用 CSV", EXCEL_SUFFIX), ("XLSX", "xlsx"), ("JSON", "json"),
                    ("Parquet", "parquet"))
CONSTRAINT_LABELS = {"required": "必填", "unique": "唯一", "minimum": "最小值", "maximum": "最大值",
                     "pattern": "格式", "minLength": "最短长度", "maxLength": "最长长度"}


def _display(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def dictionary_entry(field: dict, references: dict[str, str]) -> dict:
    constraints = field.get("constraints", {})
    rules = []
    for key, label in CONSTRAINT_LABELS.items():
        if key in constraints and constraints[key] is not False:
            rules.append(label if constraints[key] is True else f"{label} {constraints[key]}")
    labels = field.get("x-labels", {})
    allowed = constraints.get("enum") or field.get("x-itemEnum") or []
    values = [f"{v}（{labels[v]}）" if v in labels else str(v) for v in allowed]
    if field["name"] in references:
        values.append(f"见 {references[field['name']]}")
    return {"name": field["name"], "title": field.get("title", ""), "type": field["type"],
            "unit": field.get("unit", ""), "constraints": "，".join(rules), "allowed": "；".join(values),
            "description": field.get("description", "")}


def _references(schema: dict) -> dict[str, str]:
    found = {}
    for key in schema.get("foreignKeys", []) + schema.get("x-foreignKeys", []):
        field = key["fields"] if isinstance(key["fields"], str) else key["fields"][0]
        ref = key["reference"]
        target = f"{ref.get('package', '本数据包')}/{ref['resource']}"
        found[field] = target
    return found


def citations(title: str, version: str, released: str, url: str, publisher: str, key: str) -> dict[str, str]:
    year = released[:4]
    return {
        "gbt7714": f"{publisher}. {title}：{version} 版[DS/OL]. ({released})[引用日期]. {url}.",
        "bibtex": "\n".join([f"@misc{{{key},", f"  title        = {{{title}}},", f"  author       = {{{{{publisher}}}}},",
                             f"  year         = {{{year}}},", f"  version      = {{{version}}},",
                             f"  url          = {{{url}}},", f"  note         = {{发布日期 {released}}}", "}"]),
        "ris": "\n".join(["TY  - DATA", f"TI  - {title}", f"AU  - {publisher}", f"PY  - {year}", f"DA  - {released}",
                          f"ET  - {version}", f"PB  - {publisher}", f"UR  - {url}", "LA  - zh", "ER  - "]),
    }


def dataset(package: DataPackage, site_url: str, publisher: str, default_license: dict) -> dict:
    descriptor = package.descriptor
    licenses = descriptor.get("licenses") or [default_license]
    version = descriptor.get("version", "0")
    released = descriptor.get("x-releaseDate", "")
    page_url = site_url + layout.page_url(layout.package_page(package.name))
    folder = layout.download_folder(package.name)
    resources = []
    for table in package.tables.values():
        references = _references(table.descriptor["schema"])
        preview = table.frame.head(PREVIEW_ROWS)
        resources.append({
            "name": table.name, "title": table.descriptor.get("title", table.name),
            "description": table.descriptor.get("description", ""), "rows": len(table.frame),
            "dictionary": [dictionary_entry(f, references) for f in table.fields],
            "preview_header": [f["name"] for f in table.fields],
            "preview": [[_display(v) for v in row] for row in preview.itertuples(index=False, name=None)],
            "downloads": {label: f"{folder}/{table.name}.{ext}" for label, ext in
                          DOWNLOAD_FORMATS},
        })
    title = descriptor.get("title", package.name)
    result = {
        "name": package.name, "title": title, "description": descriptor.get("description", ""),
        "version": version, "released": released, "update_frequency": descriptor.get("x-updateFrequency", ""),
        "licenses": licenses, "sources": descriptor.get("sources", []), "contact": descriptor.get("x-contactPoint", {}),
        "sample": descriptor.get("x-sample"), "rows": sum(r["rows"] for r in resources), "resources": resources,
        "page_url": page_url,
        "downloads": {"zip": f"{folder}/{package.name}.zip", "descriptor": f"{folder}/datapackage.json",
                      "sums": f"{folder}/SHA256SUMS", "release": layout.download_folder(package.name, version)},
        "citations": citations(title, version, released, page_url, publisher, f"gdcp-{package.name}-{version}"),
    }
    result["jsonld"] = schema_org(result, site_url, publisher)
    return result


def schema_org(ds: dict, site_url: str, publisher: str) -> dict:
    organisation = {"@type": "Organization", "name": publisher, "url": site_url}
    return {
        "@context": "https://schema.org/", "@type": "Dataset", "name": ds["title"], "description": ds["description"],
        "url": ds["page_url"], "version": ds["version"], "datePublished": ds["released"], "inLanguage": "zh-CN",
        "license": ds["licenses"][0].get("path", ds["licenses"][0].get("name")), "isAccessibleForFree": True,
        "creator": organisation, "publisher": organisation,
        "spatialCoverage": {"@type": "Place", "name": "广东省"},
        "keywords": ["清洁生产", "清洁生产审核", "广东省"] + (["示例数据"] if ds["sample"] else []),
        "distribution": [{"@type": "DataDownload", "encodingFormat": "text/csv", "name": r["title"],
                          "contentUrl": site_url + r["downloads"]["CSV"]} for r in ds["resources"]]
                        + [{"@type": "DataDownload", "encodingFormat": "application/zip", "name": "完整数据包",
                            "contentUrl": site_url + ds["downloads"]["zip"]}],
    }


def dcat_catalog(datasets: list[dict], site_url: str, publisher: str) -> dict:
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/"},
        "@id": site_url + layout.CATALOG_JSONLD, "@type": "dcat:Catalog",
        "dct:title": "广东省清洁生产信息公共服务平台 · 开放数据目录", "dct:language": "zh-CN",
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": publisher},
        "dcat:dataset": [{
            "@id": ds["page_url"], "@type": "dcat:Dataset", "dct:title": ds["title"], "dct:description": ds["description"],
            "dct:issued": ds["released"], "dcat:version": ds["version"], "dcat:landingPage": ds["page_url"],
            "dct:license": ds["licenses"][0].get("path", ""), "dct:accrualPeriodicity": ds["update_frequency"],
            "dcat:distribution": [{"@type": "dcat:Distribution", "dct:title": r["title"], "dcat:mediaType": "text/csv",
                                   "dcat:downloadURL": site_url + r["downloads"]["CSV"]} for r in ds["resources"]],
        } for ds in datasets],
    }


def script_json(document: dict) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' that could close the element."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
