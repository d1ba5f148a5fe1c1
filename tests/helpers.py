"""Helpers the tests share (not fixtures): the shipped data, copies of the project, settings, small edits.

Test modules import these from here, never from each other or from conftest.
"""

from __future__ import annotations

import hashlib
import shutil
import socket
from pathlib import Path

from builder.settings import PROJECT_ROOT, Settings

DATA = PROJECT_ROOT / "datapackages"
PHONE = {"width": 390, "height": 844}  # the viewports readers use
DESKTOP = {"width": 1366, "height": 900}
FIXED_EPOCH = 1648080000  # 2022-03-24, the notice's date: keeps test builds reproducible


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The site is built for the address it is served at, so that its canonical links and sitemap
# name the pages the tests open.
SITE_PORT = _free_port()


def copy_project(root: Path) -> Path:
    """Copy everything a build reads into `root`; the npm packages are linked, not copied."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("docs", "templates", "datapackages", "overrides", "releases"):
        shutil.copytree(PROJECT_ROOT / name, root / name)
    (root / "node_modules").symlink_to(PROJECT_ROOT / "node_modules")
    return root


def settings_for(root: Path, out: Path, data: Path | None = None, site_url: str = "http://127.0.0.1:8000/") -> Settings:
    return Settings(
        root=root, data_dir=data or root / "datapackages", out_dir=out, source_date_epoch=FIXED_EPOCH, site_url=site_url
    )


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def only(problems, rule):
    found = [p for p in problems if p.rule == rule]
    assert found, f"no {rule} problem in {problems}"
    return found


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# The site's search module, imported by a test into the page it tests (the same module instance the page
# uses): its ranking, folding and splitting, as `gdSearch` in the page for the test's own expressions.
EXPOSE_SEARCH = (
    "import(new URL('/assets/search.js', location.origin).href).then((m) => { window.gdSearch = m.gdSearch; })"
)
