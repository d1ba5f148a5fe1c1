"""The privacy audit finds exactly what a line-by-line scan of every file finds, only faster."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.publish import privacy


def line_by_line(text: str, allowed: frozenset[str] = frozenset()) -> list[tuple[int, str, str]]:
    """The audit's definition: each line of the text, each pattern in turn."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for kind, pattern in privacy.PATTERNS:
            for match in pattern.finditer(line):
                value = match.group(0)
                if value in allowed or (kind == "身份证号码" and not privacy.is_id_card(value)):
                    continue
                found.append((number, kind, value))
    return found


SAMPLES = [
    "手机 13812345678；邮箱 someone@example.com；身份证 11010519491231002X；座机 020-83133361；编号 GD-2021-00001",
    "a@b.cc@d.ee x@y.zz\r\n+86-138-1234-5678 86 13812345678.5 1.13812345678 ١٣٨١٢٣٤٥٦٧٨",
    "123-11010519491231002X 12311010519491231002X 11010519491231002x1\x0c13912345678\u2028q@q.qq\x85",
    "全角 １３８１２３４５６７８ 和 138１２３４５６７８；\n\n\r\r\n1391234567813912345678 139-1234-56789",
    "some-one.x+y@mail.example.org.cn，@@x@.cc, mail@@example.com",
    "\ufffd\xff 13812345678",
]

# Characters that make up the patterns' matches and their boundaries, and some that do not.
ALPHABET = st.sampled_from(
    list("01234567891111133338888-+.@Xx abcz\n\r\x0b\x0c\x1c\x85\u2028中文，（）１３８١٣")
    + ["@example.com", "13812345678", "11010519491231002X"]
)


def test_each_sample_as_line_by_line():
    for text in SAMPLES:
        assert privacy.scan_text(text) == line_by_line(text), text
        data = text.encode("utf-8")
        assert privacy.scan_bytes(data) == line_by_line(data.decode("utf-8", errors="replace")), text


def test_allowed_contacts_are_not_findings():
    text = "联系 someone@example.com 或 13812345678"
    allowed = frozenset({"someone@example.com"})
    assert privacy.scan_bytes(text.encode(), allowed) == line_by_line(text, allowed) == [(1, "手机号码", "13812345678")]


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_text_scan_is_line_by_line(text):
    assert privacy.scan_text(text) == line_by_line(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=80).map("".join), st.binary(max_size=3))
def test_bytes_scan_is_line_by_line(text, junk):
    data = text.encode("utf-8") + junk + text[: len(text) // 2].encode("utf-8")
    assert privacy.scan_bytes(data) == line_by_line(data.decode("utf-8", errors="replace"))


def test_digit_leads_cover_every_digit_the_patterns_match():
    """scan_bytes falls back to text only when a file holds a digit beyond ASCII: it must recognise each."""
    digit = re.compile(r"\d")
    for code in range(0x80, sys.maxunicode + 1):
        char = chr(code)
        if digit.match(char):
            encoded = char.encode("utf-8")
            assert encoded[0] in privacy.DIGIT_LEADS or encoded[:2] == b"\xef\xbc", hex(code)


def test_identical_files_are_scanned_once_and_reported_at_every_path(tmp_path, monkeypatch):
    page = "<p>联系 13812345678</p>\n".encode()
    for folder in ("downloads/p", "downloads/p/1.0.0", "other"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "downloads/p/a.csv").write_bytes(page)
    (tmp_path / "downloads/p/1.0.0/a.csv").write_bytes(page)
    (tmp_path / "other/b.html").write_bytes(page.replace(b"<p>", b"<b>"))  # same size, other bytes
    (tmp_path / "other/c.xlsx").write_bytes(page)  # not a text file
    scanned = []
    real = privacy.scan_bytes
    monkeypatch.setattr(privacy, "scan_bytes", lambda data, allowed: scanned.append(data) or real(data, allowed))
    findings = privacy.audit(tmp_path)
    assert [(f.path, f.line, f.text) for f in findings] == [
        ("downloads/p/1.0.0/a.csv", 1, "13812345678"),
        ("downloads/p/a.csv", 1, "13812345678"),
        ("other/b.html", 1, "13812345678"),
    ]
    assert len(scanned) == 2


def test_a_checksum_is_not_a_mobile_number_but_a_number_in_chinese_text_is():
    digest = "sha256:9f0e13082322935ab4c1d7e2f5a6b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5"
    assert privacy.scan_text(digest) == [] and privacy.scan_bytes(digest.encode()) == []
    for text in ("电话13812345678", "联系：13812345678。", "tel: 13812345678", "（13812345678）"):
        assert privacy.scan_text(text) == [(1, "手机号码", "13812345678")], text
        assert privacy.scan_bytes(text.encode()) == [(1, "手机号码", "13812345678")], text
