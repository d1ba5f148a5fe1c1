"""Official attachments as published, read as rows of text: old .xls workbooks, Word .docx tables, text-based
PDF tables, and .doc / .et / .wps through LibreOffice (headless) when it is installed.

In: the file, the table wanted (1-based, for a document with several) or the sheet, and the limits.
Out: a `Document`: its rows as text, with the lines printed above and below the table (the 附件 line and title,
the 注 lines) as one-cell rows, so that the attachment reader sees the page as it is printed. A merged cell's
text is repeated in each cell it covers (as Word and PDF show it); `merged` lists the ranges when known.
A file past a limit, or that its parser cannot read, is refused (`FileRefused`); a missing LibreOffice is named.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from builder.importing import xlsx
from builder.importing.limits import FileRefused, Limits, check_container, check_count, pdf_inflation_bounded

# What LibreOffice turns each WPS / old Office format into, and the Debian package that converts it.
LIBREOFFICE = {
    ".doc": ("docx", "libreoffice-writer"),
    ".wps": ("docx", "libreoffice-writer"),
    ".et": ("xlsx", "libreoffice-calc"),
}
CONVERT_SECONDS = 120


class DocumentError(Exception):
    """The document cannot be imported as asked: no table, the table number is out of range, no converter."""


@dataclass
class Document:
    name: str  # the sheet or "表 N"
    rows: list[list[str]]
    merged: list[xlsx.Merged] = field(default_factory=list)


def _text(cell: object) -> str:
    return " ".join(str(cell or "").split()) if "\n" in str(cell or "") else str(cell or "").strip()


# --- .xls -----------------------------------------------------------------------------------------------------


def read_xls(path: Path, sheet: str | None, preferred: tuple[str, ...], limits: Limits) -> Document:
    import xlrd  # imported here: only .xls files need it

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as error:  # xlrd raises its own and struct/zlib errors on a broken file
        raise FileRefused("broken-file", why=f"{type(error).__name__}: {error}") from error
    names = book.sheet_names()
    if sheet is not None and sheet not in names:
        raise DocumentError(f"工作簿中没有名为 {sheet!r} 的工作表；现有：{'、'.join(names)}")
    chosen = sheet or (names[0] if len(names) == 1 else next((n for n in preferred if n in names), None))
    if chosen is None:
        raise DocumentError(f"工作簿有多个工作表（{'、'.join(names)}），请用 --sheet 指定要导入的一个")
    page = book.sheet_by_name(chosen)
    check_count("行", page.nrows, limits.rows, "rows")
    check_count("单元格", page.nrows * page.ncols, limits.cells, "cells")
    rows = []
    for r in range(page.nrows):
        texts = []
        for c in range(page.ncols):
            cell = page.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_NUMBER:
                texts.append(xlsx.number_text(cell.value, ""))
            elif cell.ctype == xlrd.XL_CELL_DATE:
                texts.append(xlsx.cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)))
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                texts.append("true" if cell.value else "false")
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                texts.append(xlrd.error_text_from_code.get(cell.value, "#ERROR"))
            else:
                texts.append(str(cell.value))
        rows.append(texts)
    merged = [
        xlsx.Merged(f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1)}{r1}", r0 + 1, r1, c0, c1 - 1)
        for r0, r1, c0, c1 in page.merged_cells
    ]
    return Document(chosen, rows, merged)


# --- .docx ----------------------------------------------------------------------------------------------------


def _pick(count: int, table: int | None, describe: Callable[[], str]) -> int:
    if count == 0:
        raise DocumentError("文件中没有表格")
    if table is None:
        if count > 1:
            raise DocumentError(f"文件中有 {count} 个表格：{describe()}；请用 --table N 指定要导入的一个（从 1 数起）")
        return 0
    if not 1 <= table <= count:
        raise DocumentError(f"--table {table} 超出范围：文件中有 {count} 个表格（从 1 数起）")
    return table - 1


def read_docx(path: Path, table: int | None, limits: Limits) -> Document:
    check_container(path, limits, "word/document")
    try:
        import docx  # python-docx

        document = docx.Document(str(path))
        blocks = list(document.element.body.iterchildren())
        tables = document.tables
        first_rows = [_text(t.rows[0].cells[0].text) + "…" if t.rows else "（空表）" for t in tables]
        index = _pick(len(tables), table, lambda: "；".join(f"表 {i}：{text}" for i, text in enumerate(first_rows, 1)))
        chosen = tables[index]
        position = blocks.index(chosen._tbl)
        earlier = max((blocks.index(t._tbl) for t in tables[:index]), default=-1)
        later = min((blocks.index(t._tbl) for t in tables[index + 1 :]), default=len(blocks))
        rows = [[_text(cell.text) for cell in row.cells] for row in chosen.rows]
        above = [_paragraph(b) for b in blocks[earlier + 1 : position]]
        below = [_paragraph(b) for b in blocks[position + 1 : later]]
    except (DocumentError, FileRefused):
        raise
    except Exception as error:  # a hostile or broken part: whatever python-docx or lxml raises
        raise FileRefused("broken-file", why=f"{type(error).__name__}: {error}") from error
    check_count("行", len(rows) + len(above) + len(below), limits.rows, "rows")
    return Document(f"表 {index + 1}", [[t] for t in above if t] + rows + [[t] for t in below if t])


def _paragraph(element: Any) -> str:  # a python-docx body element (lxml)
    """The text of a body paragraph (a section break or other element gives '')."""
    return _text("".join(node.text or "" for node in element.iter() if node.tag.endswith("}t")))


# --- .pdf -----------------------------------------------------------------------------------------------------


def read_pdf(path: Path, table: int | None, limits: Limits) -> Document:
    try:
        import pdfplumber

        with pdf_inflation_bounded(path, limits), pdfplumber.open(str(path)) as pdf:
            check_count("页", len(pdf.pages), limits.pages, "pages")
            found = []  # (page, table object)
            for page in pdf.pages:
                found += [(page, t) for t in page.find_tables()]
            index = _pick(
                len(found),
                table,
                lambda: "；".join(f"表 {i}（第 {p.page_number} 页）" for i, (p, _) in enumerate(found, 1)),
            )
            page, chosen = found[index]
            rows = [[_text(cell) for cell in row] for row in chosen.extract()]
            check_count("行", len(rows), limits.rows, "rows")
            top, bottom = chosen.bbox[1], chosen.bbox[3]
            above = [line["text"] for line in page.extract_text_lines() if line["bottom"] <= top]
            below = [line["text"] for line in page.extract_text_lines() if line["top"] >= bottom]
    except (DocumentError, FileRefused):
        raise
    except Exception as error:  # pdfminer raises many kinds on a broken or hostile file
        raise FileRefused("broken-file", why=f"{type(error).__name__}: {error}") from error
    if not rows:
        raise DocumentError("PDF 中没有可读的表格文字：扫描件（图片）不能导入，请向发文单位索取 Word 或 Excel 版本")
    return Document(f"表 {index + 1}", [[_text(t)] for t in above] + rows + [[_text(t)] for t in below])


# --- .doc / .et / .wps ----------------------------------------------------------------------------------------


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path, workdir: Path) -> Path:
    """The file converted by LibreOffice into `workdir` (.docx or .xlsx)."""
    target, package = LIBREOFFICE[path.suffix.lower()]
    program = soffice()
    if program is None:
        raise DocumentError(
            f"导入 {path.suffix} 文件需要 LibreOffice，本机没有安装。请安装 Debian 软件包 {package}"
            f"（sudo apt-get install {package}），或在 WPS / Word / Excel 中把文件另存为 .{target} 后导入"
        )
    try:
        subprocess.run(
            [
                program,
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{workdir}/profile",
                "--convert-to",
                target,
                "--outdir",
                str(workdir),
                str(path),
            ],
            capture_output=True,
            timeout=CONVERT_SECONDS,
            check=True,
        )
    except (subprocess.SubprocessError, OSError) as error:
        raise FileRefused("broken-file", why=f"LibreOffice 无法转换该文件（{error}）") from error
    converted = workdir / f"{path.stem}.{target}"
    if not converted.is_file():
        raise FileRefused("broken-file", why="LibreOffice 没有生成转换后的文件")
    return converted


def read(path: Path, table: int | None, sheet: str | None, preferred: tuple[str, ...], limits: Limits) -> Document:
    suffix = path.suffix.lower()
    if suffix == ".xls":
        return read_xls(path, sheet, preferred, limits)
    if suffix == ".docx":
        return read_docx(path, table, limits)
    if suffix == ".pdf":
        return read_pdf(path, table, limits)
    with tempfile.TemporaryDirectory(prefix="import-") as workdir:
        converted = convert(path, Path(workdir))
        if converted.suffix == ".docx":
            return read_docx(converted, table, limits)
        check_container(converted, limits, "xl/worksheets/")
        book = xlsx.read_sheet(converted, sheet, preferred)
        return Document(book.name, book.rows, book.merged)


SUFFIXES = {".xls", ".docx", ".pdf", *LIBREOFFICE}
