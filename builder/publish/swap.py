"""Publishing in one swap: a build writes into a partial folder that replaces the site only when complete.

In: the output folder's path. Out: the partial folder to write into (`staged`), renamed into place on
success and removed on failure, so a failed build never leaves a half-built site.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.settings import Settings


def _partial_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.partial"


def _previous_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.previous"


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """Yield the (not yet created) partial folder beside `out`; publish it if the block completes, else remove it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial_dir(out)
    if partial.exists():
        shutil.rmtree(partial)
    try:
        yield partial
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    publish(partial, out)


def publish(partial: Path, out: Path) -> None:
    """Replace `out` with `partial`: two renames on one file system, the old site restored on failure."""
    previous = _previous_dir(out)
    if previous.exists():
        shutil.rmtree(previous)
    if out.exists():
        os.rename(out, previous)
    try:
        os.rename(partial, out)
    except OSError:
        if previous.exists():
            os.rename(previous, out)
        raise
    if previous.exists():
        shutil.rmtree(previous)


def owned_paths(settings: Settings) -> list[Path]:
    """Everything a build may leave behind: `clean` removes exactly these."""
    out = settings.out_dir
    return [settings.work_dir, out, _partial_dir(out), _previous_dir(out)]
