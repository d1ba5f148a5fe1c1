"""Each chart's data contract (like Our World in Data's): at charts/<id>.* a CSV, an Excel CSV with BOM,
a metadata.json saying what the figures are and how to cite them, and a zip of both with a README —
linked from the chart."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pandas as pd
import pytest

from builder.data.sample_mark import SAMPLE_LABEL
from helpers import DATA

PACKAGES = {p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in DATA.glob("*/datapackage.json")}


def chart_ids(built_site) -> list[str]:
    return sorted(p.name[: -len(".metadata.json")] for p in (built_site / "charts").glob("*.metadata.json"))


def test_every_drawn_chart_has_its_contract(built_site):
    drawn = sorted(p.stem for p in (built_site / "charts").glob("*.json") if not p.name.endswith(".metadata.json"))
    assert drawn and chart_ids(built_site) == drawn
    for chart_id in drawn:
        for ext in ("csv", "excel.csv", "metadata.json", "zip"):
            assert (built_site / "charts" / f"{chart_id}.{ext}").is_file(), (chart_id, ext)


def test_the_excel_csv_is_the_csv_with_a_bom(built_site):
    for chart_id in chart_ids(built_site):
        plain = (built_site / "charts" / f"{chart_id}.csv").read_bytes()
        excel = (built_site / "charts" / f"{chart_id}.excel.csv").read_bytes()
        assert excel.startswith(b"\xef\xbb\xbf") and not plain.startswith(b"\xef\xbb\xbf")
        assert excel[3:] == plain
        # What Excel and pandas see: the Chinese header, not mojibake
        assert list(pd.read_csv(io.BytesIO(excel), encoding="utf-8-sig").columns) == next(
            csv.reader(io.StringIO(plain.decode()))
        )


def test_metadata_says_what_the_figures_are_and_how_to_cite_them(built_site):
    for chart_id in chart_ids(built_site):
        meta = json.loads((built_site / "charts" / f"{chart_id}.metadata.json").read_text(encoding="utf-8"))
        spec = json.loads((built_site / "charts" / f"{chart_id}.json").read_text(encoding="utf-8"))
        header = next(csv.reader(io.StringIO((built_site / "charts" / f"{chart_id}.csv").read_text(encoding="utf-8"))))
        package = PACKAGES[spec["dataset"]]
        assert (
            meta["title"] == spec["title"] and meta["subtitle"] == spec["caption"] and meta["source"] == spec["source"]
        )
        assert [c["name"] for c in meta["columns"]] == header
        assert meta["columns"][0]["codes"] == spec["category_codes"]
        assert meta["units"] == sorted({s["unit"] for s in spec["series"]})
        assert meta["last_updated"] == package["x-releaseDate"]
        assert meta["license"]["name"] == package["licenses"][0]["name"]
        assert meta["url"].endswith(f"charts/{chart_id}.csv") and meta["url"] in meta["citation"]
        assert package["title"] in meta["citation"] and package["version"] in meta["citation"]
        if package.get("x-sample"):
            assert meta["sample"] == {"label": SAMPLE_LABEL, "note": package["x-sample"]["note"]}
        else:
            assert meta["sample"] is False


def test_the_zip_holds_both_files_and_a_readme(built_site):
    for chart_id in chart_ids(built_site):
        with zipfile.ZipFile(built_site / "charts" / f"{chart_id}.zip") as archive:
            assert sorted(archive.namelist()) == sorted([f"{chart_id}.csv", f"{chart_id}.metadata.json", "README.txt"])
            assert archive.read(f"{chart_id}.csv") == (built_site / "charts" / f"{chart_id}.csv").read_bytes()
            assert (
                archive.read(f"{chart_id}.metadata.json")
                == (built_site / "charts" / f"{chart_id}.metadata.json").read_bytes()
            )
            readme = archive.read("README.txt").decode("utf-8")
        meta = json.loads((built_site / "charts" / f"{chart_id}.metadata.json").read_text(encoding="utf-8"))
        assert meta["title"] in readme and meta["citation"] in readme and meta["license"]["name"] in readme
        assert (SAMPLE_LABEL in readme) == bool(meta["sample"])


@pytest.mark.parametrize("page", ["cities/index.html", "cities/440300/index.html", "partners/index.html"])
def test_each_chart_links_its_contract(built_site, page):
    html = (built_site / page).read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="chart-figure" id="chart-([^"]+)".*?</figure>', html, re.S)
    assert figures, page
    for chart_id in figures:
        figure = re.search(rf'id="chart-{re.escape(chart_id)}".*?</figure>', html, re.S).group(0)
        for ext in ("csv", "excel.csv", "metadata.json", "zip"):
            assert f'charts/{chart_id}.{ext}"' in figure, (page, chart_id, ext)
