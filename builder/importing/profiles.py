"""Import profiles: how a recurring official attachment maps onto a package's resources. They are kept with
the package (`datapackages/<package>/import/<name>.json`), so next year's notice imports with one command.

In: the package folder, the records of the attachment as read, and --set NAME=VALUE.
Out: for each resource the profile feeds, records with a header of field names and one record per output row
(each carrying the attachment row it came from), ready for the ordinary import; plus the problems of the
attachment itself (`attachment`: title, 序号, two-row header, 合计 checked, 注 lines, values the profile needs).

A profile (JSON):
  title          what the attachment is, for the maintainer
  columns        {name: printed header label}, e.g. {"city": "地市", "it": "工业和信息化牵头数量"}
  row_totals     {name: [names]}: a column that prints the sum of others in each row (checked)
  values         {name: {"description", "example", "title" | "note": regex with (?P<name>…)}}: what the title or a
                 注 line states (the year, the 截至 date); --set name=value gives or overrides it
  outputs        [{"resource", "each_row": [template, …], "total_row": [template, …]}]: a template is
                 {field: text}, where {name} is a column of the row or a value
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from builder.importing import attachment
from builder.importing.findings import ImportProblem, Place, make
from builder.importing.source import Record

FOLDER = "import"


class ProfileError(Exception):
    """No profile, an unreadable one, or none that fits the attachment."""


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    columns: dict[str, str]
    row_totals: dict[str, list[str]]
    values: dict[str, dict]
    outputs: list[dict]


def load(package_dir: Path) -> dict[str, Profile]:
    folder = package_dir / FOLDER
    found = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            spec = json.loads(path.read_text(encoding="utf-8"))
            found[path.stem] = Profile(
                path.stem,
                spec["title"],
                spec["columns"],
                spec.get("row_totals", {}),
                spec.get("values", {}),
                spec["outputs"],
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ProfileError(f"导入配置 {path} 无法读取：{error}") from error
    if not found:
        raise ProfileError(
            f"数据包 {package_dir.name} 没有导入配置（{package_dir / FOLDER}/*.json）；"
            f"请用 --into {package_dir.name}/资源名 导入单个资源"
        )
    return found


def first_resource(profiles: dict[str, Profile]) -> str:
    return next(iter(profiles.values())).outputs[0]["resource"]


def _fits(profile: Profile, records: list[Record]) -> bool:
    wanted = {attachment.label_key(label) for label in profile.columns.values()}
    for index, record in enumerate(records[:15]):
        labels = {attachment.label_key(cell) for cell in record.cells}
        if index + 1 < len(records):  # a header wrapped over two rows
            labels |= set(attachment.combine(record, records[index + 1], wanted).values())
        if wanted <= labels:
            return True
    return False


def choose(profiles: dict[str, Profile], name: str | None, records: list[Record]) -> Profile:
    if name is not None:
        if name not in profiles:
            raise ProfileError(f"没有导入配置 {name!r}；现有：{'、'.join(profiles)}")
        return profiles[name]
    fitting = [p for p in profiles.values() if _fits(p, records)]
    if len(fitting) == 1:
        return fitting[0]
    listed = "；".join(f"{p.name}（{p.title}：{'、'.join(p.columns.values())}）" for p in profiles.values())
    if not fitting:
        raise ProfileError(f"表格的表头与任何导入配置都不相符。现有：{listed}")
    raise ProfileError(f"表格与多个导入配置相符，请用 --profile 指定：{listed}")


def _stated(profile: Profile, found: attachment.Attachment, sets: dict[str, str], place: Place) -> tuple[dict, list]:
    """The values the title or a note states, or --set gives."""
    values, problems = {}, []
    texts = {
        "title": [" ".join(c for c in r.cells if c) for r in found.titles],
        "note": [" ".join(c for c in r.cells if c) for r in found.notes],
    }
    for name, spec in profile.values.items():
        if name in sets:
            values[name] = sets[name]
            continue
        where = "title" if "title" in spec else "note" if "note" in spec else None
        match = (
            next((m for m in (re.search(spec[where], t) for t in texts.get(where, [])) if m), None) if where else None
        )
        if match:
            values[name] = re.sub(r"\s+", "", match.group(name))
        else:
            problems.append(
                make(
                    "profile-missing-value",
                    place,
                    name=name,
                    description=spec.get("description", ""),
                    example=spec.get("example", "…"),
                )
            )
    return values, problems


def _fill(template: dict[str, str], names: dict[str, str]) -> dict[str, str]:
    return {
        field: re.sub(r"\{([^{}]+)\}", lambda m: names.get(m.group(1), ""), text) for field, text in template.items()
    }


def apply(
    profile: Profile, records: list[Record], sets: dict[str, str], place: Place
) -> tuple[dict[str, list[Record]], list[ImportProblem]]:
    unknown = set(sets) - set(profile.values)
    if unknown:
        raise ProfileError(
            f"导入配置 {profile.name} 没有可用 --set 提供的 {'、'.join(sorted(unknown))}；"
            f"可提供：{'、'.join(profile.values) or '（无）'}"
        )
    found, problems = attachment.parse(records, list(profile.columns.values()), place)
    if found is None:
        return {o["resource"]: [] for o in profile.outputs}, problems
    labels = list(profile.columns.values())
    problems += attachment.check_serial(found, place)
    totals = {profile.columns[k]: [profile.columns[p] for p in parts] for k, parts in profile.row_totals.items()}
    problems += attachment.check_totals(found, labels, totals, place)
    values, missing = _stated(profile, found, sets, place)
    problems += missing
    tables = {}
    for output in profile.outputs:
        fields = list(dict.fromkeys(f for t in output.get("each_row", []) + output.get("total_row", []) for f in t))
        header = found.header[-1]
        out = [Record(header.row, header.line, fields)]
        sources = [(r, output.get("each_row", [])) for r in found.rows]
        if found.total is not None:
            sources.append((found.total, output.get("total_row", [])))
        for record, templates in sources:
            names = {**values, **{k: found.cell(record, label) for k, label in profile.columns.items()}}
            out += [Record(record.row, record.line, [_fill(t, names).get(f, "") for f in fields]) for t in templates]
        tables[output["resource"]] = out
    return tables, problems
