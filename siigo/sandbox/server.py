"""Running the sandbox: in a background thread for tests and scripts, or in the foreground."""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import ssl
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from typing_extensions import Self

from .app import SandboxApp

if TYPE_CHECKING:
    from ..client import Client
from .state import Fault, JournalEntry, SandboxSettings, SandboxState, Tenant

__all__ = ["DEFAULT_ACCESS_KEY", "DEFAULT_PARTNER_ID", "DEFAULT_USERNAME", "Sandbox"]

DEFAULT_USERNAME = "sandbox@empresa.example.com"
DEFAULT_ACCESS_KEY = "sandbox-access-key"
DEFAULT_PARTNER_ID = "SiigoPythonSandbox"

log = logging.getLogger("siigo.sandbox")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: Any, scheme: str) -> None:
        super().__init__(address, _Handler)
        self.app = app
        self.scheme = scheme


class _Handler(BaseHTTPRequestHandler):
    """A minimal HTTP/1.1 WSGI bridge that keeps connections alive, like Siigo's own servers.

    (werkzeug's development server closes every connection, which would hide what connection
    reuse is worth; this bridge only serves requests with a ``Content-Length`` body, which is
    what every Siigo client sends.)
    """

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server: _Server
    timeout = 60  # an idle keep-alive connection is closed after a minute

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        path, _, query = self.path.partition("?")
        host, port = self.server.server_address[:2]
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(path, encoding="latin-1"),
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": str(host),
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": self.request_version,
            "REMOTE_ADDR": self.client_address[0],
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": self.server.scheme,
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "siigo.sandbox.drop": False,
        }
        for key, value in self.headers.items():
            name = key.upper().replace("-", "_")
            if name not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ["HTTP_" + name] = value
        answer: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer[:] = [status, headers]
            return None

        chunks = self.server.app(environ, start_response)
        try:
            data = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        if environ["siigo.sandbox.drop"]:
            # A fault: close the connection without answering.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        status, headers = answer
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        for name, value in headers:
            if name.lower() not in ("content-length", "connection", "date", "server"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.debug("%s %s -> %s", self.command, self.path.split("?")[0], code)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sandbox: " + format, *args)

    def handle(self) -> None:
        with contextlib.suppress(ConnectionError, TimeoutError, ssl.SSLError):
            super().handle()


class Sandbox:
    """A local Siigo sandbox on ``127.0.0.1``.

    >>> with Sandbox() as sandbox:
    ...     client = sandbox.client()
    ...     taxes = client.taxes.list()

    Settings (see :class:`SandboxSettings`) are keyword arguments: ``Sandbox(rate_limit=10)``.
    ``ssl_context`` (an ``ssl.SSLContext`` or a ``(certfile, keyfile)`` pair) serves HTTPS, like
    the real API; the client then needs a session that trusts that certificate.
    """

    def __init__(
        self,
        settings: SandboxSettings | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int | None = None,
        ssl_context: Any = None,
        **overrides: Any,
    ) -> None:
        settings = settings or SandboxSettings()
        settings.update(**overrides)
        self.state = SandboxState(settings, seed=seed)
        self.app = SandboxApp(self.state)
        self.host = host
        self.port = port
        self.ssl_context = ssl_context
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def _make_server(self) -> _Server:
        scheme = "https" if self.ssl_context is not None else "http"
        server = _Server((self.host, self.port), self.app, scheme)
        if self.ssl_context is not None:
            context = self.ssl_context
            if isinstance(context, tuple):
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                context.load_cert_chain(*self.ssl_context)
            server.socket = context.wrap_socket(server.socket, server_side=True)
        self.port = server.server_address[1]
        return server

    def start(self) -> Self:
        """Serve in a background thread (on a free port unless one was given)."""
        if self._server is None:
            self._server = self._make_server()
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="siigo-sandbox", daemon=True
            )
            self._thread.start()
        return self

    def serve_forever(self, on_ready: Callable[[str], None] | None = None) -> None:
        """Serve in this thread until interrupted; ``on_ready`` gets the base URL once bound."""
        self._server = self._make_server()
        if on_ready is not None:
            on_ready(self.url)
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()
            self._server = None

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL to give a client (``http://127.0.0.1:<port>``)."""
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://{self.host}:{self.port}"

    base_url = url

    # -- clients --------------------------------------------------------------------------------

    def client(
        self,
        username: str = DEFAULT_USERNAME,
        access_key: str = DEFAULT_ACCESS_KEY,
        partner_id: str = DEFAULT_PARTNER_ID,
        **options: Any,
    ) -> Client:
        """A :class:`siigo.Client` for this sandbox (client-side rate limiting off unless asked)."""
        from ..client import Client

        options.setdefault("rate_limit", None)
        return Client(username, access_key, partner_id, base_url=self.url, **options)

    # -- control --------------------------------------------------------------------------------

    @property
    def settings(self) -> SandboxSettings:
        return self.state.settings

    def configure(self, **settings: Any) -> None:
        self.state.settings.update(**settings)

    def reset(self) -> None:
        self.state.reset()

    def advance_clock(self, seconds: float) -> None:
        self.state.advance_clock(seconds)

    def inject_fault(self, **fault: Any) -> Fault:
        """Add a :class:`Fault`, e.g. ``inject_fault(path="/v1/products", status=503, count=2)``."""
        return self.state.add_fault(Fault(**fault))

    def clear_faults(self) -> None:
        self.state.clear_faults()

    def journal(self, *, method: str | None = None, path: str | None = None) -> list[JournalEntry]:
        """Requests received (``/_sandbox`` calls excluded), oldest first; ``path`` is a regex."""
        import re

        return [
            e
            for e in list(self.state.journal)
            if (method is None or e.method == method.upper()) and (path is None or re.search(path, e.path))
        ]

    def clear_journal(self) -> None:
        self.state.journal.clear()

    def tenant(self, username: str = DEFAULT_USERNAME) -> Tenant:
        return self.state.tenant(username)
