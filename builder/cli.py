"""Command line: `python -m builder validate|build|import|generate-sample|release|serve|pages|clean`.

Exit codes: 0 success; 1 the data have errors or the build failed; 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from builder import pipeline
from builder.data import releases, sample_enterprises
from builder.data.load import LoadError
from builder.importing import report as import_report
from builder.importing.limits import Limits
from builder.importing.run import ImportUsageError, import_files
from builder.importing.run import Options as ImportOptions
from builder.problems import format_json, format_text
from builder.publish import SiteBuildError
from builder.render import page_table, site_pages
from builder.settings import LOCAL_SITE_URL, PublishingAddressError, Settings, make_settings, publishing_address
from builder.validate import Validation, validate

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m builder", description="校验数据包并生成广东省清洁生产开放数据网站。")
    commands = main.add_subparsers(
        dest="command", required=True, metavar="{validate,build,import,generate-sample,release,serve,pages,clean}"
    )
    check = commands.add_parser("validate", help="校验全部数据包；有错误时退出码为 1")
    check.add_argument("--data", metavar="DIR", help="数据包目录（默认 datapackages/）")
    check.add_argument("--format", choices=["text", "json"], default="text", help="报告格式（默认 text）")
    check.add_argument(
        "--publishing",
        action="store_true",
        help="发布前的检查（CI 发布网站时使用）：已发布版本的数据被改动（release-changed）是错误而不是警告",
    )
    build = commands.add_parser("build", help="先校验，再生成网站到输出目录")
    build.add_argument("--data", metavar="DIR", help="数据包目录（默认 datapackages/）")
    build.add_argument("--out", metavar="DIR", help="网站输出目录（默认 site/）")
    build.add_argument(
        "--publish",
        action="store_true",
        help="为发布而构建（make publish 和 CI 设置 BUILD_FOR_PUBLISHING=1，效果相同）："
        "必须设置网站的公开地址 SITE_URL，否则拒绝构建",
    )
    into = commands.add_parser("import", help="导入 CSV、XLSX、XLS、DOCX、PDF 表格或正式附件，全部合格才写入数据包")
    into.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="要导入的文件：.csv、.xlsx、.xls、.docx、.pdf（文字版），装有 LibreOffice 时还有 .doc、.et、.wps；"
        "可一次导入多个，全部合格才写入",
    )
    into.add_argument(
        "--into",
        required=True,
        metavar="PACKAGE[/RESOURCE]",
        help="目标资源，例如 audit-statistics/targets；只写数据包（如 audit-statistics）时按其导入配置导入正式附件",
    )
    into.add_argument("--profile", metavar="NAME", help="数据包 import/ 中的导入配置（不写时按表头自动选择）")
    into.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="提供标题中写明、表中没有的值，例如 --set year=2021 --set source_id=gd-2022-notice-att1",
    )
    into.add_argument("--table", type=int, metavar="N", help="文件中有多个表格时导入第 N 个（从 1 数起）")
    into.add_argument("--data", metavar="DIR", help="数据包目录（默认 datapackages/）")
    into.add_argument("--encoding", metavar="NAME", help="CSV 的编码（默认依次尝试 UTF-8、GB18030）")
    into.add_argument("--sheet", metavar="NAME", help="XLSX 中要导入的工作表（只有一个时可省略）")
    into.add_argument("--format", choices=["text", "json"], default="text", help="报告格式（默认 text）")
    into.add_argument(
        "--mode",
        choices=["replace", "update", "append"],
        help="replace：以文件为准（导入单个资源时的默认，不删除现有行，除非加 --delete-missing）；"
        "update：只修改文件中出现的行；append：只增加新行（按导入配置导入附件时的默认）",
    )
    into.add_argument(
        "--delete-missing", action="store_true", help="replace 时允许删除文件中没有的现有行（会逐一列出）"
    )
    into.add_argument("--check", action="store_true", help="只检查并列出将发生的改动，不写入任何文件")
    sample = commands.add_parser("generate-sample", help="重新生成企业名录示例数据（确定性）")
    sample.add_argument("--data", metavar="DIR", help="数据包目录（默认 datapackages/）")
    release = commands.add_parser("release", help="校验后把当前数据保存为一个发布版本（releases/<数据包>/<版本>/）")
    release.add_argument("--data", metavar="DIR", help="数据包目录（默认 datapackages/）")
    preview = commands.add_parser("serve", help="生成并在本机预览网站；数据、文档或模板修改后自动重新生成并刷新页面")
    preview.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    pages = commands.add_parser("pages", help="列出网站的每个页面由哪个模板或文件生成；给出地址时列出该页的模板和数据")
    pages.add_argument("url", nargs="?", metavar="URL", help="页面地址，例如 /cities/440300/（不写时列出全部页面）")
    pages.add_argument("--data", metavar="DIR", help="数据包目录（默认 datapackages/）")
    clean = commands.add_parser("clean", help="删除构建生成的全部文件")
    clean.add_argument("--out", metavar="DIR", help="网站输出目录（默认 site/）")
    return main


def run_validate(args: argparse.Namespace) -> int:
    settings = make_settings(data_dir=args.data)
    result = validate(
        settings.data_dir, settings.releases_dir, publishing=args.publishing, public_contacts=settings.public_contacts
    )
    formatter = format_json if args.format == "json" else format_text
    sys.stdout.write(formatter(result.problems, result.summary()))
    return EXIT_OK if result.valid else EXIT_INVALID


def run_build(args: argparse.Namespace) -> int:
    if args.publish or os.environ.get("BUILD_FOR_PUBLISHING") == "1":
        try:
            publishing_address(os.environ)
        except PublishingAddressError as error:
            print(f"✗ {error}\n网站未构建。", file=sys.stderr)
            return EXIT_USAGE
    elif not os.environ.get("SITE_URL"):
        print(
            f"本次为本地预览构建：网站地址为 {LOCAL_SITE_URL}，引用、规范链接、站点地图和 DCAT 目录都指向本机，"
            "不能发布。发布请设置 SITE_URL 后运行 make publish。",
            file=sys.stderr,
        )
    settings = make_settings(data_dir=args.data, out_dir=args.out)
    try:
        result = pipeline.build(settings)
    except SiteBuildError as error:
        print(f"✗ {error}\n网站未发布，原有输出目录保持不变。", file=sys.stderr)
        return EXIT_INVALID
    if result.site is None:
        sys.stderr.write(format_text(result.validation.problems, result.validation.summary()))
        return EXIT_INVALID
    warnings = [p for p in result.validation.problems if not p.is_error]
    if warnings:
        sys.stderr.write(format_text(warnings, result.validation.summary()))
    print(
        f"✓ {result.validation.summary()}；生成 {result.pages} 个页面、{result.files} 个数据文件；"
        f"网站已发布到 {result.site}"
    )
    return EXIT_OK


def run_clean(args: argparse.Namespace) -> int:
    settings = make_settings(out_dir=args.out)
    for path in pipeline.clean(settings):
        print(f"已删除 {path}")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    settings = make_settings(data_dir=args.data)
    try:
        limits = Limits.from_options(dict(settings.import_limits))
    except ValueError as error:
        print(f"✗ {error}", file=sys.stderr)
        return EXIT_USAGE
    sets = dict(item.partition("=")[::2] for item in args.set)
    if any("=" not in item or not item.partition("=")[0] for item in args.set):
        print(f"✗ --set 应写成 字段=值，例如 --set year=2021；收到 {args.set}", file=sys.stderr)
        return EXIT_USAGE
    options = ImportOptions(
        args.encoding,
        args.sheet,
        args.table,
        settings.publishable_contacts,
        args.mode,
        args.delete_missing,
        args.check,
        limits,
        sets,
        args.profile,
    )
    try:
        reports = import_files([Path(f) for f in args.files], args.into, settings.data_dir, options)
    except ImportUsageError as error:
        print(f"✗ {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        sys.stdout.write(
            import_report.format_json(reports[0]) if len(reports) == 1 else import_report.format_json_all(reports)
        )
    else:
        sys.stdout.write("\n".join(import_report.format_text(r) for r in reports))
        if len(reports) > 1:
            sys.stdout.write("\n" + import_report.total_text(reports))
    return EXIT_OK if all(r.valid for r in reports) else EXIT_INVALID


def run_serve(args: argparse.Namespace) -> int:
    from builder import serve  # the watcher is only needed here

    serve.serve(make_settings(), args.port)
    return EXIT_OK


def run_generate_sample(args: argparse.Namespace) -> int:
    settings = make_settings(data_dir=args.data)
    print(f"已写入 {sample_enterprises.write_sample(settings.data_dir)}")
    return EXIT_OK


def _validated(settings: Settings) -> Validation | None:
    """The data validated, or None once the errors are printed (the command then exits EXIT_INVALID)."""
    result = validate(settings.data_dir, public_contacts=settings.public_contacts)
    if not result.valid:
        sys.stderr.write(format_text(result.problems, result.summary()))
        return None
    return result


def run_release(args: argparse.Namespace) -> int:
    settings = make_settings(data_dir=args.data)
    result = _validated(settings)
    if result is None or result.catalog is None:
        return EXIT_INVALID
    try:
        for package in result.catalog.values():  # the packages validation read: no second read
            print(f"已保存 {releases.snapshot(package, settings.releases_dir)}")
    except releases.ReleaseError as error:
        print(f"✗ {error}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def run_pages(args: argparse.Namespace) -> int:
    settings = make_settings(data_dir=args.data)
    result = _validated(settings)
    if result is None:
        return EXIT_INVALID
    data = pipeline.derive_all(settings, result)
    common = site_pages.common_context(settings, data)
    table = page_table.rows(site_pages.page_plan(data, settings.site_url, common), common, settings.docs_dir)
    if args.url is None:
        print(page_table.format_table(table))
        return EXIT_OK
    row = page_table.find(table, args.url)
    if row is None:
        print(f"✗ 没有地址为 {args.url} 的页面；不带地址运行 python -m builder pages 可列出全部页面。", file=sys.stderr)
        return EXIT_USAGE
    print(page_table.format_row(row, common))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        commands = {
            "validate": run_validate,
            "build": run_build,
            "clean": run_clean,
            "generate-sample": run_generate_sample,
            "release": run_release,
            "import": run_import,
            "serve": run_serve,
            "pages": run_pages,
        }
        return commands[args.command](args)
    except LoadError as error:
        print(f"✗ {error}", file=sys.stderr)
        return EXIT_USAGE
