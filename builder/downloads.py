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

from builder import jsontext, layout, workbook
from builder.load import DataPackage, Table

EXCEL_SUFFIX = "excel.csv"


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


def xlsx(table: Table, epoch: int) -> bytes:
    """The table as a workbook: field names, then their Chinese titles, then the rows (a list joined by ", ")."""
    columns = []
    for field in table.fields:
        values = table.frame[field["name"]].tolist()
        if any(issubclass(kind, list) for kind in set(map(type, values))):
            values = [", ".join(v) if isinstance(v, list) else v for v in values]
        columns.append([field["name"], field["title"]] + values)
    return normalised_zip(workbook.entries(table.name[:31], columns, epoch), epoch)


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
    for table in package.tables.values():
        data = table.path.read_bytes()
        files[f"{table.name}.csv"] = data
        files[f"{table.name}.{EXCEL_SUFFIX}"] = excel_csv(data)
        files[f"{table.name}.xlsx"] = xlsx(table, epoch)
        files[f"{table.name}.json"] = (records_json(table.frame) + "\n").encode("utf-8")
        for resource in descriptor["resources"]:
            if resource["name"] == table.name:
                resource["bytes"] = len(data)
                resource["hash"] = f"sha256:{sha256(data)}"
    for document in referenced_documents(package):
        files[document] = (package.root / document).read_bytes()
    files["datapackage.json"] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    zipped = ["datapackage.json"] + [f"{t}.csv" for t in package.tables] + referenced_documents(package)
    files[f"{package.name}.zip"] = normalised_zip([(f"{package.name}/{name}", files[name]) for name in zipped], epoch)
    files["SHA256SUMS"] = "".join(f"{sha256(files[name])}  {name}\n" for name in sorted(files)).encode("utf-8")
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
