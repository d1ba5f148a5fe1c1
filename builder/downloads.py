"""Export stage, downloads: every resource in every format a researcher may want, per release.

In: the loaded catalog and the build's date. Out: under build/docs/downloads/<package>/ (the latest
release) and build/docs/downloads/<package>/<version>/ (that release kept at a stable address):
  <resource>.csv        the validated file itself, byte for byte (UTF-8, as committed)
  <resource>.excel.csv  the same with a UTF-8 BOM and CRLF, which Excel on Chinese Windows opens correctly
  <resource>.xlsx       a workbook with the Chinese titles as a second header row
  <resource>.json       an array of records with typed values
  datapackage.json      the descriptor, each resource with the bytes and sha256 of its published CSV
  <package>.zip         datapackage.json + CSVs + referenced documents
  SHA256SUMS            checksums of everything above
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
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from builder import jsontext, layout, workbook
from builder.derive import SAMPLE_LABEL, sample_note
from builder.load import DataPackage, Table

EXCEL_SUFFIX = "excel.csv"
README = "README.txt"
NOTE_SHEET = "说明"
# The per-row mark of a sample package's files, declared in the published descriptor like any field.
STATUS = "data_status"
SAMPLE_FIELD = {
    "name": STATUS, "type": "string", "title": "数据性质",
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


def json_value(value):
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
        columns.append(jsontext.scalars(values) if jsontext.all_scalars(values)
                       else [jsontext.text(value, 1, 2) for value in values])
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
        return b"\xef\xbb\xbf" + source.replace(b"\n", b"\r\n") + (b"\r\n" if source and not source.endswith(b"\n") else b"")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _zip_time(epoch: int) -> tuple:
    moment = datetime.fromtimestamp(max(epoch, 315532800), tz=timezone.utc)  # zip cannot go before 1980
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


def xlsx(table: Table, epoch: int, note: list[list[str]] | None = None) -> bytes:
    """The table as a workbook: field names, then their Chinese titles, then the rows (a list joined by ", ").

    With note rows (a sample package), `data_status` comes first and a sheet 说明 holds the note."""
    columns = []
    if note is not None:
        columns.append([STATUS, SAMPLE_FIELD["title"]] + [SAMPLE_LABEL] * len(table.frame))
    for field in table.fields:
        values = table.frame[field["name"]].tolist()
        if any(issubclass(kind, list) for kind in set(map(type, values))):
            values = [", ".join(v) if isinstance(v, list) else v for v in values]
        columns.append([field["name"], field["title"]] + values)
    parts = workbook.entries(table.name[:31], columns, epoch)
    if note is not None:
        parts = with_note_sheet(parts, table.name[:31], note)
    return normalised_zip(parts, epoch)


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


def note_rows(descriptor: dict, note: str) -> list[list[str]]:
    """The 说明 sheet of a sample package's workbooks."""
    return [["项目", "内容"], [SAMPLE_FIELD["title"], SAMPLE_LABEL], ["说明", note], ["数据包", _package_line(descriptor)]] \
        + [[f"标记：{label}", how] for label, how in SAMPLE_MARKS]


def referenced_documents(package: DataPackage) -> list[str]:
    found = set()
    for table in package.tables.values():
        if "body" in table.frame.columns:
            found |= {b for b in table.frame["body"] if isinstance(b, str) and b}
    return sorted(found)


def release_files(package: DataPackage, epoch: int) -> dict[str, bytes]:
    """Every file of one release of a package, by name relative to its download folder."""
    files: dict[str, bytes] = {}
    descriptor = json.loads(package.descriptor_path.read_text(encoding="utf-8"))
    note = sample_note(package)
    if note is not None:
        marked_descriptor(descriptor)
        files[README] = readme(descriptor, note)
    for table in package.tables.values():
        data = table.path.read_bytes() if note is None else with_status_column(table.path.read_bytes())
        files[f"{table.name}.csv"] = data
        files[f"{table.name}.{EXCEL_SUFFIX}"] = excel_csv(data)
        files[f"{table.name}.xlsx"] = xlsx(table, epoch, None if note is None else note_rows(descriptor, note))
        frame = table.frame if note is None else marked_frame(table.frame)
        files[f"{table.name}.json"] = (records_json(frame) + "\n").encode("utf-8")
        for resource in descriptor["resources"]:
            if resource["name"] == table.name:
                resource["bytes"] = len(data)
                resource["hash"] = f"sha256:{sha256(data)}"
    for document in referenced_documents(package):
        files[document] = (package.root / document).read_bytes()
    files["datapackage.json"] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    zipped = ([README] if note is not None else []) + ["datapackage.json"] + [f"{t}.csv" for t in package.tables] \
        + referenced_documents(package)
    files[f"{package.name}.zip"] = normalised_zip([(f"{package.name}/{name}", files[name]) for name in zipped], epoch)
    files["SHA256SUMS"] = "".join(f"{sha256(files[name])}  {name}\n" for name in sorted(files)).encode("utf-8")
    return files


def earlier_release_files(release) -> dict[str, bytes]:
    """The files of an earlier release (load.Release) as kept; those of a sample release carry the mark
    (data_status in its CSVs and descriptor, README.txt), as its current release does."""
    files = {source.relative_to(release.root).as_posix(): source.read_bytes() for source in release.files()}
    note = sample_note(release)
    if note is None:
        return files
    descriptor = marked_descriptor(json.loads(files["datapackage.json"].decode("utf-8")))
    for resource in descriptor["resources"]:
        path = resource.get("path")
        if isinstance(path, str) and path.endswith(".csv") and path in files:
            files[path] = with_status_column(files[path])
            if "bytes" in resource or "hash" in resource:
                resource["bytes"], resource["hash"] = len(files[path]), f"sha256:{sha256(files[path])}"
    files["datapackage.json"] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files[README] = readme(descriptor, note)
    return files


def export_package(package: DataPackage, docs_root: Path, epoch: int) -> list[Path]:
    files = release_files(package, epoch)
    version = package.descriptor.get("version", "0")
    written = []
    for folder in (layout.download_folder(package.name), layout.download_folder(package.name, version)):
        for name, data in files.items():
            target = docs_root / folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
    return written
