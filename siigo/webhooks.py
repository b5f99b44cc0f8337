"""Receiving Siigo's webhooks: :func:`parse_event` and a ready WSGI app, :class:`WebhookReceiver`.

Siigo POSTs each event (a product plus ``company_key``, ``username`` and ``topic``) to the URL
of a subscription (``client.webhooks.create``).  It does not sign its webhooks, so the
receiver protects itself (see ``docs/webhooks.md``):

* a secret in the URL path (``path_secret``): a request to any other path is answered 404;
* the expected ``company_key`` (and ``username``, the API user): events of anyone else are
  refused;
* bounded bodies (``max_bytes``) and strict parsing: anything that is not a Siigo event is
  refused with a 4xx answer, never an exception;
* HTTPS in front of it (Siigo delivers only over HTTPS; the sandbox also delivers over plain
  http to loopback receivers).

Siigo may deliver the same event twice; the receiver remembers the events it has seen
(:class:`InMemorySeenEvents`, or your own :class:`SeenEvents` shared by several processes)
so that your handler runs once per event.

By default the handler runs on a worker thread of the receiver and the request is answered
as soon as the event is parsed and queued (Siigo's retry policy is undocumented: a slow answer
may be taken for a failure and delivered again).  A handler that raises is logged (logger
``siigo.webhooks``) and the event is forgotten, so a redelivery runs it again.  With
``background=False`` the handler runs in the request instead: a handler that raises answers
500 (so the sender retries) and the handler must be quick.
"""

from __future__ import annotations

import collections
import hmac
import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from pydantic import SecretStr

from ._refusals import detail, refusal
from .errors import ValidationError
from .models.webhooks import (
    WEBHOOK_TOPICS,
    ProductCreateEvent,
    ProductEvent,
    ProductStockUpdateEvent,
    ProductUpdateEvent,
    WebhookEvent,
    event_key,
    load_event,
)

__all__ = [
    "MAX_EVENT_BYTES",
    "WEBHOOK_TOPICS",
    "Answer",
    "InMemorySeenEvents",
    "ProductCreateEvent",
    "ProductEvent",
    "ProductStockUpdateEvent",
    "ProductUpdateEvent",
    "SeenEvents",
    "WebhookEvent",
    "WebhookReceiver",
    "event_key",
    "parse_event",
]

log = logging.getLogger("siigo.webhooks")

MAX_EVENT_BYTES = 256 * 1024
"""Largest event body accepted by default (a product event is a few kilobytes)."""


def _refused(code: str, message_id: str, *params: str, **args: object) -> ValidationError:
    problem = detail(code, message_id, *params, **args)
    top = refusal("webhooks.not_an_event", problem=problem.refusal)
    return ValidationError(top.render("en"), [problem], refusal=top)


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == wanted:
            return str(value)
    return None


def _json_type(content_type: str | None) -> bool:
    """Whether a delivery may carry JSON: a JSON type, or none stated (an empty header, or the
    ``text/plain`` some servers fill in for a request without one); forms, HTML, XML... may not."""
    if content_type is None:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media in ("", "text/plain") or media == "application/json" or media.endswith("+json")


def _same(given: str | None, expected: str) -> bool:
    if given is None:
        return False
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def parse_event(
    body: bytes | bytearray | memoryview | str,
    headers: Mapping[str, str] | None = None,
    *,
    company_key: str | None = None,
    username: str | None = None,
    max_bytes: int = MAX_EVENT_BYTES,
) -> WebhookEvent:
    """Read one delivery: the raw body (and, when you have them, the request headers).

    Returns :class:`ProductCreateEvent`, :class:`ProductUpdateEvent`,
    :class:`ProductStockUpdateEvent`, or a :class:`WebhookEvent` for a topic this version does
    not know.  Raises :class:`siigo.ValidationError` (with a Siigo-style code and the field in
    ``params``) for a body above ``max_bytes`` (``length_max``), a ``Content-Type`` that is not
    JSON (``invalid_type``; a missing one or ``text/plain`` is accepted), a body that is not a
    Siigo event, or an event whose ``company_key`` / ``username`` is not the one given
    (``invalid_value``).
    """
    if isinstance(body, memoryview):
        body = body.tobytes()
    if not isinstance(body, (bytes, bytearray, str)):
        raise _refused("invalid_type", "webhooks.body_type", "body", type=type(body).__name__)
    declared = _header(headers, "Content-Length")
    size = len(body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body)
    if size > max_bytes or (
        declared is not None and declared.strip().isdigit() and int(declared) > max_bytes
    ):
        raise _refused("length_max", "webhooks.body_too_large", "body", most=max_bytes)
    if not _json_type(_header(headers, "Content-Type")):
        raise _refused("invalid_type", "webhooks.not_json_type", "Content-Type")
    event = load_event(body)
    if company_key is not None and not _same(event.company_key, company_key):
        raise _refused("invalid_value", "webhooks.other_company", "company_key")
    if username is not None and not _same(event.username, username):
        raise _refused("invalid_value", "webhooks.other_user", "username")
    return event


# --- deduplication -----------------------------------------------------------------------------


@runtime_checkable
class SeenEvents(Protocol):
    """Where a receiver remembers the events it has handled (see :func:`event_key`).

    ``add`` must be atomic: it returns ``True`` for a key it did not have (and keeps it),
    ``False`` for one it has.  ``discard`` forgets a key (the handler failed).  Implement it on a
    shared store (e.g. Redis ``SET key 1 NX EX ttl``) when several processes receive events.
    """

    def add(self, key: str) -> bool: ...

    def discard(self, key: str) -> None: ...


class InMemorySeenEvents:
    """The keys of the last ``max_entries`` events, each kept ``ttl`` seconds (thread-safe)."""

    def __init__(self, *, max_entries: int = 10_000, ttl: float = 24 * 3600.0) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ValueError(f"max_entries must be a whole number of 1 or more, got {max_entries!r}")
        if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or not ttl > 0:
            raise ValueError(f"ttl must be a number of seconds above 0, got {ttl!r}")
        self.max_entries = max_entries
        self.ttl = float(ttl)
        self._keys: collections.OrderedDict[str, float] = collections.OrderedDict()
        self._lock = threading.Lock()

    def add(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            added = self._keys.get(key)
            if added is not None and now - added < self.ttl:
                return False
            self._keys.pop(key, None)
            while self._keys and (
                len(self._keys) >= self.max_entries or now - next(iter(self._keys.values())) >= self.ttl
            ):
                self._keys.popitem(last=False)
            self._keys[key] = now
            return True

    def discard(self, key: str) -> None:
        with self._lock:
            self._keys.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._keys)


# --- the receiver ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What to answer to a delivery: an HTTP status and a small JSON body."""

    status: int
    body: dict[str, Any]

    def content(self) -> bytes:
        return json.dumps(self.body, separators=(",", ":")).encode("utf-8")


_REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
    503: "Service Unavailable",
}

Handler = Callable[[WebhookEvent], object]


class WebhookReceiver:
    """A WSGI application that receives Siigo's webhooks and calls ``handler(event)`` once per event.

    >>> receiver = WebhookReceiver(on_event, company_key="miempresa", path_secret="Zq3...")
    >>> # serve it with any WSGI server at https://erp.example.com/hooks/siigo/Zq3...

    ``handle(body, headers, path)`` is the same logic for any framework (it returns an
    :class:`Answer`); the WSGI ``__call__`` reads the request and answers it.  Answers: 200
    ``{"received": true, "duplicate": false}`` (or ``true`` for an event already seen), 404 for
    a path without the secret, 405 for a method other than POST, 413 for a body above
    ``max_bytes``, 415 for a non-JSON ``Content-Type``, 400 for a body that is not an event, 403
    for an event of another company or user, 503 when the handler queue is full (the sender
    retries later), 500 when the handler raised (``background=False`` only).

    ``topics`` limits the events handled (others are answered 200 and ignored).  Call
    :meth:`close` to let queued events finish when shutting down.
    """

    def __init__(
        self,
        handler: Handler,
        *,
        company_key: str | None = None,
        username: str | None = None,
        path_secret: str | SecretStr | None = None,
        topics: Iterable[str] | None = None,
        max_bytes: int = MAX_EVENT_BYTES,
        seen: SeenEvents | None = None,
        background: bool = True,
        queue_size: int = 1000,
    ) -> None:
        if not callable(handler):
            raise TypeError(f"handler must be callable, got {type(handler).__name__}")
        secret = path_secret.get_secret_value() if isinstance(path_secret, SecretStr) else path_secret
        if secret is not None and (not secret or "/" in secret or len(secret) < 16):
            raise ValueError(
                "path_secret must be at least 16 characters without '/' (e.g. secrets.token_urlsafe(24))"
            )
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise ValueError(f"max_bytes must be a whole number of bytes, got {max_bytes!r}")
        if isinstance(queue_size, bool) or not isinstance(queue_size, int) or queue_size < 1:
            raise ValueError(f"queue_size must be a whole number of events, 1 or more, got {queue_size!r}")
        if seen is not None and not isinstance(seen, SeenEvents):
            raise TypeError("seen must have add(key) -> bool and discard(key) methods")
        self.handler = handler
        self.company_key = company_key
        self.username = username
        self._path_secret = SecretStr(secret) if secret is not None else None
        self.topics = frozenset(topics) if topics is not None else None
        self.max_bytes = max_bytes
        self.seen: SeenEvents = seen if seen is not None else InMemorySeenEvents()
        self.background = background
        self._queue: queue.Queue[tuple[str, WebhookEvent] | None] = queue.Queue(maxsize=queue_size)
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()
        self._counts: collections.Counter[str] = collections.Counter()

    def __repr__(self) -> str:
        return (
            f"WebhookReceiver(company_key={self.company_key!r}, path_secret={'set' if self._path_secret else None}, "
            f"background={self.background})"
        )

    @property
    def stats(self) -> dict[str, int]:
        """Counters: ``received``, ``duplicates``, ``ignored``, ``refused``, ``handled``, ``failed``."""
        with self._lock:
            return dict(self._counts)

    def _count(self, name: str) -> None:
        with self._lock:
            self._counts[name] += 1

    def _refuse(self, status: int, code: str, message: str) -> Answer:
        self._count("refused")
        log.info("webhook refused (%s): %s", status, message)
        return Answer(status, {"received": False, "error": code, "message": message})

    # -- the logic ------------------------------------------------------------------------------

    def path_allowed(self, path: str) -> bool:
        """Whether ``path`` ends with the path secret (always, without one)."""
        if self._path_secret is None:
            return True
        last = path.rstrip("/").rpartition("/")[2]
        return _same(last, self._path_secret.get_secret_value())

    def handle(self, body: bytes, headers: Mapping[str, str] | None = None, path: str = "/") -> Answer:
        """Check, parse, deduplicate and dispatch one delivery; never raises."""
        try:
            return self._handle(body, headers, path)
        except Exception as exc:  # a bug must not turn into a crash of the web server
            log.exception("webhook receiver failed")
            return self._refuse(500, "unhandled_error", f"the receiver failed: {type(exc).__name__}")

    def _handle(self, body: bytes, headers: Mapping[str, str] | None, path: str) -> Answer:
        if not self.path_allowed(path):
            return self._refuse(404, "not_found", "no such webhook endpoint")
        try:
            event = parse_event(
                body, headers, company_key=self.company_key, username=self.username, max_bytes=self.max_bytes
            )
        except ValidationError as exc:
            problem = (
                exc.errors[0]
                if exc.errors
                else detail("invalid_type", "webhooks.unreadable", reason=str(exc))
            )
            status = 413 if problem.code == "length_max" else 400
            if problem.params == ("Content-Type",):
                status = 415
            elif problem.params in (("company_key",), ("username",)) and problem.code == "invalid_value":
                status = 403
            return self._refuse(status, problem.code, problem.message)
        self._count("received")
        if self.topics is not None and event.topic not in self.topics:
            self._count("ignored")
            return Answer(200, {"received": True, "ignored": True})
        key = event_key(event)
        if not self.seen.add(key):
            self._count("duplicates")
            return Answer(200, {"received": True, "duplicate": True})
        if not self.background:
            if not self._run(key, event):
                return Answer(500, {"received": False, "error": "handler_failed"})
            return Answer(200, {"received": True, "duplicate": False})
        self._start()
        try:
            self._queue.put_nowait((key, event))
        except queue.Full:
            self.seen.discard(key)
            return self._refuse(503, "busy", "too many events waiting; retry later")
        return Answer(200, {"received": True, "duplicate": False})

    def _run(self, key: str, event: WebhookEvent) -> bool:
        try:
            self.handler(event)
        except Exception:
            self.seen.discard(key)  # a redelivery may run it again
            self._count("failed")
            log.exception("webhook handler failed for %s", event.topic)
            return False
        self._count("handled")
        return True

    # -- background handling --------------------------------------------------------------------

    def _start(self) -> None:
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="siigo-webhook-handler", daemon=True)
                self._worker.start()

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                self._run(*item)
            finally:
                self._queue.task_done()

    def wait(self, timeout: float = 10.0) -> bool:
        """Wait until every queued event was handled; ``False`` if ``timeout`` passed first."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Handle the queued events, then stop the worker (it starts again if events arrive)."""
        with self._lock:
            worker = self._worker
            self._worker = None
        if worker is not None and worker.is_alive():
            self._queue.put(None)
            worker.join(timeout)

    # -- WSGI -----------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        answer = self._from_wsgi(environ)
        content = answer.content()
        start_response(
            f"{answer.status} {_REASONS.get(answer.status, 'Error')}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(content)))],
        )
        return [content]

    def _from_wsgi(self, environ: dict[str, Any]) -> Answer:
        try:
            path = str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", ""))
            if not self.path_allowed(path):
                return self._refuse(404, "not_found", "no such webhook endpoint")
            if str(environ.get("REQUEST_METHOD", "")).upper() != "POST":
                return self._refuse(405, "method_not_allowed", "deliveries are POSTed")
            headers = {"Content-Type": str(environ.get("CONTENT_TYPE") or "")}
            if not headers["Content-Type"]:
                del headers["Content-Type"]
            declared = str(environ.get("CONTENT_LENGTH") or "").strip()
            if declared and not declared.isdigit():
                return self._refuse(400, "invalid_value", "the Content-Length is not a number")
            if declared and int(declared) > self.max_bytes:
                return self._refuse(413, "length_max", f"the body is larger than {self.max_bytes} bytes")
            stream = environ["wsgi.input"]
            if declared:
                body = stream.read(int(declared))
            elif environ.get("wsgi.input_terminated"):
                # A chunked body the server ends for us: read one byte past the limit at most.
                body = stream.read(self.max_bytes + 1)
            else:
                body = b""  # no length: reading could wait forever (PEP 3333)
            return self.handle(body, headers, path)
        except Exception as exc:
            log.exception("webhook receiver failed")
            return self._refuse(500, "unhandled_error", f"the receiver failed: {type(exc).__name__}")
