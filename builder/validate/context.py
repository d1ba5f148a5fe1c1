"""What every check receives: the packages that passed frictionless, and the settings a check needs.

Checks read nothing else: no check opens pyproject.toml or imports a later stage.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from builder.data.load import Packages, Table
from builder.problems import Problem, relative_path
from builder.validate.rules import Rule


@dataclass(frozen=True, kw_only=True)
class Context:
    catalog: Packages
    public_contacts: frozenset[str] = frozenset()  # addresses that may appear in the data ([tool.builder])

    def where(self, table: Table) -> str:
        """A table's file as problems name it: relative to the project (datapackages/<package>/<file>)."""
        return relative_path(table.path, self.catalog[table.package].root.parent)

    def descriptor_path(self, package: str) -> str:
        found = self.catalog[package]
        return relative_path(found.descriptor_path, found.root.parent)

    def tables(self) -> Iterator[Table]:
        """Every table of every package, in catalogue order."""
        for package in self.catalog.values():
            yield from package.tables.values()

    def problem(self, rule: Rule, table: Table, **located: Any) -> Problem:
        """A problem of `rule` in `table`'s file: package, resource and path filled in."""
        return rule.problem(package=table.package, resource=table.name, path=self.where(table), **located)
