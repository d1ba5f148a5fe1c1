"""The site generator: MkDocs run on the generated docs, with who runs the site in its environment.

In: build/docs (complete). Out: the generator's pages in a (partial) site folder.
MkDocs runs as a subprocess with `--strict`, so it can be swapped for another generator
without touching the stages before it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from builder.publish import SiteBuildError
from builder.settings import Settings


def identity_environment(settings: Settings) -> dict[str, str]:
    """Who runs the site, for the theme's footer and the 纠错 page: mkdocs.yml `extra.identity` reads these.

    Variables rather than a generated config, as for SITE_URL: mkdocs.yml stays the one config file.
    An empty value reads as null there (nothing shown).
    """
    license, platform = dict(settings.default_license), dict(settings.official_platform)
    return {
        "GD_PUBLISHER": settings.publisher,
        "GD_CONTACT_NAME": settings.contact.name,
        "GD_CONTACT_EMAIL": settings.contact.email,
        "GD_CONTACT_URL": settings.contact.url,
        "GD_LICENSE_TITLE": license.get("title") or license.get("name", ""),
        "GD_LICENSE_URL": license.get("path", ""),
        "GD_OFFICIAL": "true" if settings.official else "false",
        "GD_OFFICIAL_NAME": platform.get("name", ""),
        "GD_OFFICIAL_URL": platform.get("url", ""),
    }


def generator_environment(settings: Settings) -> dict[str, str]:
    """What MkDocs reads from the environment (also in the live preview's process): the build date,
    mkdocs.yml's site_url and who runs the site."""
    return {
        "SOURCE_DATE_EPOCH": str(settings.source_date_epoch),
        "NO_MKDOCS_2_WARNING": "1",
        "SITE_URL": settings.site_url,  # mkdocs.yml reads site_url from SITE_URL
        **identity_environment(settings),
    }


def run_generator(settings: Settings, target: Path) -> None:
    # Not --quiet: it hides warnings from the counter that --strict relies on.
    env = {**os.environ, **generator_environment(settings)}
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(settings.mkdocs_config),
        "--site-dir",
        str(target),
    ]
    result = subprocess.run(command, cwd=settings.root, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SiteBuildError(f"MkDocs 构建失败（退出码 {result.returncode}）：\n{result.stderr}{result.stdout}")


def copy_raw_downloads(settings: Settings, target: Path) -> None:
    """Markdown files inside downloads are data (excluded from rendering in mkdocs.yml): copy them as-is."""
    downloads = settings.generated_docs / "downloads"
    for source in sorted(downloads.rglob("*.md")):
        if source.name == "index.md":
            continue  # a download folder's index page, which MkDocs renders
        destination = target / source.relative_to(settings.generated_docs)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)


def site_description(settings: Settings) -> str:
    """mkdocs.yml's site_description (the theme's meta description of pages without their own)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load(settings.mkdocs_config.read_text(encoding="utf-8"), Loader=Loader)
    return str(config.get("site_description") or "")
