"""Validation stage: frictionless on every package, then the project's own checks.

In: the data folder.
Out: a `Validation` with every problem found (empty when the data may be published) and, when frictionless
found nothing wrong, the catalog it read (`load.RowKeeper`): the later stages use it instead of reading the
files again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from frictionless import Checklist, FrictionlessException, Package

from builder.data import load, releases
from builder.problems import Problem, relative_path
from builder.validate.checks import CHECKS
from builder.validate.context import Context
from builder.validate.frictionless_problems import report_problems
from builder.validate.messages import FRICTIONLESS, RULES

# Frictionless on one package: (problems, resources, rows by resource); the preview passes a cached one.
FrictionlessRun = Callable[[Path, dict, load.RowKeeper], tuple[list[Problem], int, dict[str, int]]]


@dataclass
class Validation:
    packages: list[str] = field(default_factory=list)
    resources: int = 0
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    rows_by_resource: dict[str, int] = field(default_factory=dict)
    checks_run: list[tuple[str, str]] = field(default_factory=list)  # (rule, what it checks)
    catalog: load.Packages | None = None  # the typed tables validated, when every package passed frictionless

    @property
    def valid(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def summary(self) -> str:
        return f"已检查 {len(self.packages)} 个数据包、{self.resources} 个资源、{self.rows} 行数据"


def _frictionless(
    package_dir: Path, descriptor: dict, keeper: load.RowKeeper
) -> tuple[list[Problem], int, dict[str, int]]:
    name = descriptor.get("name", package_dir.name)
    try:
        package = Package(str(package_dir / load.DESCRIPTOR))
        # limit_errors=0 means no limit: a capped report could hide the very row a maintainer needs.
        report = package.validate(Checklist(checks=[keeper]), limit_errors=0)
    except FrictionlessException as error:  # e.g. an unsafe resource path ("..", absolute)
        where = relative_path(package_dir / load.DESCRIPTOR, package_dir.parent)
        return (
            [
                Problem(
                    package=name,
                    resource=None,
                    path=where,
                    row=None,
                    field=None,
                    value=None,
                    rule=error.error.type,
                    message=f"数据包无法读取：{error.error.message}",
                )
            ],
            0,
            {},
        )
    rows = {f"{name}/{task.name}": task.stats.get("rows", 0) or 0 for task in report.tasks}
    return report_problems(report, name, package_dir, descriptor), len(report.tasks), rows


def _published_version_guard(problems: list[Problem]) -> list[Problem]:
    """A publishing build refuses data changed under a released version, naming the version to raise to."""
    guarded = []
    for problem in problems:
        version = problem.value or ""
        parts = version.split(".")
        raised = ".".join(parts[:-1] + [str(int(parts[-1]) + 1)]) if parts and parts[-1].isdigit() else "更高的版本号"
        guarded.append(
            dataclasses.replace(
                problem,
                severity="error",
                message=f"发布构建不允许改动已发布的 {version} 版：{problem.package} 与 releases/{problem.package}/{version}/ 不同。"
                f"请把 {problem.package}/datapackage.json 的 version 提高到 {raised}（并更新 x-releaseDate），"
                "再运行 python -m builder release 保存新版本后提交。",
            )
        )
    return guarded


def validate(
    data_dir: Path,
    releases_dir: Path | None = None,
    publishing: bool = False,
    frictionless: FrictionlessRun | None = None,
    public_contacts: frozenset[str] = frozenset(),
) -> Validation:
    """Every problem of the packages in data_dir; with releases_dir, also data changed under a released version
    (a warning, or with `publishing` — the build that publishes — an error naming the version to raise).
    `frictionless` stands in for _frictionless: the live preview reuses the report of a package left unchanged.
    `public_contacts` are the addresses the data may hold (Settings.public_contacts)."""
    frictionless = frictionless or _frictionless
    result = Validation()
    result.checks_run.append((FRICTIONLESS.id, FRICTIONLESS.title))
    kept = []
    for package_dir in load.package_dirs(data_dir):
        try:
            descriptor = load.read_descriptor(package_dir)
        except load.LoadError as error:
            result.problems.append(
                RULES["descriptor"].problem(
                    package=package_dir.name,
                    path=relative_path(package_dir / load.DESCRIPTOR, data_dir),
                    message=str(error),
                )
            )
            continue
        name = descriptor.get("name")
        result.packages.append(name or package_dir.name)
        if name != package_dir.name:
            result.problems.append(
                RULES["package-name"].problem(
                    package=package_dir.name,
                    path=relative_path(package_dir / load.DESCRIPTOR, data_dir),
                    field="name",
                    value=str(name),
                    name=name,
                    folder=package_dir.name,
                )
            )
        keeper = load.RowKeeper()
        problems, resources, rows = frictionless(package_dir, descriptor, keeper)
        result.problems.extend(problems)
        result.resources += resources
        result.rows += sum(rows.values())
        result.rows_by_resource.update(rows)
        kept.append((package_dir, descriptor, keeper))
    if not result.valid:
        # Cross-package checks need every table typed; report the structural errors first.
        return result
    packages = [load.kept_package(package_dir, descriptor, keeper) for package_dir, descriptor, keeper in kept]
    result.catalog = {package.name: package for package in packages}
    context = Context(catalog=result.catalog, public_contacts=public_contacts)
    for check in CHECKS:
        result.problems.extend(check.check(context))
        result.checks_run.append((check.NAME, check.TITLE))
    if releases_dir is not None:
        changed = releases.unreleased_changes(result.catalog, releases_dir, data_dir)
        result.problems.extend(_published_version_guard(changed) if publishing else changed)
        result.checks_run.append((RULES["release-changed"].id, RULES["release-changed"].title))
    return result
