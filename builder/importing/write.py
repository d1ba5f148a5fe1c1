"""Writes the canonical CSV, atomically: a temporary file beside the target, swapped in by os.replace.

In: the target and its rows (field name → text).
Out: the canonical bytes (UTF-8 without BOM, LF line endings, header = field names in schema order, written
by Python's csv module like the shipped files), and the written file. On any failure the target is untouched.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path


def canonical_bytes(names: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerows([row.get(name, "") for name in names] for row in rows)
    return out.getvalue().encode("utf-8")


def replace_atomically(path: Path, data: bytes) -> bool:
    """Write `data` to `path`; returns False when the file already held exactly these bytes."""
    if path.is_file() and path.read_bytes() == data:
        return False
    mode = path.stat().st_mode & 0o777 if path.is_file() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".importing")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
