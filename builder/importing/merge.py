"""How the imported rows meet the rows already in the package file: replace, update or append, by key.

In: the rows now in the package file, the imported rows (each with its source row), the resource's key,
the mode and whether removing rows is allowed.
Out: a `Merge`: the rows to write and the accounting of every row — added, changed (each cell before → after),
unchanged, removed — plus the problems that stop the write (rows that would be lost, keys a mode does not
accept). Nothing is removed silently: a correction file of one row never replaces a table of 42.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from builder.importing.findings import ImportProblem, Place, make

MODES = ("replace", "update", "append")
SHOWN_KEYS = 10  # how many removed keys a message lists before “等”


@dataclass(frozen=True)
class Change:
    row: int  # source row
    key: str
    field: str
    before: str
    after: str


@dataclass
class Merge:
    rows: list[dict[str, str]]
    existing: int = 0
    added: list[str] = field(default_factory=list)
    changed_rows: int = 0
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def read_existing(path: Path, names: list[str]) -> list[dict[str, str]]:
    """The package file's rows as text (field name → cell); none when the file does not exist yet."""
    if not path.is_file():
        return []
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    return [{name: row.get(name) or "" for name in names} for row in reader]


def _key_of(row: dict[str, str], key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(row.get(name, "") for name in key)


def key_text(values: tuple[str, ...], key: tuple[str, ...]) -> str:
    return "，".join(f"{name}={value}" for name, value in zip(key, values))


def _listed(keys: list[str]) -> str:
    shown = "；".join(keys[:SHOWN_KEYS])
    return shown + (f" 等（共 {len(keys)} 行）" if len(keys) > SHOWN_KEYS else "")


def _diff(row: int, key: str, old: dict[str, str], new: dict[str, str], names: list[str]) -> list[Change]:
    return [
        Change(row, key, name, old.get(name, ""), new.get(name, ""))
        for name in names
        if old.get(name, "") != new.get(name, "")
    ]


def merge(
    existing: list[dict[str, str]],
    incoming: list[tuple[int, dict[str, str]]],
    names: list[str],
    key: tuple[str, ...],
    mode: str,
    delete_missing: bool,
    place: Place,
) -> Merge:
    """`incoming` holds (source row, values). Without a declared key, a row's whole content is its key."""
    key = key or tuple(names)
    old = {_key_of(row, key): row for row in existing}
    result = Merge(rows=[], existing=len(existing))
    seen: set[tuple[str, ...]] = set()
    updates: dict[tuple[str, ...], dict[str, str]] = {}
    appended: list[dict[str, str]] = []
    for number, values in incoming:
        k = _key_of(values, key)
        label = key_text(k, key)
        if k in seen:  # within one file `table.duplicate_keys` found it: this is a key in two files
            result.problems.append(make("duplicate-key-in-files", place.at(row=number), label))
            continue
        seen.add(k)
        before = old.get(k)
        where = place.at(row=number)
        if before is None:
            if mode == "update":
                result.problems.append(make("update-unknown-key", where, label))
                continue
            result.added.append(label)
            appended.append(values)
            continue
        changes = _diff(number, label, before, values, names)
        if not changes:
            result.unchanged += 1
        elif mode == "append":
            result.problems.append(
                make(
                    "append-existing-key",
                    where,
                    label,
                    cells="；".join(f"{c.field} {c.before!r} → {c.after!r}" for c in changes),
                )
            )
            continue
        else:
            result.changed_rows += 1
            result.changes += changes
        updates[k] = values
    if mode == "replace":
        result.rows = [values for _, values in incoming]
        result.removed = [key_text(k, key) for k in old if k not in seen]
        if result.removed and not delete_missing:
            result.problems.append(
                make(
                    "rows-would-be-removed",
                    place,
                    count=len(result.removed),
                    existing=len(existing),
                    incoming=len(incoming),
                    keys=_listed(result.removed),
                )
            )
        return result
    # update and append keep every existing row in its place; append adds the new keys at the end.
    result.rows = [updates.get(_key_of(row, key), row) for row in existing] + appended
    return result
