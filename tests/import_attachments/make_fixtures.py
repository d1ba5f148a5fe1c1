"""Writes the notice's two attachment tables as a maintainer receives them: .xlsx, .xls, .docx and .pdf, laid out
as the notice prints them — the 附件 line and the title above, 序号, the header wrapped over two rows, the 合计
row and the 注 line below.

In: `seed-attachments.txt` beside this file (the two tables exactly as the seed text of the notice of
24 March 2022 prints them, copied here because the shared seed folder is absent in CI).
Out: attachment-1.{xlsx,xls,docx,pdf} and attachment-2.{…} beside this file (committed; run this again only to
change them: `.venv/bin/python tests/import_attachments/make_fixtures.py`). The PDF embeds a subset of
WenQuanYi Micro Hei, from Debian's fonts-wqy-microhei, read from its installed path, never downloaded.
"""

from __future__ import annotations

import datetime
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@dataclass(frozen=True)
class Table:
    name: str
    heading: str  # "附件 1"
    title: str
    upper: list[str]  # the header's first row; "" under a cell merged from the left or above
    lower: list[str]  # empty for a one-row header
    rows: list[list[str]]
    total: list[str]
    note: str
    merged_header: list[int]  # columns whose header cell spans both rows


def read_seed(path: Path = HERE / "seed-attachments.txt") -> list[Table]:
    """The seed's lines: a block per table, `key: value` lines, data rows separated by spaces."""
    tables, block = [], {}
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if block:
                rows = [r.split() for r in block["rows"]]
                tables.append(
                    Table(
                        block["name"],
                        block["heading"],
                        block["title"],
                        block["upper"].split("|"),
                        block["lower"].split("|") if block.get("lower", "").strip() else [],
                        rows,
                        block["total"].split("|"),
                        block["note"],
                        [int(c) for c in block["merged_header"].split(",")],
                    )
                )
                block = {}
            continue
        key, _, value = line.partition(": ")
        if key == "row":
            block.setdefault("rows", []).append(value)
        else:
            block[key] = value
    return tables


def _width(table: Table) -> int:
    return len(table.upper)


def write_xlsx(table: Table, path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = table.heading.replace(" ", "")
    width = _width(table)
    sheet.append([table.heading])
    sheet.append([table.title])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.append(table.upper)
    if table.lower:
        sheet.append(table.lower)
        for column in table.merged_header:
            sheet.merge_cells(start_row=3, start_column=column + 1, end_row=4, end_column=column + 1)
    for row in table.rows:
        sheet.append([int(row[0])] + [row[1]] + [int(v) for v in row[2:]])
    sheet.append([table.total[0], ""] + [int(v) for v in table.total[2:]])
    last = sheet.max_row
    sheet.merge_cells(start_row=last, start_column=1, end_row=last, end_column=2)
    sheet.append([table.note])
    sheet.merge_cells(start_row=last + 1, start_column=1, end_row=last + 1, end_column=width)
    book.save(path)


def write_xls(table: Table, path: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(table.heading.replace(" ", ""))
    width = _width(table)
    sheet.write(0, 0, table.heading)
    sheet.write_merge(1, 1, 0, width - 1, table.title)
    header = 2 if table.lower else 1
    for column in range(width):
        if column in table.merged_header and table.lower:
            sheet.write_merge(2, 3, column, column, table.upper[column])
        else:
            sheet.write(2, column, table.upper[column])
            if table.lower:
                sheet.write(3, column, table.lower[column])
    for r, row in enumerate(table.rows, 2 + header):
        sheet.write(r, 0, int(row[0]))
        sheet.write(r, 1, row[1])
        for c, value in enumerate(row[2:], 2):
            sheet.write(r, c, int(value))
    last = 2 + header + len(table.rows)
    sheet.write_merge(last, last, 0, 1, table.total[0])
    for c, value in enumerate(table.total[2:], 2):
        sheet.write(last, c, int(value))
    sheet.write_merge(last + 1, last + 1, 0, width - 1, table.note)
    book.save(str(path))


def write_docx(table: Table, path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(table.heading)
    document.add_paragraph(table.title)
    width = _width(table)
    header = 2 if table.lower else 1
    grid = document.add_table(rows=header + len(table.rows) + 1, cols=width)
    grid.style = "Table Grid"
    for column in range(width):
        if column in table.merged_header and table.lower:
            grid.cell(0, column).merge(grid.cell(1, column)).text = table.upper[column]
        else:
            grid.cell(0, column).text = table.upper[column]
            if table.lower:
                grid.cell(1, column).text = table.lower[column]
    for r, row in enumerate(table.rows, header):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    last = header + len(table.rows)
    grid.cell(last, 0).merge(grid.cell(last, 1)).text = table.total[0]
    for c, value in enumerate(table.total[2:], 2):
        grid.cell(last, c).text = value
    document.add_paragraph(table.note)
    document.core_properties.created = datetime.datetime(2022, 3, 24)  # the notice's date: reproducible files
    document.save(str(path))


def write_pdf(table: Table, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as Grid

    pdfmetrics.registerFont(TTFont("WQY", str(FONT), subfontIndex=0))
    style = ParagraphStyle("cjk", fontName="WQY", fontSize=11, leading=16, wordWrap="CJK")
    data = (
        [table.upper] + ([table.lower] if table.lower else []) + table.rows + [table.total[:1] + [""] + table.total[2:]]
    )
    spans = [("SPAN", (c, 0), (c, 1)) for c in table.merged_header] if table.lower else []
    last = len(data) - 1
    grid = Grid(
        data,
        style=[
            ("FONT", (0, 0), (-1, -1), "WQY", 10),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("SPAN", (0, last), (1, last)),
            *spans,
        ],
    )
    story = [
        Paragraph(table.heading, style),
        Paragraph(table.title, style),
        Spacer(1, 6),
        grid,
        Spacer(1, 6),
        Paragraph(table.note, style),
    ]
    document = SimpleDocTemplate(
        str(path), pagesize=A4, invariant=1, title=table.title, author="", creator="", topMargin=30, bottomMargin=30
    )
    document.build(story)


WRITERS = {"xlsx": write_xlsx, "xls": write_xls, "docx": write_docx, "pdf": write_pdf}


def main(out: Path = HERE) -> list[Path]:
    written = []
    for table in read_seed():
        for suffix, writer in WRITERS.items():
            path = out / f"{table.name}.{suffix}"
            writer(table, path)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
