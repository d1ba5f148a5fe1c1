"""The live preview's build (`make serve`): the stages of `python -m builder build`, kept warm between changes.

In: the settings; called once at start and after every change. Out: the served preview folder
(build/preview/site) and whether the build worked and why not. It never touches site/ (`make site`'s).
What differs from a full build, said on the page and in the terminal (NOTE):
- validation runs first and in full, but a package whose files are unchanged keeps its Frictionless report;
  when neither the data nor the releases changed, the last validation and derived data are reused;
- the downloads (every format of every release) and the DCAT catalogue describing them are written at the
  start only; after a change the pages, and the files pages read (case finder, directory, charts, JSON API,
  changelogs) are written again;
- generated files reach the site generator's folder only when their bytes changed, and MkDocs, kept warm,
  converts and writes only the pages whose Markdown changed (preview/site.py);
- no privacy audit; the search index is written after the page has been told to reload.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from builder import layout, pipeline
from builder import validate as validation_stage
from builder.data import sample_mark
from builder.data.load import RowKeeper
from builder.derive import api, enterprise_directory
from builder.export import site_files
from builder.preview.site import WarmSite
from builder.problems import Problem, format_text
from builder.publish import search_index
from builder.publish.generator import site_description
from builder.render import site_pages
from builder.settings import Settings

NOTE = "预览：修改后只更新页面和页面上的数据；下载文件和 DCAT 目录未重新生成（仍是启动预览时的版本），也未做个人信息检查。发布前请运行 make site。"


@dataclass
class Outcome:
    errors: str = ""  # empty when the build worked
    stages: dict[str, float] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)  # site-relative pages written


def _files(folder: Path) -> dict[str, Path]:
    return {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}


def sync(source: Path, target: Path, keep: Collection[str] = frozenset()) -> list[str]:
    """Make `target` hold `source`'s files, writing only those whose bytes differ (their times tell MkDocs
    what changed); files of `target` that `source` lacks are removed unless listed in `keep`."""
    written, present = [], _files(source)
    for name, path in present.items():
        destination = target / name
        data = path.read_bytes()
        if not destination.is_file() or destination.stat().st_size != len(data) or destination.read_bytes() != data:
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
            written.append(name)
    for name, path in _files(target).items() if target.exists() else ():
        if name not in present and name not in keep:
            path.unlink()
    return written


def _copy_raw_downloads(docs: Path, site: Path) -> None:
    """Markdown files inside downloads are data, not pages (generator.copy_raw_downloads): copied when changed."""
    for source in sorted((docs / layout.DOWNLOADS).rglob("*.md")):
        if source.name != "index.md":
            target = site / source.relative_to(docs)
            data = source.read_bytes()
            if not target.is_file() or target.read_bytes() != data:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)


def _digest(folder: Path) -> str:
    digest = hashlib.blake2b()
    for name, path in sorted(_files(folder).items()):
        digest.update(name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class Preview:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.root = settings.work_dir / "preview"
        self.docs, self.site = self.root / "docs", self.root / "site"
        self.warm = WarmSite(settings, self.docs, self.site)
        self.kept: set[str] | None = None  # docs files only the start's full export writes
        self.reports: dict[Path, tuple[str, tuple]] = {}  # package folder → (digest, Frictionless result)
        self.searched: dict[str, tuple[str, search_index.SearchDocument]] = {}  # page URL → (HTML, its document)
        self.direct: list = []
        self.indexed: tuple | None = None  # what the search index was last written from
        self.data: tuple | None = None  # (digest of the data and releases, SiteData) of the last build

    def _frictionless(
        self, package_dir: Path, descriptor: dict, keeper: RowKeeper
    ) -> tuple[list[Problem], int, dict[str, int]]:
        """validate._frictionless, reused while the package's files are byte for byte the same."""
        digest = _digest(package_dir)
        known = self.reports.get(package_dir)
        if known and known[0] == digest:
            *cached, keeper.rows = known[1]
            return tuple(cached)
        result = validation_stage._frictionless(package_dir, descriptor, keeper)
        self.reports[package_dir] = (digest, (*result, keeper.rows))
        return result

    def build(self) -> Outcome:
        settings, outcome, clock = self.settings, Outcome(), time.perf_counter()

        def stage(name: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            outcome.stages[name] = outcome.stages.get(name, 0.0) + now - clock
            clock = now

        inputs = _digest(settings.data_dir) + _digest(settings.releases_dir)
        if self.data is not None and self.data[0] == inputs:
            data = self.data[1]  # only docs/ or templates/ changed: the data and their files are as they were
            stage("validate")
        else:
            checked = validation_stage.validate(
                settings.data_dir,
                settings.releases_dir,
                frictionless=self._frictionless,
                public_contacts=settings.public_contacts,
            )
            stage("validate")
            if not checked.valid:
                outcome.errors = format_text([p for p in checked.problems if p.is_error], checked.summary())
                return outcome
            data = None
        if self.kept is None:  # the start: everything, downloads included
            pages, _ = pipeline.generate(settings, checked)
            stage("render+export")
            rendered = {p.relative_to(settings.generated_docs).as_posix() for p in pages.markdown}
            copied = set(_files(settings.docs_dir)) | set(site_pages.VENDOR_ASSETS)
            self.kept = set(_files(settings.generated_docs)) - rendered - copied
            if self.root.exists():
                shutil.rmtree(self.root)
        else:
            if data is None:
                data = pipeline.derive_all(settings, checked)
                self.data = None
                stage("derive")
            pages = site_pages.render(settings, data)
            stage("render")
            if self.data is None:  # the data changed: what the pages draw in the browser, again
                docs = settings.generated_docs
                record_charts = [data.public_record.chart] if data.public_record else []
                # As pipeline.generate writes them (tests/test_serve.py compares the preview with a full build).
                documents = {
                    **data.api,
                    api.OPENAPI_PATH: api.openapi(data.api, settings.site_url),
                    **{
                        layout.changelog_json(name): sample_mark.with_sample_mark(log, data.catalog[name])
                        for name, log in data.changelogs.items()
                    },
                }
                written = (
                    enterprise_directory.export_directory(data.catalog, docs)
                    + site_files.export_finder(data.catalog, docs)
                    + site_files.export_charts(data.figures.all() + record_charts, data.catalog, settings)
                    + site_files.export_json_documents(documents, docs)
                )
                self.kept |= {path.relative_to(docs).as_posix() for path in written}  # kept while only pages change
                stage("export")
            self.data = (inputs, data)
        sync(settings.generated_docs, self.docs, self.kept)
        stage("sync")
        outcome.pages = self.warm.build(pages.direct)
        self.direct = pages.direct
        _copy_raw_downloads(self.docs, self.site)
        stage("mkdocs")
        return outcome

    def write_search_index(self) -> float:
        """The search index of the served pages; a page's text is read again only when its HTML changed."""
        started = time.perf_counter()
        skip = {layout.page_url(p.shell) for p in self.direct} | {layout.page_url(layout.SEARCH_PAGE)}
        skip |= {layout.page_url(p.path) for p in self.direct}
        description = site_description(self.settings)
        documents: list[search_index.SearchDocument] = []
        for path in sorted(self.site.rglob("index.html")):
            url = path.parent.relative_to(self.site).as_posix()
            url = "" if url == "." else url + "/"
            if url in skip:
                continue
            html = path.read_text(encoding="utf-8")
            known = self.searched.get(url)
            if known is None or known[0] != html:
                known = self.searched[url] = (html, search_index.document_from_html(url, html, description))
            documents.append(known[1])
        terms = self.settings.data_dir / "reference"  # search_terms reads its names
        inputs = (documents, self.direct, _digest(terms) if terms.is_dir() else "")
        if inputs != self.indexed:  # else the index would come out the same
            search_index.write_index(self.site, documents, self.direct, self.settings.data_dir)
            self.indexed = inputs
        return time.perf_counter() - started
