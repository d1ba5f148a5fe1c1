"""The live preview's site stage: MkDocs kept warm in the serving process, redoing only what changed.

In: the preview's copy of the generated docs (a file rewritten only when its text changed) and the direct pages.
Out: the served preview folder (build/preview/site), updated in place: a page's Markdown is converted again only
when its text changed, and its HTML written again only then (every page when the navigation or the set of files
changed); static files are copied when their source is newer; the direct pages are filled into their shell. The
checks of a strict build (links, anchors, every MkDocs warning) run before anything is written, so a failed build
leaves the served pages as they were.

`make site` / `make publish` never come here: they run MkDocs afresh in a subprocess (publish/generator.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from builder import layout
from builder.publish import SiteBuildError
from builder.publish.generator import generator_environment
from builder.render import html_pages
from builder.settings import Settings

if TYPE_CHECKING:  # MkDocs is imported when the preview first builds, not when the CLI starts
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import TableOfContents


@dataclass
class _Converted:
    """A page's Markdown as converted last time, and what the conversion found (kept across builds)."""

    key: tuple
    content: str
    toc: TableOfContents
    title: str | None
    anchors: set[str] | None
    links: dict[str, dict[str, str]] | None  # linked file's src_uri → {anchor: link}


def _links_by_uri(links: dict[File, dict[str, str]] | None) -> dict[str, dict[str, str]] | None:
    """A page's links to anchors, keyed by the linked file's src_uri (File objects are made afresh each build)."""
    return None if links is None else {f.src_uri: anchors for f, anchors in links.items()}


def _links_by_file(links: dict[str, dict[str, str]] | None, files: Files) -> dict[File, dict[str, str]] | None:
    """The converse, against this build's files."""
    if links is None:
        return None
    found = {}
    for uri, anchors in links.items():
        file = files.get_file_from_path(uri)
        assert file is not None, "a conversion is reused only for the same set of files (part of its key)"
        found[file] = anchors
    return found


def _page_of(file: File) -> Page:
    assert file.page is not None, "WarmSite.build gives every documentation file its Page first"
    return file.page


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


@contextlib.contextmanager
def _mkdocs_run(settings: Settings) -> Iterator[_Warnings]:
    """MkDocs' environment (mkdocs.yml reads SITE_URL and the identity; dates come from SOURCE_DATE_EPOCH)
    and its warnings collected, as `mkdocs build --strict` counts them."""
    values = generator_environment(settings)
    saved = {name: os.environ.get(name) for name in values}
    logger = logging.getLogger("mkdocs")
    warnings, propagate = _Warnings(), logger.propagate
    os.environ.update(values)
    logger.addHandler(warnings)
    logger.propagate = False
    try:
        yield warnings
    finally:
        logger.removeHandler(warnings)
        logger.propagate = propagate
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class WarmSite:
    def __init__(self, settings: Settings, docs_dir: Path, site_dir: Path):
        self.settings, self.docs_dir, self.site_dir = settings, docs_dir, site_dir
        self.config: MkDocsConfig | None = None
        self.env: Environment | None = None
        self.converted: dict[str, _Converted] = {}
        self.layout: tuple | None = None
        self.outputs: set[str] = set()  # site-relative files the last build produced
        self.direct_urls: set[str] = set()

    def _load(self) -> tuple[MkDocsConfig, Environment]:
        from mkdocs.config import load_config

        config = load_config(
            str(self.settings.mkdocs_config), docs_dir=str(self.docs_dir), site_dir=str(self.site_dir), strict=True
        )
        return config, config.theme.get_env()  # the theme's templates compiled once

    def build(self, direct_pages: list[html_pages.DirectPage]) -> list[str]:
        """Update the served folder; returns the site-relative pages written."""
        from mkdocs.commands.build import _build_page, _build_theme_template
        from mkdocs.structure.files import InclusionLevel, get_files
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page

        with _mkdocs_run(self.settings) as warnings:
            if self.config is None or self.env is None:
                self.config, self.env = self._load()
            config, env = self.config, self.env
            files = get_files(config)
            files.add_files_from_theme(env, config)
            nav = get_navigation(files, config)
            known = tuple(f.src_uri for f in files)
            pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
            converted, changed = {}, []
            for file in pages:
                if file.page is None:
                    Page(None, file, config)
                page = file.page
                assert page is not None, "a Page attaches itself to its file"
                page.read_source(config)
                key = (page.markdown, repr(page.meta), known)
                kept = self.converted.get(file.src_uri)
                if kept is not None and kept.key == key:
                    page.content, page.toc, page._title_from_render = kept.content, kept.toc, kept.title
                    page.present_anchor_ids = kept.anchors
                    page.links_to_anchors = _links_by_file(kept.links, files)
                    continue
                config._current_page = page
                try:
                    page.render(config, files)
                finally:
                    config._current_page = None
                assert page.content is not None, "render() converted the Markdown to HTML"
                converted[file.src_uri] = _Converted(
                    key,
                    page.content,
                    page.toc,
                    page._title_from_render,
                    page.present_anchor_ids,
                    _links_by_uri(page.links_to_anchors),
                )
                changed.append(file)
            for file in pages:
                _page_of(file).validate_anchor_links(files=files, log_level=config.validation.links.anchors)
            clashing = {layout.page_url(p.path) for p in direct_pages} & {f.url for f in pages}
            if clashing:
                raise SiteBuildError(f"直接生成的页面与站点生成器的页面同名：{'、'.join(sorted(clashing))}")
            if warnings.messages:
                raise SiteBuildError("MkDocs 构建失败（严格模式下有警告）：\n" + "\n".join(warnings.messages))
            # Only a successful build is remembered: a page that warned is converted (and warns) again next time.
            self.converted.update(converted)
            shape = (known, tuple((p.url, p.title) for p in nav.pages))
            rewrite = pages if shape != self.layout or not self.outputs else changed
            files.copy_static_files(dirty=True)
            for file in rewrite:
                _build_page(_page_of(file), config, pages, nav, env)
            urls = {layout.page_url(p.path) for p in direct_pages}
            templates = shape != self.layout or urls != self.direct_urls
            if templates:  # the 404 page shows the navigation; the sitemap lists every page
                for template in sorted(config.theme.static_templates):
                    _build_theme_template(template, env, files, config, nav)
            self.layout, self.direct_urls = shape, urls
        outputs = {f.dest_uri for f in files} | {url + "index.html" for url in urls}
        self._fill(direct_pages)
        if templates:
            html_pages.rewrite_sitemap(
                self.site_dir,
                {layout.page_url(p.shell) for p in direct_pages},
                [layout.page_url(p.path) for p in direct_pages],
            )
        for stale in sorted(self.outputs - outputs):
            (self.site_dir / stale).unlink(missing_ok=True)
        self.outputs = outputs
        return [f.dest_uri for f in rewrite]

    def _fill(self, pages: list[html_pages.DirectPage]) -> None:
        """The direct pages in their shell; the shell stays (the preview never lists it) for the next build."""
        shells = {name: html_pages.read_shell(self.site_dir, name) for name in sorted({p.shell for p in pages})}
        for page in pages:
            target = self.site_dir / layout.page_url(page.path) / "index.html"
            text = shells[page.shell].fill(page)
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
