"""The site's ES modules as served: minified by the build (rjsmin), they still parse and pass their Node tests.

The Node tests themselves (tests/js/*.test.mjs, `node --test tests/js/`) test the sources; here they run
again over a minified copy of docs/assets (GD_ASSETS), so that a minifier that mangled `import`, `export`,
template literals or a regular expression would fail them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.render.site_pages import minify_assets

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail("Node.js is needed (it installs the chart library)")
    return found


@pytest.fixture(scope="module")
def minified(tmp_path_factory) -> Path:
    assets = tmp_path_factory.mktemp("assets") / "assets"
    shutil.copytree(ROOT / "docs" / "assets", assets)
    minify_assets(assets)
    return assets


def test_every_module_is_minified_and_still_parses(node, minified):
    modules = sorted(minified.rglob("*.js"))
    assert any(path.parent.name == "lib" for path in modules), "the lib/ modules are minified too"
    for path in modules:
        source = ROOT / "docs" / "assets" / path.relative_to(minified)
        assert path.stat().st_size < source.stat().st_size, path.name
        check = subprocess.run([node, "--check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, (path.name, check.stderr)


def test_the_node_tests_pass_on_the_minified_modules(node, minified):
    env = {**os.environ, "GD_ASSETS": str(minified), "PYTHON": sys.executable}
    run = subprocess.run([node, "--test", "tests/js/"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout
