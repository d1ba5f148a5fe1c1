"""A PDF whose streams inflate to far more than the file (issue 17, point 8): pdfminer inflates a stream in one call,
without any bound, so a few hundred kB could cost minutes and gigabytes. The importer counts what is inflated and
refuses the file past `inflated_bytes`, in Chinese, quickly; a sound attachment still imports."""

from __future__ import annotations

import time
import zlib

from builder.importing.limits import MB, Limits
from builder.importing.run import import_file
from builder.settings import PROJECT_ROOT

INTO = "audit-statistics/targets"
ATTACHMENT = PROJECT_ROOT / "tests" / "import_attachments" / "attachment-2.pdf"


def _pdf(path, content: bytes, filters: str = "/FlateDecode") -> None:
    """One page whose content stream is `content` (already encoded by `filters`), with a correct xref table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(content), filters.encode()) + content + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    path.write_bytes(bytes(out))


def _deflated_zeros(megabytes: int) -> bytes:
    packer, block = zlib.compressobj(9), bytes(MB)
    return b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush()


def _refused(report):
    assert not report.written
    assert [p.rule for p in report.errors] == ["pdf-inflated-too-large"], report.errors
    return report.errors[0]


def test_a_pdf_whose_content_inflates_past_the_limit_is_refused_quickly(data_copy, tmp_path):
    bomb = tmp_path / "炸弹.pdf"
    _pdf(bomb, _deflated_zeros(400))  # 400 MB of content in a file of some 400 kB
    assert bomb.stat().st_size < MB
    started = time.perf_counter()
    problem = _refused(import_file(bomb, INTO, data_copy))
    assert time.perf_counter() - started < 15
    assert "压缩炸弹" in problem.message and "50.0 MB" in problem.message and "inflated_bytes" in problem.hint
    assert (data_copy / "audit-statistics" / "targets.csv").read_bytes() == (
        PROJECT_ROOT / "datapackages" / "audit-statistics" / "targets.csv"
    ).read_bytes()


def test_run_length_and_a_set_limit_bound_the_pdf_too(data_copy, tmp_path):
    runs = tmp_path / "游程.pdf"
    _pdf(runs, bytes([129, 0]) * (2 * MB) + bytes([128]), "/RunLengthDecode")  # 4 MB → 512 MB
    _refused(import_file(runs, INTO, data_copy))
    # The real attachment: its own streams are counted (a limit of 1 kB refuses it) …
    problem = _refused(import_file(ATTACHMENT, INTO, data_copy, check=True, limits=Limits(inflated_bytes=1000)))
    assert "0.0 MB" in problem.message
    # … and within the default limit it reads as before.
    report = import_file(
        ATTACHMENT, "audit-statistics", data_copy, check=True, sets={"source_id": "gd-2022-notice-att2"}
    )
    assert not report.errors, report.errors
