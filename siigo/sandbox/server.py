"""Running the sandbox: in a background thread for tests and scripts, or in the foreground."""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import ssl
import sys
import threading
from collections.abc import Callable, Iterable
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote

from typing_extensions import Self

from .. import _json
from .._patterns import SANDBOX_HEADER
from .app import SandboxApp, error_entry
from .delivery import DeliveryPolicy, FaultKind, WebhookFault
from .handlers.invoices import set_stamp
from .handlers.stock import set_stock
from .handlers.webhooks import dispatcher
from .state import Fault, JournalEntry, SandboxSettings, SandboxState, Tenant

if TYPE_CHECKING:
    from ..client import Client

__all__ = ["DEFAULT_ACCESS_KEY", "DEFAULT_PARTNER_ID", "DEFAULT_USERNAME", "Sandbox"]

DEFAULT_USERNAME = "sandbox@empresa.example.com"
DEFAULT_ACCESS_KEY = "sandbox-access-key"
DEFAULT_PARTNER_ID = "SiigoPythonSandbox"

log = logging.getLogger("siigo.sandbox")

MAX_BODY_BYTES = 16 * 1024 * 1024
"""Longest request body the sandbox reads (Siigo's largest, a batch, is 1 MB)."""


DEFAULT_BACKLOG = 128
"""Connections the kernel holds while the sandbox is busy accepting (the standard library: 5)."""

DEFAULT_MAX_CONNECTIONS = 64
"""Connections served at once; one more waits up to a second for a free slot, then gets a 503."""


def _envelope(status: int, code: str, message: str) -> bytes:
    return _json.dumps({"Status": status, "Errors": [error_entry(code, message, detail=False)]})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        app: Any,
        scheme: str,
        *,
        backlog: int = DEFAULT_BACKLOG,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        self.request_queue_size = backlog
        super().__init__(address, _Handler)
        self.app = app
        self.scheme = scheme
        self.max_connections = max_connections
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(timeout=1.0):
            body = _envelope(
                503,
                "service_unavailable",
                f"The sandbox serves at most {self.max_connections} connections at once",
            )
            head = (
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\n{SANDBOX_HEADER}: 1\r\nConnection: close\r\n\r\n"
            )
            with contextlib.suppress(OSError):
                request.sendall(head.encode() + body)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class _Refused(Exception):
    """A request the bridge answers itself (in Siigo's envelope) and then closes."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class _Handler(BaseHTTPRequestHandler):
    """A minimal HTTP/1.1 WSGI bridge that keeps connections alive, like Siigo's own servers.

    (werkzeug's development server closes every connection, which would hide what connection
    reuse is worth.)  Bodies come with a ``Content-Length`` or chunked, up to
    :data:`MAX_BODY_BYTES`; a body it cannot read is answered in Siigo's envelope (400, or 413
    when too long) and the connection is closed, since the rest of the stream cannot be trusted.
    """

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server: _Server
    _headers_buffer: list[bytes]  # the standard library's pending header lines
    timeout = 60  # an idle keep-alive connection is closed after a minute

    def _read_body(self) -> bytes:
        lengths = self.headers.get_all("Content-Length") or []
        if self.headers.get_all("Transfer-Encoding") and lengths:
            # RFC 9112 6.3: a message with both is an attempt at request smuggling.
            raise _Refused(
                400, "invalid_value", "A request must not have both Content-Length and Transfer-Encoding"
            )
        if len({value.strip() for value in lengths}) > 1:
            raise _Refused(400, "invalid_value", "The request has different Content-Length values")
        coding = (self.headers.get("Transfer-Encoding") or "").strip().lower()
        if coding == "chunked":
            return self._read_chunks()
        if coding:
            raise _Refused(400, "invalid_value", f"The Transfer-Encoding {coding!r} is not supported")
        raw = (self.headers.get("Content-Length") or "0").strip()
        if not (raw.isascii() and raw.isdigit()):
            raise _Refused(400, "invalid_value", "The header Content-Length has an invalid value")
        length = int(raw) if len(raw) <= 18 else MAX_BODY_BYTES + 1
        if length > MAX_BODY_BYTES:
            raise _Refused(413, "length_max", f"The body must be at most {MAX_BODY_BYTES} bytes")
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            raise _Refused(400, "invalid_value", "The body is shorter than its Content-Length")
        return body

    def _read_chunks(self) -> bytes:
        malformed = _Refused(400, "invalid_value", "The chunked body is malformed")
        body = bytearray()
        while True:
            line = self.rfile.readline(1024)
            size_text = line.split(b";", 1)[0].strip()
            if not size_text or any(c not in b"0123456789abcdefABCDEF" for c in size_text):
                raise malformed
            size = int(size_text, 16)
            if size == 0:
                while self.rfile.readline(1024).strip():  # trailer fields, up to the blank line
                    pass
                return bytes(body)
            if len(body) + size > MAX_BODY_BYTES:
                raise _Refused(413, "length_max", f"The body must be at most {MAX_BODY_BYTES} bytes")
            chunk = self.rfile.read(size)
            if len(chunk) < size or self.rfile.readline(1024).strip():
                raise malformed
            body += chunk

    def _refuse(self, refusal: _Refused) -> None:
        data = _envelope(refusal.status, refusal.code, refusal.message)
        self.close_connection = True
        self.send_response(refusal.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header(SANDBOX_HEADER, "1")
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except _Refused as refusal:
            self._refuse(refusal)
            return
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
            if name not in ("CONTENT_TYPE", "CONTENT_LENGTH", "TRANSFER_ENCODING"):
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
        # Headers and body in one write: one system call, and one wait for the interpreter lock
        # fewer, per answer (what lets many keep-alive clients share the sandbox).
        buffered: list[bytes] = getattr(self, "_headers_buffer", [])
        self._headers_buffer = []
        self.wfile.write(b"".join([*buffered, b"\r\n", data]))

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # A request line that could not be parsed has no command or path.
        path = getattr(self, "path", None) or "-"
        log.debug("%s %s -> %s", getattr(self, "command", None) or "-", path.split("?")[0], code)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's answer to a request it cannot parse (a malformed request line,
        an unsupported version, too many headers), in Siigo's envelope, and the connection
        closed."""
        codes = {414: "length_max", 431: "length_max", 505: "invalid_value"}
        data = _envelope(code, codes.get(code, "invalid_request"), message or "The request is malformed")
        self.close_connection = True
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.1"  # an unreadable line still gets a status line
        with contextlib.suppress(OSError):
            self.send_response(code)  # the standard reason: the details are in the body
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header(SANDBOX_HEADER, "1")
            self.send_header("Connection", "close")
            self.end_headers()
            if getattr(self, "command", None) != "HEAD":
                self.wfile.write(data)

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
    the real API; the client then needs a session that trusts that certificate.  ``backlog``
    (128) is the listen queue and ``max_connections`` (64) the connections served at once, for
    a sandbox shared by a CI job or a team.
    """

    def __init__(
        self,
        settings: SandboxSettings | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int | None = None,
        ssl_context: Any = None,
        backlog: int = DEFAULT_BACKLOG,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        **overrides: Any,
    ) -> None:
        settings = settings or SandboxSettings()
        settings.update(**overrides)
        self.state = SandboxState(settings, seed=seed)
        self.app = SandboxApp(self.state)
        self.host = host
        self.port = port
        self.ssl_context = ssl_context
        for name, value in (("backlog", backlog), ("max_connections", max_connections)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number, 1 or more, got {value!r}")
        self.backlog = backlog
        self.max_connections = max_connections
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def _make_server(self) -> _Server:
        scheme = "https" if self.ssl_context is not None else "http"
        server = _Server(
            (self.host, self.port),
            self.app,
            scheme,
            backlog=self.backlog,
            max_connections=self.max_connections,
        )
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
        self.state.close()

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
        """The live :class:`SandboxSettings` (assignments are checked)."""
        return self.state.settings

    def configure(self, **settings: Any) -> None:
        """Change settings, e.g. ``configure(rate_limit=10, stamp_outcome="Rejected")``; an unknown
        name or an invalid value raises ``ValueError`` / ``TypeError`` and changes nothing."""
        self.state.settings.update(**settings)

    def reset(self) -> None:
        """Forget every company, token, fault, journal entry and e-mail; settings and clock back
        to how the sandbox started."""
        self.state.reset()

    def advance_clock(self, seconds: float) -> None:
        """Move the sandbox clock (token expiry, dates, DIAN delays) by ``seconds``."""
        self.state.advance_clock(seconds)

    def inject_fault(
        self,
        *,
        path: str = ".*",
        method: str | None = None,
        status: int | None = None,
        count: int | None = 1,
        probability: float = 1.0,
        retry_after: float | None = None,
        delay: float = 0.0,
        drop: Literal["before", "after"] | None = None,
    ) -> Fault:
        """Add a :class:`Fault`, e.g. ``inject_fault(path="^/v1/products$", status=503, count=2)``;
        invalid fields raise ``ValueError`` / ``TypeError``."""
        fault = Fault(
            method=method,
            path=path,
            count=count,
            probability=probability,
            status=status,
            retry_after=retry_after,
            delay=delay,
            drop=drop,
        )
        return self.state.add_fault(fault)

    def faults(self) -> list[Fault]:
        """The faults injected since the last reset or clear, as copies (``count`` left, ``hits``)."""
        return self.state.active_faults()

    def clear_faults(self) -> None:
        self.state.clear_faults()

    def journal(self, *, method: str | None = None, path: str | None = None) -> list[JournalEntry]:
        """Requests received (``/_sandbox`` calls excluded), oldest first; ``path`` is a regex."""
        return self.state.journal_entries(method=method, path=path)

    def clear_journal(self) -> None:
        self.state.journal.clear()

    def outbox(self, username: str | None = None) -> list[dict[str, Any]]:
        """E-mails "sent" (invoice mails), oldest first per company, each with its ``company``,
        ``invoice_id``, ``invoice_name``, ``to``, ``copy_to``, ``subject``, ``attachments``,
        ``reason`` and ``sent_at``; only those of ``username`` when given."""
        return self.state.outbox(username)

    def stamp(
        self,
        invoice_id: str,
        outcome: Literal["Accepted", "Rejected", "Draft"] = "Accepted",
        *,
        errors: Iterable[dict[str, Any] | str] | None = None,
        username: str | None = None,
    ) -> dict[str, Any]:
        """Give an invoice DIAN's answer, as ``POST /_sandbox/invoices/{id}/stamp`` does:
        ``Accepted`` (a CUFE), ``Rejected`` (``errors``: messages or ``{"code", "message"}``;
        a FAD06 rejection when omitted) or ``Draft`` (back to unsent).  ``username`` is the
        company (found from the invoice when omitted).  Returns the invoice as stored; raises
        ``KeyError`` for an unknown invoice."""
        return set_stamp(self.state, username, invoice_id, outcome, errors)

    def tenant(self, username: str = DEFAULT_USERNAME) -> Tenant:
        return self.state.tenant(username)

    # -- webhooks and stock ---------------------------------------------------------------------

    def webhook_deliveries(
        self, *, username: str | None = None, topic: str | None = None, with_body: bool = False
    ) -> list[dict[str, Any]]:
        """Webhook deliveries, oldest first: ``id``, ``company``, ``subscription_id``, ``topic``,
        ``url``, ``product_id``, ``state`` (``pending``, ``delivered``, ``failed`` or ``skipped``
        for a host that is not loopback), ``fault`` and ``attempts`` (``at``, ``status``,
        ``latency_ms``, ``error``); ``with_body`` adds the JSON sent."""
        return dispatcher(self.state).deliveries(company=username, topic=topic, with_body=with_body)

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        """Wait until no webhook delivery is queued or in flight (retries included); ``False``
        if ``timeout`` seconds passed first."""
        return dispatcher(self.state).wait_idle(timeout)

    def webhook_fault(
        self, kind: FaultKind, *, count: int | None = 1, topic: str | None = None, delay: float = 1.0
    ) -> WebhookFault:
        """Make the next ``count`` events (of ``topic``) arrive twice (``duplicate``), after the
        next event (``reorder``, or after ``delay`` seconds if none follows) or ``delay``
        seconds late (``delay``)."""
        return dispatcher(self.state).add_fault(
            WebhookFault(kind=kind, count=count, topic=topic, delay=delay)
        )

    def configure_webhooks(self, **policy: Any) -> DeliveryPolicy:
        """Change how webhooks are delivered: ``max_attempts``, ``backoff`` (first wait between
        attempts, doubled each time), ``max_backoff``, ``timeout`` (per attempt); back to the
        defaults on reset."""
        return dispatcher(self.state).configure(**policy)

    def set_stock(
        self,
        product_id: str,
        quantity: Decimal | int,
        *,
        warehouse: int | None = None,
        username: str = DEFAULT_USERNAME,
    ) -> dict[str, Any]:
        """Set a stock-controlled product's stock in a warehouse (an inventory adjustment: it
        emits ``products.stock.update``); the product as stored."""
        return set_stock(self.state, self.state.tenant(username), product_id, Decimal(quantity), warehouse)
