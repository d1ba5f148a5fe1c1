"""What a file may cost before it is read: size on disk, size once inflated, rows, cells and pages.

In: the defaults below, or `[tool.builder.import_limits]` in pyproject.toml (same names, whole numbers).
Out: `Limits`, and the guards that refuse a file past one of them — before the parser sees it, so that a
0.8 MB workbook that inflates to 300 MB, or an XML part that declares entities, costs milliseconds, not
minutes and gigabytes. A refusal is a `FileRefused` naming the rule (see `messages.RULES`).

Office files (.xlsx, .docx) are ZIP containers: their declared inflated sizes bound what `zipfile` will ever
produce (it stops at the declared size and then fails the CRC), so summing them is a safe first check; every
XML part is then streamed once, within that bound, to count rows and to refuse a DOCTYPE or ENTITY declaration.
A PDF declares no such sizes and pdfminer inflates each stream in one call, without any bound: while one is read,
`pdf_inflation_bounded` counts what pdfminer's decoders produce and refuses the file past `inflated_bytes`.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 20 * MB  # the file on disk
    inflated_bytes: int = 50 * MB  # all parts of an .xlsx or .docx, or all streams of a .pdf, once decompressed
    parts: int = 2000  # parts in an .xlsx or .docx
    rows: int = 100_000  # records in a sheet, CSV or document table
    cells: int = 2_000_000
    pages: int = 50  # of a PDF: each page's tables are searched for

    @classmethod
    def from_options(cls, options: dict) -> Limits:
        known = {f.name for f in fields(cls)}
        unknown = set(options) - known
        if unknown:
            raise ValueError(
                f"pyproject.toml [tool.builder.import_limits] 只能有 {'、'.join(sorted(known))}，"
                f"多了：{'、'.join(sorted(unknown))}"
            )
        for name, value in options.items():
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"pyproject.toml [tool.builder.import_limits] {name} 必须是正整数，现为 {value!r}")
        return cls(**options)


DEFAULT_LIMITS = Limits()  # the limits an import has unless [tool.builder.import_limits] says otherwise


class FileRefused(Exception):
    """The file is refused as a whole: `rule` names the message in `messages.RULES`, `details` fill it."""

    def __init__(self, rule: str, **details: Any):  # the message's placeholders
        super().__init__(rule)
        self.rule = rule
        self.details = details


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB"


def check_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise FileRefused(
            "file-too-large", size=_megabytes(size), limit=_megabytes(limits.file_bytes), setting="file_bytes"
        )


def check_count(what: str, count: int, limit: int, setting: str) -> None:
    if count > limit:
        raise FileRefused("too-many", what=what, count=f"至少 {count}", limit=limit, setting=setting)


_ENTITY = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
_ROW = re.compile(rb"<(?:\w+:)?(?:row|tr)[\s>]")  # a sheet row (xlsx) or a table row (docx)
CHUNK = 1 << 20


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Rows in one XML part; refuses entity declarations. Reads at most the declared size."""
    rows, tail = 0, b""
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                return rows
            window = tail + chunk
            if _ENTITY.search(window):
                raise FileRefused("xml-entities", part=info.filename)
            rows += len(_ROW.findall(window)) - len(_ROW.findall(tail))
            tail = window[-32:]


def check_container(path: Path, limits: Limits, row_parts: str) -> None:
    """An .xlsx or .docx: a sound ZIP within the limits, no XML entities, at most `limits.rows` rows in the
    parts whose names start with `row_parts` (xl/worksheets/ or word/document)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileRefused("broken-file", why=f"不是有效的 ZIP 容器（{error}）") from error
    with archive:
        infos = archive.infolist()
        check_count("个部件", len(infos), limits.parts, "parts")
        inflated = sum(info.file_size for info in infos)
        if inflated > limits.inflated_bytes:
            raise FileRefused(
                "inflated-too-large",
                size=_megabytes(path.stat().st_size),
                inflated=_megabytes(inflated),
                limit=_megabytes(limits.inflated_bytes),
            )
        rows = 0
        try:
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    found = _scan_part(archive, info)
                    if info.filename.startswith(row_parts):
                        rows += found
                        check_count("行", rows, limits.rows, "rows")
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
            raise FileRefused("broken-file", why=f"ZIP 容器已损坏（{error}）") from error


# --- .pdf --------------------------------------------------------------------------------------------------


class _Inflation:
    """Stands in for the zlib module and the LZW and RunLength decoders inside pdfminer while a PDF is read:
    the same results, produced in chunks and counted over the whole file; past `limit` the file is refused."""

    error = zlib.error

    def __init__(self, limit: int, size: int):
        self.limit, self.size, self.total = limit, size, 0
        self.refused: FileRefused | None = None

    def add(self, size: int) -> None:
        self.total += size
        if self.total > self.limit:
            self.refused = FileRefused(
                "pdf-inflated-too-large", size=_megabytes(self.size), limit=_megabytes(self.limit)
            )
            raise self.refused

    def count(self, produced: bytes) -> bytes:
        self.add(len(produced))
        return produced

    def decompressobj(self, *args: Any) -> _CountedStream:  # zlib.decompressobj's
        return _CountedStream(zlib.decompressobj(*args), self)

    def decompress(self, data: bytes, *args: Any) -> bytes:  # zlib.decompress's
        stream = self.decompressobj(*args[:1])
        inflated = stream.decompress(data) + self.count(stream.flush())
        if not stream.eof:  # as zlib.decompress, which pdfminer then retries leniently
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return inflated

    def lzw(self, data: bytes) -> bytes:
        from pdfminer.lzw import LZWDecoder

        return b"".join(self.count(piece) for piece in LZWDecoder(io.BytesIO(data)).run())

    def runlength(self, data: bytes) -> bytes:
        from pdfminer.runlength import rldecode

        if len(data) * 64 > self.limit - self.total:  # 2 bytes can give 128: measure before decoding
            size, at = 0, 0
            while at < len(data) and data[at] != 128 and self.total + size <= self.limit:
                length = data[at]
                size += length + 1 if length < 128 else 257 - length
                at += length + 2 if length < 128 else 2
            if self.total + size > self.limit:
                self.add(size)
        return self.count(rldecode(data))


class _CountedStream:
    def __init__(self, stream: zlib._Decompress, inflation: _Inflation):
        self.stream, self.inflation = stream, inflation

    def decompress(self, data: bytes) -> bytes:
        pieces = [self.inflation.count(self.stream.decompress(data, CHUNK))]
        while self.stream.unconsumed_tail:
            pieces.append(self.inflation.count(self.stream.decompress(self.stream.unconsumed_tail, CHUNK)))
        return b"".join(pieces)

    def __getattr__(self, name: str) -> Any:  # flush, eof, unused_data …
        return getattr(self.stream, name)


@contextlib.contextmanager
def pdf_inflation_bounded(path: Path, limits: Limits) -> Iterator[_Inflation]:
    """While pdfplumber reads `path`: every stream pdfminer inflates is counted, and past `limits.inflated_bytes`
    in all the file is refused (a few kB of PDF can inflate to gigabytes: minutes and all the memory)."""
    from pdfminer import pdftypes

    inflation = _Inflation(limits.inflated_bytes, path.stat().st_size)
    saved = pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode
    # The stand-in answers every zlib name pdfminer uses, but is no module: the patch is the point.
    pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode = inflation, inflation.lzw, inflation.runlength  # type: ignore[assignment]
    try:
        yield inflation
    except Exception:
        if inflation.refused is not None:  # pdfplumber wraps what pdfminer raised
            raise inflation.refused from None
        raise
    finally:
        pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode = saved
