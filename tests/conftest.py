"""Shared fixtures: copies of the data and project, a built site, a local server and Chromium."""

from __future__ import annotations

import functools
import http.server
import inspect
import re
import shutil
import threading
from pathlib import Path

import pytest

from builder import pipeline
from helpers import DATA, DESKTOP, PHONE, SITE_PORT, copy_project, settings_for


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped data packages, safe to break."""
    target = tmp_path / "datapackages"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A private copy of everything a build reads, so a test may break templates or pages."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real data packages built once, strictly, into a temporary folder."""
    root = copy_project(tmp_path_factory.mktemp("site-project"))
    result = pipeline.build(settings_for(root, root / "site", site_url=f"http://127.0.0.1:{SITE_PORT}/"))
    assert result.validation.valid, result.validation.problems
    return result.site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", SITE_PORT), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where browser tests save what they saw: pytest's temporary folder, never the repository."""
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian chromium is not installed: run `make test`, which installs it")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


def _tab(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def phone(browser, site_url):
    """A fresh tab at a phone's size (390 × 844)."""
    yield from _tab(browser, PHONE)


@pytest.fixture
def desktop(browser, site_url):
    """A fresh tab at a desktop's size (1366 × 900)."""
    yield from _tab(browser, DESKTOP)


@pytest.fixture
def page(browser, site_url):
    """A fresh page that records every request and console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.requests = []
    tab.console_errors = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    yield tab
    context.close()


# What makes a test slow: a full build (the session's site or its own) or a browser. `make test-fast`
# leaves these out (-m "not build and not browser"), for the edit-test loop.
_BUILDS = re.compile(
    r"pipeline\.build\(|\bbuilt_site\b|\bsite_url\b|sync_playwright|main\(\[\"(build|serve|release)\""
    r"|\"builder\", \"(build|pages|serve|release)\""
)


def _source(function) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def pytest_collection_modifyitems(config, items):
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        functions = [getattr(item, "function", None)]
        if fixtures is not None:
            functions += [d.func for defs in fixtures.name2fixturedefs.values() for d in defs]
        if any(_BUILDS.search(_source(f)) for f in functions if f is not None):
            item.add_marker(pytest.mark.build)
