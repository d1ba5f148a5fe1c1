"""Every built page is valid HTML: the Nu Html Checker (npm vnu-jar, pinned in package.json and installed
by `make` through `npm ci`) reports no error on any of them (issue 15, point 8)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from builder.settings import PROJECT_ROOT

VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_checker_errors(pages: list[Path]) -> list[dict]:
    """The checker's errors for `pages`, checked in one JVM run (its JSON report goes to stderr)."""
    java = shutil.which("java")
    if java is None:
        pytest.skip(
            "the Nu Html Checker needs Java, which is not installed (Debian: apt-get install default-jre-headless)"
        )
    if not VNU_JAR.is_file():
        pytest.skip(
            f"the Nu Html Checker is not installed ({VNU_JAR.relative_to(PROJECT_ROOT)}): run `make test`, whose npm ci installs it"
        )
    run = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(run.stderr)
    errors = [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    # vnu exits 1 exactly when it reports an error: a crash with an empty report must not pass.
    assert (run.returncode == 0) == (not errors), (run.returncode, run.stderr[-2000:])
    return errors


def test_the_checker_catches_an_error(tmp_path: Path):
    """The checker really runs: the theme's old toggle markup (autocomplete on a checkbox) is an error."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><input type="checkbox" id="t" autocomplete="off"><label for="__toc">x</label></body></html>',
        encoding="utf-8",
    )
    messages = " ".join(e["message"] for e in nu_checker_errors([page]))
    assert "autocomplete" in messages and "for" in messages, messages


def test_every_built_page_is_valid_html(built_site: Path):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 150  # every generated page, not a handful
    errors = nu_checker_errors(pages)
    where = lambda e: e.get("url", "").partition(str(built_site))[2] or e.get("url", "?")  # noqa: E731
    listed = "\n".join(f"{where(e)}:{e.get('lastLine', '?')}: {e['message']}" for e in errors[:40])
    assert not errors, f"{len(errors)} errors in {len({e.get('url') for e in errors})} pages:\n{listed}"
