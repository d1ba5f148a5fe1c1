"""Site size and its growth per data release (issue 16, point 11).

In: the scale options of benchmarks/run (--scale, --enterprises, --cases; others are ignored).
Out: a short table on stdout: the site's size at that scale, what downloads/ holds, and how much the site
grows when one more release of the enterprise registry is kept (one row changed, version raised, `release`
run, site built again), for two extra releases.

Each release is stored as its zip and datapackage.json only (builder/export/downloads.py split_release), so the
growth should be about one compressed copy of the changed package, not every format of every package again.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from benchmarks import project, scale
from builder import pipeline
from builder.data import load, releases
from builder.settings import make_settings

MIB = 1024 * 1024
PACKAGE = "enterprises"
EXTRA_RELEASES = 2


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build(root: Path, data: Path) -> Path:
    environ = {"SITE_URL": "https://example.org/", "SOURCE_DATE_EPOCH": "1648080000"}
    settings = replace(make_settings(data_dir=str(data), out_dir=str(root / "site"), environ=environ), root=root)
    result = pipeline.build(settings)
    if result.site is None:
        raise SystemExit("the scaled data do not validate: " + result.validation.summary())
    return result.site


def next_release(data: Path, releases_dir: Path, number: int) -> str:
    """Change one figure of the registry's first row, raise the patch version and keep the release."""
    folder = data / PACKAGE
    path = folder / "accepted_enterprises.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    column = header.index("options_low_cost")  # a count: the row stays valid
    cells[column] = str(int(cells[column] or 0) + number)
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    descriptor_path = folder / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    major, minor, patch = (int(p) for p in descriptor["version"].split("."))
    descriptor["version"] = f"{major}.{minor}.{patch + 1}"
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    releases.snapshot(load.load_package(folder), releases_dir)
    return descriptor["version"]


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(prog="benchmarks.release_growth")
    options.add_argument("--scale", default="province")
    options.add_argument("--enterprises", type=int)
    options.add_argument("--cases", type=int)
    args, _ = options.parse_known_args(argv)
    try:
        multiple = float(args.scale)
        counts = scale.resolve_counts(multiple=multiple, enterprises=args.enterprises, cases=args.cases)
    except ValueError:
        counts = scale.resolve_counts(preset=args.scale, enterprises=args.enterprises, cases=args.cases)
    work = Path(tempfile.mkdtemp(prefix="cp-release-growth-"))
    try:
        root = project.copy_project(work / "project")
        data = root / "datapackages"
        scale.write_scaled(data, counts["enterprises"], counts["cases"])
        # The scaled registry keeps the shipped version number: keep it as a release of its own, then one more
        # with one row changed, so that the baseline's changelog compares two scaled releases (as the
        # following ones do), not the scaled data with the shipped sample.
        next_release(data, root / "releases", 0)
        next_release(data, root / "releases", EXTRA_RELEASES + 1)
        print(
            f"release growth: building {counts['enterprises']:,} enterprise records, {counts['cases']:,} cases …",
            file=sys.stderr,
            flush=True,
        )
        site = build(root, data)
        sizes = [
            (
                json.loads((data / PACKAGE / "datapackage.json").read_text(encoding="utf-8"))["version"],
                folder_bytes(site),
                folder_bytes(site / "downloads"),
            )
        ]
        for number in range(1, EXTRA_RELEASES + 1):
            version = next_release(data, root / "releases", number)
            site = build(root, data)
            sizes.append((version, folder_bytes(site), folder_bytes(site / "downloads")))
        print(
            f"Site size and growth per release · {counts['enterprises']:,} enterprise records, {counts['cases']:,} cases"
        )
        print(f"  site size                               {sizes[0][1] / MIB:8.1f} MiB")
        print(f"  of which downloads/                     {sizes[0][2] / MIB:8.1f} MiB")
        for (_, before, _), (version, after, downloads) in zip(sizes, sizes[1:]):
            print(
                f"  + release {PACKAGE} {version:<14}        {(after - before) / MIB:+8.2f} MiB "
                f"(site {after / MIB:.1f} MiB, downloads/ {downloads / MIB:.1f} MiB)"
            )
        growth = (sizes[-1][1] - sizes[0][1]) / EXTRA_RELEASES
        print(f"  growth per extra release (mean)         {growth / MIB:+8.2f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
