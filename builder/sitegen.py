"""Site stage: run the site generator on the generated docs and publish the result in one swap.

In: build/docs (complete). Out: the output folder, replaced only if the generator succeeded.
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

from builder import direct, layout, privacy, search_index
from builder.settings import Settings


class SiteBuildError(Exception):
    pass


def _partial_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.partial"


def _previous_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.previous"


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


def run_generator(settings: Settings, target: Path) -> None:
    # Not --quiet: it hides warnings from the counter that --strict relies on.
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(settings.source_date_epoch), "NO_MKDOCS_2_WARNING": "1",
           "SITE_URL": settings.site_url,  # mkdocs.yml reads site_url from SITE_URL
           **identity_environment(settings)}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict",
               "--config-file", str(settings.mkdocs_config), "--site-dir", str(target)]
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


def refuse_personal_data(settings: Settings, site: Path) -> None:
    findings = privacy.audit(site, settings.publishable_contacts)
    if findings:
        listed = "\n".join(f"  {finding}" for finding in findings[:50])
        more = f"\n  ……共 {len(findings)} 处" if len(findings) > 50 else ""
        raise SiteBuildError(f"发布内容中发现个人信息（手机号码、身份证号码或电子邮箱），已停止发布：\n{listed}{more}\n"
                             "如确为公开联系方式，请列入 pyproject.toml 的 [tool.builder] public_contacts"
                             "（本站联系邮箱 contact.email 自动视为公开）。")


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


def site_description(settings: Settings) -> str:
    """mkdocs.yml's site_description (the theme's meta description of pages without their own)."""
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load(settings.mkdocs_config.read_text(encoding="utf-8"), Loader=Loader)
    return str(config.get("site_description") or "")


def finish_pages(settings: Settings, site: Path, direct_pages: list[direct.DirectPage]) -> None:
    """Index the generator's pages, add the pages rendered directly, then write the search index."""
    shells = {layout.page_url(page.shell) for page in direct_pages}
    generated = search_index.generator_documents(site, shells | {layout.page_url(layout.SEARCH_PAGE)},
                                                 site_description(settings))
    if direct_pages:
        direct.write_pages(site, direct_pages)
    search_index.write_index(site, generated, direct_pages, settings.data_dir)


def build_site(settings: Settings, direct_pages: list[direct.DirectPage] = ()) -> Path:
    out = settings.out_dir
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial_dir(out)
    if partial.exists():
        shutil.rmtree(partial)
    try:
        run_generator(settings, partial)
        finish_pages(settings, partial, list(direct_pages))
        copy_raw_downloads(settings, partial)
        refuse_personal_data(settings, partial)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    publish(partial, out)
    return out


def owned_paths(settings: Settings) -> list[Path]:
    """Everything a build may leave behind: `clean` removes exactly these."""
    out = settings.out_dir
    return [settings.work_dir, out, _partial_dir(out), _previous_dir(out)]
