"""Numbers and dates read the same everywhere (issue 15, point 10).

The rules are those of builder formatting (its docstring): one unit per figure, no ".0" on whole
numbers, thousands separators from five integer digits up (12,345 but 1901), dates in running text
written 2022年3月24日 while data files, cells of data tables and code keep ISO 8601. The site's scripts
format numbers by the same rule; their formatters are run here under Node beside the Python one.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.render.formatting import date_zh, number
from builder.settings import PROJECT_ROOT

# Text in these elements is code or markup, not prose for reading.
CODE = {"code", "pre", "kbd", "samp", "script", "style", "template", "textarea"}
# Text shown exactly as its source holds it: a file's first rows (table[data-preview], whose header row is
# the field names) and words quoted from a source ([data-verbatim], e.g. "over 2,500").
VERBATIM = ("data-preview", "data-verbatim")
# Cells of data tables: a table's own values (ISO dates there are data, as in the files).
DATA_CELL = {"td"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")  # tooltips and names people read or hear


class _Text(HTMLParser):
    """Each visible text node (and each tooltip), with whether it sits in code or in a data cell."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []  # open elements: (tag, holds code or verbatim text)
        self.nodes: list[tuple[str, bool, bool]] = []  # (text, in code or verbatim, in a data cell)

    def _code(self) -> bool:
        return any(literal for _, literal in self.open)

    def _cell(self) -> bool:
        return any(tag in DATA_CELL for tag, _ in self.open)

    def handle_starttag(self, tag, attrs):
        literal = tag in CODE or any(name in VERBATIM for name, _ in attrs)
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.nodes.append((value, self._code() or literal, self._cell()))
        if tag not in VOID:
            self.open.append((tag, literal))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        tags = [t for t, _ in self.open]
        if tag in tags:  # closes it and whatever was left open inside it (<li>, <p>)
            del self.open[len(tags) - 1 - tags[::-1].index(tag) :]

    def handle_data(self, data):
        tags = [t for t, _ in self.open]
        if data.strip() and ("head" not in tags or "title" in tags):
            self.nodes.append((data, self._code(), self._cell()))


def text_nodes(html: str) -> list[tuple[str, bool, bool]]:
    parser = _Text()
    parser.feed(html)
    return parser.nodes


_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:csv|json|zip|xlsx|parquet|xml|md)\b")
# A whole number written with a decimal ".0": 12000.0, 4.0; not a version (1.0.0) nor a longer decimal (4.05).
_STRAY_ZERO = re.compile(r"(?<![\d.])\d[\d,]*\.0+(?![\d.])")
# Names that carry a version number, which is not a figure: "CC BY 4.0", "DCAT-AP 3.0", "OpenAPI 3.0".
# A range written to the precision of its other end (0.6～1.0 MPa, 1.0～2.5 g/m²), as technical prose does.
_RANGE_AFTER = re.compile(r"\s?[～~]\s?\d+\.\d")
_RANGE_BEFORE = re.compile(r"\d\.\d+\s?[～~]\s?$")
_NAMED_VERSION = re.compile(r"(?:Attribution|BY|DCAT-AP|OpenAPI|JSON Schema|Atom|HTTP/)\s?\d+\.0(?![\d.])")
_ISO_DATE = re.compile(r"(?<![A-Za-z0-9_./-])\d{4}-\d{2}-\d{2}(?![0-9-])")
# Grouped with fewer than five integer digits ("1,234"): the site groups from five digits up.
_SHORT_GROUP = re.compile(r"(?<![\d,.])\d,\d{3}(?![\d,])")
# Five or more digits in a row followed by a counting unit: a figure that lost its separators.
_UNGROUPED = re.compile(r"(?<![\d,.])\d{5,}(?:\.\d+)?\s*(?:家|个|条|项|万元|元|吨|tCO2e|kWh)")


def _pages(site: Path):
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), path.read_text(encoding="utf-8")


def _offences(site: Path, find) -> list[str]:
    found = []
    for name, html in _pages(site):
        for text, in_code, in_cell in text_nodes(html):
            if in_code:
                continue
            for snippet in find(_ADDRESS.sub(" ", text), in_cell):
                found.append(f"{name}: {snippet!r}")
    return found


def _around(text: str, match: re.Match) -> str:
    return text[max(0, match.start() - 20) : match.end() + 12].strip()


def test_no_whole_number_is_written_with_a_trailing_dot_zero(built_site):
    def find(text, in_cell):
        text = _NAMED_VERSION.sub(" ", text)
        return [
            _around(text, m)
            for m in _STRAY_ZERO.finditer(text)
            if not (_RANGE_AFTER.match(text, m.end()) or _RANGE_BEFORE.search(text, 0, m.start()))
        ]

    offences = _offences(built_site, find)
    assert not offences, f"{len(offences)} figures with a stray .0, e.g. {offences[:8]}"


def test_dates_in_running_text_are_written_in_chinese(built_site):
    def find(text, in_cell):
        return [] if in_cell else [_around(text, m) for m in _ISO_DATE.finditer(text)]

    offences = _offences(built_site, find)
    assert not offences, f"{len(offences)} ISO dates in running text, e.g. {offences[:8]}"


def test_thousands_separators_follow_one_rule(built_site):
    def find(text, in_cell):
        return [_around(text, m) for m in (*_SHORT_GROUP.finditer(text), *_UNGROUPED.finditer(text))]

    offences = _offences(built_site, find)
    assert not offences, f"{len(offences)} figures grouped against the rule, e.g. {offences[:8]}"


def test_a_figure_keeps_the_unit_its_column_names(built_site):
    """No figure rescaled to 万 or 亿 in a cell whose column already names its unit (e.g. （万元））."""
    offences = []
    for name, html in _pages(built_site):
        for table in re.findall(r"<table\b.*?</table>", html, re.S):
            headers = [
                re.sub(r"<[^>]+>", "", h)
                for h in re.findall(r"<th\b[^>]*>(.*?)</th>", table.split("</thead>")[0], re.S)
            ]
            for row in re.findall(r"<tr\b.*?</tr>", table.split("</thead>")[-1], re.S):
                cells = re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)
                for header, cell in zip(headers, cells):
                    if re.search(r"（[^）]*[元吨tWh家个]", header) and re.search(
                        r"\d\s*[万亿]\s*$", re.sub(r"<[^>]+>", "", cell)
                    ):
                        offences.append(f"{name}: {header} → {cell}")
    assert not offences, offences[:8]


# --- the formatters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, "—"),
        (float("nan"), "—"),
        (0, "0"),
        (0.0, "0"),
        (12000.0, "12,000"),
        (4.7, "4.7"),
        (3.0, "3"),
        (1901, "1901"),
        (9999.5, "9999.5"),
        (10000, "10,000"),
        (60060.0, "60,060"),
        (1234567.25, "1,234,567.25"),
        (-12345.0, "-12,345"),
        (0.1 + 0.2, "0.3"),
        (0.000015, "0.000015"),
        (2.50, "2.5"),
    ],
)
def test_number_writes_figures_by_the_rule(value, expected):
    assert number(value) == expected


def test_number_rounds_derived_figures_when_asked():
    assert number(2 / 3, 2) == "0.67"
    assert number(99.996, 2) == "100"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2022-03-24", "2022年3月24日"),
        (date(2022, 3, 24), "2022年3月24日"),
        (datetime(2026, 11, 30, 8), "2026年11月30日"),
        ("2022-03", "2022年3月"),
        (None, "—"),
        ("2022年", "2022年"),
        ("约2018年", "约2018年"),
    ],
)
def test_date_zh_writes_dates_for_running_text(value, expected):
    assert date_zh(value) == expected


# The scripts' number formatter (every script imports it), run under Node on the same figures.
SCRIPT_FORMATTERS = [("docs/assets/lib/format.js", "formatNumber")]
FIGURES = [0, 7, 4.7, 12000, 1901, 9999.5, 10000, 60060, 1234567.25, -12345, 0.35, 402087, 33149.9]


@pytest.mark.parametrize("path, name", SCRIPT_FORMATTERS)
def test_scripts_format_numbers_as_the_pages_do(path, name):
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed (it installs the chart library)")
    module = json.dumps((PROJECT_ROOT / path).as_uri())
    program = (
        f"import {{ {name} }} from {module};\nprocess.stdout.write(JSON.stringify({json.dumps(FIGURES)}.map({name})));"
    )
    result = subprocess.run([node, "--input-type=module", "-e", program], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == [number(v) for v in FIGURES]
