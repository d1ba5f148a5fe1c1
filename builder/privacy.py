"""Privacy audit of the built site: no mobile number, ID-card number or e-mail address is published.

In: a built site folder and the configured public contacts (pyproject.toml [tool.builder]).
Out: findings naming file, line and the matched text. The site stage refuses to publish on any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

AUDITED_SUFFIXES = {".html", ".csv", ".json", ".xml", ".md", ".txt", ".jsonld"}

MOBILE = re.compile(r"(?<![\d.])(?:\+?86-?)?1[3-9]\d(?:-?\d{4}){2}(?![\d.])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
ID_CARD = re.compile(r"(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


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


def scan_text(text: str, allowed: frozenset[str] = frozenset()) -> list[tuple[int, str, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for kind, pattern in (("手机号码", MOBILE), ("电子邮箱", EMAIL), ("身份证号码", ID_CARD)):
            for match in pattern.finditer(line):
                value = match.group(0)
                if value in allowed or (kind == "身份证号码" and not is_id_card(value)):
                    continue
                found.append((number, kind, value))
    return found


def audit(site: Path, allowed: frozenset[str] = frozenset()) -> list[Finding]:
    findings = []
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in AUDITED_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="replace")
            findings += [Finding(str(path.relative_to(site)), line, kind, value)
                         for line, kind, value in scan_text(text, allowed)]
    return findings
