"""Derive stage, catalogue: what the open-data catalogue says about each data package.

In: a loaded package plus the site's address, publisher and default licence.
Out: a plain dict per dataset (metadata, data dictionary, preview, downloads, citations,
schema.org JSON-LD) and the DCAT catalogue of them all. Pure functions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

import pandas as pd

from builder import layout
from builder.data import releases
from builder.data.load import DataPackage, Release
from builder.export.downloads import EXCEL_SUFFIX
from builder.settings import Contact

PREVIEW_ROWS = 5
# Each resource's download formats: label, file extension (after the resource name), media type.
DOWNLOAD_FORMATS = (
    ("CSV", "csv"),
    ("Excel 用 CSV", EXCEL_SUFFIX),
    ("XLSX", "xlsx"),
    ("JSON", "json"),
    ("Parquet", "parquet"),
)
CONSTRAINT_LABELS = {
    "required": "必填",
    "unique": "唯一",
    "minimum": "最小值",
    "maximum": "最大值",
    "pattern": "格式",
    "minLength": "最短长度",
    "maxLength": "最长长度",
}


def _display(value: object) -> str:
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
    return {
        "name": field["name"],
        "title": field.get("title", ""),
        "type": field["type"],
        "unit": field.get("unit", ""),
        "constraints": "，".join(rules),
        "allowed": "；".join(values),
        "description": field.get("description", ""),
    }


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
        "bibtex": "\n".join(
            [
                f"@misc{{{key},",
                f"  title        = {{{title}}},",
                f"  author       = {{{{{publisher}}}}},",
                f"  year         = {{{year}}},",
                f"  version      = {{{version}}},",
                f"  url          = {{{url}}},",
                f"  note         = {{发布日期 {released}}}",
                "}",
            ]
        ),
        "ris": "\n".join(
            [
                "TY  - DATA",
                f"TI  - {title}",
                f"AU  - {publisher}",
                f"PY  - {year}",
                f"DA  - {released}",
                f"ET  - {version}",
                f"PB  - {publisher}",
                f"UR  - {url}",
                "LA  - zh",
                "ER  - ",
            ]
        ),
    }


def _temporal(package: DataPackage) -> tuple[str, str] | None:
    """The years the rows describe: every integer field named year or *_year, outside the sources tables
    (which describe documents, not the data); None when the package has none (a code list)."""
    years = set()
    for table in package.tables.values():
        if table.name == "sources":
            continue
        for field in table.fields:
            if field["type"] == "integer" and (field["name"] == "year" or field["name"].endswith("_year")):
                years |= {int(v) for v in table.frame[field["name"]] if v is not None and not pd.isna(v)}
    return (f"{min(years)}-01-01", f"{max(years)}-12-31") if years else None


def _city_codes(package: DataPackage) -> list[str]:
    """The cities the rows name (fields city_code), in code order."""
    found = set()
    for table in package.tables.values():
        if "city_code" in table.frame.columns:
            found |= {v for v in table.frame["city_code"] if isinstance(v, str) and v}
    return sorted(found)


def _release_entry(name: str, version: str, released: str, current: bool) -> dict:
    folder = layout.download_folder(name, version)
    return {
        "version": version,
        "released": released,
        "current": current,
        "folder": folder,
        "zip": f"{folder}/{name}.zip",
        "descriptor": f"{folder}/datapackage.json",
        "sums": f"{folder}/SHA256SUMS",
    }


def release_history(package: DataPackage, kept: list) -> list[dict]:
    """Every release of the package, newest first: the current one and each kept earlier one, an earlier one
    with its rows added, removed and changed per resource since the release before it."""
    version = package.descriptor.get("version", "0")
    changes = releases.history_changes(list(kept))
    entries = [_release_entry(package.name, version, package.descriptor.get("x-releaseDate", ""), True)]
    entries += [
        {
            **_release_entry(package.name, r.version, r.descriptor.get("x-releaseDate", ""), False),
            "changes": changes.get(r.version, {}),
        }
        for r in reversed(kept)
        if r.version != version
    ]
    return entries


def dataset(
    package: DataPackage,
    site_url: str,
    publisher: str,
    default_license: dict,
    kept: Sequence[Release] = (),
    city_names: dict[str, str] | None = None,
) -> dict:
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
        resources.append(
            {
                "name": table.name,
                "title": table.descriptor.get("title", table.name),
                "description": table.descriptor.get("description", ""),
                "rows": len(table.frame),
                "fields": [
                    {
                        "name": f["name"],
                        "title": f.get("title", f["name"]),
                        "description": f.get("description", ""),
                        "unit": f.get("unit", ""),
                    }
                    for f in table.fields
                ],
                "dictionary": [dictionary_entry(f, references) for f in table.fields],
                "preview_header": [f["name"] for f in table.fields],
                "preview": [[_display(v) for v in row] for row in preview.itertuples(index=False, name=None)],
                "downloads": {label: f"{folder}/{table.name}.{ext}" for label, ext in DOWNLOAD_FORMATS},
            }
        )
    title = descriptor.get("title", package.name)
    history = release_history(package, list(kept))
    names = city_names or {}
    result = {
        "name": package.name,
        "title": title,
        "description": descriptor.get("description", ""),
        "version": version,
        "released": released,
        "update_frequency": descriptor.get("x-updateFrequency", ""),
        "licenses": licenses,
        "sources": descriptor.get("sources", []),
        "contact": descriptor.get("x-contactPoint", {}),
        "sample": descriptor.get("x-sample"),
        "rows": sum(r["rows"] for r in resources),
        "resources": resources,
        "page_url": page_url,
        "identifier": page_url,
        "issued": min((h["released"] for h in history if h["released"]), default=released),
        "modified": released,
        "temporal": _temporal(package),
        "cities": [{"code": code, "name": names.get(code, code)} for code in _city_codes(package)],
        "releases": history,
        "downloads": {
            "zip": history[0]["zip"],
            "descriptor": f"{folder}/datapackage.json",
            "sums": f"{folder}/SHA256SUMS",
            "release": layout.download_folder(package.name, version),
        },
        "citations": citations(title, version, released, page_url, publisher, f"gdcp-{package.name}-{version}"),
    }
    result["jsonld"] = schema_org(result, site_url, publisher)
    return result


# The Atom feeds of data releases and of policy documents (autodiscovery links in overrides/main.html).
FEEDS = {"releases": "data/releases.xml", "policies": "policies/feed.xml"}


def folder_index_page(package: str, version: str | None = None) -> str:
    """The index page of a download folder (/downloads/<package>/ or /downloads/<package>/<version>/)."""
    return layout.download_folder(package, version) + "/index.md"


def folder_files(ds: dict, release: dict | None = None) -> list[str]:
    """The files a download folder holds (downloads.split_release): the latest every format but the zip,
    a version its zip, descriptor and, for a sample, README.txt."""
    readme = ["README.txt"] if ds["sample"] else []
    if release is not None:
        return [release["zip"].rsplit("/", 1)[-1], "datapackage.json"] + readme + ["SHA256SUMS"]
    return (
        [path.rsplit("/", 1)[-1] for r in ds["resources"] for path in r["downloads"].values()]
        + ["datapackage.json"]
        + readme
        + ["SHA256SUMS"]
    )


def release_feed(datasets: list[dict]) -> list[dict]:
    """Every release of every dataset, newest first: the entries of the data releases feed."""
    entries = [
        {**r, "title": ds["title"], "page": ds["page_url"], "sample": (ds["sample"] or {}).get("note")}
        for ds in datasets
        for r in ds["releases"]
        if r["released"]
    ]
    return sorted(entries, key=lambda e: (e["released"], e["title"], e["version"]), reverse=True)


# Media type and the EU file-type authority's code of each published format.
MEDIA_TYPES = {
    "csv": ("text/csv", "CSV"),
    EXCEL_SUFFIX: ("text/csv", "CSV"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "json": ("application/json", "JSON"),
    "parquet": ("application/vnd.apache.parquet", "PARQUET"),
    "zip": ("application/zip", "ZIP"),
}


def _extension(path: str) -> str:
    return EXCEL_SUFFIX if path.endswith("." + EXCEL_SUFFIX) else path.rsplit(".", 1)[-1]


def distributions(ds: dict) -> list[dict]:
    """Every published file of a dataset's current release: title, site path and format."""
    found = [
        {"title": f"{r['title']}（{label}）", "path": path, "resource": r["name"], "label": label}
        for r in ds["resources"]
        for label, path in r["downloads"].items()
    ]
    return found + [
        {
            "title": f"{ds['title']}完整数据包（ZIP，{ds['version']} 版）",
            "path": ds["downloads"]["zip"],
            "resource": None,
            "label": "ZIP",
        }
    ]


def schema_org(ds: dict, site_url: str, publisher: str) -> dict:
    organisation = {"@type": "Organization", "name": publisher, "url": site_url}
    temporal = ds["temporal"]
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": ds["page_url"] + "#dataset",
        "identifier": ds["identifier"],
        "name": ds["title"],
        "description": ds["description"],
        "url": ds["page_url"],
        "version": ds["version"],
        "datePublished": ds["issued"],
        "dateModified": ds["modified"],
        "inLanguage": "zh-CN",
        "license": ds["licenses"][0].get("path", ds["licenses"][0].get("name")),
        "isAccessibleForFree": True,
        "creator": organisation,
        "publisher": organisation,
        **({"temporalCoverage": f"{temporal[0]}/{temporal[1]}"} if temporal else {}),
        "spatialCoverage": {
            "@type": "Place",
            "name": "广东省",
            **(
                {
                    "containsPlace": [
                        {"@type": "Place", "name": c["name"], "identifier": c["code"]} for c in ds["cities"]
                    ]
                }
                if ds["cities"]
                else {}
            ),
        },
        "keywords": ["清洁生产", "清洁生产审核", "广东省"] + (["示例数据"] if ds["sample"] else []),
        "variableMeasured": [
            {
                "@type": "PropertyValue",
                "name": f["title"],
                "propertyID": f["name"],
                "description": f["description"],
                **({"unitText": f["unit"]} if f["unit"] else {}),
            }
            for r in ds["resources"]
            for f in r["fields"]
        ],
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "@id": site_url + layout.CATALOG_JSONLD,
            "name": CATALOG_TITLE,
            "url": site_url + "data/",
        },
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d["title"],
                "contentUrl": site_url + d["path"],
                "encodingFormat": MEDIA_TYPES[_extension(d["path"])][0],
            }
            for d in distributions(ds)
        ],
    }


CATALOG_TITLE = "广东省清洁生产信息公共服务平台 · 开放数据目录"


def catalog_description(datasets: list[dict]) -> str:
    """What the catalogue holds, from its datasets' titles (a sample dataset's title says so)."""
    titles = "、".join(f"《{ds['title']}》" for ds in datasets)
    return (
        f"广东省清洁生产信息公共服务平台开放数据站的数据目录，共 {len(datasets)} 个数据集：{titles}。"
        f"每个数据集提供 {'、'.join(label for label, _ in DOWNLOAD_FORMATS)} 格式和 ZIP 数据包。"
    )


EU = "http://publications.europa.eu/resource/authority/"
THEMES = {"ENVI": "环境", "ECON": "经济和财政"}
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": "http://spdx.org/rdf/terms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "locn": "http://www.w3.org/ns/locn#",
    "adms": "http://www.w3.org/ns/adms#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}


def _iri(value: str, kind: str | None = None) -> dict:
    return {"@id": value, **({"@type": kind} if kind else {})}


def _date(value: str) -> dict:
    return {"@value": value, "@type": "xsd:date"}


def _text(value: str) -> dict:
    return {"@value": value, "@language": "zh"}


def _agent(publisher: str, site_url: str) -> dict:
    return {"@id": site_url + "about/#publisher", "@type": "foaf:Agent", "foaf:name": _text(publisher)}


def _contact(contact: Contact, site_url: str) -> dict:
    kind = {
        "@id": site_url + "about/#contact",
        "@type": ["vcard:Kind", "vcard:Organization"],
        "vcard:fn": _text(contact.name),
    }
    if contact.email:
        kind["vcard:hasEmail"] = _iri(f"mailto:{contact.email}")
    kind["vcard:hasURL"] = _iri(contact.url or site_url + "feedback/")
    return kind


def _places(ds: dict, site_url: str) -> list[dict]:
    """Guangdong, and each city the rows name, by the site's own pages (GB/T 2260 code as identifier)."""
    province = {
        "@id": site_url + "cities/",
        "@type": "dct:Location",
        "skos:prefLabel": _text("广东省"),
        "dct:identifier": "440000",
    }
    return [province] + [
        {
            "@id": site_url + layout.page_url(layout.city_page(c["code"])),
            "@type": "dct:Location",
            "skos:prefLabel": _text(c["name"]),
            "dct:identifier": c["code"],
        }
        for c in ds["cities"]
    ]


def _distribution(title: str, path: str, site_url: str, licence: str, digests: dict, issued: str) -> dict:
    media, file_type = MEDIA_TYPES[_extension(path)]
    size, digest = digests[path]
    url = site_url + path
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": _text(title),
        # typed, so that the shapes' sh:class rdfs:Resource holds without inference
        "dcat:accessURL": _iri(url, "rdfs:Resource"),
        "dcat:downloadURL": _iri(url, "rdfs:Resource"),
        "dcat:mediaType": _iri(f"http://www.iana.org/assignments/media-types/{media}", "dct:MediaType"),
        "dct:format": _iri(f"{EU}file-type/{file_type}", "dct:MediaTypeOrExtent"),
        "dct:license": _iri(licence, "dct:LicenseDocument"),
        "dcat:byteSize": {"@value": str(size), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": _iri("spdx:checksumAlgorithm_sha256", "spdx:ChecksumAlgorithm"),
            "spdx:checksumValue": {"@value": digest, "@type": "xsd:hexBinary"},
        },
        **({"dct:issued": _date(issued)} if issued else {}),
    }


def _dataset_node(ds: dict, site_url: str, publisher: str, contact: Contact, digests: dict) -> dict:
    licence = ds["licenses"][0].get("path", "")
    temporal = ds["temporal"]
    versions = [
        {
            "@id": site_url + r["folder"] + "/",
            "@type": "dcat:Dataset",
            "dct:title": _text(f"{ds['title']}（{r['version']} 版）"),
            "dct:description": _text(
                f"{ds['title']}的 {r['version']} 版（{r['released']} 发布），以 ZIP 数据包和 datapackage.json 保存。"
            ),
            "dcat:version": r["version"],
            **({"dct:issued": _date(r["released"])} if r["released"] else {}),
            "dcat:distribution": [
                _distribution(
                    f"{ds['title']}（{r['version']} 版，{label}）", path, site_url, licence, digests, r["released"]
                )
                for label, path in (("ZIP", r["zip"]),)
            ],
        }
        for r in ds["releases"]
        if not r["current"] and r["zip"] in digests
    ]
    node = {
        "@id": ds["page_url"],
        "@type": "dcat:Dataset",
        "dct:identifier": ds["identifier"],
        "dct:title": _text(ds["title"]),
        "dct:description": _text(ds["description"]),
        "dct:issued": _date(ds["issued"]),
        "dct:modified": _date(ds["modified"]),
        "dcat:version": ds["version"],
        "dcat:landingPage": _iri(ds["page_url"], "foaf:Document"),
        "dct:publisher": _agent(publisher, site_url),
        "dcat:contactPoint": _contact(contact, site_url),
        "dct:language": _iri(f"{EU}language/ZHO", "dct:LinguisticSystem"),
        "dcat:theme": [
            {"@id": f"{EU}data-theme/{code}", "@type": "skos:Concept", "skos:prefLabel": _text(label)}
            for code, label in THEMES.items()
        ],
        "dcat:keyword": [
            _text(k) for k in ["清洁生产", "清洁生产审核", "广东省"] + (["示例数据"] if ds["sample"] else [])
        ],
        "dct:spatial": _places(ds, site_url),
        "dcat:distribution": [
            _distribution(d["title"], d["path"], site_url, licence, digests, ds["modified"]) for d in distributions(ds)
        ],
    }
    if ds["update_frequency"]:
        node["adms:versionNotes"] = _text(f"更新频率：{ds['update_frequency']}")
    if temporal:
        node["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": _date(temporal[0]),
            "dcat:endDate": _date(temporal[1]),
        }
    if versions:
        node["dcat:hasVersion"] = versions
    return node


def dcat_catalog(
    datasets: list[dict], site_url: str, publisher: str, contact: Contact, digests: dict[str, tuple[int, str]]
) -> dict:
    """The DCAT-AP 3.0 catalogue: every dataset with every file of its current release (size and SHA-256 from
    `digests`, site path → (bytes, hex digest)), its earlier releases as versions (dcat:hasVersion)."""
    modified = max((ds["modified"] for ds in datasets if ds["modified"]), default=None)
    return {
        "@context": CONTEXT,
        "@id": site_url + layout.CATALOG_JSONLD,
        "@type": "dcat:Catalog",
        "dct:title": _text(CATALOG_TITLE),
        "dct:description": _text(catalog_description(datasets)),
        "dct:language": _iri(f"{EU}language/ZHO", "dct:LinguisticSystem"),
        "dct:publisher": _agent(publisher, site_url),
        "foaf:homepage": _iri(site_url, "foaf:Document"),
        **({"dct:modified": _date(modified)} if modified else {}),
        "dcat:themeTaxonomy": _iri(f"{EU}data-theme", "skos:ConceptScheme") | {"dct:title": _text("EU 数据主题")},
        "dct:spatial": _iri(site_url + "cities/", "dct:Location") | {"skos:prefLabel": _text("广东省")},
        "dcat:dataset": [_dataset_node(ds, site_url, publisher, contact, digests) for ds in datasets],
    }


def script_json(document: dict) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' that could close the element."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
