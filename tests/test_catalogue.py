"""The open-data catalogue: downloads in every format agree with the data, checksums hold, and each
dataset page carries its dictionary, preview, citation and machine-readable description."""

import csv
import hashlib
import io
import json
import re
import tomllib
import zipfile
from html.parser import HTMLParser

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from builder.settings import PROJECT_ROOT
from helpers import DATA

PACKAGES = sorted(p.parent.name for p in DATA.glob("*/datapackage.json"))


def descriptor(name):
    return json.loads((DATA / name / "datapackage.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("package", PACKAGES)
def test_every_format_holds_the_same_rows(built_site, package):
    """Real data are published as validated; a sample's rows each start with the field data_status = 示例数据."""
    folder = built_site / "downloads" / package
    sample = "x-sample" in descriptor(package)
    for resource in descriptor(package)["resources"]:
        name = resource["name"]
        source = (DATA / package / resource["path"]).read_bytes()
        rows = list(csv.reader(io.StringIO(source.decode("utf-8"))))
        if sample:
            rows = [["data_status"] + rows[0]] + [["示例数据"] + row for row in rows[1:]]
        else:
            assert (folder / f"{name}.csv").read_bytes() == source
        assert list(csv.reader(io.StringIO((folder / f"{name}.csv").read_text(encoding="utf-8"), newline=""))) == rows
        excel = (folder / f"{name}.excel.csv").read_bytes()
        assert excel.startswith(b"\xef\xbb\xbf") and b"\r\n" in excel
        excel_rows = list(csv.reader(io.StringIO(excel[3:].decode("utf-8"), newline="")))
        named = [i for i, column in enumerate(excel_rows[0]) if column not in rows[0]]  # names beside codes
        assert [[c for i, c in enumerate(r) if i not in named] for r in excel_rows] == rows
        book = load_workbook(folder / f"{name}.xlsx", read_only=True)
        assert book.sheetnames == [name, "说明"]
        sheet = book.worksheets[0]
        cells = [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]
        assert cells[0] == rows[0] and len(cells) == len(rows)  # one header row: the field names, as in the CSV
        assert [str(v) for v in cells[1]][:1] == rows[1][:1]
        records = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        assert len(records) == len(rows) - 1 and list(records[0]) == rows[0]


@pytest.mark.parametrize("package", PACKAGES)
def test_published_descriptor_checksums_and_zip(built_site, package):
    folder = built_site / "downloads" / package
    published = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in published["resources"]:  # the tables and their Parquet files
        data = (folder / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    sums = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sums
    for line in sums:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    release = folder / published["version"]
    assert not (folder / f"{package}.zip").exists()  # the zip is stored once, at the version's stable address
    with zipfile.ZipFile(release / f"{package}.zip") as archive:
        names = archive.namelist()
        assert "datapackage.json" in names  # at the top: the zip is itself a data package
        assert archive.read("datapackage.json") == (folder / "datapackage.json").read_bytes()
        for resource in published["resources"]:
            assert archive.read(resource["path"]) == (folder / resource["path"]).read_bytes()
    assert (release / "datapackage.json").read_bytes() == (folder / "datapackage.json").read_bytes()
    for line in (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.current, self.cell, self.scripts, self._in_script = {}, None, None, [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-resource" in attrs:
            kind = "dictionary" if "data-dictionary" in attrs else "preview"
            self.current = self.tables.setdefault((attrs["data-resource"], kind), [])
        elif tag == "tr" and self.current is not None:
            self.current.append([])
        elif tag in ("td", "th") and self.current is not None:
            self.cell = ""
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_script = True
            self.scripts.append("")

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self._in_script:
            self.scripts[-1] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.current[-1].append(self.cell.strip())
            self.cell = None
        elif tag == "table":
            self.current = None
        elif tag == "script":
            self._in_script = False


@pytest.mark.parametrize("package", PACKAGES)
def test_dataset_page_has_dictionary_preview_citation_and_jsonld(built_site, package):
    html = (built_site / "data" / package / "index.html").read_text(encoding="utf-8")
    parsed = _Tables()
    parsed.feed(html)
    meta = descriptor(package)
    for resource in meta["resources"]:
        dictionary = parsed.tables[(resource["name"], "dictionary")][1:]
        assert [(r[0], r[1]) for r in dictionary] == [(f["name"], f["title"]) for f in resource["schema"]["fields"]]
        preview = parsed.tables[(resource["name"], "preview")][1:]
        rows = list(csv.reader(io.StringIO((DATA / package / resource["path"]).read_text(encoding="utf-8"))))[1:6]
        assert len(preview) == len(rows)
        assert [r[0] for r in preview] == [r[0] for r in rows]
    assert ('class="sample-banner"' in html) == ("x-sample" in meta)
    for fmt in ("gbt7714", "bibtex", "ris"):
        assert f'data-format="{fmt}"' in html
    assert "[DS/OL]" in html and "TY  - DATA" in html and "@misc{" in html
    (jsonld,) = parsed.scripts
    dataset = json.loads(jsonld)
    assert dataset["@type"] == "Dataset" and dataset["version"] == meta["version"]
    assert dataset["license"].startswith("https://creativecommons.org/")
    for distribution in dataset["distribution"]:
        path = distribution["contentUrl"].split("/", 3)[3]
        assert (built_site / path).is_file(), path


def test_dictionary_lists_allowed_values_with_labels(built_site):
    html = (built_site / "data/enterprises/index.html").read_text(encoding="utf-8")
    assert "mandatory（强制性）" in html and "valid（有效）" in html
    assert "见 reference/cities" in html


def test_dcat_catalogue_and_sitemap_list_every_dataset(built_site):
    catalog = json.loads((built_site / "data" / "catalog.jsonld").read_text(encoding="utf-8"))
    assert catalog["@type"] == "dcat:Catalog"
    titles = {d["dct:title"]["@value"] for d in catalog["dcat:dataset"]}
    assert titles == {descriptor(p)["title"] for p in PACKAGES}
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    for package in PACKAGES:
        assert f"/data/{package}/</loc>" in sitemap


def test_default_licence_applies_when_a_package_names_none(project_copy):
    from builder import pipeline
    from helpers import settings_for

    path = project_copy / "datapackages" / "reference" / "datapackage.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    del meta["licenses"]
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    site = pipeline.build(settings_for(project_copy, project_copy / "site")).site
    html = (site / "data/reference/index.html").read_text(encoding="utf-8")
    assert re.search(r'data-field="license"><a href="https://creativecommons.org/licenses/by/4.0/">', html)


def test_citation_file_describes_the_project():
    citation = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["title"] and citation["authors"]
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert str(citation["version"]) == project["version"], "CITATION.cff names the code's current version"


def test_static_api_matches_the_source_tables(built_site):
    index = json.loads((built_site / "api/v1/index.json").read_text(encoding="utf-8"))
    assert index["province"]["acceptances"]["total"] == 1901 and index["province"]["target"]["enterprises"] == 1275
    cities = json.loads((built_site / "api/v1/cities.json").read_text(encoding="utf-8"))
    targets = pd.read_csv(DATA / "audit-statistics/targets.csv", dtype={"city_code": str}).set_index("city_code")[
        "target"
    ]
    assert {c["city_code"]: c["target"]["enterprises"] for c in cities} == targets.to_dict()
    shenzhen = json.loads((built_site / "api/v1/cities/440300.json").read_text(encoding="utf-8"))
    assert shenzhen["acceptances"]["by_lead_department"] == {"industry_it": 37, "ecology_environment": 66}
    assert shenzhen["platform_completions"]["enterprises"] == 170 and shenzhen["registry"]["sample"] is True
    for endpoint in ("cities", "sectors"):
        for item in json.loads((built_site / f"api/v1/{endpoint}.json").read_text(encoding="utf-8")):
            code = item["city_code"] if endpoint == "cities" else item["sector_code"]
            assert (built_site / f"api/v1/{endpoint}/{code}.json").is_file()
            assert (built_site / item["page"] / "index.html").is_file()
    page = (built_site / "api/index.html").read_text(encoding="utf-8")
    assert "440300" in page and "curl" in page


def test_validation_report_lists_checks_and_rows(built_site):
    html = (built_site / "data/validation/index.html").read_text(encoding="utf-8")
    assert 'data-errors="0"' in html
    for rule in ("frictionless", "check_printed_totals", "check_cross_package_keys", "check_uscc"):
        assert f"<code>{rule}</code>" in html
    rows = len(pd.read_csv(DATA / "enterprises/accepted_enterprises.csv"))
    assert re.search(rf"enterprises/accepted_enterprises</code></th><td data-measure=\"rows\">{rows}<", html)


def test_changelog_compares_with_the_previous_release_and_keeps_it_downloadable(project_copy):
    from builder import pipeline
    from helpers import settings_for

    reference = project_copy / "datapackages" / "reference"
    original = (reference / "cities.csv").read_bytes()
    meta = json.loads((reference / "datapackage.json").read_text(encoding="utf-8"))
    kept = meta["version"]
    meta["version"] = "9.0.0"
    (reference / "datapackage.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    cities = (reference / "cities.csv").read_text(encoding="utf-8").replace(",Shenzhen,", ",Shenzhen City,")
    (reference / "cities.csv").write_text(cities, encoding="utf-8")
    links = (reference / "basin_cities.csv").read_text(encoding="utf-8").replace("dongguan_canal,441900\n", "")
    (reference / "basin_cities.csv").write_text(links + "fengjiang,440500\n", encoding="utf-8")
    site = pipeline.build(settings_for(project_copy, project_copy / "site")).site
    log = json.loads((site / "data/reference/changelog.json").read_text(encoding="utf-8"))
    assert (log["version"], log["previous_version"]) == ("9.0.0", kept)
    assert log["resources"]["cities"]["changed"] == [
        {"key": {"city_code": "440300"}, "fields": {"city_en": {"before": "Shenzhen", "after": "Shenzhen City"}}}
    ]
    assert log["resources"]["basin_cities"]["added"] == [{"basin_code": "fengjiang", "city_code": "440500"}]
    assert log["resources"]["basin_cities"]["removed"] == [{"basin_code": "dongguan_canal", "city_code": "441900"}]
    html = (site / "data/reference/changelog/index.html").read_text(encoding="utf-8")
    assert 'data-resource="cities" data-added="0" data-removed="0" data-changed="1"' in html
    with zipfile.ZipFile(site / f"downloads/reference/{kept}/reference.zip") as archive:
        assert archive.read("cities.csv") == original
    with zipfile.ZipFile(site / "downloads/reference/9.0.0/reference.zip") as archive:
        assert archive.read("cities.csv").decode("utf-8") == cities


def test_first_release_lists_every_row_as_added(built_site):
    # public-record has one release only (1.0.0), so its changelog has nothing to compare with.
    log = json.loads((built_site / "data/public-record/changelog.json").read_text(encoding="utf-8"))
    assert log["previous_version"] is None
    rows = len(pd.read_csv(DATA / "public-record" / "plan_targets.csv"))
    assert rows > 0 and len(log["resources"]["plan_targets"]["added"]) == rows


def test_release_refuses_to_overwrite_a_published_version_with_other_data(data_copy, tmp_path):
    from builder.data import load, releases

    package = load.load_package(data_copy / "reference")
    releases.snapshot(package, tmp_path / "releases")
    (data_copy / "reference" / "cities.csv").write_text(
        (data_copy / "reference" / "cities.csv").read_text(encoding="utf-8").replace("Shenzhen", "SZ"), encoding="utf-8"
    )
    with pytest.raises(releases.ReleaseError, match="请先提高 version"):
        releases.snapshot(load.load_package(data_copy / "reference"), tmp_path / "releases")


def test_data_changed_under_a_released_version_is_warned_about_with_the_file(data_copy):
    from builder.validate import validate

    releases_dir = PROJECT_ROOT / "releases"
    assert not [p for p in validate(data_copy, releases_dir).problems if p.rule == "release-changed"], (
        "the shipped data are their kept releases"
    )
    cities = data_copy / "reference" / "cities.csv"
    cities.write_text(cities.read_text(encoding="utf-8").replace(",Shenzhen,", ",Shenzhen City,"), encoding="utf-8")
    result = validate(data_copy, releases_dir)
    assert result.valid, "a warning: the site may still be built"
    changed = [p for p in result.problems if p.rule == "release-changed"]
    assert [(p.severity, p.package, p.resource, p.path, p.field, p.value) for p in changed] == [
        (
            "warning",
            "reference",
            "cities",
            "datapackages/reference/cities.csv",
            "version",
            json.loads((data_copy / "reference" / "datapackage.json").read_text(encoding="utf-8"))["version"],
        )
    ]
    assert "python -m builder release" in changed[0].message
    # Raising the version (the fix the message names) ends the warning: 9.0.0 has no kept release.
    descriptor = data_copy / "reference" / "datapackage.json"
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    meta["version"] = "9.0.0"
    descriptor.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    assert not [p for p in validate(data_copy, releases_dir).problems if p.rule == "release-changed"]


@pytest.mark.parametrize("package", PACKAGES)
def test_schema_org_dataset_has_every_property_search_engines_and_catalogues_read(built_site, package):
    html = (built_site / "data" / package / "index.html").read_text(encoding="utf-8")
    parsed = _Tables()
    parsed.feed(html)
    (jsonld,) = parsed.scripts
    dataset = json.loads(jsonld)
    meta = descriptor(package)
    site = dataset["includedInDataCatalog"]["url"][: -len("data/")]
    assert dataset["@id"] == f"{site}data/{package}/#dataset" and dataset["url"] == f"{site}data/{package}/"
    assert dataset["identifier"] and dataset["version"] == meta["version"]
    assert dataset["license"] == meta["licenses"][0]["path"] and dataset["isAccessibleForFree"] is True
    assert dataset["creator"]["name"] and dataset["publisher"]["name"]
    assert dataset["dateModified"] == meta["x-releaseDate"] and dataset["datePublished"] <= dataset["dateModified"]
    assert dataset["spatialCoverage"]["name"] == "广东省"
    assert dataset["includedInDataCatalog"]["@id"] == f"{site}data/catalog.jsonld"
    fields = [(f["name"], f["title"]) for r in meta["resources"] for f in r["schema"]["fields"]]
    assert [(v["propertyID"], v["name"]) for v in dataset["variableMeasured"]] == fields
    formats = {d["encodingFormat"] for d in dataset["distribution"]}
    assert formats == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/json",
        "application/vnd.apache.parquet",
        "application/zip",
    }
    assert len(dataset["distribution"]) == 5 * len(meta["resources"]) + 1
    for distribution in dataset["distribution"]:
        assert (built_site / distribution["contentUrl"][len(site) :]).is_file(), distribution["contentUrl"]
    if package != "reference":
        start, end = dataset["temporalCoverage"].split("/")
        assert start < end
    if package == "audit-statistics":
        assert dataset["temporalCoverage"] == "2021-01-01/2022-12-31"
        assert len(dataset["spatialCoverage"]["containsPlace"]) == 21


def test_the_excel_csv_carries_names_beside_codes(built_site):
    reference = {
        name: pd.read_csv(DATA / "reference" / f"{name}.csv", dtype=str)
        for name in ("cities", "departments", "sectors")
    }
    cities = dict(zip(reference["cities"]["city_code"], reference["cities"]["city_name"]))
    departments = dict(zip(reference["departments"]["department_code"], reference["departments"]["name_zh"]))
    sectors = dict(zip(reference["sectors"]["sector_code"], reference["sectors"]["name_zh"]))
    table = pd.read_csv(
        built_site / "downloads/audit-statistics/acceptances.excel.csv", dtype=str, encoding="utf-8-sig"
    )
    columns = list(table.columns)
    assert columns[columns.index("city_code") + 1] == "city_name"
    assert columns[columns.index("lead_department") + 1] == "lead_department_name"
    assert (table["city_code"].map(cities) == table["city_name"]).all()
    assert (table["lead_department"].map(departments) == table["lead_department_name"]).all()
    cases = pd.read_csv(
        built_site / "downloads/technology-cases/technology_cases.excel.csv",
        dtype=str,
        encoding="utf-8-sig",
        keep_default_na=False,
    )
    assert all(
        names == ";".join(sectors[c] for c in codes.split(";"))
        for codes, names in zip(cases["sector_codes"], cases["sector_names"])
    )
    enterprises = pd.read_csv(
        built_site / "downloads/enterprises/accepted_enterprises.excel.csv",
        dtype=str,
        encoding="utf-8-sig",
        keep_default_na=False,
    )
    labels = next(
        f
        for r in json.loads((DATA / "enterprises/datapackage.json").read_text(encoding="utf-8"))["resources"]
        for f in r["schema"]["fields"]
        if f["name"] == "status"
    )["x-labels"]
    assert (enterprises["status"].map(labels) == enterprises["status_name"]).all()


def test_a_long_changelog_shows_fifty_rows_links_the_rest_and_stays_out_of_search(project_copy):
    from builder import pipeline
    from helpers import settings_for

    package = project_copy / "datapackages" / "enterprises"
    meta = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    meta["version"] = "9.0.0"
    (package / "datapackage.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    frame = pd.read_csv(package / "accepted_enterprises.csv", dtype=str, keep_default_na=False)
    frame.loc[:59, "enterprise_name"] = frame.loc[:59, "enterprise_name"].str.replace("（示例）", "更名（示例）")
    frame.to_csv(package / "accepted_enterprises.csv", index=False, lineterminator="\n")
    site = pipeline.build(settings_for(project_copy, project_copy / "site")).site
    log = json.loads((site / "data/enterprises/changelog.json").read_text(encoding="utf-8"))
    assert len(log["resources"]["accepted_enterprises"]["changed"]) == 60
    html = (site / "data/enterprises/changelog/index.html").read_text(encoding="utf-8")
    table = html[html.index('data-changed="accepted_enterprises"') :]
    assert table[: table.index("</tbody>")].count("<tr><td>") == 50
    note = re.search(r'仅显示前 50 行，全部 60 行见 <a href="([^"]+)">changelog.json</a>', html)
    assert (
        note
        and (site / "data/enterprises/changelog" / note.group(1)).resolve()
        == (site / "data/enterprises/changelog.json").resolve()
    )
    pages = [page[0] for page in json.loads((site / "search/pages.json").read_text(encoding="utf-8"))["pages"]]
    sections = json.loads((site / "search/text.json").read_text(encoding="utf-8"))["sections"]
    changelog = pages.index("data/enterprises/changelog/")
    assert not [s for s in sections if s[0] == changelog and "更名（示例）" in s[3]]
