"""The refusals: what makes a cell or a row unpublishable, whatever its field. Pure functions of text.

In: a cell's text (and its field), or a row's cells.
Out: what was found (rule name and details), or None / an empty list when the text is acceptable.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from builder.importing.normalize import nfkc, trim
from builder.importing.target import FieldSpec
from builder.publish import privacy

BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MOJIBAKE_MARKS = ("锟斤拷", "烫烫烫", "屯屯屯")
FORMULA_LEADS = "=+-@＝＋－＠"
NEVER_NUMERIC_LEADS = "=@＝＠"
FOOTER = re.compile(
    r"(合计|总计|小计|共计|累计|总数|全省合计|全省总计|全省|注|备注|说明|附注|数据来源|资料来源"
    r"|制表人?|制表单位|填表人?|填表单位|审核人)(?:[\s:：、.．,，(（\d].*)?",
    re.S,
)


def _shown(chars: Iterable[str]) -> str:
    names = []
    for char in dict.fromkeys(chars):
        name = unicodedata.name(char, "")
        names.append(f"U+{ord(char):04X}" + (f"（{name}）" if name else ""))
    return "、".join(names)


def invisible(value: str) -> list[tuple[str, str]]:
    """Control, format, bidirectional-override and private-use characters: (rule, characters shown)."""
    if value.isprintable():  # every character looked for below is unprintable
        return []
    bidi, control, private = [], [], []
    for char in value:
        category = unicodedata.category(char)
        if char in BIDI:
            bidi.append(char)
        elif category in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            control.append(char)
        elif category == "Co":
            private.append(char)
    found = [("bidi-control", bidi), ("control-character", control), ("private-use-character", private)]
    return [(rule, _shown(chars)) for rule, chars in found if chars]


def _cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _common(char: str) -> bool:
    """One of the 3,755 most used hanzi (GB 2312 level 1), which make up nearly all ordinary Chinese text."""
    try:
        code = int.from_bytes(char.encode("gb2312"), "big")
    except UnicodeEncodeError:
        return False
    return 0xB0A1 <= code <= 0xD7F9


def _read_as_gbk(text: str) -> str | None:
    """The original of UTF-8 Chinese that was read as GBK: such text is mostly rare characters
    (UTF-8's lead bytes E4–E9 land in GBK's level-2 and extension areas) and reads back as Chinese."""
    if len(text) < 2:
        return None
    try:  # first, as it is quick and almost always fails on ordinary text
        repaired = text.encode("gb18030").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    if sum(not _common(char) for char in text) * 2 < len(text):
        return None
    return repaired if _cjk(repaired) and repaired.isprintable() else None


def _read_as_latin(text: str) -> str | None:
    for encoding in ("cp1252", "latin-1"):
        try:
            repaired = text.encode(encoding).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired != text and _cjk(repaired) and repaired.isprintable():
            return repaired
    return None


# Mojibake is looked for in the whole cell, then in each stretch between ASCII and common Chinese punctuation,
# so that a garbled phrase inside otherwise good text is found too.
_STRETCH = re.compile(r"[^\x00-\x7f，。；：、（）“”‘’《》！？]+")


def corrupted(value: str) -> tuple[str, dict] | None:
    """U+FFFD, or text that is UTF-8 read in the wrong encoding and saved again (mojibake)."""
    if "\ufffd" in value:
        return "replacement-character", {}
    if value.isascii():
        return None
    for mark in MOJIBAKE_MARKS:
        if mark in value:
            return "mojibake", {"why": f"含有典型乱码 {mark!r}", "guess": ""}
    repaired = _read_as_latin(value)
    if repaired:
        return "mojibake", {
            "why": "像是 UTF-8 文字被当作 Windows-1252 读取后又保存",
            "guess": f"（原文可能是 {repaired!r}）",
        }
    for stretch in [value] + _STRETCH.findall(value):
        repaired = _read_as_gbk(stretch)
        if repaired:
            guess = value.replace(stretch, repaired)
            return "mojibake", {
                "why": f"{stretch!r} 像是 UTF-8 文字被当作 GBK 读取后又保存",
                "guess": f"（原文可能是 {guess!r}）",
            }
    return None


def formula_lead(value: str, spec: FieldSpec) -> str | None:
    """The leading character that makes a spreadsheet execute a text cell; a signed number is not text."""
    if not value or value[0] not in FORMULA_LEADS:
        return None
    if spec.is_text or value[0] in NEVER_NUMERIC_LEADS:
        return value[0]
    return None


_MAYBE_PERSONAL = re.compile(r"\d{11}|\d{4}-?\d{4}|@")


def personal(value: str, allowed: frozenset[str]) -> tuple[str, str] | None:
    if not _MAYBE_PERSONAL.search(value):  # every pattern privacy looks for needs one of these
        return None
    found = privacy.scan_text(value, allowed)
    if not found:
        return None
    _, kind, text = found[0]
    return kind, text


def footer(cells: list[str], kinds: list[str | None]) -> str | None:
    """A 合计 / 注 row: a footer word in a code, number or date column, or alone in a mostly empty row."""
    texts = [nfkc(trim(cell)) for cell in cells]
    filled = [i for i, text in enumerate(texts) if text]
    for index, (text, kind) in enumerate(zip(texts, kinds)):
        if text and kind not in (None, "text") and FOOTER.fullmatch(text):
            return cells[index]
    if filled and len(filled) * 2 <= len(cells) and FOOTER.fullmatch(texts[filled[0]]):
        return cells[filled[0]]
    return None


def harmless(value: str) -> bool:
    """A quick pass for the common cell: printable ASCII that no refusal can apply to."""
    return (
        value.isascii() and value.isprintable() and value[:1] not in FORMULA_LEADS and not _MAYBE_PERSONAL.search(value)
    )


# --- Which cells of a whole file need the rules at all ------------------------------------------------
# `validate` applies the refusals to every cell of every package file: 600,000 cells at province scale. Almost
# all are printable ASCII or ordinary Chinese, which no refusal can apply to; `suspect_offsets` finds, in one
# pass over the file's text, the characters that could make a refusal apply, so that only the rows holding
# one are checked cell by cell (personal data, found by `privacy.scan_bytes`, is the other reason to check).

_CJK = (0x4E00, 0x9FFF)
_SMALL_BLOCKS = ((0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF))  # punctuation, CJK and full-width forms


def _gbk_mojibake_lead(char: str) -> bool:
    """Whether `char` can help GB18030 bytes read as UTF-8 Chinese (what `_read_as_gbk` looks for).

    UTF-8 Chinese needs a lead byte E4–E9 followed by two bytes 80–BF. A GB18030 character is ASCII, two bytes
    or four (whose second and fourth bytes are ASCII digits, so they never decode as UTF-8 at all). Two bytes
    L T with L in 81–DF decode, if at all, as continuation or a two-byte sequence ending in T: text made only
    of such characters and ASCII never holds a three-byte sequence. L in C0–C1 or F5–FF never decodes; L in
    C2–F4 must start a sequence, which then needs T in 80–BF. So only L in E0–F4 with T in 80–BF can.
    """
    encoded = char.encode("gb18030")
    return len(encoded) == 2 and 0xE0 <= encoded[0] <= 0xF4 and 0x80 <= encoded[1] <= 0xBF


def _plain(char: str) -> bool:
    """No refusal can apply to a cell because it holds `char` (formula leads and personal data aside)."""
    if char in BIDI or char == "\ufffd" or any(char in mark for mark in MOJIBAKE_MARKS):
        return False
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co"):
        return False
    for encoding in ("cp1252", "latin-1"):  # what _read_as_latin could undo
        try:
            char.encode(encoding)
            return False
        except UnicodeEncodeError:
            pass
    return not _gbk_mojibake_lead(char)


_plain_cached = functools.lru_cache(maxsize=65536)(_plain)


def _ranges(codes: set[int]) -> str:
    parts, ordered, i = [], sorted(codes), 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(re.escape(chr(ordered[i])) + (f"-{re.escape(chr(ordered[j]))}" if j > i else ""))
        i = j + 1
    return "".join(parts)


@functools.cache
def _unusual() -> re.Pattern:
    """Any character but printable ASCII, line ends and the plain Chinese characters and punctuation: a quick
    first sieve (`_plain` then judges each character it lets through)."""
    plain = set(range(0x20, 0x7F)) | {ord("\n"), ord("\r")}
    # In the CJK block only the mojibake marks and the GB18030 characters of `_gbk_mojibake_lead` are not
    # plain: those are listed from their bytes rather than by testing 21,000 characters.
    leads = {
        bytes((lead, trail)).decode("gb18030", errors="ignore")
        for lead in range(0xE0, 0xF5)
        for trail in range(0x80, 0xC0)
    }
    plain |= (
        set(range(_CJK[0], _CJK[1] + 1))
        - {ord(c) for c in leads if len(c) == 1}
        - {ord(c) for c in "".join(MOJIBAKE_MARKS)}
    )
    plain |= {code for low, high in _SMALL_BLOCKS for code in range(low, high + 1) if _plain(chr(code))}
    return re.compile(f"[^{_ranges(plain)}]")


# A cell's first character, in a CSV file: after a separator, a line end or an opening quote (or at the start).
_CELL_LEAD = re.compile(f'[,"\\r\\n][{re.escape(FORMULA_LEADS)}]')


def suspect_offsets(text: str) -> list[int]:
    """Offsets in a CSV file's text of every character from which a refusal could apply to the cell holding it:
    characters that are not `_plain` and formula leads at a cell's start. A cell that holds none of them, no line
    end (which only a quoted cell can hold) and no personal data passes `cells.refusals`."""
    found = [m.start() for m in _unusual().finditer(text) if not _plain_cached(m.group())]
    found += [m.start() + 1 for m in _CELL_LEAD.finditer(text)]
    if text and text[0] in FORMULA_LEADS:
        found.append(0)
    return sorted(found)
