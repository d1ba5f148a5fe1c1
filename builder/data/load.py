"""The only module that reads the data packages.

In: a folder holding one sub-folder per Frictionless data package.
Out: `Packages` (package name → `DataPackage` of typed tables: pandas DataFrames indexed by spreadsheet row
number).

The files are read once per build: `RowKeeper` rides along frictionless' validation and keeps each row as
the Table Schema casts it, and `kept_package` makes the tables from those rows; `load` reads them afresh,
for callers that do not validate first.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
from frictionless import Check, Error, Package, Resource, Row
from frictionless.resources import TableResource

DESCRIPTOR = "datapackage.json"


class LoadError(Exception):
    """A data folder that cannot be read at all (missing or not JSON)."""


@dataclass(frozen=True)
class Table:
    package: str
    name: str
    path: Path
    descriptor: dict
    frame: pd.DataFrame

    @property
    def fields(self) -> list[dict]:
        return self.descriptor["schema"]["fields"]

    def field(self, name: str) -> dict:
        return next(f for f in self.fields if f["name"] == name)

    def title(self, name: str) -> str:
        return self.field(name)["title"]


@dataclass(frozen=True)
class DataPackage:
    name: str
    root: Path
    descriptor: dict
    tables: dict[str, Table]

    @property
    def descriptor_path(self) -> Path:
        return self.root / DESCRIPTOR


Packages = dict[str, DataPackage]


def package_dirs(data_dir: Path) -> list[Path]:
    if not data_dir.is_dir():
        raise LoadError(f"数据目录不存在：{data_dir}")
    dirs = sorted(p.parent for p in data_dir.glob(f"*/{DESCRIPTOR}"))
    if not dirs:
        raise LoadError(f"{data_dir} 下没有任何数据包（子目录中的 {DESCRIPTOR}）")
    return dirs


def read_descriptor(package_dir: Path) -> dict:
    path = package_dir / DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LoadError(f"{path}：无法读取数据包描述文件（{error}）") from error


def _frame(resource: dict, numbered_rows: list[tuple[int, list]]) -> pd.DataFrame:
    """Rows (row number, values in schema order) → a frame of objects indexed by row number."""
    fields = resource["schema"]["fields"]
    width = len(fields)
    # A row with missing cells (which validation reports) still loads, its missing cells empty.
    values = [cells if len(cells) >= width else cells + [None] * (width - len(cells)) for _, cells in numbered_rows]
    # frictionless casts "number" to Decimal; the stages downstream work with floats.
    numbers = [i for i, f in enumerate(fields) if f.get("type") == "number"]
    for cells in values if numbers else ():
        for i in numbers:
            if isinstance(cells[i], Decimal):
                cells[i] = float(cells[i])
    frame = pd.DataFrame(values, columns=[f["name"] for f in fields], dtype=object)
    frame.index = pd.Index([number for number, _ in numbered_rows], name="row")
    return frame


def read_table(package: str, package_dir: Path, resource: dict, source: Resource) -> Table:
    """Typed rows as the Table Schema casts them; the index is the row number in the file."""
    assert isinstance(source, TableResource), "every resource of a package is a table (a CSV with a schema)"
    with source:
        rows = [(row.row_number, row.to_list()) for row in source.row_stream]
    return Table(package, resource["name"], package_dir / resource["path"], resource, _frame(resource, rows))


class RowKeeper(Check):
    """A frictionless check that finds nothing: it keeps every row it is shown, by resource name."""

    type = "builder-keep-rows"

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[tuple[int, list]]] = {}
        self._kept: list[tuple[int, list]] = []

    def validate_start(self) -> Iterator[Error]:
        self._kept = self.rows.setdefault(self.resource.name, [])
        yield from ()

    def validate_row(self, row: Row) -> Iterator[Error]:
        self._kept.append((row.row_number, row.to_list()))
        yield from ()


def kept_package(package_dir: Path, descriptor: dict, keeper: RowKeeper) -> DataPackage:
    """The package from the rows its validation kept: the same tables `load_package` reads."""
    name = descriptor.get("name", package_dir.name)
    tables = {
        r["name"]: Table(name, r["name"], package_dir / r["path"], r, _frame(r, keeper.rows.get(r["name"], [])))
        for r in descriptor["resources"]
    }
    return DataPackage(name, package_dir, descriptor, tables)


def load_package(package_dir: Path) -> DataPackage:
    descriptor = read_descriptor(package_dir)
    name = descriptor.get("name", package_dir.name)
    # Read through the package so that foreign keys inside it can be resolved.
    package = Package(str(package_dir / DESCRIPTOR))
    tables = {
        r["name"]: read_table(name, package_dir, r, package.get_resource(r["name"])) for r in descriptor["resources"]
    }
    return DataPackage(name, package_dir, descriptor, tables)


def load(data_dir: Path) -> Packages:
    packages = [load_package(d) for d in package_dirs(data_dir)]
    return {p.name: p for p in packages}


# --- Earlier releases kept in the repository (releases/<package>/<version>/) --------------------


def read_raw_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """A CSV's header and rows as text, exactly as written: releases are compared cell by cell."""
    with path.open(encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    return (rows[0], rows[1:]) if rows else ([], [])


@dataclass(frozen=True)
class Release:
    package: str
    version: str
    root: Path
    descriptor: dict

    def resource(self, name: str) -> tuple[list[str], list[list[str]]] | None:
        path = self.root / f"{name}.csv"
        return read_raw_rows(path) if path.is_file() else None

    def files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*") if p.is_file())


def load_releases(releases_dir: Path) -> dict[str, list[Release]]:
    """Every kept release, per package, oldest first (by semantic version)."""
    found: dict[str, list[Release]] = {}
    for descriptor_path in sorted(releases_dir.glob(f"*/*/{DESCRIPTOR}")):
        root = descriptor_path.parent
        found.setdefault(root.parent.name, []).append(Release(root.parent.name, root.name, root, read_descriptor(root)))
    for releases in found.values():
        releases.sort(key=lambda r: tuple(int(p) if p.isdigit() else 0 for p in r.version.split(".")))
    return found
