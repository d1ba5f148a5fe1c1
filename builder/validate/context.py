"""What every check receives: the packages that passed frictionless, and the settings a check needs.

Checks read nothing else: no check opens pyproject.toml or imports a later stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.data.load import Packages, Table
from builder.problems import relative_path


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
