"""`make serve` (`python -m builder serve`): the live preview rebuilds when a file under docs/, templates/ or
datapackages/ changes and reloads the open page; a failed build shows its errors on the page (and in the
terminal) while the last good site stays served."""

from __future__ import annotations

import json
import shutil
import threading
import urllib.request

import pytest

from builder import serve
from tests.conftest import copy_project, settings_for


@pytest.fixture
def preview(tmp_path, built_site):
    """A preview of a project copy, started from the already built site (generation 1), watching for changes."""
    root = copy_project(tmp_path / "project")
    shutil.copytree(built_site, root / "site")
    settings = settings_for(root, root / "site")
    state = serve.State(generation=1)
    said: list[str] = []
    observer = serve.watch(settings, state, said.append)
    httpd = serve.server(settings, state, 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}", state, said
    httpd.shutdown()
    observer.stop()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_pages_carry_the_reload_script_and_the_state_is_served(preview):
    _, url, state, _ = preview
    assert "/__preview" in _get(url + "/about/") and "preview-errors" in _get(url + "/")
    assert json.loads(_get(url + "/__preview")) == {"generation": 1, "ok": True, "errors": "", "built_at": 0.0}


@pytest.mark.browser
def test_saving_a_page_reloads_it_and_a_broken_figure_shows_on_the_page(preview, browser):
    root, url, state, said = preview
    tab = browser.new_page()
    tab.goto(url + "/about/")
    about = root / "docs" / "about.md"
    with tab.expect_navigation(timeout=60_000):
        about.write_text(about.read_text(encoding="utf-8") + "\n\n预览测试：保存后自动刷新。\n", encoding="utf-8")
    tab.wait_for_load_state()
    assert "预览测试：保存后自动刷新。" in tab.content() and state.generation == 2
    targets = root / "datapackages" / "audit-statistics" / "targets.csv"
    targets.write_text(targets.read_text(encoding="utf-8").replace("2022,440100,150,", "2022,440100,151,"),
                       encoding="utf-8")
    overlay = tab.locator("#preview-errors")
    overlay.wait_for(timeout=60_000)
    assert "生成失败" in overlay.inner_text() and "transcription-mismatch" in overlay.inner_text()
    assert state.generation == 2 and any(line.startswith("✗ 生成失败") for line in said)
    tab.close()
