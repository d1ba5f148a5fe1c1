"""Code → name maps, derived from what the data declare once.

In: the packages. A code table (a resource of `reference`) declares its label field once
(`x-labelField`; `x-shortLabelField` for the short form pages use, e.g. 工业和信息化 for the department),
and a field holding codes says which table through its `foreignKeys` / `x-foreignKeys`.
Out: resource → code → name (`table_names`), and field → code → name for one table (`field_names`).
"""

from __future__ import annotations

from builder.data.load import Packages, Table

REFERENCE = "reference"


def _key(fields: str | list[str]) -> str:
    return fields if isinstance(fields, str) else fields[0]


def label_field(table: Table, short: bool = False) -> str | None:
    """The field naming each code of a code table, or None for a table that declares none."""
    schema = table.descriptor["schema"]
    label: str | None = (schema.get("x-shortLabelField") if short else None) or schema.get("x-labelField")
    return label


def table_names(packages: Packages, short: bool = False) -> dict[str, dict[str, str]]:
    """Every labelled code table of `reference`: resource name → code → name."""
    reference = packages.get(REFERENCE)
    names: dict[str, dict[str, str]] = {}
    for table in reference.tables.values() if reference is not None else []:
        label = label_field(table, short)
        if label is not None:
            key = _key(table.descriptor["schema"]["primaryKey"])
            names[table.name] = dict(zip(table.frame[key], table.frame[label]))
    return names


def field_names(packages: Packages, table: Table, short: bool = False) -> dict[str, dict[str, str]]:
    """field → code → name, for each field of `table` whose foreign key points into a labelled code table."""
    tables = table_names(packages, short)
    schema = table.descriptor["schema"]
    found: dict[str, dict[str, str]] = {}
    for key in schema.get("foreignKeys", []) + schema.get("x-foreignKeys", []):
        target = key["reference"]
        if target.get("package", table.package) == REFERENCE and target["resource"] in tables:
            found[_key(key["fields"])] = tables[target["resource"]]
    return found
