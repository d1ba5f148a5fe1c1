"""A private copy of the project to build at another scale, so /work's build/ and site/ stay untouched.

In: the project root. Out: ROOT/ with every top-level file and folder a build may read (mkdocs.yml,
docs/, templates/, overrides/, pyproject.toml …) copied, node_modules linked, and no data: the caller
writes ROOT/datapackages. Settings.root decides where build/ goes, so building there writes only ROOT.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from builder.settings import PROJECT_ROOT

# Build output, code, tests and tooling: never read by a build as files of the project root.
EXCLUDED = {"build", "site", "node_modules", "datapackages", "tests", "benchmarks", "builder", "test-artifacts"}


def _excluded(path: Path) -> bool:
    return path.name in EXCLUDED or path.name.startswith(".") or path.name.endswith(".egg-info")


def copy_project(root: Path, source: Path = PROJECT_ROOT) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir()):
        if _excluded(entry):
            continue
        if entry.is_dir():
            shutil.copytree(entry, root / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, root / entry.name)
    if (source / "node_modules").exists():
        (root / "node_modules").symlink_to(source / "node_modules")
    return root
