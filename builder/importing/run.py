"""`python -m builder import FILE… --into PACKAGE[/RESOURCE]`: load, process, save — in that order.

In: the maintainer's files, the target (a resource, or a package whose import profile maps an official
attachment onto several resources), the data folder, the mode and the contacts that may be published.
Out: `ImportReport`s, one per file and resource. Package files are replaced only when no report has an error:
several files, or one attachment feeding several resources, are written all or nothing. How the imported rows
meet the existing ones is `merge`'s job (--mode replace|update|append, --delete-missing); --check runs
everything and writes nothing.
"""

from __future__ import annotations

import codecs
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from builder.importing import attachment, merge, profiles, table, write
from builder.importing.findings import ImportProblem, Place, make
from builder.importing.header import SCAN, read_header
from builder.importing.limits import DEFAULT_LIMITS, FileRefused, Limits
from builder.importing.report import ImportReport
from builder.importing.rows import read_rows
from builder.importing.source import Record, Source, SourceError, read_source
from builder.importing.target import Target, TargetError, resolve


class ImportUsageError(Exception):
    """The command cannot run: bad --into, missing file, unknown encoding, sheet, table or profile."""


@dataclass
class Options:
    encoding: str | None = None
    sheet: str | None = None
    table: int | None = None
    public_contacts: frozenset[str] = frozenset()
    mode: str | None = None  # None: replace for a resource, append for an attachment through a profile
    delete_missing: bool = False
    check: bool = False
    limits: Limits = field(default_factory=Limits)
    sets: dict[str, str] = field(default_factory=dict)  # --set FIELD=VALUE
    profile: str | None = None

    @property
    def chosen_mode(self) -> str:
        """The mode once `import_files` has chosen it (every step after that reads this)."""
        assert self.mode is not None, "import_files chooses the mode before any file is read"
        return self.mode


@dataclass
class Pending:
    target: Target
    report: ImportReport
    place: Place
    incoming: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # accepted rows, with source row
    rows: list[dict[str, str]] | None = None  # the whole file to write, when acceptable


def _process(
    source: Source, target: Target, place: Place, report: ImportReport, sets: dict[str, str]
) -> list[tuple[int, dict[str, str]]]:
    """Fills the report; returns the rows to write, each with its source row."""
    report.counts.records = len(source.records)
    header, problems = read_header(source, target, place, sets)
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


def _merge_groups(pendings: list[Pending], options: Options) -> None:
    """Files into the same resource (e.g. 21 cities' lists) are merged as one: their rows together meet the
    existing ones once, so that replace keeps every city's rows and a key in two files is found."""
    groups: dict[Path, list[Pending]] = {}
    for pending in pendings:
        groups.setdefault(pending.target.path, []).append(pending)
    for group in groups.values():
        if not all(p.report.valid for p in group):
            continue
        first = group[0]
        _merge(first, [row for p in group for row in p.incoming], options, first.place)
        for other in group[1:]:
            other.report.merged_into = first.report.source
            other.report.counts.rows_written = other.report.counts.rows_read if first.rows is not None else 0


def _merge(pending: Pending, rows: list[tuple[int, dict[str, str]]], options: Options, place: Place) -> None:
    target, report = pending.target, pending.report
    names = [spec.name for spec in target.fields]
    merged = merge.merge(
        merge.read_existing(target.path, names),
        rows,
        names,
        target.primary_key,
        options.chosen_mode,
        options.delete_missing,
        place,
    )
    report.merge = merged
    report.problems += merged.problems
    if merged.problems:
        report.counts.rows_with_errors = len({p.row for p in merged.problems if p.row is not None})
        return
    report.counts.rows_written = report.counts.rows_read
    pending.rows = merged.rows


def _commit(pendings: list[Pending], check: bool) -> None:
    """Writes every target, or none: a single error anywhere leaves every package file as it was."""
    ready = all(p.report.valid for p in pendings)
    for pending in pendings:
        report = pending.report
        if not ready and not check:
            report.counts.rows_written = 0
            report.held = report.valid  # acceptable itself, held back by another file's errors
        report.counts.rows_refused = report.counts.rows_read - report.counts.rows_written
    if check or not ready:
        return
    for pending in pendings:
        if pending.rows is not None:
            names = [spec.name for spec in pending.target.fields]
            pending.report.changed = write.replace_atomically(
                pending.target.path, write.canonical_bytes(names, pending.rows)
            )
        pending.report.written = True


def _target(data_dir: Path, into: str, public_contacts: frozenset[str]) -> Target:
    try:
        return resolve(data_dir, into, public_contacts)
    except TargetError as error:
        raise ImportUsageError(str(error)) from error


def _read(
    path: Path, target_hint: tuple[str, ...], place: Place, options: Options
) -> tuple[Source | None, list[ImportProblem]]:
    try:
        return read_source(path, place, options.encoding, options.sheet, target_hint, options.limits, options.table)
    except SourceError as error:
        raise ImportUsageError(str(error)) from error
    except FileRefused as refused:
        return None, [make(refused.rule, place, **refused.details)]


def _plain(path: Path, into: str, data_dir: Path, options: Options) -> list[Pending]:
    target = _target(data_dir, into, options.public_contacts)
    unknown = set(options.sets) - {spec.name for spec in target.fields}
    if unknown:
        raise ImportUsageError(
            f"--set 的字段 {'、'.join(sorted(unknown))} 不在 {target.label} 中；"
            f"字段有：{'、'.join(spec.name for spec in target.fields)}"
        )
    report = ImportReport(str(path), target.label, str(target.path), mode=options.chosen_mode, check=options.check)
    place = Place(target.package, target.resource, str(path))
    source, problems = _read(path, (target.resource, target.descriptor.get("title", "")), place, options)
    report.problems += problems
    pending = Pending(target, report, place)
    if source is not None:
        report.encoding = source.encoding
        pending.place = place.at(path=source.label)
        records = len(source.records)
        source, printed = printed_table(source, target, pending.place)
        report.problems += printed
        pending.incoming = _process(source, target, pending.place, report, options.sets)
        report.counts.records = records  # the file's, title and 注 lines included
    return [pending]


def printed_table(source: Source, target: Target, place: Place) -> tuple[Source, list]:
    """A table laid out as an official attachment prints it — a 序号 column marks it — becomes a plain table:
    title and 注 lines, the 序号 column and the 合计 row are recognised, checked and reported, then left out.
    Any other file is returned as it is (its title rows, footers and merged cells stay errors)."""
    keys = {attachment.label_key(label): name for label, name in target.labels.items()}
    start = next(
        (
            i
            for i, r in enumerate(source.records[:SCAN])
            if attachment.SERIAL in {attachment.label_key(c) for c in r.cells}
        ),
        None,
    )
    if start is None:
        return source, []
    found, problems = attachment.parse(source.records, [attachment.SERIAL, *keys], place)
    if found is None or found.column(attachment.SERIAL) is None:
        return source, problems
    serial = found.column(attachment.SERIAL)
    problems += attachment.check_serial(found, place)
    numbers = [
        label for c, label in found.labels.items() if label in keys and target.spec(keys[label]).kind == "number"
    ]
    if found.total is not None:
        problems += attachment.check_totals(found, numbers, {}, place)

    header = found.header[-1]
    labels = [keys.get(found.labels.get(c, ""), found.labels.get(c, "")) for c in range(len(header.cells))]
    records = [Record(header.row, header.line, labels)] + found.rows
    data_rows = {r.row for r in found.rows}
    merged = [m for m in source.merged if m.first_row in data_rows]  # merged titles, headers and 合计 are the layout
    return Source(
        source.label, records, source.encoding, merged, source.formulas, source.excel_errors, serial_column=serial
    ), problems


def _with_profile(path: Path, package: str, data_dir: Path, options: Options) -> list[Pending]:
    """An official attachment through the package's import profile: one report per resource it feeds."""
    try:
        available = profiles.load(data_dir / package)
    except profiles.ProfileError as error:
        raise ImportUsageError(str(error)) from error
    place = Place(package, None, str(path))
    source, problems = _read(path, (), place, options)
    if source is None:
        report = ImportReport(
            str(path), package, str(data_dir / package), mode=options.chosen_mode, check=options.check
        )
        report.problems += problems
        return [
            Pending(
                _target(data_dir, f"{package}/{profiles.first_resource(available)}", options.public_contacts),
                report,
                place,
            )
        ]
    try:
        profile = profiles.choose(available, options.profile, source.records)
    except profiles.ProfileError as error:
        raise ImportUsageError(f"{path}：{error}") from error
    where = place.at(path=source.label)
    tables, found = profiles.apply(profile, source.records, options.sets, where)
    pendings = []
    for number, (resource, records) in enumerate(tables.items()):
        target = _target(data_dir, f"{package}/{resource}", options.public_contacts)
        report = ImportReport(
            f"{source.label}（导入配置 {profile.name}）",
            target.label,
            str(target.path),
            encoding=source.encoding,
            mode=options.chosen_mode,
            check=options.check,
        )
        if number == 0:  # what the attachment itself showed is reported once, with the first resource
            report.problems += problems + found
        elif any(p.is_error for p in found):
            report.problems.append(make("attachment-refused", where.at(package=package, resource=resource)))
        pending = Pending(target, report, where.at(resource=resource))
        pendings.append(pending)
        if any(p.is_error for p in found):  # the attachment itself is wrong: its rows are not judged one by one
            report.counts.rows_read = max(len(records) - 1, 0)
            continue
        pending.incoming = _process(Source(source.label, records, source.encoding), target, pending.place, report, {})
        report.problems = list(dict.fromkeys(report.problems))  # a printed row feeds two rows: say each change once
    return pendings


def _check_options(options: Options) -> None:
    if options.mode not in merge.MODES:
        raise ImportUsageError(f"--mode 只能是 {'、'.join(merge.MODES)}，收到 {options.mode!r}")
    if options.encoding:
        try:
            codecs.lookup(options.encoding)
        except LookupError as error:
            raise ImportUsageError(f"未知的编码 {options.encoding!r}") from error


def import_files(paths: list[Path], into: str, data_dir: Path, options: Options) -> list[ImportReport]:
    """Every file into `into` (a resource, or a package with import profiles); written all or nothing.
    Without --mode, a resource is replaced (never losing rows) and an attachment is appended (a new year's
    tables add to the earlier years', and re-importing one already in holds no surprise)."""
    if options.mode is None:
        options = dataclasses.replace(options, mode="replace" if "/" in into else "append")
    _check_options(options)
    pendings: list[Pending] = []
    for path in paths:
        if "/" in into:
            pendings += _plain(path, into, data_dir, options)
        else:
            pendings += _with_profile(path, into, data_dir, options)
    _merge_groups(pendings, options)
    _commit(pendings, options.check)
    return [p.report for p in pendings]


def import_file(
    path: Path,
    into: str,
    data_dir: Path,
    encoding: str | None = None,
    sheet: str | None = None,
    public_contacts: frozenset[str] = frozenset(),
    mode: str = "replace",
    delete_missing: bool = False,
    check: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    table: int | None = None,
    sets: dict[str, str] | None = None,
) -> ImportReport:
    """One file into one resource (the common case)."""
    options = Options(encoding, sheet, table, public_contacts, mode, delete_missing, check, limits, sets or {})
    return import_files([path], into, data_dir, options)[0]
