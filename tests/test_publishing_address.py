"""A build meant for publishing refuses to run without the site's public address; a local build says it is
for local preview."""

from __future__ import annotations

import os
import subprocess

import pytest
import yaml

from builder import cli
from builder.settings import PROJECT_ROOT, PublishingAddressError, make_settings, publishing_address


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"SITE_URL": ""},
        {"SITE_URL": "example.org"},
        {"SITE_URL": "http://127.0.0.1:8000/"},
        {"SITE_URL": "http://localhost/x/"},
    ],
)
def test_no_public_address_no_publishing(environ):
    with pytest.raises(PublishingAddressError, match="SITE_URL"):
        publishing_address(environ)


def test_a_public_address_is_used_with_a_final_slash():
    assert publishing_address({"SITE_URL": "https://example.org/gd"}) == "https://example.org/gd/"
    assert make_settings(environ={"SITE_URL": "https://example.org/gd"}).site_url == "https://example.org/gd/"


def test_build_publish_refuses_without_site_url_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("BUILD_FOR_PUBLISHING", raising=False)
    code = cli.main(["build", "--publish", "--out", str(tmp_path / "site")])
    assert code == 2 and not (tmp_path / "site").exists()
    assert "SITE_URL" in capsys.readouterr().err


def test_local_build_says_it_is_a_local_preview(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("BUILD_FOR_PUBLISHING", raising=False)
    monkeypatch.setattr(cli.pipeline, "build", lambda settings: (_ for _ in ()).throw(SystemExit(7)))
    with pytest.raises(SystemExit):
        cli.main(["build", "--out", str(tmp_path / "site")])
    assert "本地预览" in capsys.readouterr().err


@pytest.mark.parametrize("how", [["--publish"], []])
def test_build_for_publishing_set_by_the_environment_refuses_too(tmp_path, monkeypatch, how):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setenv("BUILD_FOR_PUBLISHING", "1")
    assert cli.main(["build", *how, "--out", str(tmp_path / "site")]) == 2 and not (tmp_path / "site").exists()


def test_make_publish_and_ci_build_for_publishing():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "publish: $(STAMP)\n\tBUILD_FOR_PUBLISHING=1 $(PY) -m builder build" in makefile
    workflow = yaml.safe_load((PROJECT_ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    (build,) = [s for s in workflow["jobs"]["build"]["steps"] if s.get("run") == "make site"]
    assert build["env"]["BUILD_FOR_PUBLISHING"] == "1" and build["env"]["SITE_URL"]
    result = subprocess.run(
        ["make", "-n", "publish"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "SITE_URL"},
    )
    assert "BUILD_FOR_PUBLISHING=1" in result.stdout
