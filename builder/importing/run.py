"""`python -m builder import FILE --into PACKAGE/RESOURCE`: load, process, save — in that order.

In: the maintainer's file, the target resource, the data folder and the contacts that may be published.
Out: an `ImportReport`. The package's canonical CSV is replaced only when there is no error at all;
otherwise it is left exactly as it was. How the imported rows meet the existing ones is `merge`'s job
(--mode replace|update|append, --delete-missing); --check runs everything and writes nothing.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from builder.importing import merge, table, write
from builder.importing.findings import Place
from builder.importing.findings import make
from builder.importing.header import read_header
from builder.importing.limits import FileRefused, Limits
from builder.importing.report import ImportReport
from builder.importing.rows import read_rows
from builder.importing.source import Source, SourceError, read_source
from builder.importing.target import Target, TargetError, resolve


class ImportUsageError(Exception):
    """The command cannot run: bad --into, missing file, unknown encoding or sheet."""


def _process(source: Source, target: Target, place: Place, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    """Fills the report; returns the rows to write, each with its source row."""
    report.counts.records = len(source.records)
    header, problems = read_header(source, target, place)
    report.problems += problems
    if header is None:
        return []
    report.counts.header_row = header.row(source).row
    report.counts.above_header = header.index
    rows, trailing, problems = read_rows(source, header, target, place)
    report.problems += problems
    report.counts.trailing_blank = trailing
    data = [row for row in rows if not row.whole]
    for check in (table.duplicate_keys, table.foreign_keys, table.schema_errors):
        report.problems += check(data, header, target, place)
    numbers = {row.number for row in rows}
    report.counts.rows_read = len(rows)
    report.counts.rows_with_errors = len({p.row for p in report.errors if p.row in numbers})
    return [(row.number, row.values) for row in data]


def import_file(path: Path, into: str, data_dir: Path, encoding: str | None = None, sheet: str | None = None,
                public_contacts: frozenset[str] = frozenset(), mode: str = "replace", delete_missing: bool = False,
                check: bool = False, limits: Limits = Limits()) -> ImportReport:
    if mode not in merge.MODES:
        raise ImportUsageError(f"--mode 只能是 {'、'.join(merge.MODES)}，收到 {mode!r}")
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as error:
            raise ImportUsageError(f"未知的编码 {encoding!r}") from error
    try:
        target = resolve(data_dir, into, public_contacts)
    except TargetError as error:
        raise ImportUsageError(str(error)) from error
    report = ImportReport(str(path), target.label, str(target.path))
    place = Place(target.package, target.resource, str(path))
    try:
        source, problems = read_source(path, place, encoding, sheet, (target.resource, target.descriptor.get("title", "")),
                                       limits)
    except SourceError as error:
        raise ImportUsageError(str(error)) from error
    except FileRefused as refused:
        source, problems = None, [make(refused.rule, place, **refused.details)]
    report.problems += problems
    rows = []
    if source is not None:
        report.encoding = source.encoding
        rows = _process(source, target, place.at(path=source.label), report)
    report.mode, report.check = mode, check
    if report.valid and source is not None:
        _merge_and_write(target, rows, mode, delete_missing, check, place.at(path=source.label), report)
    report.counts.rows_refused = report.counts.rows_read - report.counts.rows_written
    return report


def _merge_and_write(target: Target, rows: list[tuple[int, dict[str, str]]], mode: str, delete_missing: bool,
                     check: bool, place: Place, report: ImportReport) -> None:
    names = [spec.name for spec in target.fields]
    merged = merge.merge(merge.read_existing(target.path, names), rows, names, target.primary_key, mode,
                         delete_missing, place)
    report.merge = merged
    report.problems += merged.problems
    if merged.problems:
        refused = {p.row for p in merged.problems if p.row is not None}
        report.counts.rows_with_errors = len(refused)
        return
    report.counts.rows_written = report.counts.rows_read
    if check:
        return
    report.changed = write.replace_atomically(target.path, write.canonical_bytes(names, merged.rows))
    report.written = True
