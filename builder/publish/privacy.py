"""Privacy audit of the built site: no mobile number, ID-card number or e-mail address is published.

In: a built site folder and the contacts that may be published (pyproject.toml [tool.builder] public_contacts
and the site's contact e-mail: `Settings.publishable_contacts`).
Out: findings naming file, line and the matched text. The site stage refuses to publish on any.

The audit reads every published text file (over 100 MiB at province scale), so it is built to be cheap
and still to find exactly what scanning each line of each file with the three patterns finds:
- identical files (a release's downloads are published twice) are scanned once, and reported at every path;
- a file is first reduced to byte classes with one `bytes.translate`: only the stretches around an `@` or a
  long run of digits, where a match can be, are given to the patterns (no pattern matches across a line
  break or outside its own characters, so a stretch scanned alone gives the matches the whole file gives);
- line numbers are counted only for matches.
A file holding decimal digits beyond ASCII (full-width １３８…), which the patterns' `\\d` also matches, is
scanned whole as text.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builder.publish import SiteBuildError
from builder.settings import Settings

AUDITED_SUFFIXES = {".html", ".csv", ".json", ".xml", ".md", ".txt", ".jsonld"}

# Not inside a longer run of letters and digits: a hex checksum (sha256 in the catalogue) holds digit runs
# that look like mobile numbers.
MOBILE = re.compile(r"(?<![\dA-Za-z.])(?:\+?86-?)?1[3-9]\d(?:-?\d{4}){2}(?![\dA-Za-z.])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
ID_CARD = re.compile(
    r"(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])"
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PATTERNS = (("手机号码", MOBILE), ("电子邮箱", EMAIL), ("身份证号码", ID_CARD))


def is_id_card(candidate: str) -> bool:
    """GB 11643 check digit, so that long numbers that merely look like one are not flagged."""
    total = sum(int(d) * w for d, w in zip(candidate[:17], ID_WEIGHTS))
    return "10X98765432"[total % 11] == candidate[17].upper()


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind} {self.text!r}"


def _kept(kind: str, value: str, allowed: frozenset[str]) -> bool:
    return value not in allowed and not (kind == "身份证号码" and not is_id_card(value))


def _numbered(matches: list[tuple[int, int, str]], between: Callable[[int, int], str]) -> list[tuple[int, str, str]]:
    """(offset, pattern index, value) → (line, kind, value), in the order of a line-by-line scan.

    `between(a, b)` is the text from offset a to offset b. Lines are counted as `str.splitlines` counts them;
    offsets are match starts, never inside a line break.
    """
    numbered, line, previous = [], 1, 0
    for offset, index, value in sorted(matches):
        line += len((between(previous, offset) + "x").splitlines()) - 1
        previous = offset
        numbered.append((line, index, offset, value))
    return [(line, PATTERNS[index][0], value) for line, index, _, value in sorted(numbered)]


def scan_text(text: str, allowed: frozenset[str] = frozenset()) -> list[tuple[int, str, str]]:
    """(line, kind, matched text) for each mobile number, e-mail address and ID-card number in `text`."""
    matches = [
        (match.start(), index, match.group(0))
        for index, (kind, pattern) in enumerate(PATTERNS)
        for match in pattern.finditer(text)
        if _kept(kind, match.group(0), allowed)
    ]
    return _numbered(matches, lambda a, b: text[a:b])


# --- Scanning a file's bytes -------------------------------------------------------------------------

# Byte classes: "0" an ASCII digit, "@", "E" "B" "D" the bytes of a full-width digit (EF BC 90–99), "R" the
# first byte of any other decimal digit beyond ASCII (Arabic-Indic, Devanagari …; tests/test_privacy.py
# derives the list from the patterns' own \d), " " anything else; "-" is dropped, so that 138-1234-5678
# becomes a run of eleven "0".
_classes = bytearray(b" " * 256)
_classes[ord("0") : ord("9") + 1] = b"0" * 10
_classes[ord("@")] = ord("@")
_classes[0xEF], _classes[0xBC] = ord("E"), ord("B")
_classes[0x90:0x9A] = b"D" * 10
DIGIT_LEADS = b"\xd9\xdb\xdf\xe0\xe1\xea\xf0"
for _lead in DIGIT_LEADS:
    _classes[_lead] = ord("R")
_CLASSES = bytes(_classes)
# Digits and dashes, the rest blank.
_DIGITS = bytes(ord("0") if ord("0") <= b <= ord("9") else (b if b == ord("-") else ord(" ")) for b in range(256))

# The same patterns over bytes (where \d is [0-9]): equal to the text patterns on UTF-8 that holds no digit
# beyond ASCII.
_BYTES_PATTERNS = tuple(re.compile(pattern.pattern.encode("ascii")) for _, pattern in PATTERNS)
# In the digits-and-dashes view, every MOBILE match holds 1[3-9]\d(?:-?\d{4}){2}, every ID_CARD match
# seventeen digits in a row: finding these, left to right, finds one in each run that holds a match.
_SEEDS = ((0, re.compile(rb"000-?0000-?0000")), (2, re.compile(rb"0{17}")))
# The characters each pattern matches: a match never reaches beyond the run of them it starts in.
_ALPHABETS = (
    frozenset(b"0123456789+-"),
    frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-@"),
    frozenset(b"0123456789Xx"),
)


def _run(data: bytes, seed: int, alphabet: frozenset[int]) -> tuple[int, int]:
    start, end = seed, seed
    while start > 0 and data[start - 1] in alphabet:
        start -= 1
    while end < len(data) and data[end] in alphabet:
        end += 1
    return start, end


def _seeds(data: bytes, classes: bytes) -> list[tuple[int, int]]:
    """(offset, pattern index) where a match may be: in long digit runs, and at each "@"."""
    seeds = []
    if b"0" * 11 in classes:
        digits = data.translate(_DIGITS)
        seeds += [(match.start(), index) for index, seed in _SEEDS for match in seed.finditer(digits)]
    at = data.find(b"@")
    while at >= 0:
        seeds.append((at, 1))
        at = data.find(b"@", at + 1)
    return seeds


def scan_bytes(data: bytes, allowed: frozenset[str] = frozenset()) -> list[tuple[int, str, str]]:
    """`scan_text(data.decode("utf-8", errors="replace"), allowed)`, without decoding or scanning every byte."""
    classes = data.translate(_CLASSES, b"-")
    if b"R" in classes or b"EBD" in classes:
        return scan_text(data.decode("utf-8", errors="replace"), allowed)
    matches, scanned = [], {0: -1, 1: -1, 2: -1}
    for seed, index in sorted(_seeds(data, classes)):
        if seed < scanned[index]:
            continue  # inside a run already scanned for this pattern
        start, end = _run(data, seed, _ALPHABETS[index])
        scanned[index] = end
        kind = PATTERNS[index][0]
        # One byte past the run, so that a look-ahead sees what follows; it cannot be part of a match.
        for match in _BYTES_PATTERNS[index].finditer(data, start, min(end + 1, len(data))):
            value = match.group(0).decode("ascii")
            if _kept(kind, value, allowed):
                matches.append((match.start(), index, value))
    # Offsets are match starts (ASCII), so the bytes between two decode alone as they do within the whole.
    return _numbered(matches, lambda a, b: data[a:b].decode("utf-8", errors="replace"))


def _audited_files(site: Path) -> list[tuple[Path, int]]:
    """(path, size) of every audited file, in the order of sorted(site.rglob("*"))."""
    found = []
    for folder, _, names in os.walk(site):
        for name in names:
            path = Path(folder, name)
            if path.suffix in AUDITED_SUFFIXES and path.is_file():
                found.append((path, path.stat().st_size))
    return sorted(found)


def audit(site: Path, allowed: frozenset[str] = frozenset()) -> list[Finding]:
    files = _audited_files(site)
    sizes: defaultdict[int, int] = defaultdict(int)
    for _, size in files:
        sizes[size] += 1
    by_content: dict[bytes, list[tuple[int, str, str]]] = {}
    findings = []
    for path, size in files:
        data = path.read_bytes()
        if sizes[size] > 1:  # may have a twin: scan each content once
            key = hashlib.sha256(data).digest()
            if key not in by_content:
                by_content[key] = scan_bytes(data, allowed)
            found = by_content[key]
        else:
            found = scan_bytes(data, allowed)
        findings += [Finding(str(path.relative_to(site)), line, kind, value) for line, kind, value in found]
    return findings


def refuse_personal_data(settings: Settings, site: Path) -> None:
    findings = audit(site, settings.publishable_contacts)
    if findings:
        listed = "\n".join(f"  {finding}" for finding in findings[:50])
        more = f"\n  ……共 {len(findings)} 处" if len(findings) > 50 else ""
        raise SiteBuildError(
            f"发布内容中发现个人信息（手机号码、身份证号码或电子邮箱），已停止发布：\n{listed}{more}\n"
            "如确为公开联系方式，请列入 pyproject.toml 的 [tool.builder] public_contacts"
            "（本站联系邮箱 contact.email 自动视为公开）。"
        )
