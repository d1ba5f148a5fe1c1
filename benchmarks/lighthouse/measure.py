"""Lighthouse scores of every page kind, phone and desktop (issue 15, point 9).

In: the shipped data, built here for the address it is served at (or a built site given with --site),
served on loopback with gzip as a host would (benchmarks/serve.py); Lighthouse 12.2.3 from this folder's
package-lock.json (installed by ./run) driving Debian's chromium. Out: a table of the four category
scores per page and preset, the audits that cost points, and exit status 1 when any accessibility, best
practices or SEO score is below 100 or any performance score below 95.

Performance is measured, not computed: on a busy machine it drops. --runs N keeps the median run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.project import copy_project  # noqa: E402
from benchmarks.serve import SiteServer, free_port  # noqa: E402

LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "BP", "seo": "SEO"}
REQUIRED = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
EPOCH = 1648080000  # 2022-03-24, the notice's date, as in the tests: reproducible builds

# One page of each kind; where a kind has many pages, the one with the most on it.
PAGES = {
    "home": "",
    "policies": "policies/",
    "policy": "policies/gd-2022-cleaner-production-notice/",  # the full text with both attachment tables
    "cities": "cities/",
    "city": "cities/440300/",
    "directory": "enterprises/",
    "cases": "cases/",
    "case": "cases/TC-001/",
    "sectors": "sectors/",
    "sector": "sectors/electroplating/",
    "data": "data/",
    "dataset": "data/audit-statistics/",
    "changelog": "data/audit-statistics/changelog/",
    "validation": "data/validation/",
    "api": "api/",
    "search": "search/?q=%E7%94%B5%E9%95%80",  # 电镀: the page with results in it
    "guide": "guide/",
    "about": "about/",
}


def build_site(work: Path, site_url: str) -> Path:
    """The shipped data built in a private copy of the project, for `site_url`."""
    from builder import pipeline
    from builder.settings import make_settings

    root = copy_project(work / "project", ROOT)
    shutil.copytree(ROOT / "datapackages", root / "datapackages")
    environ = {"SOURCE_DATE_EPOCH": str(EPOCH), "SITE_URL": site_url}
    settings = replace(
        make_settings(data_dir=str(root / "datapackages"), out_dir=str(root / "site"), environ=environ), root=root
    )
    result = pipeline.build(settings)
    if not result.validation.valid:
        sys.exit("build failed: " + result.validation.summary())
    return result.site


def lighthouse(url: str, preset: str, report: Path) -> dict:
    """One Lighthouse run; the parsed JSON report."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--only-categories=" + ",".join(CATEGORIES),
        f"--chrome-flags={CHROME_FLAGS}",
        "--skip-audits=full-page-screenshot,screenshot-thumbnails,final-screenshot",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or ""}
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if run.returncode != 0 or not report.is_file():
        raise RuntimeError(f"lighthouse failed on {url} ({preset}): {run.stderr[-2000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def scores(report: dict) -> dict[str, int]:
    return {c: round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}


def losses(report: dict) -> list[str]:
    """The weighted audits that did not pass, per category: what to fix."""
    found = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                found.append(f"{SHORT[category]}: {ref['id']} {audit['score']:.2f}{value}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/lighthouse/run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--site",
        type=Path,
        help="serve this built site instead of building the shipped data "
        "(its canonical links then name the address it was built for)",
    )
    parser.add_argument("--pages", default=",".join(PAGES), help="page kinds, comma-separated (default: all)")
    parser.add_argument("--preset", choices=("mobile", "desktop", "both"), default="both")
    parser.add_argument(
        "--runs", type=int, default=1, help="runs per page and preset; the median performance run is kept"
    )
    parser.add_argument("--reports", type=Path, help="keep every JSON report in this folder")
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.pages.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in PAGES]
    if unknown:
        parser.error(f"unknown page kinds {unknown}; known: {', '.join(PAGES)}")
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run benchmarks/lighthouse/run, which installs it")
    if shutil.which("chromium") is None:
        sys.exit("Debian chromium is not installed (make test installs it)")
    presets = ["mobile", "desktop"] if args.preset == "both" else [args.preset]

    with tempfile.TemporaryDirectory(prefix="lighthouse-") as scratch:
        work = Path(scratch)
        port = free_port()
        site = args.site.resolve() if args.site else build_site(work, f"http://127.0.0.1:{port}/")
        reports = args.reports or work / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        rows, notes = [], []
        with SiteServer(site, port) as base:
            for kind in kinds:
                for preset in presets:
                    runs = []
                    for n in range(args.runs):
                        report = lighthouse(f"{base}/{PAGES[kind]}", preset, reports / f"{kind}-{preset}-{n + 1}.json")
                        runs.append(report)
                    runs.sort(key=lambda r: scores(r)["performance"])
                    kept = runs[len(runs) // 2]
                    got = scores(kept)
                    # Accessibility, best practices and SEO do not depend on timing: the worst run counts.
                    for category in CATEGORIES[1:]:
                        got[category] = min(scores(r)[category] for r in runs)
                    rows.append((kind, "/" + PAGES[kind], preset, got))
                    failing = [c for c in CATEGORIES if got[c] < REQUIRED[c]]
                    if failing:
                        notes.append(f"{kind} ({preset}): " + "; ".join(losses(kept)))
                    print(
                        f"  {kind:<11} {preset:<7} " + " ".join(f"{SHORT[c]} {got[c]:>3}" for c in CATEGORIES),
                        file=sys.stderr,
                        flush=True,
                    )

    print_table(rows, presets, args.runs)
    below = [(k, p, c) for k, _, p, got in rows for c in CATEGORIES if got[c] < REQUIRED[c]]
    if notes:
        print("\nBelow the bar (" + ", ".join(f"{SHORT[c]} ≥ {REQUIRED[c]}" for c in CATEGORIES) + "):")
        for note in notes:
            print("  " + note)
    return 1 if below else 0


def print_table(rows: list, presets: list[str], runs: int) -> None:
    """Markdown, so the README can quote it as it is."""
    lh_version = json.loads((HERE / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    chromium = subprocess.run([shutil.which("chromium"), "--version"], capture_output=True, text=True).stdout.strip()
    print(
        f"Lighthouse {lh_version}, {chromium}, served with gzip on loopback; "
        f"{runs} run{'s' if runs > 1 else ''} per page and preset{' (median performance)' if runs > 1 else ''}.\n"
    )
    print("| page | address | " + " | ".join(f"{p}: perf / a11y / BP / SEO" for p in presets) + " |")
    print("|---|---|" + "---|" * len(presets))
    by_page: dict[str, dict] = {}
    for kind, path, preset, got in rows:
        by_page.setdefault(kind, {"path": path})[preset] = got
    for kind, cells in by_page.items():
        print(
            f"| {kind} | `{cells['path']}` | "
            + " | ".join(" / ".join(str(cells[p][c]) for c in CATEGORIES) for p in presets)
            + " |"
        )
    low = {c: min(got[c] for *_, got in rows) for c in CATEGORIES}
    print(
        "\nLowest: "
        + ", ".join(f"{SHORT[c]} {low[c]}" for c in CATEGORIES)
        + f" (required: perf ≥ {REQUIRED['performance']}, the others 100)."
    )


if __name__ == "__main__":
    sys.exit(main())
