"""What a resource expects, read from its Table Schema: the target of an import.

In: the data folder and "PACKAGE/RESOURCE".
Out: a `Target`: each field's kind (which decides the normalizations allowed on it), the header labels that
name it (field name or Chinese title), its key and the values its foreign keys may take. Referenced tables
are read through `builder.data.load`, the one reader of the data files; city aliases come from reference/cities.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from frictionless import FrictionlessException, Package

from builder.data import load
from builder.importing.paths import unsafe_reason

NUMERIC_TYPES = {"integer", "number", "year"}
DATE_TYPES = {"date"}
# The reference table whose other unique columns (全称, 简称, English name) may stand for its code.
CITY_TABLE = ("reference", "cities")


class TargetError(Exception):
    """--into names no resource that can be imported."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    title: str
    type: str
    kind: str  # "number", "date", "boolean", "code" (keys, enums, patterns) or "text" (display names, free text)
    required: bool
    description: str = ""
    unit: str = ""
    multipliers: dict[str, Decimal] = field(default_factory=dict)
    delimiter: str | None = None  # list fields
    booleans: tuple[str, ...] = ()  # declared trueValues and falseValues
    enum: tuple[str, ...] = ()  # allowed values, spelled as the schema spells them
    aliases: tuple[str, ...] = ()  # x-aliases: other header labels that name the field (e.g. 地市 for city_code)

    @property
    def is_text(self) -> bool:
        """Cells a spreadsheet treats as text (and so may execute as a formula)."""
        return self.kind in ("code", "text")


@dataclass(frozen=True)
class Reference:
    fields: tuple[str, ...]
    target_fields: tuple[str, ...]
    label: str  # e.g. reference/cities.city_code
    rule: str  # "foreign-key" (same package) or "cross-package-key"
    values: frozenset | None  # None: the resource references itself, so the imported rows are the values


@dataclass(frozen=True)
class Target:
    data_dir: Path
    package: str
    package_dir: Path
    resource: str
    descriptor: dict
    fields: list[FieldSpec]
    labels: dict[str, str]  # header label (trimmed, NFKC) → field name
    primary_key: tuple[str, ...]
    unique: tuple[str, ...]
    references: list[Reference]
    city_fields: frozenset[str]
    city_names: dict[str, str]  # casefolded name, short name or English name → code
    public_contacts: frozenset[str] = frozenset()
    # Other coded fields (departments, audit modes, sectors, basins): field → {casefolded label → code}, and the
    # accepted codes with their labels, listed when a value is unknown.
    code_names: dict[str, dict[str, str]] = field(default_factory=dict)
    code_lists: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.package_dir / self.descriptor["path"]

    @property
    def label(self) -> str:
        return f"{self.package}/{self.resource}"

    def spec(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)


def normal_label(text: str) -> str:
    return unicodedata.normalize("NFKC", text.strip())


def _as_tuple(fields: str | Iterable[str]) -> tuple[str, ...]:
    return (fields,) if isinstance(fields, str) else tuple(fields)


def keyed_fields(schema: dict) -> set[str]:
    """Fields that hold codes: keys, foreign keys (in or across packages)."""
    keyed = set(_as_tuple(schema.get("primaryKey", [])))
    for key in schema.get("foreignKeys", []) + schema.get("x-foreignKeys", []):
        keyed |= set(_as_tuple(key["fields"]))
    return keyed


def field_kind(field: dict, keyed: set[str]) -> str:
    if field.get("type") in NUMERIC_TYPES:
        return "number"
    if field.get("type") in DATE_TYPES:
        return "date"
    if field.get("type") == "boolean":
        return "boolean"
    constraints = field.get("constraints", {})
    if field["name"] in keyed or "pattern" in constraints or "enum" in constraints or "x-itemEnum" in field:
        return "code"
    return "text"


def _multipliers(field: dict) -> dict[str, Decimal]:
    declared = field.get("x-multipliers") or {}
    try:
        return {str(unit): Decimal(str(factor)) for unit, factor in declared.items()}
    except (InvalidOperation, AttributeError) as error:
        raise TargetError(f'字段 {field["name"]} 的 x-multipliers 应为 {{"万": 10000}} 这样的对象：{error}') from error


def field_specs(schema: dict) -> list[FieldSpec]:
    keyed = keyed_fields(schema)
    return [
        FieldSpec(
            name=f["name"],
            title=f.get("title", f["name"]),
            type=f.get("type", "string"),
            kind=field_kind(f, keyed),
            required=bool(f.get("constraints", {}).get("required")),
            description=f.get("description", ""),
            unit=f.get("unit", ""),
            multipliers=_multipliers(f),
            delimiter=f.get("delimiter", ",") if f.get("type") == "list" else None,
            booleans=tuple(f.get("trueValues", [])) + tuple(f.get("falseValues", [])),
            enum=tuple(str(v) for v in f.get("constraints", {}).get("enum", [])),
            aliases=tuple(str(a) for a in f.get("x-aliases", [])),
        )
        for f in schema["fields"]
    ]


def header_labels(fields: list[FieldSpec]) -> dict[str, str]:
    labels: dict[str, str] = {}
    titles: dict[str, list[str]] = {}
    for spec in fields:
        titles.setdefault(normal_label(spec.title), []).append(spec.name)
    for title, names in titles.items():
        if len(names) == 1:  # a title two fields share names neither
            labels[title] = names[0]
    for spec in fields:
        labels.update({normal_label(alias): spec.name for alias in spec.aliases})
    labels.update({spec.name: spec.name for spec in fields})
    return labels


class _Tables:
    """Referenced tables, each read once through builder.data.load."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self._cache: dict[tuple[str, str], load.Table] = {}

    def get(self, package: str, resource: str) -> load.Table:
        key = (package, resource)
        if key not in self._cache:
            package_dir = self.data_dir / package
            descriptor = load.read_descriptor(package_dir)
            entry = next((r for r in descriptor.get("resources", []) if r.get("name") == resource), None)
            if entry is None:
                raise TargetError(f"被引用的资源 {package}/{resource} 不存在")
            try:
                source = Package(str(package_dir / load.DESCRIPTOR)).get_resource(resource)
                self._cache[key] = load.read_table(package, package_dir, entry, source)
            except FrictionlessException as error:
                raise TargetError(
                    f"无法读取被引用的资源 {package}/{resource}：{error}；请先运行 validate 并更正"
                ) from error
        return self._cache[key]


def _blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)


def _values(table: load.Table, fields: tuple[str, ...]) -> frozenset:
    found = set()
    for record in table.frame[list(fields)].itertuples(index=False):
        if not any(_blank(v) for v in record):
            found.add(tuple(str(v) for v in record))
    return frozenset(found)


def _label_columns(table: load.Table, key: str) -> list[str]:
    """The referenced table's other unique text columns (全称, 简称, English name): each may stand for the code."""
    return [
        spec["name"]
        for spec in table.fields
        if spec["name"] != key and spec.get("constraints", {}).get("unique") and spec.get("type", "string") == "string"
    ]


def _city_names(table: load.Table, key: str) -> dict[str, str]:
    aliases = {}
    for column in _label_columns(table, key):
        for code, name in zip(table.frame[key], table.frame[column]):
            if not _blank(name):
                aliases[normal_label(str(name)).casefold()] = str(code)
    return aliases


LISTED_CODES = 40  # an unknown value's message lists the accepted codes of a table this small


def _code_list(table: load.Table, key: str) -> str:
    if len(table.frame) > LISTED_CODES:
        return ""
    columns = _label_columns(table, key)
    entries = []
    for _, row in table.frame.iterrows():
        labels = "、".join(str(row[c]) for c in columns if not _blank(row[c]))
        entries.append(f"{row[key]}" + (f"（{labels}）" if labels else ""))
    return "；".join(entries)


def resolve(data_dir: Path, into: str, public_contacts: frozenset[str] = frozenset()) -> Target:
    package, _, resource = into.partition("/")
    if not package or not resource or "/" in resource:
        raise TargetError(f"--into 应写成 数据包/资源，例如 audit-statistics/targets；收到 {into!r}")
    package_dir = data_dir / package
    if not (package_dir / load.DESCRIPTOR).is_file() or package.startswith("."):
        raise TargetError(f"数据目录 {data_dir} 中没有数据包 {package!r}")
    descriptor = load.read_descriptor(package_dir)
    entry = next((r for r in descriptor.get("resources", []) if r.get("name") == resource), None)
    if entry is None:
        names = "、".join(r.get("name", "?") for r in descriptor.get("resources", []))
        raise TargetError(f"数据包 {package} 中没有资源 {resource!r}；现有：{names}")
    why = unsafe_reason(package_dir, entry.get("path"))
    if why:
        raise TargetError(
            f"{package}/datapackage.json 中资源 {resource} 的 path {entry.get('path')!r} 不安全：{why}。"
            "导入不会读写数据包之外的文件；请先更正 path（应为 资源名.csv）"
        )
    schema = entry.get("schema", {})
    fields = field_specs(schema)
    tables = _Tables(data_dir)
    references, city_fields, city_names, code_names, code_lists = [], set(), {}, {}, {}
    keys = [(k, package, "foreign-key") for k in schema.get("foreignKeys", [])]
    keys += [(k, k["reference"]["package"], "cross-package-key") for k in schema.get("x-foreignKeys", [])]
    for key, ref_package, rule in keys:
        ref = key["reference"]
        ref_resource = ref.get("resource") or resource
        ref_fields = _as_tuple(ref["fields"])
        label = f"{ref_package}/{ref_resource}.{','.join(ref_fields)}"
        if (ref_package, ref_resource) == (package, resource):
            values = None  # a self-reference is checked against the imported rows
        else:
            values = _values(tables.get(ref_package, ref_resource), ref_fields)
        references.append(Reference(_as_tuple(key["fields"]), ref_fields, label, rule, values))
        if (ref_package, ref_resource) == CITY_TABLE and len(ref_fields) == 1:
            city_fields |= set(_as_tuple(key["fields"]))
            city_names = _city_names(tables.get(*CITY_TABLE), ref_fields[0])
        elif values is not None and len(ref_fields) == 1:
            referenced = tables.get(ref_package, ref_resource)
            for name in _as_tuple(key["fields"]):
                code_names[name] = _city_names(referenced, ref_fields[0])
                code_lists[name] = _code_list(referenced, ref_fields[0])
    unique = tuple(f["name"] for f in schema["fields"] if f.get("constraints", {}).get("unique"))
    return Target(
        data_dir,
        package,
        package_dir,
        resource,
        entry,
        fields,
        header_labels(fields),
        _as_tuple(schema.get("primaryKey", [])),
        unique,
        references,
        frozenset(city_fields),
        city_names,
        public_contacts,
        code_names,
        code_lists,
    )
