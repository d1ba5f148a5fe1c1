"""The site grows with change, not with releases: no data file is stored twice, and keeping one more
release adds its version folder (zip, descriptor, checksums, index page) and nothing else."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from builder import pipeline
from builder.data import load, releases
from helpers import settings_for

SMALL = 64 * 1024  # a descriptor or README repeated beside its zip


def test_no_data_file_is_stored_twice(built_site):
    by_digest = defaultdict(list)
    for path in (built_site / "downloads").rglob("*"):
        if path.is_file() and path.suffix != ".html":
            by_digest[hashlib.sha256(path.read_bytes()).hexdigest()].append(path)
    repeated = [paths for paths in by_digest.values() if len(paths) > 1]
    for paths in repeated:
        assert {p.name for p in paths} <= {"datapackage.json", "README.txt"}, paths
        assert all(p.stat().st_size < SMALL for p in paths), paths
    zips = [p for p in (built_site / "downloads").rglob("*.zip")]
    assert zips and all(p.parent.name[0].isdigit() for p in zips), "each zip once, in its version folder"


def test_one_more_release_adds_only_its_version_folder(project_copy):
    settings = settings_for(project_copy, project_copy / "site")
    before_site = pipeline.build(settings).site
    before = {
        p.relative_to(before_site).as_posix(): p.read_bytes()
        for p in (before_site / "downloads").rglob("*")
        if p.is_file()
    }
    folder = project_copy / "datapackages" / "reference"
    cities = folder / "cities.csv"
    cities.write_text(cities.read_text(encoding="utf-8").replace(",Shenzhen,", ",Shenzhen City,"), encoding="utf-8")
    meta = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    old, meta["version"] = meta["version"], "9.0.0"
    (folder / "datapackage.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    releases.snapshot(load.load_package(folder), project_copy / "releases")
    after_site = pipeline.build(settings).site
    after = {
        p.relative_to(after_site).as_posix(): p.read_bytes()
        for p in (after_site / "downloads").rglob("*")
        if p.is_file()
    }
    added = set(after) - set(before)
    assert added == {
        f"downloads/reference/9.0.0/{name}"
        for name in ("reference.zip", "datapackage.json", "SHA256SUMS", "index.html")
    }
    assert set(before) - set(after) == set()
    changed = {name for name in set(before) & set(after) if before[name] != after[name]}
    # Only the latest folder of the changed package (and the index pages listing its versions) change.
    assert all(
        name.startswith("downloads/reference/") and (name.count("/") == 2 or name.endswith("/index.html"))
        for name in changed
    ), changed
    # The release that was current keeps its bytes at its address now that it is an earlier one.
    assert not {
        name for name in changed if name.startswith(f"downloads/reference/{old}/") and not name.endswith(".html")
    }
