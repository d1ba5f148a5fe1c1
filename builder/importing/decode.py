"""Bytes to text, strictly: the declared encoding, else UTF-8, else GB18030. Never a lossy decode.

In: a file's bytes and the encoding the maintainer declared (or None).
Out: `Decoded` text, or the problems that stop the import (undecodable bytes, mixed encodings, UTF-16),
each naming the physical line. A removed BOM and a GB18030 decode are reported as warnings.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from builder.importing.findings import ImportProblem, Place, make

BOM = codecs.BOM_UTF8
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    bom: bool


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _bytes_shown(data: bytes, start: int, end: int) -> str:
    return "".join(f"\\x{b:02x}" for b in data[start : max(end, start + 1)][:8])


def _undecodable(
    data: bytes, error: UnicodeDecodeError, encodings: str, place: Place, offset: int = 0
) -> ImportProblem:
    line = _line_of(data, offset + error.start)
    return make(
        "undecodable",
        place.at(line=line),
        _bytes_shown(data, offset + error.start, offset + error.end),
        line=line,
        encodings=encodings,
    )


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _utf8_evidence(line: bytes) -> bool | None:
    """True: the line is UTF-8; False: it is not; None: it is not UTF-8 text beyond doubt.

    Chinese in GBK is often valid UTF-8 by chance (印染 = D3A1 C8BE = "ӡȾ"), but only as two-byte sequences;
    Chinese in UTF-8 takes three bytes a character, which GBK text almost never forms.
    """
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True if any(ord(char) >= 0x800 for char in text) else None


def _line_kinds(body: bytes) -> tuple[int | None, int | None, tuple[int, UnicodeDecodeError] | None]:
    """First line that is UTF-8, first that needs GB18030, first that is neither (offset, error)."""
    utf8_line = gb_line = None
    offset = 0
    for number, line in enumerate(body.split(b"\n"), 1):
        if not line.isascii():
            evidence = _utf8_evidence(line)
            if evidence:
                utf8_line = utf8_line or number
            else:
                try:
                    line.decode("gb18030")
                    gb_line = gb_line or number
                except UnicodeDecodeError as error:
                    if evidence is False:
                        return utf8_line, gb_line, (offset, error)
                    utf8_line = utf8_line or number
        offset += len(line) + 1
    return utf8_line, gb_line, None


def _ambiguous(text: str, body: bytes) -> str | None:
    """UTF-8 text with no character beyond U+07FF that also reads as Chinese in GB18030: which is it?"""
    if text.isascii() or any(ord(char) >= 0x800 for char in text):
        return None
    try:
        chinese = body.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return chinese if _has_cjk(chinese) else None


def _first_difference(utf8: str, gb: str) -> tuple[int, str, str]:
    for number, (a, b) in enumerate(zip(utf8.split("\n"), gb.split("\n")), 1):
        if a != b:
            return number, a, b
    return 1, utf8, gb


def decode(data: bytes, declared: str | None, place: Place) -> tuple[Decoded | None, list[ImportProblem]]:
    if data.startswith(UTF16_BOMS):
        return None, [make("utf16", place.at(line=1))]
    bom = data.startswith(BOM)
    body = data[len(BOM) :] if bom else data
    warnings = [make("bom-removed", place.at(line=1))] if bom else []
    if declared and bom and codecs.lookup(declared).name != "utf-8":
        return None, [make("bom-conflict", place.at(line=1), encoding=declared)]
    offset = len(BOM) if bom else 0
    first = declared or "utf-8"
    try:
        text = body.decode(first)
    except UnicodeDecodeError as error:
        if declared:
            return None, [_undecodable(data, error, declared, place, offset)]
    else:
        name = codecs.lookup(first).name
        chinese = None if declared else _ambiguous(text, body)
        if chinese is not None:
            line, utf8, gb = _first_difference(text, chinese)
            return None, [make("ambiguous-encoding", place.at(line=line), utf8, gb=gb)]
        if name != "utf-8":
            warnings.append(make("decoded", place.at(line=1), encoding=declared))
        return Decoded(text, name, bom), warnings
    utf8_line, gb_line, bad = _line_kinds(body)
    if bad is not None:
        line_offset, line_error = bad
        return None, [_undecodable(data, line_error, "UTF-8 或 GB18030", place, offset + line_offset)]
    if utf8_line and gb_line:
        return None, [
            make("mixed-encoding", place.at(line=min(utf8_line, gb_line)), utf8_line=utf8_line, gb_line=gb_line)
        ]
    # Each line decodes as GB18030, so the whole does; GBK is a subset of GB18030.
    text = body.decode("gb18030")
    return Decoded(text, "gb18030", bom), warnings + [make("decoded", place.at(line=1), encoding="GB18030（含 GBK）")]


def decode_package_file(data: bytes, place: Place) -> tuple[str | None, list[ImportProblem]]:
    """A package file must already be canonical: UTF-8 without a BOM."""
    problems = [make("bom-in-package", place.at(line=1))] if data.startswith(BOM) else []
    try:
        return data.decode("utf-8-sig"), problems
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start)
        return None, problems + [
            make("not-utf8", place.at(line=line), _bytes_shown(data, error.start, error.end), line=line)
        ]
