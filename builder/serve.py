"""`python -m builder serve` (`make serve`): a live preview. Builds (builder/preview/), serves the preview
at 127.0.0.1, rebuilds when a file under datapackages/, docs/ or templates/ changes, and reloads the open page.

In: the settings (data, templates, docs), a port.
Out: an HTTP server of build/preview/site (site/ is left to `make site`). Every HTML page it serves carries a small
script that asks `/__preview` for the build state, answered when the state changes: a new generation reloads the
page; a failed build (validation errors, or a template error) shows the errors over the page — and in the terminal
— while the last good pages stay served (nothing is written before every check has passed). A bar says what the
preview does not regenerate after a change (the downloads).
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.preview.build import NOTE, Preview
from builder.publish import SiteBuildError
from builder.settings import Settings

if TYPE_CHECKING:  # watchdog is imported when the preview starts watching
    from watchdog.events import FileSystemEvent
    from watchdog.observers.api import BaseObserver

Say = Callable[[str], object]  # where a build's outcome is told: print, or a test's list

WATCHED = ("datapackages", "docs", "templates")
SETTLE_SECONDS = 0.1  # an editor's save is often several writes: wait until they stop
STATE_PATH = "/__preview"
WAIT_SECONDS = 20  # a page's request for the state is answered when the state changes, or after this

# Injected before </body>: asks for the build state, the server answering when it changes (so a reload
# follows a build at once); reloads on a new generation; shows errors when the build failed, and the note.
CLIENT = """<script>(function(){var seen=null,build=null;function box(id,css){var d=document.getElementById(id);
if(!d){d=document.createElement(id==='preview-note'?'div':'pre');d.id=id;d.style.cssText=css;document.body.appendChild(d);}return d;}
function show(s){var d=document.getElementById('preview-errors');if(s.ok){if(d)d.remove();}else{box('preview-errors',
'position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;z-index:99999;margin:0;padding:1em;background:#fff3f3;'+
'color:#8a0000;border-bottom:3px solid #c00;white-space:pre-wrap;font:13px/1.5 monospace').textContent=
'预览：最近一次生成失败，页面仍是上一次成功的版本。\\n\\n'+s.errors;}
if(s.note&&!sessionStorage.getItem('preview-note')){var n=box('preview-note','position:fixed;left:0;right:0;bottom:0;'+
'z-index:99998;padding:.3em 2.2em .3em .8em;background:#fffbe6;color:#5c4400;border-top:1px solid #d8c27a;font:12px/1.5 sans-serif');
n.textContent=s.note+'（点击隐藏）';n.onclick=function(){sessionStorage.setItem('preview-note','1');n.remove();};}}
function poll(){fetch('/__preview'+(build===null?'':'?build='+build),{cache:'no-store'}).then(function(r){
return r.json();}).then(function(s){if(seen!==null&&s.generation!==seen){location.reload();return;}seen=s.generation;
build=s.build;show(s);setTimeout(poll,0);}).catch(function(){setTimeout(poll,1000);});}poll();})();</script>"""


@dataclass
class State:
    generation: int = 0  # successful builds: a new one reloads the page
    build: int = 0  # every build, failed ones too (their errors may differ)
    ok: bool = True
    errors: str = ""
    built_at: float = 0.0
    note: str = NOTE
    stages: dict = field(default_factory=dict)  # seconds per stage of the last build, for the benchmark
    indexed: int = 0  # the generation whose search index is written
    changed: threading.Condition = field(default_factory=threading.Condition)

    def document(self) -> bytes:
        with self.changed:
            return json.dumps(
                {
                    "generation": self.generation,
                    "build": self.build,
                    "ok": self.ok,
                    "errors": self.errors,
                    "built_at": self.built_at,
                    "note": self.note,
                },
                ensure_ascii=False,
            ).encode("utf-8")

    def wait(self, build: int, timeout: float = WAIT_SECONDS) -> None:
        """Until a build after the one the page last saw has finished (or the timeout)."""
        with self.changed:
            self.changed.wait_for(lambda: self.build != build, timeout)

    def record(self, errors: str, stages: dict) -> None:
        with self.changed:
            self.ok, self.errors, self.stages = not errors, errors, stages
            self.built_at = time.time()
            self.build += 1
            if not errors:
                self.generation += 1
            self.changed.notify_all()


_STAGE_NAMES = {
    "validate": "校验",
    "derive": "推导",
    "render": "页面",
    "render+export": "页面和下载文件",
    "export": "页面数据",
    "sync": "复制",
    "mkdocs": "MkDocs",
}


def rebuild(preview: Preview, state: State, say: Say = print) -> None:
    """One build; the state says whether it worked and why not. Never raises: the preview keeps running."""
    started = time.perf_counter()
    stages: dict[str, float] = {}
    try:
        outcome = preview.build()
        errors, stages = outcome.errors, outcome.stages
    except SiteBuildError as error:
        errors = str(error)
    except Exception as error:  # a template or data error must not stop the preview
        errors = f"{type(error).__name__}: {error}"
    state.record(errors, stages)
    took = time.perf_counter() - started
    detail = "、".join(f"{_STAGE_NAMES.get(name, name)} {seconds:.1f}" for name, seconds in stages.items())
    say(
        f"✗ 生成失败（{took:.1f} 秒），继续提供上一次成功的网站：\n{errors}"
        if errors
        else f"✓ 已重新生成（{took:.1f} 秒：{detail}），打开的页面将自动刷新。"
    )
    if not errors:  # after the reload: only a search uses it
        try:
            preview.write_search_index()
            state.indexed = state.generation
        except Exception as error:
            say(f"✗ 搜索索引未更新：{type(error).__name__}: {error}")


class Handler(http.server.SimpleHTTPRequestHandler):
    state: State

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # the terminal is for build results

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        address, _, query = self.path.partition("?")
        if address == STATE_PATH:
            seen = urllib.parse.parse_qs(query).get("build")
            if seen and seen[0].isdigit():  # the page waits for the next build
                self.state.wait(int(seen[0]))
            return self._send(self.state.document(), "application/json; charset=utf-8")
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            page = path.read_bytes().replace(b"</body>", CLIENT.encode("utf-8") + b"</body>", 1)
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        try:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded while it waited for the state


def watch(preview: Preview, state: State, say: Say = print, stop: threading.Event | None = None) -> BaseObserver:
    """Rebuild after changes under the watched folders have settled. Returns the watchdog observer."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    settings = preview.settings
    changed = threading.Event()
    stop = stop or threading.Event()
    generated = settings.out_dir.resolve(), settings.work_dir.resolve()

    class Changes(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write"):  # the build reading its templates is no change
                return
            path = Path(str(event.src_path)).resolve()
            if not any(path.is_relative_to(g) for g in generated) and not path.name.startswith("."):
                changed.set()

    def loop() -> None:
        while not stop.is_set():
            if changed.wait(0.1):
                while changed.is_set():  # wait for the burst of writes to end
                    changed.clear()
                    time.sleep(SETTLE_SECONDS)
                rebuild(preview, state, say)

    observer = Observer()
    folders = [settings.data_dir, settings.docs_dir, settings.templates_dir]
    for folder in folders:
        if folder.is_dir():
            observer.schedule(Changes(), str(folder), recursive=True)
    observer.start()
    threading.Thread(target=loop, daemon=True).start()
    return observer


def server(preview: Preview, state: State, port: int) -> http.server.ThreadingHTTPServer:
    handler = type("PreviewHandler", (Handler,), {"state": state})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(preview.site))
    )
    httpd.daemon_threads = True  # a page waiting for the next build does not hold the server open
    return httpd


def serve(settings: Settings, port: int = 8000) -> None:
    preview, state = Preview(settings), State()
    print("预览：正在生成网站（第一次包括全部下载文件，之后只重新生成改动影响的部分）……")
    rebuild(preview, state)
    observer = watch(preview, state)
    httpd = server(preview, state, port)
    print(
        f"预览：http://127.0.0.1:{port}/ （修改 {'、'.join(WATCHED)} 下的文件后自动重新生成并刷新；Ctrl+C 退出）\n{NOTE}"
    )
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        httpd.server_close()
