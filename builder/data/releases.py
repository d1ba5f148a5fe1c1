"""Releases: snapshot a data release into the repository, and derive the changelog between releases.

In: the current packages and the kept releases (releases/<package>/<version>/, read by `load`).
Out: `snapshot` writes a new release folder (the `release` command); `changelog` is pure and says,
per resource, which rows were added, removed or changed (and in which fields), keyed by primary key.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from builder.data.load import DataPackage, Packages, Release, read_raw_rows
from builder.export.downloads import referenced_documents
from builder.problems import Problem, relative_path


class ReleaseError(Exception):
    pass


def release_files(package: DataPackage) -> list[Path]:
    """What a release keeps: the descriptor, every table and the documents the tables reference."""
    files = [package.descriptor_path] + [t.path for t in package.tables.values()]
    return files + [package.root / d for d in referenced_documents(package)]


def changed_files(package: DataPackage, kept: Path) -> list[Path]:
    """The package's files whose bytes differ from (or are missing in) the kept release folder."""
    return [
        f
        for f in release_files(package)
        if not (kept / f.relative_to(package.root)).is_file()
        or (kept / f.relative_to(package.root)).read_bytes() != f.read_bytes()
    ]


def unreleased_changes(catalog: Packages, releases_dir: Path, data_dir: Path) -> list[Problem]:
    """Warnings for data changed under a version already released: its downloads would change silently.

    A package whose version has no kept release yet is not warned about here: `release` keeps it.
    """
    problems = []
    for package in catalog.values():
        version = package.descriptor.get("version")
        kept = releases_dir / package.name / str(version)
        if not version or not kept.is_dir():
            continue
        for path in changed_files(package, kept):
            resource = next((t.name for t in package.tables.values() if t.path == path), None)
            problems.append(
                Problem(
                    package=package.name,
                    resource=resource,
                    path=relative_path(path, data_dir),
                    row=None,
                    field="version",
                    value=str(version),
                    rule="release-changed",
                    message=f"与已保存的 {version} 版（releases/{package.name}/{version}/）不同：数据修改后请提高 datapackage.json 的 "
                    f"version，再运行 python -m builder release 保存新版本；否则以 {version} 版发布的下载内容会悄悄改变。",
                    severity="warning",
                )
            )
    return problems


def snapshot(package: DataPackage, releases_dir: Path) -> Path:
    """Keep the current data of `package` as release <version>; refuse to overwrite a different one."""
    version = package.descriptor.get("version")
    if not version:
        raise ReleaseError(f"{package.name}：datapackage.json 没有 version，无法发布。")
    target = releases_dir / package.name / version
    files = release_files(package)
    if target.exists():
        if changed_files(package, target):
            raise ReleaseError(f"{package.name} {version} 已发布且内容不同：修改数据后请先提高 version。")
        return target
    for file in files:
        (target / file.relative_to(package.root)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target / file.relative_to(package.root))
    return target


def _keyed(header: list[str], rows: list[list[str]], key: list[str]) -> dict[tuple, dict[str, str]]:
    positions = [header.index(k) for k in key]
    return {tuple(row[p] for p in positions): dict(zip(header, row)) for row in rows}


def resource_changes(
    old: tuple[list[str], list[list[str]]] | None, new: tuple[list[str], list[list[str]]], key: list[str]
) -> dict:
    new_rows = _keyed(*new, key)
    old_rows = _keyed(*old, key) if old else {}
    added = [new_rows[k] for k in new_rows if k not in old_rows]
    removed = [old_rows[k] for k in old_rows if k not in new_rows]
    changed = []
    for k in new_rows:
        if k in old_rows and new_rows[k] != old_rows[k]:
            fields = sorted(set(new_rows[k]) | set(old_rows[k]))
            diffs = {
                f: {"before": old_rows[k].get(f), "after": new_rows[k].get(f)}
                for f in fields
                if old_rows[k].get(f) != new_rows[k].get(f)
            }
            changed.append({"key": dict(zip(key, k)), "fields": diffs})
    return {
        "added": added,
        "removed": removed,
        "changed": changed,
        "new_fields": [f for f in new[0] if old and f not in old[0]],
        "removed_fields": [f for f in (old[0] if old else []) if f not in new[0]],
    }


def previous_release(package: DataPackage, releases: list[Release]) -> Release | None:
    """The newest kept release other than the current version."""
    version = package.descriptor.get("version")
    earlier = [r for r in releases if r.version != version]
    return earlier[-1] if earlier else None


def changelog(package: DataPackage, releases: list[Release]) -> dict:
    previous = previous_release(package, releases)
    resources = {}
    for table in package.tables.values():
        key = table.descriptor["schema"].get("primaryKey") or [table.fields[0]["name"]]
        key = [key] if isinstance(key, str) else key
        resources[table.name] = resource_changes(
            previous.resource(table.name) if previous else None, read_raw_rows(table.path), key
        )
    return {
        "package": package.name,
        "version": package.descriptor.get("version"),
        "released": package.descriptor.get("x-releaseDate"),
        "previous_version": previous.version if previous else None,
        "earlier_versions": [r.version for r in releases if r.version != package.descriptor.get("version")],
        "resources": resources,
    }


def _key(schema: dict, header: list[str]) -> list[str]:
    key = schema.get("primaryKey") or header[:1]
    return [key] if isinstance(key, str) else key


def release_changes(release: Release, previous: Release | None) -> dict[str, dict[str, int]]:
    """Per resource of a kept release: how many rows were added, removed and changed since the release before
    it (every row added for the first)."""
    counts = {}
    for resource in release.descriptor.get("resources", []):
        rows = release.resource(resource["name"])
        if rows is None:
            continue
        change = resource_changes(
            previous.resource(resource["name"]) if previous else None, rows, _key(resource.get("schema", {}), rows[0])
        )
        counts[resource["name"]] = {kind: len(change[kind]) for kind in ("added", "removed", "changed")}
    return counts


def history_changes(releases: list[Release]) -> dict[str, dict[str, dict[str, int]]]:
    """release_changes of every kept release, by version (releases oldest first, as load_releases gives them)."""
    return {
        release.version: release_changes(release, releases[i - 1] if i else None) for i, release in enumerate(releases)
    }
