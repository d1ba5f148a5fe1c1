"""`make serve` (`python -m builder serve`): the live preview rebuilds when a file under docs/, templates/ or
datapackages/ changes and reloads the open page; a failed build shows its errors on the page (and in the
terminal) while the last good pages stay served. After a change it rebuilds only what the change affects
(builder/preview_build.py): the pages it serves must still be those a full build makes."""

from __future__ import annotations

import json
import threading
import time
import urllib.request

import pytest

from builder import pipeline, serve
from tests.conftest import copy_project, settings_for

CASES = "datapackages/technology-cases/technology_cases.csv"
TITLE = "燃煤机组汽轮机通流改造"  # TC-001's title: its own page (direct), its sector's page (MkDocs), the finder's data


@pytest.fixture
def preview(tmp_path):
    """A preview of a project copy, built as `make serve` starts, watching for changes."""
    root = copy_project(tmp_path / "project")
    settings = settings_for(root, root / "site")
    preview, state = serve.Preview(settings), serve.State()
    said: list[str] = []
    serve.rebuild(preview, state, said.append)
    assert state.ok, state.errors
    observer = serve.watch(preview, state, said.append)
    httpd = serve.server(preview, state, 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}", state, said
    httpd.shutdown()
    observer.stop()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the preview did not rebuild in time"
        time.sleep(0.05)


def test_pages_carry_the_reload_script_and_the_state_is_served(preview):
    root, url, state, _ = preview
    assert "/__preview" in _get(url + "/about/") and "preview-errors" in _get(url + "/")
    served = json.loads(_get(url + "/__preview"))
    assert served == {
        "generation": 1,
        "build": 1,
        "ok": True,
        "errors": "",
        "built_at": state.built_at,
        "note": serve.NOTE,
    }
    assert "下载文件" in served["note"]  # what the preview does not regenerate is said on the page
    assert not (root / "site").exists()  # site/ is left to make site


def test_a_waiting_page_is_answered_when_the_build_finishes(preview):
    root, url, state, _ = preview
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(json.loads(_get(url + "/__preview?build=1"))))
    waiting.start()
    time.sleep(0.5)
    assert not answers  # nothing changed yet: the request waits
    _edit(root / CASES, TITLE, TITLE + "（预览）")
    waiting.join(120)
    assert answers and answers[0]["generation"] == 2 and answers[0]["build"] == 2


def test_after_an_edit_the_preview_serves_what_a_full_build_makes(preview):
    """A CSV cell changed: every page and every file the pages read equals a fresh `make site` of the same files."""
    root, url, state, said = preview
    _edit(root / CASES, TITLE, TITLE + "（预览测试）")
    _wait_for(lambda: state.generation == 2)
    assert said[-1].startswith("✓ 已重新生成") and "MkDocs" in said[-1]
    _wait_for(lambda: state.indexed == 2)
    assert "预览测试" in _get(url + "/search/pages.json")
    assert TITLE + "（预览测试）" in _get(url + "/cases/TC-001/") and TITLE + "（预览测试）" in _get(
        url + "/cases/cases.json"
    )
    full = pipeline.build(settings_for(root, root / "full")).site
    served = root / "build" / "preview" / "site"
    pages = sorted(
        p.relative_to(full).as_posix()
        for p in full.rglob("*")
        if p.is_file() and not p.relative_to(full).as_posix().startswith("downloads/")
    )
    assert len(pages) > 300
    differ = [name for name in pages if (served / name).read_bytes() != (full / name).read_bytes()]
    # Only the DCAT catalogue describes the downloads, which the preview leaves as they were at its start.
    assert differ == ["data/catalog.jsonld"]


@pytest.mark.browser
def test_saving_a_csv_reloads_the_page_with_the_new_value_and_a_broken_figure_shows_on_the_page(preview, browser):
    root, url, state, said = preview
    tab = browser.new_page()
    tab.goto(url + "/cases/TC-001/")
    assert tab.locator("h1").inner_text() == TITLE
    with tab.expect_navigation(timeout=120_000):
        _edit(root / CASES, TITLE, TITLE + "（已修改）")
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text() == TITLE + "（已修改）" and state.generation == 2
    tab.goto(url + "/sectors/energy/")
    assert TITLE + "（已修改）" in tab.content()
    targets = root / "datapackages" / "audit-statistics" / "targets.csv"
    _edit(targets, "2022,440100,150,", "2022,440100,151,")
    overlay = tab.locator("#preview-errors")
    overlay.wait_for(timeout=120_000)
    assert "生成失败" in overlay.inner_text() and "transcription-mismatch" in overlay.inner_text()
    assert state.generation == 2 and any(line.startswith("✗ 生成失败") for line in said)
    _edit(root / CASES, ",节能;降碳,推广,", ",节能;降碳,未知,")  # another error: the page shows the new list
    tab.wait_for_function(
        "document.getElementById('preview-errors')?.textContent.includes('technology_cases.csv')", timeout=120_000
    )
    _edit(root / CASES, ",节能;降碳,未知,", ",节能;降碳,推广,")
    with tab.expect_navigation(timeout=120_000):  # corrected: the page reloads, without the errors
        _edit(targets, "2022,440100,151,", "2022,440100,150,")
    tab.wait_for_load_state()
    assert state.generation == 3 and tab.locator("#preview-errors").count() == 0
    tab.close()


@pytest.mark.browser
def test_saving_a_page_reloads_it(preview, browser):
    root, url, state, _ = preview
    tab = browser.new_page()
    tab.goto(url + "/about/")
    assert "下载文件" in tab.locator("#preview-note").inner_text()
    about = root / "docs" / "about.md"
    with tab.expect_navigation(timeout=120_000):
        about.write_text(about.read_text(encoding="utf-8") + "\n\n预览测试：保存后自动刷新。\n", encoding="utf-8")
    tab.wait_for_load_state()
    assert "预览测试：保存后自动刷新。" in tab.content() and state.generation == 2
    tab.close()
