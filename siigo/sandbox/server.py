"""Running the sandbox: in a background thread for tests and scripts, or in the foreground."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from typing_extensions import Self
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .app import SandboxApp
from .state import Fault, JournalEntry, SandboxSettings, SandboxState, Tenant

__all__ = ["DEFAULT_ACCESS_KEY", "DEFAULT_PARTNER_ID", "DEFAULT_USERNAME", "Sandbox"]

DEFAULT_USERNAME = "sandbox@empresa.example.com"
DEFAULT_ACCESS_KEY = "sandbox-access-key"
DEFAULT_PARTNER_ID = "SiigoPythonSandbox"

log = logging.getLogger("siigo.sandbox")


class _QuietHandler(WSGIRequestHandler):
    """Logs through the ``siigo.sandbox`` logger at DEBUG instead of printing every request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.debug("%s %s -> %s", self.command, self.path.split("?")[0], code)

    def log_error(self, format: str, *args: Any) -> None:
        log.debug("sandbox connection: " + format, *args)

    def log(self, type: str, message: str, *args: Any) -> None:
        log.debug(message, *args)

    def connection_dropped(self, error: BaseException, environ: Any = None) -> None:
        log.debug("connection dropped: %s", error)


class Sandbox:
    """A local Siigo sandbox on ``127.0.0.1``.

    >>> with Sandbox() as sandbox:
    ...     client = sandbox.client()
    ...     taxes = client.taxes.list()

    Settings (see :class:`SandboxSettings`) are keyword arguments: ``Sandbox(rate_limit=10)``.
    """

    def __init__(
        self,
        settings: SandboxSettings | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int | None = None,
        **overrides: Any,
    ) -> None:
        settings = settings or SandboxSettings()
        settings.update(**overrides)
        self.state = SandboxState(settings, seed=seed)
        self.app = SandboxApp(self.state)
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def _make_server(self) -> BaseWSGIServer:
        server = make_server(self.host, self.port, self.app, threaded=True, request_handler=_QuietHandler)
        server.daemon_threads = True  # type: ignore[attr-defined]
        self.port = server.server_port
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
        return f"http://{self.host}:{self.port}"

    base_url = url

    # -- clients --------------------------------------------------------------------------------

    def client(
        self,
        username: str = DEFAULT_USERNAME,
        access_key: str = DEFAULT_ACCESS_KEY,
        partner_id: str = DEFAULT_PARTNER_ID,
        **options: Any,
    ) -> Any:
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
