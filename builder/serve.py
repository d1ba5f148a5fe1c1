"""`python -m builder serve` (`make serve`): a live preview. Builds, serves site/ at 127.0.0.1, rebuilds when a file
under datapackages/, docs/ or templates/ changes, and reloads the open page.

In: the settings (data, templates, docs, output folder), a port.
Out: an HTTP server. Every HTML page it serves carries a small script that asks `/__preview` for the build
state: a new generation reloads the page; a failed build (validation errors, or a template error) shows the
errors over the page — and in the terminal — while the last good site stays served (a build replaces site/ only
on success).
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from builder import pipeline
from builder.problems import format_text
from builder.settings import Settings
from builder.publish import SiteBuildError

WATCHED = ("datapackages", "docs", "templates")
SETTLE_SECONDS = 0.2  # an editor's save is often several writes: wait until they stop
STATE_PATH = "/__preview"

# Injected before </body>: polls the build state; reloads on a new generation; shows errors when the build failed.
CLIENT = """<script>(function(){var seen=null;function show(t){var d=document.getElementById('preview-errors');
if(!t){if(d)d.remove();return;}if(!d){d=document.createElement('pre');d.id='preview-errors';d.style.cssText=
'position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;z-index:99999;margin:0;padding:1em;background:#fff3f3;'+
'color:#8a0000;border-bottom:3px solid #c00;white-space:pre-wrap;font:13px/1.5 monospace';document.body.appendChild(d);}
d.textContent='预览：最近一次生成失败，页面仍是上一次成功的版本。\\n\\n'+t;}
function poll(){fetch('/__preview',{cache:'no-store'}).then(function(r){return r.json();}).then(function(s){
if(seen!==null&&s.generation!==seen){location.reload();return;}seen=s.generation;show(s.ok?'':s.errors);
}).catch(function(){}).finally(function(){setTimeout(poll,300);});}poll();})();</script>"""


@dataclass
class State:
    generation: int = 0
    ok: bool = True
    errors: str = ""
    built_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def document(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation, "ok": self.ok, "errors": self.errors,
                               "built_at": self.built_at}, ensure_ascii=False).encode("utf-8")


def rebuild(settings: Settings, state: State, say=print) -> None:
    """One build; the state says whether it worked and why not. Never raises: the preview keeps running."""
    started = time.perf_counter()
    try:
        result = pipeline.build(settings)
        errors = "" if result.site is not None else format_text(
            [p for p in result.validation.problems if p.is_error], result.validation.summary())
    except SiteBuildError as error:
        errors = str(error)
    except Exception as error:  # a template or data error must not stop the preview
        errors = f"{type(error).__name__}: {error}"
    with state.lock:
        state.ok, state.errors = not errors, errors
        state.built_at = time.time()
        if not errors:
            state.generation += 1
    took = time.perf_counter() - started
    say(f"✗ 生成失败（{took:.1f} 秒），继续提供上一次成功的网站：\n{errors}" if errors
        else f"✓ 已重新生成（{took:.1f} 秒），打开的页面将自动刷新。")


class Handler(http.server.SimpleHTTPRequestHandler):
    state: State

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # the terminal is for build results

    def do_GET(self):  # noqa: N802 - the base class's name
        if self.path.split("?")[0] == STATE_PATH:
            return self._send(self.state.document(), "application/json; charset=utf-8")
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            page = path.read_bytes().replace(b"</body>", CLIENT.encode("utf-8") + b"</body>", 1)
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def watch(settings: Settings, state: State, say=print, stop: threading.Event | None = None):
    """Rebuild after changes under the watched folders have settled. Returns the watchdog observer."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    changed = threading.Event()
    stop = stop or threading.Event()
    generated = settings.out_dir.resolve(), settings.work_dir.resolve()

    class Changes(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.event_type in ("opened", "closed_no_write"):  # the build reading its templates is no change
                return
            path = Path(str(event.src_path)).resolve()
            if not any(path.is_relative_to(g) for g in generated) and not path.name.startswith("."):
                changed.set()

    def loop():
        while not stop.is_set():
            if changed.wait(0.1):
                while changed.is_set():  # wait for the burst of writes to end
                    changed.clear()
                    time.sleep(SETTLE_SECONDS)
                rebuild(settings, state, say)

    observer = Observer()
    folders = [settings.data_dir, settings.docs_dir, settings.templates_dir]
    for folder in folders:
        if folder.is_dir():
            observer.schedule(Changes(), str(folder), recursive=True)
    observer.start()
    threading.Thread(target=loop, daemon=True).start()
    return observer


def server(settings: Settings, state: State, port: int) -> http.server.ThreadingHTTPServer:
    handler = type("PreviewHandler", (Handler,), {"state": state})
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(settings.out_dir)))


def serve(settings: Settings, port: int = 8000) -> None:
    state = State()
    rebuild(settings, state)
    observer = watch(settings, state)
    httpd = server(settings, state, port)
    print(f"预览：http://127.0.0.1:{port}/ （修改 {'、'.join(WATCHED)} 下的文件后自动重新生成并刷新；Ctrl+C 退出）")
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        httpd.server_close()
