"""Export stage, downloads: every resource in every format a researcher may want, per release.

In: the loaded catalog and the build's date. Out: under build/docs/downloads/<package>/ (the latest
release) and build/docs/downloads/<package>/<version>/ (that release kept at a stable address), of:
  <resource>.csv        the validated file itself, byte for byte (UTF-8, as committed)
  <resource>.excel.csv  the same with a UTF-8 BOM and CRLF, which Excel on Chinese Windows opens correctly,
                        and the name beside each code (city_name after city_code …: code_labels)
  <resource>.xlsx       one header row (the field names, as in the CSV), typed cells, lists joined by the
                        schema's delimiter; a sheet 说明 with the dataset's facts and data dictionary
  <resource>.json       an array of records with typed values
  <resource>.parquet    typed columns from the Table Schema (lists as lists)
  datapackage.json      the descriptor, each resource with the bytes and sha256 of its published CSV, each
                        Parquet file listed as a file resource with its bytes and sha256
  <package>.zip         a data package itself: datapackage.json at the top, CSVs, Parquet, documents
  SHA256SUMS            checksums of the folder's files
No file is stored twice (split_release): the latest folder holds every format but the zip; the version
folder, the release's stable address, holds the zip, datapackage.json (and README.txt); an earlier release
keeps only that (earlier_release_files), so the site grows by one zip per release, not by every format.
Zip and XLSX entries carry the build date, so the same data give the same bytes.

A package marked x-sample is marked in every file, so that a file passed on without the site still says
what it holds (SAMPLE_MARKS lists how; the dataset page repeats it): each row of the CSV, Excel CSV, XLSX
and JSON starts with the field `data_status` (数据性质) = 示例数据, declared in the published descriptor
(which keeps x-sample), the XLSX has a sheet 说明 with the note, and a README.txt with the note sits
beside the files and in the zip. A package of real data is published exactly as validated.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook

from builder import layout
from builder.data.load import DataPackage, Packages, Release, Table, load_package
from builder.data.sample_mark import SAMPLE_LABEL, sample_note
from builder.derive import code_names
from builder.formats import jsontext, workbook

EXCEL_SUFFIX = "excel.csv"
README = "README.txt"
NOTE_SHEET = "说明"
# The per-row mark of a sample package's files, declared in the published descriptor like any field.
STATUS = "data_status"
SAMPLE_FIELD: dict[str, Any] = {  # a Table Schema field descriptor, as JSON holds it
    "name": STATUS,
    "type": "string",
    "title": "数据性质",
    "description": f"本行数据的性质。“{SAMPLE_LABEL}”表示本行不是官方信息，见数据包描述文件的 x-sample 说明。"
    "此字段由网站发布时添加，不在维护的数据文件中。",
    "constraints": {"required": True, "enum": [SAMPLE_LABEL]},
}
# How each published format of a sample package carries the mark (README.txt and the dataset page say so).
_TITLED = f"{STATUS}（{SAMPLE_FIELD['title']}）"
SAMPLE_MARKS = [
    ("CSV、Excel 用 CSV", f"每行第一列 {_TITLED} 的值为“{SAMPLE_LABEL}”"),
    ("JSON", f"每条记录的第一个字段 {STATUS} 的值为“{SAMPLE_LABEL}”"),
    ("XLSX", f"数据表第一列 {_TITLED} 为“{SAMPLE_LABEL}”，另有“{NOTE_SHEET}”工作表载明示例数据说明"),
    ("datapackage.json", f"保留 x-sample 属性（含说明），各资源的 schema 声明字段 {STATUS}"),
    ("ZIP 压缩包", f"内含 {README}，载明示例数据说明"),
]


def json_value(value: Any) -> Any:  # a cell of any type, as JSON holds it
    """A cell as JSON wants it: None for missing, ISO text for dates."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, date):
        return value.isoformat()
    return value


def _json_column(values: list) -> list:
    """json_value of each value, without a call per value where the column's types allow."""
    kinds = set(map(type, values))
    if kinds <= {str, int, bool, type(None)}:
        return values
    if kinds <= {str, int, bool, float, type(None)}:
        return [v if v == v else None for v in values]  # only NaN differs from itself
    return [json_value(v) for v in values]


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows as dicts of JSON values (see json_value)."""
    columns = [_json_column(frame[name].tolist()) for name in frame.columns]
    return [dict(zip(frame.columns, row)) for row in zip(*columns)] if columns else [{} for _ in range(len(frame))]


def records_json(frame: pd.DataFrame) -> str:
    """`json.dumps(records(frame), ensure_ascii=False, indent=1)`, written column by column."""
    if frame.empty:
        return jsontext.text(records(frame), 1)
    columns = []
    for name in frame.columns:
        values = _json_column(frame[name].tolist())
        columns.append(
            jsontext.scalars(values)
            if jsontext.all_scalars(values)
            else [jsontext.text(value, 1, 2) for value in values]
        )
    # One row: each field on a line of its own, as json.dumps indents a dict inside a list.
    row = "{" + ",".join("\n  " + jsontext.key(name).replace("%", "%%") + ": %s" for name in frame.columns) + "\n }"
    return "[\n " + ",\n ".join([row % values for values in zip(*columns)]) + "\n]"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def excel_csv(source: bytes) -> bytes:
    """UTF-8 with BOM and CRLF: the CSV Excel opens without mojibake. Cells are unchanged."""
    text = source.decode("utf-8")
    if '"' not in text and "\r" not in text and "\x00" not in text:
        # No quoted cell: reading and writing again only ends each line with CRLF (the last one too).
        return (
            b"\xef\xbb\xbf"
            + source.replace(b"\n", b"\r\n")
            + (b"\r\n" if source and not source.endswith(b"\n") else b"")
        )
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


Labels = dict[str, dict[str, str]]  # field → code → its name, for one table


def code_labels(catalog: Packages) -> dict[tuple[str, str], Labels]:
    """For every table, the names of the codes its fields hold: a field's own x-labels, or the label field
    (x-labelField) of the code table in `reference` its (x-)foreign key points to (city name beside city code,
    department beside its code)."""
    found: dict[tuple[str, str], Labels] = {}
    for package in catalog.values():
        for table in package.tables.values():
            labels = {f["name"]: dict(f["x-labels"]) for f in table.fields if f.get("x-labels")}
            labels.update(code_names.field_names(catalog, table))
            if labels:
                found[(package.name, table.name)] = labels
    return found


def name_column(field: str, taken: set[str]) -> str:
    """The column beside a code: city_code → city_name, sector_codes → sector_names, status → status_name."""
    name = (
        field[:-5] + "_name"
        if field.endswith("_code")
        else field[:-6] + "_names"
        if field.endswith("_codes")
        else field + "_name"
    )
    return name if name not in taken else name + "_label"


def with_names(source: bytes, table: Table, labels: Labels) -> bytes:
    """The CSV with, right after each coded field, a column holding the name of each code (a list's names
    joined by its delimiter; a code without a name left empty). Every other cell is unchanged."""
    rows = list(csv.reader(io.StringIO(source.decode("utf-8"), newline="")))
    if not rows:
        return source
    header, taken = rows[0], set(rows[0])
    delimiters = {f["name"]: f.get("delimiter", ",") for f in table.fields if f["type"] == "list"}
    for field in [f for f in reversed(header) if f in labels]:
        at = header.index(field)
        names = labels[field]
        column = name_column(field, taken)
        taken.add(column)
        for number, row in enumerate(rows):
            if number == 0:
                row.insert(at + 1, column)
            elif at < len(row):
                cell = row[at]
                parts = cell.split(delimiters[field]) if field in delimiters and cell else [cell]
                row.insert(at + 1, delimiters.get(field, "").join(str(names.get(p, "")) for p in parts) if cell else "")
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _zip_time(epoch: int) -> tuple:
    moment = datetime.fromtimestamp(max(epoch, 315532800), tz=UTC)  # zip cannot go before 1980
    return moment.timetuple()[:6]


def normalised_zip(entries: list[tuple[str, bytes]], epoch: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_zip_time(epoch))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def xlsx(table: Table, epoch: int, note: list[list[str]] | None = None, sample: bool = False) -> bytes:
    """The table as a workbook: one header row (the field names, as in the CSV), then the rows with their
    types kept (numbers, dates, booleans), a list joined by its field's delimiter as the schema says.

    A sample package's table has `data_status` first. The note rows (about_rows) become a sheet 说明."""
    columns = []
    if sample:
        columns.append([STATUS] + [SAMPLE_LABEL] * len(table.frame))
    for field in table.fields:
        values = table.frame[field["name"]].tolist()
        if field.get("type") == "list" or any(issubclass(kind, list) for kind in set(map(type, values))):
            delimiter = field.get("delimiter", ",")
            values = [delimiter.join(v) if isinstance(v, list) else v for v in values]
        columns.append([field["name"]] + values)
    parts = workbook.entries(table.name[:31], columns, epoch)
    if note is not None:
        parts = with_note_sheet(parts, table.name[:31], note)
    return normalised_zip(parts, epoch)


# Table Schema type → Arrow type; a type not listed (year, time, any …) is kept as text.
_ARROW = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "list": pa.list_(pa.string()),
}
PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet"


def _arrow_values(values: list, kind: pa.DataType) -> list:
    if kind == pa.string():
        return [
            None
            if v is None or (isinstance(v, float) and pd.isna(v))
            else (v.isoformat() if isinstance(v, date) else str(v))
            for v in values
        ]
    return [None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in values]


def parquet(table: Table, sample: bool = False) -> bytes:
    """The table as Parquet: one column per field, typed from the Table Schema (a list field a list of
    strings), each field's Chinese title and description kept as column metadata; a sample package's
    table has `data_status` first. No timestamps are written, so the same rows give the same bytes."""
    fields, arrays = [], []
    described = ([SAMPLE_FIELD] if sample else []) + table.fields
    for field in described:
        kind = _ARROW.get(field["type"], pa.string())
        values = [SAMPLE_LABEL] * len(table.frame) if field is SAMPLE_FIELD else table.frame[field["name"]].tolist()
        arrays.append(pa.array(_arrow_values(values, kind), type=kind))
        meta = {k: field[k] for k in ("title", "description", "unit") if field.get(k)}
        fields.append(pa.field(field["name"], kind, metadata={k: v.encode("utf-8") for k, v in meta.items()}))
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), buffer, compression="zstd")
    return buffer.getvalue()


def parquet_resource(resource: dict, data: bytes) -> dict:
    """The descriptor's entry for a table's Parquet file: a file resource (frictionless checks its bytes and
    hash) that says which table it holds."""
    return {
        "name": f"{resource['name']}_parquet",
        "type": "file",
        "path": f"{resource['name']}.parquet",
        "title": f"{resource.get('title', resource['name'])}（Parquet）",
        "format": "parquet",
        "mediatype": PARQUET_MEDIA_TYPE,
        "description": f"与资源 {resource['name']} 相同的数据（Apache Parquet 格式，列类型取自其 schema，列表字段为列表）。",
        "bytes": len(data),
        "hash": f"sha256:{sha256(data)}",
    }


def with_status_column(source: bytes) -> bytes:
    """The CSV with a first column `data_status`: its name in the header, 示例数据 on every record.

    Every byte of the source stays as it is; a record's start is a line start outside a quoted cell (a
    quoted cell may hold line breaks)."""
    lines = source.decode("utf-8").split("\n")
    out, quoted = [], False
    for number, line in enumerate(lines):
        last = number == len(lines) - 1
        if not quoted and not (last and line == ""):
            line = (STATUS if number == 0 else SAMPLE_LABEL) + "," + line
        out.append(line)
        quoted ^= line.count('"') % 2 == 1
    return "\n".join(out).encode("utf-8")


def marked_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with `data_status` = 示例数据 first (for the JSON download)."""
    marked = frame.copy()
    marked.insert(0, STATUS, SAMPLE_LABEL)
    return marked


def marked_descriptor(descriptor: dict) -> dict:
    """The descriptor with `data_status` declared first in every resource's schema (x-sample stays)."""
    for resource in descriptor["resources"]:
        fields = resource.get("schema", {}).get("fields")
        if fields is not None and not any(f.get("name") == STATUS for f in fields):
            fields.insert(0, dict(SAMPLE_FIELD))
    return descriptor


def readme(descriptor: dict, note: str) -> bytes:
    """README.txt of a sample package: what it is, its sample note, and how each format is marked."""
    lines = [_package_line(descriptor), "", f"{SAMPLE_LABEL}：{note}", "", "各格式中的示例数据标记："]
    lines += [f"- {label}：{how}" for label, how in SAMPLE_MARKS]
    return ("\n".join(lines) + "\n").encode("utf-8")


# The parts of a workbook that list its sheets: taken from a two-sheet skeleton, the rest from workbook.entries.
_SHEET_LISTS = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}


def with_note_sheet(parts: list[tuple[str, bytes]], title: str, rows: list[list[str]]) -> list[tuple[str, bytes]]:
    """The workbook (parts as workbook.entries gives them) with a second sheet, 说明, holding these rows.

    openpyxl writes a two-sheet skeleton (the first sheet empty), small and quick; the table's own sheet,
    styles and dated properties stay those workbook.entries wrote, so a large table is never written
    through openpyxl."""
    book = Workbook()
    book.active.title = title
    note = book.create_sheet(NOTE_SHEET)
    for row in rows:
        note.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    own = dict(parts)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as skeleton:
        names = [info.filename for info in skeleton.infolist()]
        return [(name, skeleton.read(name) if name in _SHEET_LISTS or name not in own else own[name]) for name in names]


def _package_line(descriptor: dict) -> str:
    return f"{descriptor.get('title', '')}（{descriptor.get('name', '')} {descriptor.get('version', '')}）"


def allowed_values(field: dict) -> list[str]:
    """A field's allowed values, each with its label where the schema gives one: 01（工业和信息化部门）."""
    labels = field.get("x-labels", {})
    allowed = field.get("constraints", {}).get("enum") or field.get("x-itemEnum") or []
    return [f"{v}（{labels[v]}）" if v in labels else str(v) for v in allowed]


def _licence_text(descriptor: dict, default_license: dict | None) -> str:
    licences = descriptor.get("licenses") or ([default_license] if default_license else [])
    return "；".join(" ".join(filter(None, [lic.get("name"), lic.get("path")])) for lic in licences)


def _source_text(descriptor: dict) -> str:
    return "；".join(" ".join(filter(None, [s.get("title"), s.get("path")])) for s in descriptor.get("sources", []))


DICTIONARY_HEADER = ["字段", "中文名", "类型", "单位", "说明", "允许值"]


def about_rows(
    descriptor: dict, resource: dict, note: str | None, default_license: dict | None = None
) -> list[list[str]]:
    """The sheet 说明 of a table's workbook: what the dataset is (title, source, licence, version, release
    date, the sample mark where it applies), then the data dictionary of the sheet's columns."""
    rows: list[list[str]] = [
        ["项目", "内容"],
        ["数据集", descriptor.get("title", descriptor.get("name", ""))],
        ["数据表", f"{resource.get('title', resource['name'])}（{resource['name']}）"],
        ["来源", _source_text(descriptor)],
        ["许可", _licence_text(descriptor, default_license)],
        ["版本", descriptor.get("version", "")],
        ["发布日期", descriptor.get("x-releaseDate", "")],
    ]
    if note is not None:
        rows += [[SAMPLE_FIELD["title"], SAMPLE_LABEL], ["说明", note], ["数据包", _package_line(descriptor)]] + [
            [f"标记：{label}", how] for label, how in SAMPLE_MARKS
        ]
    rows += [[""], ["数据字典"], DICTIONARY_HEADER]
    for field in resource.get("schema", {}).get("fields", []):
        kind = field["type"] + (f"（以“{field.get('delimiter', ',')}”分隔）" if field["type"] == "list" else "")
        rows.append(
            [
                field["name"],
                field.get("title", ""),
                kind,
                field.get("unit", ""),
                field.get("description", ""),
                "；".join(allowed_values(field)),
            ]
        )
    return rows


def referenced_documents(package: DataPackage) -> list[str]:
    found = set()
    for table in package.tables.values():
        if "body" in table.frame.columns:
            found |= {b for b in table.frame["body"] if isinstance(b, str) and b}
    return sorted(found)


def release_epoch(descriptor: dict, fallback: int) -> int:
    """The date a release's zip and XLSX entries carry: its release date (x-releaseDate), so that a version's
    files keep their bytes in every later build; the build date when it has none."""
    try:
        day = date.fromisoformat(str(descriptor.get("x-releaseDate", "")))
    except ValueError:
        return fallback
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def release_files(
    package: DataPackage,
    epoch: int,
    default_license: dict | None = None,
    archive_only: bool = False,
    names: dict[tuple[str, str], Labels] | None = None,
) -> dict[str, bytes]:
    """Every file of one release of a package, by name relative to its download folder (archive_only: what the
    zip holds, and the zip — all an earlier release keeps)."""
    files: dict[str, bytes] = {}
    descriptor = json.loads(package.descriptor_path.read_text(encoding="utf-8"))
    epoch = release_epoch(descriptor, epoch)
    note = sample_note(package)
    if note is not None:
        marked_descriptor(descriptor)
        files[README] = readme(descriptor, note)
    parquets = []
    for table in package.tables.values():
        data = table.path.read_bytes() if note is None else with_status_column(table.path.read_bytes())
        files[f"{table.name}.csv"] = data
        resource = next(r for r in descriptor["resources"] if r["name"] == table.name)
        if not archive_only:
            labels = (names or {}).get((package.name, table.name))
            # The file people open in Excel: the name beside each code.
            files[f"{table.name}.{EXCEL_SUFFIX}"] = excel_csv(with_names(data, table, labels) if labels else data)
            files[f"{table.name}.xlsx"] = xlsx(
                table, epoch, about_rows(descriptor, resource, note, default_license), sample=note is not None
            )
            frame = table.frame if note is None else marked_frame(table.frame)
            files[f"{table.name}.json"] = (records_json(frame) + "\n").encode("utf-8")
        files[f"{table.name}.parquet"] = parquet(table, sample=note is not None)
        resource["bytes"] = len(data)
        resource["hash"] = f"sha256:{sha256(data)}"
        parquets.append(parquet_resource(resource, files[f"{table.name}.parquet"]))
    descriptor["resources"] += parquets
    for document in referenced_documents(package):
        files[document] = (package.root / document).read_bytes()
    files["datapackage.json"] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    zipped = (
        ([README] if note is not None else [])
        + ["datapackage.json"]
        + [f"{t}.csv" for t in package.tables]
        + [f"{t}.parquet" for t in package.tables]
        + referenced_documents(package)
    )
    # datapackage.json at the top of the archive: Package("x.zip") and `frictionless validate x.zip` read it.
    files[f"{package.name}.zip"] = normalised_zip([(name, files[name]) for name in zipped], epoch)
    return files


def sums(files: dict[str, bytes]) -> bytes:
    return "".join(f"{sha256(files[name])}  {name}\n" for name in sorted(files)).encode("utf-8")


def split_release(files: dict[str, bytes], package: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """A release's files as the site keeps them, none stored twice: the latest folder holds every format but
    the zip; the version folder (its stable address) the zip, the descriptor and, for a sample, README.txt.
    Each folder has its own SHA256SUMS."""
    archive = f"{package}.zip"
    kept = {name: data for name, data in files.items() if name in (archive, "datapackage.json", README)}
    latest = {name: data for name, data in files.items() if name != archive}
    return {**latest, "SHA256SUMS": sums(latest)}, {**kept, "SHA256SUMS": sums(kept)}


def earlier_release_files(release: Release, epoch: int, default_license: dict | None = None) -> dict[str, bytes]:
    """An earlier release (load.Release) as its version folder keeps it: the zip, datapackage.json (README.txt
    for a sample) and SHA256SUMS, byte for byte what its version folder held while it was the current release
    (the same files, dated with its release date), so a version's address never changes what it serves."""
    files = release_files(load_package(release.root), epoch, default_license, archive_only=True)
    _, kept = split_release(files, release.package)
    return kept


def write_files(files: dict[str, bytes], folder: Path) -> list[Path]:
    written = []
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written


def export_package(
    package: DataPackage,
    docs_root: Path,
    epoch: int,
    default_license: dict | None = None,
    names: dict[tuple[str, str], Labels] | None = None,
) -> list[Path]:
    latest, kept = split_release(release_files(package, epoch, default_license, names=names), package.name)
    version = package.descriptor.get("version", "0")
    return write_files(latest, docs_root / layout.download_folder(package.name)) + write_files(
        kept, docs_root / layout.download_folder(package.name, version)
    )
