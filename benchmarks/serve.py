"""A loopback static server that compresses as a production host does.

In: a built site folder. Out: an HTTP/1.1 server on 127.0.0.1 that answers with gzip (level 6, the
zlib default that common hosts use) whenever the browser accepts it and the file is text. Without
compression every byte figure measured in the browser would be the raw size, which no visitor pays.
Each file is compressed once and kept in memory, so serving costs no CPU during a measurement.
"""

from __future__ import annotations

import gzip
import http.server
import mimetypes
import os
import posixpath
import threading
import urllib.parse
from pathlib import Path

GZIP_LEVEL = 6
COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "image/svg+xml",
    "application/atom+xml",
    "application/ld+json",
    "application/manifest+json",
)
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("application/json", ".json")
mimetypes.add_type("text/csv", ".csv")
mimetypes.add_type("application/atom+xml", ".xml")


class Files:
    """Raw and compressed bytes of the site's files, read once."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._cache: dict[Path, tuple[bytes, bytes | None, str]] = {}
        self._lock = threading.Lock()

    def get(self, path: Path) -> tuple[bytes, bytes | None, str]:
        with self._lock:
            if path not in self._cache:
                raw = path.read_bytes()
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                packed = gzip.compress(raw, GZIP_LEVEL, mtime=0) if kind.startswith(COMPRESSIBLE) else None
                self._cache[path] = (raw, packed, kind)
            return self._cache[path]


def handler_for(files: Files):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _target(self) -> Path | None:
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            parts = [p for p in posixpath.normpath(path).split("/") if p not in ("", ".", "..")]
            target = files.root.joinpath(*parts)
            if target.is_dir():
                if not path.endswith("/"):
                    return target  # redirected by the caller
                target = target / "index.html"
            return target if target.is_file() else None

        def _send(self, head_only: bool) -> None:
            target = self._target()
            if target is not None and target.is_dir():
                self.send_response(301)
                self.send_header("Location", urllib.parse.urlsplit(self.path).path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if target is None:
                body = b"not found"
                self.send_response(404)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head_only:
                    self.wfile.write(body)
                return
            raw, packed, kind = files.get(target)
            use_gzip = packed is not None and "gzip" in self.headers.get("Accept-Encoding", "")
            body = packed if use_gzip else raw
            self.send_response(200)
            self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith(COMPRESSIBLE) else ""))
            self.send_header("Content-Length", str(len(body)))
            if use_gzip:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if not head_only:
                self.wfile.write(body)

        def do_GET(self):
            self._send(False)

        def do_HEAD(self):
            self._send(True)

    return Handler


class SiteServer:
    """`with SiteServer(site, port) as url:` serves the site until the block ends."""

    def __init__(self, site: Path, port: int = 0) -> None:
        self.files = Files(site)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler_for(self.files))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> str:
        self.thread.start()
        return self.url

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":  # python -m benchmarks.serve SITE [PORT]: look at a benchmark build by hand
    import sys

    server = SiteServer(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 8000)
    with server as url:
        print(f"serving {sys.argv[1]} at {url}/ (gzip level {GZIP_LEVEL}); Ctrl-C stops", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            os._exit(0)
