"""Building the site: strict, complete, atomic, reproducible, and cleaned up exactly."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from builder import pipeline
from builder.publish import SiteBuildError
from helpers import DATA, FIXED_EPOCH, replace_once, settings_for, tree_digest


def test_strict_build_has_every_section_and_entity_page(built_site):
    expected = [
        "index.html",
        "about/index.html",
        "policies/index.html",
        "cities/index.html",
        "data/index.html",
        "policies/gd-2022-cleaner-production-notice/index.html",
        "search/pages.json",
        "search/text.json",
        "search/index.html",
        "cases/TC-001/index.html",
    ]
    expected += [
        f"cities/{code}/index.html" for code in pd.read_csv(DATA / "reference" / "cities.csv", dtype=str)["city_code"]
    ]
    missing = [path for path in expected if not (built_site / path).is_file()]
    assert not missing


def test_generated_pages_are_not_listed_in_the_navigation(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    navigation = "".join(re.findall(r"<nav\b.*?</nav>", html, re.S))
    assert 'href="guide/"' in navigation and 'href="cities/"' in navigation
    assert "cities/440300/" not in navigation, "entity pages are reached from section indexes only"
    assert 'href="cities/440300/"' in html, "the home page's city picker links every city page"


def test_downloads_are_the_validated_data(built_site):
    for csv_file in sorted(DATA.glob("*/*.csv")):
        package, resource = csv_file.parent.name, csv_file.stem
        published = built_site / "downloads" / package
        meta = json.loads((csv_file.parent / "datapackage.json").read_text(encoding="utf-8"))
        if "x-sample" in meta:  # a sample's rows are published with the mark, each cell otherwise as validated
            frame = pd.read_csv(published / f"{resource}.csv", dtype=str, keep_default_na=False)
            assert set(frame.pop("data_status")) == {"示例数据"}
            assert frame.equals(pd.read_csv(csv_file, dtype=str, keep_default_na=False))
        else:
            assert (published / f"{resource}.csv").read_bytes() == csv_file.read_bytes()
        records = json.loads((published / f"{resource}.json").read_text(encoding="utf-8"))
        assert len(records) == len(pd.read_csv(csv_file))
    acceptances = json.loads((built_site / "downloads/audit-statistics/acceptances.json").read_text(encoding="utf-8"))
    assert acceptances[2] == {
        "year": 2021,
        "city_code": "440300",
        "lead_department": "industry_it",
        "enterprises": 37,
        "source_id": "gd-2022-notice-att1",
    }
    descriptor = json.loads((built_site / "downloads/policies/datapackage.json").read_text(encoding="utf-8"))
    body = descriptor["resources"][0]["path"]
    assert (built_site / "downloads/policies" / body).is_file()
    assert (built_site / "downloads/policies/documents/gd-2022-cleaner-production-notice.md").is_file()


def test_no_page_loads_anything_from_another_host(built_site):
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for marker in ("fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "unpkg.com"):
            assert marker not in html, f"{page} loads from {marker}"


@pytest.fixture
def previous_site(project_copy):
    """A project copy with a successful build already published."""
    settings = settings_for(project_copy, project_copy / "site")
    assert pipeline.build(settings).site is not None
    return settings, tree_digest(settings.out_dir)


def test_invalid_data_leaves_the_previous_site_untouched(previous_site):
    settings, before = previous_site
    replace_once(settings.data_dir / "audit-statistics" / "targets.csv", "2022,440300,100,", "2022,440300,101,")
    result = pipeline.build(settings)
    assert result.site is None and not result.validation.valid
    assert tree_digest(settings.out_dir) == before


def test_site_generator_failure_leaves_the_previous_site_untouched(previous_site):
    settings, before = previous_site
    (settings.docs_dir / "broken.md").write_text("# 坏链接\n\n[不存在](nowhere.md)\n", encoding="utf-8")
    with pytest.raises(SiteBuildError, match="nowhere.md"):
        pipeline.build(settings)
    assert tree_digest(settings.out_dir) == before
    assert not list(settings.out_dir.parent.glob(".site.partial*"))


def test_template_error_leaves_the_previous_site_untouched(previous_site):
    settings, before = previous_site
    (settings.templates_dir / "cities" / "city.md.j2").write_text("{{ row.no_such_attribute }}", encoding="utf-8")
    with pytest.raises(Exception, match="no_such_attribute"):
        pipeline.build(settings)
    assert tree_digest(settings.out_dir) == before


def test_clean_removes_exactly_what_the_build_generated(previous_site):
    settings, _ = previous_site
    before = {p for p in settings.root.iterdir()}
    removed = pipeline.clean(settings)
    assert set(removed) == {settings.work_dir, settings.out_dir}
    assert {p for p in settings.root.iterdir()} == before - set(removed)
    assert (settings.root / "node_modules").exists(), "installed packages are not build output"


def test_two_builds_in_different_environments_are_byte_identical(tmp_path):
    """Same commit, other time zone, locale and hash seed: the same bytes."""
    digests = []
    for n, (tz, lang, seed) in enumerate([("UTC", "C.UTF-8", "1"), ("Asia/Shanghai", "zh_CN.UTF-8", "2")]):
        out = tmp_path / f"site{n}"
        env = {
            **os.environ,
            "TZ": tz,
            "LANG": lang,
            "LC_ALL": lang,
            "PYTHONHASHSEED": seed,
            "SOURCE_DATE_EPOCH": str(FIXED_EPOCH),
        }
        subprocess.run(
            [sys.executable, "-m", "builder", "build", "--out", str(out)], check=True, env=env, capture_output=True
        )
        digests.append(tree_digest(out))
    assert digests[0] == digests[1]


def test_the_site_serves_its_own_css_and_scripts_minified_and_still_valid(built_site):
    import shutil as _shutil

    for source in sorted((Path(__file__).parent.parent / "docs" / "assets").glob("*.[cj]s*")):
        if source.suffix not in (".css", ".js"):
            continue
        served = built_site / "assets" / source.name
        assert served.stat().st_size < source.stat().st_size, source.name
        assert "/*" not in served.read_text(encoding="utf-8") or source.suffix == ".js", source.name
        if source.suffix == ".js" and _shutil.which("node"):
            check = subprocess.run(["node", "--check", str(served)], capture_output=True, text=True)
            assert check.returncode == 0, (source.name, check.stderr)
