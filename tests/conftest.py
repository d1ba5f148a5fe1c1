"""Shared fixtures: copies of the data and project, a built site, a local server and Chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import threading
from pathlib import Path

import pytest

from builder import pipeline
from builder.settings import PROJECT_ROOT, Settings

DATA = PROJECT_ROOT / "datapackages"
FIXED_EPOCH = 1648080000  # 2022-03-24, the notice's date: keeps test builds reproducible


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped data packages, safe to break."""
    target = tmp_path / "datapackages"
    shutil.copytree(DATA, target)
    return target


def copy_project(root: Path) -> Path:
    """Copy everything a build reads into `root`; the npm packages are linked, not copied."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("docs", "templates", "datapackages", "overrides", "releases"):
        shutil.copytree(PROJECT_ROOT / name, root / name)
    (root / "node_modules").symlink_to(PROJECT_ROOT / "node_modules")
    return root


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A private copy of everything a build reads, so a test may break templates or pages."""
    return copy_project(tmp_path / "project")


def settings_for(root: Path, out: Path, data: Path | None = None, site_url: str = "http://127.0.0.1:8000/") -> Settings:
    return Settings(root=root, data_dir=data or root / "datapackages", out_dir=out, source_date_epoch=FIXED_EPOCH,
                    site_url=site_url)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The site is built for the address it is served at, so that its canonical links and sitemap
# name the pages the tests open.
SITE_PORT = _free_port()


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
