"""A real HTTP server on 127.0.0.1 for the webhook tests: it serves any WSGI app on a thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any, TypeVar
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

T = TypeVar("T")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

WAIT = 15.0
"""Seconds a test waits for something that should take milliseconds (the machine is shared)."""


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(app: WSGIApp, path: str = "/hooks/siigo") -> Iterator[str]:
    """Serve ``app``; yields the URL ``http://127.0.0.1:<port><path>``."""
    server = make_server("127.0.0.1", 0, app, server_class=_ThreadingServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def wait_for(check: Callable[[], T | None], timeout: float = WAIT, what: str = "the condition") -> T:
    """Poll ``check`` until it returns something truthy (returned), or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.02)


class Scripted:
    """A WSGI app that answers the statuses of ``script`` in turn (then 200), recording bodies;
    ``hold`` (an event) keeps a request waiting until it is set."""

    def __init__(self, *script: int, hold: threading.Event | None = None, hold_first: int = 0) -> None:
        self.script = list(script)
        self.bodies: list[bytes] = []
        self.hold = hold
        self.hold_first = hold_first
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        with self._lock:
            self.bodies.append(body)
            number = len(self.bodies)
            status = self.script.pop(0) if self.script else 200
        if self.hold is not None and number <= self.hold_first:
            self.hold.wait(WAIT)
        start_response(f"{status} Scripted", [("Content-Type", "text/plain")])
        return [b"ok"]
