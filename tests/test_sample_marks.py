"""Honest figures (issue 13): no verdict or progress figure computed from sample data reaches a page, chart
or API document; every published file holding sample records says so; and without `x-sample` the same
figures appear without the mark, the site otherwise the same.

The marks are checked where a reader meets them: the built site's pages and files, the downloads read
back with csv / openpyxl / zipfile / frictionless, the search box and the city page in Chromium.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from builder import pipeline
from builder.data import load, sample_mark
from builder.derive import api, charts, statistics
from builder.export import downloads
from builder.formats import workbook
from builder.settings import PROJECT_ROOT
from builder.validate import validate
from helpers import DATA, FIXED_EPOCH, copy_project, settings_for

MARK = "（示例数据）"
LABEL = "示例数据"
PACKAGES = {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in DATA.glob("*/datapackage.json")}
SAMPLE_PACKAGES = sorted(name for name, meta in PACKAGES.items() if meta.get("x-sample"))
REAL_PACKAGES = sorted(set(PACKAGES) - set(SAMPLE_PACKAGES))


def test_the_shipped_registry_and_cases_are_samples():
    """The premise of every test below (if this changes, the tests of the unmarked site apply instead)."""
    assert {"enterprises", "technology-cases"} <= set(SAMPLE_PACKAGES)


def unmarked(catalog: dict, *names: str) -> dict:
    """The catalog with these packages' x-sample removed: the same data, as if they were real."""
    copy = dict(catalog)
    for name in names:
        package = catalog[name]
        copy[name] = dataclasses.replace(
            package, descriptor={k: v for k, v in package.descriptor.items() if k != "x-sample"}
        )
    return copy


@pytest.fixture(scope="module")
def catalog():
    return load.load(DATA)


def derived(catalog):
    stats = statistics.city_statistics(catalog)
    registry = statistics.registry_summary(catalog)
    sectors = statistics.sectors_with_cases(catalog, statistics.technology_cases(catalog), registry)
    names = dict(
        zip(
            catalog["reference"].tables["sectors"].frame["sector_code"],
            catalog["reference"].tables["sectors"].frame["name_zh"],
        )
    )
    province = charts.province_charts(stats, registry, names)
    documents = api.documents(stats, registry, sectors, sample_mark.sample_note(catalog.get("technology-cases")))
    return stats, registry, province, charts.tile_indicators(stats, registry), charts.tiles(stats, registry), documents


def keys_anywhere(document) -> set[str]:
    if isinstance(document, dict):
        return set(document) | {k for value in document.values() for k in keys_anywhere(value)}
    if isinstance(document, list):
        return {k for value in document for k in keys_anywhere(value)}
    return set()


# --- derive: whether a package is a sample, and what follows from it ---------------------------------------


def test_a_package_is_a_sample_by_its_x_sample_alone(catalog):
    for name, package in catalog.items():
        assert sample_mark.is_sample(package) == bool(PACKAGES[name].get("x-sample"))
        assert (sample_mark.sample_note(package) is not None) == sample_mark.is_sample(package)
    real = unmarked(catalog, *SAMPLE_PACKAGES)
    assert not any(sample_mark.is_sample(p) or sample_mark.sample_note(p) for p in real.values())
    assert sample_mark.sample_note(catalog["enterprises"]) == PACKAGES["enterprises"]["x-sample"]["note"]


def test_a_sample_registry_yields_no_progress_chart_indicator_or_api_verdict(catalog):
    stats, registry, province, indicators, tiles, documents = derived(catalog)
    assert registry.sample and registry.progress == [] and registry.province_progress == {}
    assert not [c for c in province if c.chart_id.startswith("target-vs-registry")]
    assert "attainment" not in indicators and not any("attainment" in t.values for t in tiles)
    assert not keys_anywhere(documents) & {"progress", "percent", "status"}
    # What stays is marked: the registry charts, the tile map's registry figure.
    assert all(c.sample and c.title.endswith(MARK) for c in province if c.chart_id.startswith("registry-"))
    assert LABEL in indicators["co2"]


def test_a_real_registry_keeps_target_progress(catalog):
    stats, registry, province, indicators, tiles, documents = derived(unmarked(catalog, "enterprises"))
    assert not registry.sample and len(registry.progress) == len(stats.cities)
    chart = next(c for c in province if c.chart_id == f"target-vs-registry-{stats.target_year}")
    assert not chart.sample and LABEL not in chart.title + chart.source + "".join(chart.header())
    assert "attainment" in indicators and LABEL not in "".join(indicators.values())
    shenzhen = documents["api/v1/cities/440300.json"]
    assert shenzhen["sample"] is False and shenzhen["registry"]["progress"][0]["status"] in ("达标", "未达标", "进行中")


def test_the_target_note_says_the_data_s_target_year_until_its_results_are_in(catalog):
    stats = statistics.city_statistics(catalog)
    years = set(catalog["audit-statistics"].tables["acceptances"].frame["year"])
    assert stats.target_year not in years and not stats.target_results_published
    assert stats.target_note == f"{stats.target_year} 年官方完成情况尚未公布"


# --- render: the note beside every target follows the data -------------------------------------------------


def with_frame(catalog: dict, package: str, resource: str, frame: pd.DataFrame) -> None:
    table = catalog[package].tables[resource]
    catalog[package].tables[resource] = dataclasses.replace(table, frame=frame)


def generated_text(root: Path) -> dict[str, str]:
    docs = root / "build" / "docs"
    return {
        name: (docs / name).read_text(encoding="utf-8") for name in ("index.md", "cities/index.md", "cities/440300.md")
    }


def test_the_note_beside_each_target_follows_the_data(project_copy):
    settings = settings_for(project_copy, project_copy / "site")
    validation = validate(settings.data_dir)
    assert validation.valid
    targets = validation.catalog["audit-statistics"].tables["targets"].frame
    year, next_year = int(targets["year"].max()), int(targets["year"].max()) + 1
    with_frame(validation.catalog, "audit-statistics", "targets", targets.assign(year=next_year))
    pipeline.generate(settings, validation)
    pages = generated_text(project_copy)
    for name, text in pages.items():
        assert f"{next_year} 年官方完成情况尚未公布" in text, name
        assert f"{year} 年官方完成情况尚未公布" not in text, name
    api_doc = json.loads((settings.generated_docs / "api/v1/cities/440300.json").read_text(encoding="utf-8"))
    assert api_doc["target"] | {"enterprises": None} == {
        "year": next_year,
        "enterprises": None,
        "results_published": False,
        "note": f"{next_year} 年官方完成情况尚未公布",
    }

    # Official results of the target year in the acceptances table: the note goes, everywhere.
    acceptances = validation.catalog["audit-statistics"].tables["acceptances"].frame
    with_frame(
        validation.catalog,
        "audit-statistics",
        "acceptances",
        pd.concat([acceptances, acceptances.assign(year=next_year)], ignore_index=True),
    )
    pipeline.generate(settings, validation)
    for name, text in generated_text(project_copy).items():
        assert "官方完成情况尚未公布" not in text and "data-target-note" not in text, name
    api_doc = json.loads((settings.generated_docs / "api/v1/cities/440300.json").read_text(encoding="utf-8"))
    assert api_doc["target"]["results_published"] is True and api_doc["target"]["note"] is None


# --- export: the mark in each format ---------------------------------------------------------------------

CELL = st.lists(st.sampled_from(["a", "中", ",", "\n", "\r\n", " ", '"', "1"]), max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELL, min_size=2, max_size=2), min_size=1, max_size=6))
def test_the_status_column_is_added_to_every_record_and_changes_no_cell(rows):
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([["a", "b"]] + rows)
    marked = downloads.with_status_column(out.getvalue().encode("utf-8")).decode("utf-8")
    assert list(csv.reader(io.StringIO(marked, newline=""))) == [["data_status", "a", "b"]] + [
        [LABEL] + row for row in rows
    ]


def test_the_note_sheet_makes_the_workbook_openpyxl_writes_with_two_sheets():
    columns = [["name", "名称", "甲", "乙"], ["n", "数", 1, 2.5]]
    note = [["项目", "内容"], ["说明", "示例 & <说明>"]]
    ours = dict(downloads.with_note_sheet(workbook.entries("t", columns, FIXED_EPOCH), "t", note))
    book = Workbook()
    book.active.title = "t"
    for row in zip(*columns):
        book.active.append(list(row))
    sheet = book.create_sheet(downloads.NOTE_SHEET)
    for row in note:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as theirs:
        expected = {name: theirs.read(name) for name in theirs.namelist()}
    assert list(ours) == list(expected)
    assert {k: v for k, v in ours.items() if k != "docProps/core.xml"} == {
        k: v for k, v in expected.items() if k != "docProps/core.xml"
    }


def read_csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_marked_files(files: dict[str, bytes], resources: list[str]) -> None:
    """A sample release's files: every row of every table format starts with the mark; README and descriptor say so."""
    for name in resources:
        for suffix in ("csv", downloads.EXCEL_SUFFIX):
            if f"{name}.{suffix}" in files:
                rows = read_csv_rows(files[f"{name}.{suffix}"])
                assert rows[0][0] == "data_status" and {r[0] for r in rows[1:]} == {LABEL}, f"{name}.{suffix}"
    assert LABEL in files[downloads.README].decode("utf-8")
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["x-sample"]["note"] in files[downloads.README].decode("utf-8")
    for resource in descriptor["resources"]:
        if resource.get("format") == "parquet":  # a file resource: the mark is the Parquet file's first column
            if resource["path"] in files:
                table = pq.read_table(io.BytesIO(files[resource["path"]]))
                assert table.column_names[0] == "data_status" and set(table.column(0).to_pylist()) == {LABEL}
            continue
        assert resource["schema"]["fields"][0]["name"] == "data_status"


@pytest.mark.parametrize("package", SAMPLE_PACKAGES)
def test_every_download_of_a_sample_package_carries_the_mark(built_site, package):
    folder = built_site / "downloads" / package
    resources = [r["name"] for r in PACKAGES[package]["resources"]]
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert_marked_files(files, resources)
    for name in resources:
        records = json.loads(files[f"{name}.json"])
        assert records and all(list(r)[0] == "data_status" and r["data_status"] == LABEL for r in records)
        book = load_workbook(folder / f"{name}.xlsx", read_only=True)
        assert book.sheetnames == [name, downloads.NOTE_SHEET]
        assert next(book.worksheets[0].iter_rows(max_row=1, values_only=True))[0] == "data_status"
        assert {row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)} == {LABEL}
        note = [row for row in book[downloads.NOTE_SHEET].iter_rows(values_only=True)]
        assert ["说明", PACKAGES[package]["x-sample"]["note"]] in [list(r[:2]) for r in note]
    # The version's stable address keeps the zip, the descriptor and README.txt: each carries the mark.
    release = folder / PACKAGES[package]["version"]
    kept = {p.name: p.read_bytes() for p in release.iterdir() if p.is_file()}
    assert set(kept) == {f"{package}.zip", "datapackage.json", downloads.README, "SHA256SUMS", "index.html"}
    assert "data-sample-package=" in kept.pop("index.html").decode("utf-8")  # the folder's page shows the banner
    assert_marked_files(kept, [])
    with zipfile.ZipFile(release / f"{package}.zip") as archive:
        zipped = {Path(n).name: archive.read(n) for n in archive.namelist()}
    assert_marked_files(zipped, resources)
    assert all(f"{name}.csv" in zipped for name in resources)


@pytest.mark.parametrize("package", REAL_PACKAGES)
def test_real_packages_are_published_without_a_mark(built_site, package):
    folder = built_site / "downloads" / package
    assert not (folder / downloads.README).exists()
    for resource in PACKAGES[package]["resources"]:
        assert (folder / resource["path"]).read_bytes() == (DATA / package / resource["path"]).read_bytes()
        book = load_workbook(folder / f"{resource['name']}.xlsx", read_only=True)
        assert book.sheetnames == [resource["name"], downloads.NOTE_SHEET]  # 说明: the dataset and its dictionary
        assert LABEL not in {c for row in book.worksheets[0].iter_rows(values_only=True) for c in row}
        assert LABEL not in {c for row in book[downloads.NOTE_SHEET].iter_rows(values_only=True) for c in row}


def frictionless_cli() -> str:
    return str(Path(sys.executable).parent / "frictionless")


@pytest.mark.parametrize("package", SAMPLE_PACKAGES)
def test_the_downloaded_descriptor_of_a_sample_package_passes_frictionless(built_site, package):
    result = subprocess.run(
        [frictionless_cli(), "validate", "--json", "datapackage.json"],
        cwd=built_site / "downloads" / package,
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], result.stdout[-2000:]


def test_an_earlier_sample_release_is_published_with_the_mark_and_stays_valid(tmp_path):
    kept = load.load_releases(PROJECT_ROOT / "releases")
    release = kept["enterprises"][0]
    assert release.descriptor.get("x-sample")
    files = downloads.earlier_release_files(release, FIXED_EPOCH)
    assert_marked_files(files, [])
    with zipfile.ZipFile(io.BytesIO(files["enterprises.zip"])) as archive:
        zipped = {name: archive.read(name) for name in archive.namelist()}
    assert_marked_files(zipped, [r["name"] for r in release.descriptor["resources"]])
    (tmp_path / "enterprises.zip").write_bytes(files["enterprises.zip"])
    result = subprocess.run(
        [frictionless_cli(), "validate", "--json", "enterprises.zip"], cwd=tmp_path, capture_output=True, text=True
    )
    assert json.loads(result.stdout)["valid"], result.stdout[-2000:]
    # A real release: its zip holds the kept tables exactly, and no README.
    reference = kept["reference"][0]
    files = downloads.earlier_release_files(reference, FIXED_EPOCH)
    assert downloads.README not in files
    with zipfile.ZipFile(io.BytesIO(files["reference.zip"])) as archive:
        zipped = {name: archive.read(name) for name in archive.namelist()}
    for p in reference.files():
        if p.suffix == ".csv":
            assert zipped[p.name] == p.read_bytes(), p.name


# --- the built site: no verdict anywhere; the mark on every file with sample rows ---------------------------

VERDICT_MARKUP = (
    'data-measure="status"',
    'data-measure="percent"',
    'class="status-',
    "target-progress",
    "data-v-attainment",
    'value="attainment"',
    "target-vs-registry",
)


def published_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.is_file() and "assets" not in p.relative_to(site).parts]


def test_no_sample_derived_verdict_reaches_a_page_chart_or_api_document(built_site):
    for path in published_files(built_site):
        if path.suffix in (".html", ".json", ".csv", ".xml"):
            text = path.read_text(encoding="utf-8")
            found = [m for m in VERDICT_MARKUP if m in text]
            assert not found, f"{path.relative_to(built_site)}: {found}"
    assert not list((built_site / "charts").glob("target-vs-registry*"))
    for path in (built_site / "api").rglob("*.json"):
        assert not keys_anywhere(json.loads(path.read_text(encoding="utf-8"))) & {"progress", "percent", "status"}, path
    for path in [built_site / "cities/index.html", *(built_site / "cities").glob("44*/index.html")]:
        text = path.read_text(encoding="utf-8")
        assert "达标" not in text and "完成率" not in text, path


@pytest.fixture(scope="module")
def sample_signatures() -> re.Pattern:
    """Text only a sample record holds: the sample enterprises' names end in （示例）; the cases' titles."""
    titles = pd.read_csv(DATA / "technology-cases/technology_cases.csv", dtype=str)["title"]
    return re.compile("|".join(["（示例）"] + [re.escape(t) for t in titles]))


def marked(path: Path, text: str) -> bool:
    """Whether a published file says it holds sample records, in the form its format takes."""
    if path.suffix == ".html":
        return "data-sample-package=" in text
    if path.suffix == ".json":
        document = json.loads(text)
        items = document if isinstance(document, list) else [document]
        return all(
            isinstance(i, dict) and (i.get("sample") or i.get("x-sample") or i.get("data_status") == LABEL)
            for i in items
        )
    if path.suffix == ".csv":
        rows = read_csv_rows(text.encode("utf-8"))
        return (rows[0][0] == "data_status" and {r[0] for r in rows[1:]} == {LABEL}) or all(
            LABEL in title for title in rows[0][1:]
        )
    return LABEL in text


def test_every_published_file_with_sample_records_carries_the_mark(built_site, sample_signatures):
    checked = []
    for path in published_files(built_site):
        if path.suffix in (".xlsx", ".zip", ".gz", ".parquet"):
            continue  # read back above, with openpyxl, zipfile and pyarrow
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            continue
        if sample_signatures.search(text):
            checked.append(path.relative_to(built_site).as_posix())
            assert marked(path, text), f"{path.relative_to(built_site)} holds sample records without the mark"
    # The check saw the kinds of file that hold sample records.
    for expected in (
        "enterprises/directory.json",
        "cases/cases.json",
        "cases/feed.xml",
        "search/pages.json",
        "search/text.json",
        "cases/TC-001/index.html",
        "enterprises/index.html",
        "downloads/enterprises/accepted_enterprises.csv",
        "downloads/technology-cases/technology_cases.json",
    ):
        assert expected in checked, expected


def test_chart_files_of_sample_data_carry_the_mark(built_site):
    for spec_path in (built_site / "charts").glob("*.json"):
        if spec_path.name.endswith(".metadata.json"):
            continue  # checked beside the chart's own JSON below
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        from_registry = "企业名录" in spec["source"]
        assert spec["sample"] == from_registry, spec_path.name
        rows = read_csv_rows(spec_path.with_suffix(".csv").read_bytes())
        assert read_csv_rows(spec_path.with_suffix(".excel.csv").read_bytes()) == rows
        meta = json.loads(spec_path.with_suffix(".metadata.json").read_text(encoding="utf-8"))
        with zipfile.ZipFile(spec_path.with_suffix(".zip")) as archive:
            readme = archive.read(downloads.README).decode("utf-8")
        if from_registry:
            assert spec["title"].endswith(MARK) and spec["sample_note"]
            assert spec["labels"] == rows[0][1:] and all(LABEL in label for label in spec["labels"])
            assert meta["sample"] == {"label": LABEL, "note": spec["sample_note"]} and spec["sample_note"] in readme
        else:
            assert LABEL not in spec["title"] + "".join(rows[0]) and spec["sample_note"] is None
            assert meta["sample"] is False and LABEL not in readme


def test_api_documents_say_whether_they_hold_sample_data(built_site):
    note = PACKAGES["enterprises"]["x-sample"]["note"]
    for path in (built_site / "api/v1/cities").glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["sample"] is True and note in document["sample_note"]
        assert document["registry"]["sample"] is True and document["registry"]["sample_note"] == note
        assert document["target"]["note"].endswith("年官方完成情况尚未公布")
    for item in json.loads((built_site / "api/v1/cities.json").read_text(encoding="utf-8")):
        assert item["sample"] is False and "registry" not in item  # official figures only
    for item in json.loads((built_site / "api/v1/sectors.json").read_text(encoding="utf-8")):
        assert item["sample"] is True and item["sample_note"]
    index = json.loads((built_site / "api/v1/index.json").read_text(encoding="utf-8"))
    assert index["sample"] is False


def test_every_feed_entry_says_it_is_sample_data(built_site):
    atom = {"a": "http://www.w3.org/2005/Atom"}
    import xml.etree.ElementTree as ET

    feed = ET.parse(built_site / "cases/feed.xml").getroot()
    entries = feed.findall("a:entry", atom)
    assert entries and feed.find("a:title", atom).text.endswith(MARK)
    note = PACKAGES["technology-cases"]["x-sample"]["note"]
    for entry in entries:
        assert entry.find("a:title", atom).text.endswith(MARK)
        assert entry.find("a:summary", atom).text.endswith(MARK)
        assert note in entry.find("a:content", atom).text


def test_the_search_index_names_the_pages_showing_sample_records(built_site):
    for name in ("search/pages.json", "search/text.json"):
        index = json.loads((built_site / name).read_text(encoding="utf-8"))
        assert LABEL in index["sample_label"]
    pages = json.loads((built_site / "search/pages.json").read_text(encoding="utf-8"))
    flagged = {pages["pages"][i][0] for i in pages["sample"]}
    assert {"cases/TC-001/", "cases/", "enterprises/", "sectors/", "data/enterprises/", "cities/440300/"} <= flagged
    assert not {"", "policies/", "policies/gd-2022-cleaner-production-notice/", "data/reference/"} & flagged


def test_the_dataset_page_explains_the_mark_of_sample_packages_only(built_site):
    for name in PACKAGES:
        html = (built_site / "data" / name / "index.html").read_text(encoding="utf-8")
        assert ('id="sample-mark"' in html) == (name in SAMPLE_PACKAGES), name
        if name in SAMPLE_PACKAGES:
            for label, _ in downloads.SAMPLE_MARKS:
                assert label in html
            assert "data_status" in html and downloads.README in html


class _Captions(HTMLParser):
    """Text of every <caption>, <figcaption> and tile-map <option>, and the ids of tables and charts."""

    def __init__(self):
        super().__init__()
        self.texts, self.ids, self._open = [], set(), None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("caption", "figcaption", "option"):
            self._open = tag
            self.texts.append("")
        if tag in ("table", "figure") and attrs.get("id"):
            self.ids.add(attrs["id"])

    def handle_data(self, data):
        if self._open:
            self.texts[-1] += data

    def handle_endtag(self, tag):
        if tag == self._open:
            self._open = None


def captions(path: Path) -> _Captions:
    parser = _Captions()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


STATISTICS_PAGES = [
    "cities/index.html",
    "cities/440300/index.html",
    "sectors/index.html",
    "sectors/electroplating/index.html",
]


def test_remaining_registry_and_case_statistics_carry_the_mark_in_the_table_itself(built_site):
    for name in STATISTICS_PAGES:
        parsed = captions(built_site / name)
        registry = [t for t in parsed.texts if "名录" in t or "案例" in t]
        assert registry and all(MARK in t or LABEL in t for t in registry), (name, registry)
    sector = (built_site / "sectors/electroplating/index.html").read_text(encoding="utf-8")
    assert sector.count(f"{MARK}</p>") == 3, "case count, typical investment and payback headlines"


# --- the same site without x-sample -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def unmarked_site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("unmarked"))
    for name in SAMPLE_PACKAGES:
        path = root / "datapackages" / name / "datapackage.json"
        meta = json.loads(path.read_text(encoding="utf-8"))
        del meta["x-sample"]
        path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    result = pipeline.build(settings_for(root, root / "site"))
    assert result.validation.valid, [p for p in result.validation.problems if p.is_error]
    return result.site


def test_without_x_sample_the_figures_appear_without_the_mark(unmarked_site):
    for name in STATISTICS_PAGES:
        assert not [t for t in captions(unmarked_site / name).texts if LABEL in t], name
    for spec_path in (unmarked_site / "charts").glob("*.json"):
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        if spec_path.name.endswith(".metadata.json"):
            assert spec["sample"] is False and LABEL not in spec["title"] + "".join(c["name"] for c in spec["columns"])
            continue
        assert spec["sample"] is False and LABEL not in spec["title"] + "".join(spec["labels"])
    shenzhen = json.loads((unmarked_site / "api/v1/cities/440300.json").read_text(encoding="utf-8"))
    assert shenzhen["sample"] is False and shenzhen["registry"]["progress"]
    for package in SAMPLE_PACKAGES:
        folder = unmarked_site / "downloads" / package
        assert not (folder / downloads.README).exists()
        for resource in PACKAGES[package]["resources"]:
            assert (folder / resource["path"]).read_bytes() == (DATA / package / resource["path"]).read_bytes()
    feed = (unmarked_site / "cases/feed.xml").read_text(encoding="utf-8")
    assert MARK not in feed and "<content" not in feed
    pages = json.loads((unmarked_site / "search/pages.json").read_text(encoding="utf-8"))
    assert pages["sample"] == []
    assert json.loads((unmarked_site / "enterprises/directory.json").read_text(encoding="utf-8"))["sample"] is None


def test_without_x_sample_the_site_is_otherwise_the_same(built_site, unmarked_site):
    """Same pages, same tables and charts; a real registry adds its target progress, nothing else."""
    pages = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")}
    assert pages == {p.relative_to(unmarked_site).as_posix() for p in unmarked_site.rglob("*.html")}
    files = {p.relative_to(built_site).as_posix() for p in published_files(built_site)}
    real = {p.relative_to(unmarked_site).as_posix() for p in published_files(unmarked_site)}
    assert {f for f in files - real} == {f"downloads/{p}/{downloads.README}" for p in SAMPLE_PACKAGES} | {
        f"downloads/{p}/{PACKAGES[p]['version']}/{downloads.README}" for p in SAMPLE_PACKAGES
    }
    assert {f for f in real - files if not f.startswith("charts/target-vs-registry-")} == set()
    for name in [
        "cities/index.html",
        *[f"cities/{c}/index.html" for c in ("440100", "440300", "445300")],
        "sectors/electroplating/index.html",
    ]:
        shown, unshown = captions(built_site / name).ids, captions(unmarked_site / name).ids
        assert shown <= unshown, name
        assert all("target-progress" in i or "target-vs-registry" in i for i in unshown - shown), (
            name,
            unshown - shown,
        )
    assert "target-progress" in "".join(captions(unmarked_site / "cities/index.html").ids)


# --- in the browser -----------------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_header_search_labels_a_case_result_as_sample(page, site_url):
    expect = pytest.importorskip("playwright.sync_api").expect
    cases = pd.read_csv(DATA / "technology-cases/technology_cases.csv", dtype=str)
    case = cases.iloc[0]
    page.goto(site_url + "/")
    search = page.locator("input.md-search__input")
    search.click()
    search.fill(case["title"])
    link = page.locator(f".md-search-result__link[href$='/cases/{case['case_id']}/']")
    expect(link).to_have_count(1)
    expect(link.locator(".site-search__sample")).to_have_text("含示例数据")
    assert link.locator(".site-search__sample").is_visible()
    # A policy result carries no such label.
    search.fill("清洁生产促进法")
    policy = page.locator(".md-search-result__link[href*='/policies/']").first
    expect(policy).to_be_visible()
    expect(policy.locator(".site-search__sample")).to_have_count(0)


@pytest.mark.browser
def test_a_city_page_on_a_phone_shows_the_note_beside_the_target(browser, site_url, screenshots):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    tab = context.new_page()
    try:
        tab.goto(site_url + "/cities/440300/")
        note = tab.locator("#city-figures [data-target-note]")
        assert note.is_visible() and note.inner_text().endswith("年官方完成情况尚未公布")
        box, table = note.bounding_box(), tab.locator("#city-figures").bounding_box()
        assert box["x"] >= table["x"] and box["x"] + box["width"] <= table["x"] + table["width"] + 1
        targets = pd.read_csv(DATA / "audit-statistics/targets.csv", dtype={"city_code": str})
        expected = targets[(targets["city_code"] == "440300") & (targets["year"] == targets["year"].max())]["target"]
        assert tab.locator("#city-figures td[data-measure='target']").inner_text() == str(expected.item())
        tab.screenshot(path=str(screenshots / "city-440300-phone.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_a_changelog_page_carries_the_banner_of_a_sample_package_only(built_site, package):
    html = (built_site / f"data/{package}/changelog/index.html").read_text(encoding="utf-8")
    assert (f'data-sample-package="{package}"' in html) == (package in SAMPLE_PACKAGES)


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_a_changelog_document_says_whether_its_rows_are_samples(built_site, package):
    log = json.loads((built_site / f"data/{package}/changelog.json").read_text(encoding="utf-8"))
    assert bool(log.get("sample")) == (package in SAMPLE_PACKAGES)
    if package in SAMPLE_PACKAGES:
        assert log["sample_note"] == PACKAGES[package]["x-sample"]["note"]
