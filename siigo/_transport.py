"""The one request loop: rate limit → auth header → send → classify → retry or raise.

Retry rules (safe for accounting):

* ``GET`` and document-creating ``POST`` s that carry an ``Idempotency-Key`` are retried on
  connection errors, timeouts, 408, 429 and 5xx.
* Every other request (``POST`` without a key, ``PUT``, ``DELETE``) is retried only when it
  certainly did not reach Siigo: a failure to connect, or a 429.
* 4xx answers are never retried, except one new login and one replay after a 401.
* Waits grow exponentially with jitter, capped; a ``Retry-After`` header is honoured up to a cap.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import math
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO, cast
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.sessions import merge_setting
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from . import _json
from ._auth import TokenManager, usable_token
from ._checks import configuration_error, seconds_setting
from ._ratelimit import Limiter
from ._refusals import refusal
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ConfigurationError,
    ErrorDetail,
    ResponseTooLargeError,
    SiigoError,
    ValidationError,
    error_class_for_status,
)

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DeadlineAdapter",
    "RetryPolicy",
    "Timeout",
    "Transport",
    "logger",
]

DEFAULT_DEADLINE = 300.0
"""Seconds one call may take in all (connecting, sending, waiting for and reading the answer,
over every attempt and the waits between them; the client-side rate limiter's wait is not
counted).  Siigo advises a 120 s read timeout for document creations: this leaves room for a
retry."""

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""Longest answer read, once decompressed (Siigo's largest, a PDF in base64, is a few MB)."""

_CHUNK = 64 * 1024

logger = logging.getLogger("siigo")

_SECRET_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"),
    re.compile(r'(?i)("?access_(?:key|token)"?\s*[:=]\s*"?)[^",\s}]+'),
)


def redact(text: str) -> str:
    """Mask anything that looks like a token or an access key."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + "[redacted]", text)
    return text


def redacted_excerpt(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text`` once secrets are masked (masking first, so a
    token cut in half by the limit cannot slip through as an unrecognisable fragment)."""
    return redact(text[: limit + 8192])[:limit]


REQUEST_ID_HEADERS = ("X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Ms-Request-Id", "Apigw-Requestid")
"""Where an answer's request id is looked for, in this order.  Siigo does not document one, so
these are the names its API gateway and common proxies use."""

_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,127}")


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """The request id an answer carries, if it looks like one (an id is shown in messages, so
    anything longer than 128 characters or with other characters is ignored)."""
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value is not None and _REQUEST_ID.fullmatch(value.strip()):
            return value.strip()
    return None


def _shown_request_id(headers: Mapping[str, str]) -> str:
    request_id = request_id_of(headers)
    return f" (request id {request_id})" if request_id else ""


LOG_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}


if TYPE_CHECKING:
    _StreamHandler = logging.StreamHandler[TextIO]
else:  # not subscriptable at run time on every supported Python
    _StreamHandler = logging.StreamHandler


class _StderrHandler(_StreamHandler):
    """The handler ``SIIGO_LOG`` adds (once) to the ``siigo`` logger."""


def log_from_environment(value: str | None) -> None:
    """``SIIGO_LOG=debug`` (or ``info``, ``warning``, ``error``) sets the ``siigo`` logger's level
    and, unless the application already gave it a handler, prints its records on stderr."""
    if value is None or not value.strip():
        return
    level = LOG_LEVELS.get(value.strip().lower())
    if level is None:
        raise configuration_error(
            refusal("config.log_level", levels=", ".join(LOG_LEVELS), value=repr(redacted_excerpt(value, 40)))
        )
    logger.setLevel(level)
    if not logger.handlers:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)


def mask_secrets(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of the given secrets (as sent, and as JSON would escape
    them) replaced: the client knows its own token and access key, so it masks them exactly,
    whatever their shape."""
    for secret in secrets:
        if len(secret) < 4:
            continue
        for form in {secret, _json.dumps(secret).decode()[1:-1]}:
            if form in text:
                text = text.replace(form, "[redacted]")
    return text


class NotNow(Exception):
    """A request made ``ahead`` was not sent: the rate limiter has no place free right now."""


_acting = threading.local()


def caller_thread() -> int:
    """The thread a request is made for: its own, or the one walking the pages when a page is
    read ahead on a thread of its own (:meth:`Client.raw_responses` records by it)."""
    ident: int | None = getattr(_acting, "ident", None)
    return threading.get_ident() if ident is None else ident


def act_for(ident: int) -> None:
    """Make this thread's requests count as those of thread ``ident`` (see :func:`caller_thread`)."""
    _acting.ident = ident


class _Call:
    """One call under a deadline: the connection it is using, cut by the watchdog when the
    deadline passes (a server trickling bytes never lets a read timeout expire)."""

    __slots__ = ("connection", "ends", "expired", "sent")

    def __init__(self, ends: float, sent: Callable[[], None] | None = None) -> None:
        self.ends = ends
        self.connection: Any = None
        self.expired = False
        self.sent = sent
        """Told once the request is written (a page read ahead: the walk goes on then)."""

    def cut(self) -> None:
        self.expired = True
        sock = getattr(self.connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Watchdog:
    """A thread that cuts calls past their deadline; it stops after a few idle seconds and is
    started again by the next call."""

    def __init__(self) -> None:
        self._calls: set[_Call] = set()
        self._condition = threading.Condition()
        self._running = False

    def watch(self, call: _Call) -> None:
        with self._condition:
            self._calls.add(call)
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name="siigo-deadline", daemon=True).start()
            self._condition.notify()

    def forget(self, call: _Call) -> None:
        with self._condition:
            self._calls.discard(call)

    def _run(self) -> None:
        idle_since = time.monotonic()
        with self._condition:
            while True:
                now = time.monotonic()
                for call in [c for c in self._calls if c.ends <= now]:
                    self._calls.discard(call)
                    call.cut()
                if self._calls:
                    idle_since = now
                    self._condition.wait(max(min(c.ends for c in self._calls) - now, 0.001))
                elif now - idle_since > 5.0:
                    self._running = False
                    return
                else:
                    self._condition.wait(5.0)


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter, with connections that tell the current call which socket it uses, so
    that a deadline can cut it (mounted on the sessions the client creates)."""

    def __init__(self, **kwargs: Any) -> None:
        self.calls = threading.local()
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        if not hasattr(self, "calls"):  # unpickled: requests pickles only its own settings
            self.calls = threading.local()
        calls = self.calls

        class _Plain(HTTPConnection):
            def request(self, *a: Any, **k: Any) -> None:
                call = getattr(calls, "current", None)
                if call is not None:
                    call.connection = self
                super().request(*a, **k)
                if call is not None and call.sent is not None:
                    call.sent()

        class _Secure(HTTPSConnection):
            def request(self, *a: Any, **k: Any) -> None:
                call = getattr(calls, "current", None)
                if call is not None:
                    call.connection = self
                super().request(*a, **k)
                if call is not None and call.sent is not None:
                    call.sent()

        class _PlainPool(HTTPConnectionPool):
            ConnectionCls = _Plain

        class _SecurePool(HTTPSConnectionPool):
            ConnectionCls = _Secure

        self.poolmanager.pool_classes_by_scheme = {"http": _PlainPool, "https": _SecurePool}


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


if not any(isinstance(f, _RedactingFilter) for f in logger.filters):
    logger.addFilter(_RedactingFilter())


@contextlib.contextmanager
def _acquired(limiter: Limiter) -> Iterator[float]:
    """A place from a limiter that has only ``acquire()`` (and perhaps ``finished()``, told when
    the answer has arrived)."""
    waited = limiter.acquire()
    try:
        yield waited
    finally:
        finished = getattr(limiter, "finished", None)
        if finished is not None:
            finished()


@dataclass(frozen=True)
class Timeout:
    """Connect and read timeouts in seconds (Siigo advises ≥120 s to read document creations)."""

    connect: float = 5.0
    read: float = 120.0

    def as_tuple(self) -> tuple[float, float]:
        return (self.connect, self.read)


@dataclass(frozen=True)
class RetryPolicy:
    """How many times and how patiently to retry."""

    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    retry_after_max: float = 60.0

    def __post_init__(self) -> None:
        if (
            isinstance(self.max_retries, bool)
            or not isinstance(self.max_retries, int)
            or self.max_retries < 0
        ):
            raise configuration_error(refusal("config.max_retries", value=repr(self.max_retries)))
        for name in ("backoff_base", "backoff_max", "retry_after_max"):
            seconds_setting(f"RetryPolicy.{name}", getattr(self, name), zero=True)

    def backoff(self, retry_number: int) -> float:
        delay: float = min(self.backoff_max, self.backoff_base * (2**retry_number))
        return delay * random.uniform(0.5, 1.0)


_merge_setting = cast(Callable[..., Any], merge_setting)
"""requests' own rule for combining request and session settings (untyped upstream)."""

_RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """A ``Retry-After`` header in seconds (delta-seconds or an HTTP date), ``None`` if absent
    or unusable (negative, not a number, infinite)."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


def _did_not_connect(exc: BaseException) -> bool:
    """True when the request certainly never reached the server."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    seen: set[int] = set()
    stack: list[Any] = [exc]
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, (NewConnectionError, ConnectionRefusedError)):
            return True
        if isinstance(item, BaseException):
            stack.extend([item.__cause__, item.__context__, getattr(item, "reason", None), *item.args])
    return False


def _cut_by_deadline(exc: requests.exceptions.RequestException, limits: Timeout, remaining: float) -> bool:
    """Whether ``exc`` is a timeout whose limit had been cut down to what was left of the
    deadline: its firing means the deadline has passed, even when the watchdog has not yet
    marked the call."""
    if not isinstance(exc, requests.exceptions.Timeout):
        return False
    limit = limits.connect if isinstance(exc, requests.exceptions.ConnectTimeout) else limits.read
    return remaining < limit


def parse_error_body(content: bytes) -> list[ErrorDetail]:
    """Read Siigo's error envelope, whatever the case of its keys; [] if it is not one."""
    try:
        data = _json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return []
    if not isinstance(data, dict):
        return []
    lowered = {str(k).lower(): v for k, v in data.items()}
    errors = lowered.get("errors")
    if not isinstance(errors, list):
        return []
    details: list[ErrorDetail] = []
    for entry in errors:
        if not isinstance(entry, dict):
            continue
        e = {str(k).lower(): v for k, v in entry.items()}
        params = e.get("params") or e.get("param") or []
        if isinstance(params, str):
            params = [params]
        detail = e.get("detail")
        details.append(
            ErrorDetail(
                code=str(e.get("code") or "unknown"),
                message=str(e.get("message") or ""),
                params=tuple(str(p) for p in params) if isinstance(params, list) else (),
                detail=str(detail) if detail is not None else None,
            )
        )
    return details


class Transport:
    """Sends requests for one client.  Holds the session, token manager and limiter."""

    def __init__(
        self,
        *,
        base_url: str,
        partner_id: str | None,
        tokens: TokenManager,
        session: requests.Session,
        timeout: Timeout,
        retry: RetryPolicy,
        limiter: Limiter | None,
        sleep: Callable[[float], None] = time.sleep,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        secrets: Callable[[], Iterable[str]] = tuple,
        watchdog: _Watchdog | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        self.origin = (parts.scheme, parts.hostname, parts.port)
        self.partner_id = partner_id
        self.tokens = tokens
        self.session = session
        self.timeout = timeout
        self.retry = retry
        self.limiter = limiter
        self._sleep = sleep
        self.deadline = deadline
        self.max_response_bytes = max_response_bytes
        self._secrets = secrets
        self._watchdog = watchdog or _Watchdog()
        self._headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": f"siigo-python/{__version__}",
        }
        if partner_id:
            self._headers["Partner-Id"] = partner_id
        # requests re-reads the proxy variables and ~/.netrc on every call; that was a quarter
        # of the time of a call against a local server.  Read them once per client instead.
        self._send_settings = session.merge_environment_settings(self.base_url, {}, None, None, None)
        self._send_settings["stream"] = True  # the body is read here, in bounded chunks

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r})"

    # -- helpers --------------------------------------------------------------------------------

    def tells_when_sent(self) -> bool:
        """Whether ``request(sent=...)`` is told when the request is written (the session's
        adapter for the API is the client's own :class:`DeadlineAdapter`)."""
        if not isinstance(self.session.get_adapter(self.base_url), DeadlineAdapter):
            return False
        # Through a proxy requests uses connections of its own, which tell nothing.
        proxies = self._send_settings.get("proxies") or {}
        scheme = urlsplit(self.base_url).scheme
        return not any(proxies.get(key) for key in (scheme, "all", f"{scheme}://{self.origin[1]}"))

    def same_origin(self, url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme, parts.hostname, parts.port) == self.origin

    def _known_secrets(self, token: str | None) -> list[str]:
        found = [token] if token else []
        current = self.tokens.current()
        if current is not None:
            found.append(current.access_token.get_secret_value())
        found.extend(self._secrets())
        return found

    def _error(
        self,
        response: requests.Response,
        method: str,
        path: str,
        idempotency_key: str | None,
        token: str | None = None,
    ) -> APIError:
        known = self._known_secrets(token)

        def mask(text: str) -> str:
            return mask_secrets(text, known)

        details = [
            ErrorDetail(
                code=mask(d.code),
                message=mask(d.message),
                params=tuple(mask(p) for p in d.params),
                detail=mask(d.detail) if d.detail is not None else None,
            )
            for d in parse_error_body(response.content)
        ]
        status = response.status_code
        text = mask(response.text)
        summary = "; ".join(redact(str(d)) for d in details) or redacted_excerpt(text, 300) or response.reason
        cls = error_class_for_status(status)
        request_id = request_id_of(response.headers)
        return cls(
            f"Siigo answered {status} to {method} {path}{_shown_request_id(response.headers)}: {mask(summary)}",
            status=status,
            errors=details,
            method=method,
            path=path,
            body=redacted_excerpt(text, 2000),
            headers={k: redact(mask(v)) for k, v in response.headers.items() if k.lower() != "set-cookie"},
            idempotency_key=idempotency_key,
            request_id=request_id,
        )

    def login(self, username: str, access_key: str) -> tuple[str, float, dict[str, Any]]:
        """``POST /auth``; returns the token, its lifetime in seconds and the whole answer."""
        body = _json.dumps({"username": username, "access_key": access_key})
        response = self._send("POST", "/auth", None, body, None, authenticated=False)
        try:
            data = _json.loads(response.content)
            token = data["access_token"]
            if not isinstance(token, str) or not usable_token(token):
                raise TypeError("access_token is not a usable string")
            expires_in = float(data.get("expires_in") or 86400)
            if not math.isfinite(expires_in) or expires_in <= 0:
                expires_in = 86400.0
        except (ValueError, KeyError, TypeError, AttributeError):
            raise APIError(
                "Siigo's /auth answer has no access_token",
                status=response.status_code,
                method="POST",
                path="/auth",
            ) from None
        return token, expires_in, dict(data)

    # -- the loop -------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: bytes | None = None,
        idempotency_key: str | None = None,
        timeout: Timeout | None = None,
        ahead: bool = False,
        sent: Callable[[], None] | None = None,
        deadline_used: float = 0.0,
        attempts_made: int = 0,
    ) -> requests.Response:
        """Send an authenticated ``/v1`` request and return the successful response.

        ``timeout`` replaces the client's timeouts for this request (every attempt of it).
        ``deadline_used`` and ``attempts_made``: the seconds of this call's deadline and the
        attempts already spent on it (by a request made ahead for the same page, which failed),
        so that the two together take one deadline and the client's number of attempts (this
        call makes one at least).
        ``ahead`` (reading a page before it is needed): one attempt, sent only if the rate limiter
        has a place free right now and the token kept is valid, else :class:`NotNow`; no retry
        and no login either (a 429 still makes the limiter hold every caller),
        so that whoever needs the answer later asks again with the whole policy.  ``sent`` is
        told when an attempt has been written, on a session whose adapters are
        :class:`DeadlineAdapter` (the client's own)."""
        if self.partner_id is None:
            raise configuration_error(
                refusal("config.partner_id_missing", rule=refusal("config.partner_id_rule"))
            )
        return self._send(
            method,
            path,
            params,
            body,
            idempotency_key,
            authenticated=True,
            timeout=timeout,
            ahead=ahead,
            sent=sent,
            deadline_used=deadline_used,
            attempts_made=attempts_made,
        )

    def download(self, url: str, *, timeout: Timeout | None = None) -> requests.Response:
        """``GET`` a file Siigo links to (a report's spreadsheet on its blob storage), with the
        client's timeouts, deadline, retries and ``max_response_bytes``, but **without** the
        token, the ``Partner-Id`` or the session's credentials: the link carries its own
        authorisation and is usually on another host, which must never see the company's token.
        Its query (a storage signature) is left out of errors and logs.  Not counted by the rate
        limiter: it is not a call to Siigo's API.  Which links may be followed is the caller's
        rule (:meth:`siigo.resources.reports.Reports.download`)."""
        parts = urlsplit(url)
        shown = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"
        headers = {"Accept": "*/*", "User-Agent": self._headers["User-Agent"]}
        try:
            return self._send(
                "GET", shown, None, None, None, authenticated=False, timeout=timeout, url=url, headers=headers
            )
        except SiigoError as exc:
            # A connection error quotes the URL it could not reach: not its signature.
            if parts.query and parts.query in exc.message:
                exc.message = exc.message.replace(parts.query, "<query hidden>")
                exc.args = (exc.message,)
            raise

    def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: bytes | None,
        idempotency_key: str | None,
        *,
        authenticated: bool,
        timeout: Timeout | None = None,
        url: str | None = None,
        headers: dict[str, str] | None = None,
        ahead: bool = False,
        sent: Callable[[], None] | None = None,
        deadline_used: float = 0.0,
        attempts_made: int = 0,
    ) -> requests.Response:
        if url is None and (not path.startswith("/") or ".." in path or "?" in path or "#" in path):
            text = refusal("transport.unsafe_path", path=repr(path))
            raise ValidationError(text.render("en"), idempotency_key=idempotency_key, refusal=text)
        idempotent = method == "GET" or idempotency_key is not None
        if headers is None:
            headers = dict(self._headers)
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        prepared = self._prepare(method, path, params, body, headers, url=url)
        replayed_401 = ahead
        retries = attempts_made
        most_retries = 0 if ahead else self.retry.max_retries
        ends = math.inf if self.deadline is None else time.monotonic() + self.deadline - deadline_used
        while True:
            token = None
            place = self._place(authenticated, ahead)
            attempt = retries + 1
            started = time.monotonic()
            try:
                with place as waited:
                    ends += waited  # the client's own pacing does not count against the deadline
                    if waited > 0.01:
                        logger.debug("rate limiter held %s %s for %.2fs", method, path, waited)
                    if authenticated:
                        # Taken after the limiter's wait, so that it is still valid when it is sent.
                        token = self.tokens.fresh_token() if ahead else self.tokens.token()
                        if token is None:  # a login is the walk's own business
                            raise NotNow("no valid token without logging in")
                        prepared.headers["Authorization"] = f"Bearer {token}"
                    started = time.monotonic()
                    response = self._attempt(prepared, ends, method, path, idempotency_key, timeout, sent)
            except requests.exceptions.RequestException as exc:
                not_sent = _did_not_connect(exc)
                timed_out = isinstance(exc, requests.exceptions.Timeout)
                kind = "timeout" if timed_out else "connection error"
                if (idempotent or not_sent) and retries < most_retries:
                    delay = self.retry.backoff(retries)
                    if time.monotonic() + delay < ends:
                        logger.info(
                            "%s %s attempt %d: %s (%s) after %.1f ms; retrying in %.2fs",
                            method,
                            path,
                            attempt,
                            kind,
                            type(exc).__name__,
                            (time.monotonic() - started) * 1000,
                            delay,
                        )
                        retries += 1
                        self._sleep(delay)
                        continue
                cls = APITimeoutError if timed_out else APIConnectionError
                raise cls(
                    f"{method} {path}: {kind} after {attempt} attempt(s): {type(exc).__name__}: "
                    f"{redacted_excerpt(mask_secrets(str(exc), self._known_secrets(token)), 300)}",
                    method=method,
                    path=path,
                    idempotency_key=idempotency_key,
                ) from exc
            except (ValueError, UnicodeError) as exc:
                # The request could not be written (a header value http.client refuses).
                text = refusal(
                    "config.cannot_send",
                    method=method,
                    path=path,
                    kind=type(exc).__name__,
                    reason=redacted_excerpt(str(exc), 300),
                )
                raise ConfigurationError(
                    text.render("en"), idempotency_key=idempotency_key, refusal=text
                ) from None

            status = response.status_code
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug(
                    "%s %s attempt %d -> %d in %.1f ms%s",
                    method,
                    path,
                    attempt,
                    status,
                    (time.monotonic() - started) * 1000,
                    _shown_request_id(response.headers),
                )
            if status < 300:
                return response
            if (
                status == 401
                and authenticated
                and not replayed_401
                and token is not None
                and self.tokens.can_login
            ):
                logger.info("%s %s: 401, logging in again and replaying once", method, path)
                replayed_401 = True
                self.tokens.invalidate(token)
                continue
            if ahead and status == 429 and self.limiter is not None:
                # Not retried here, but the server's "wait" holds every caller all the same.
                self.limiter.backoff(self._delay(response, retries))
            retryable = status == 429 or (idempotent and status in _RETRYABLE_STATUS)
            if retryable and retries < most_retries:
                delay = self._delay(response, retries)
                if time.monotonic() + delay < ends:
                    if status == 429 and self.limiter is not None:
                        self.limiter.backoff(delay)
                    logger.info(
                        "%s %s attempt %d: %d; retrying in %.2fs", method, path, attempt, status, delay
                    )
                    retries += 1
                    self._sleep(delay)
                    continue
            raise self._error(response, method, path, idempotency_key, token)

    def gives_up(self, error: Exception, attempts_made: int) -> bool:
        """Whether the retry policy ends a ``GET`` whose ``attempts_made`` attempts ended with
        ``error``: an answer that is never retried, or a retryable failure with no retry left.
        A 401 does not end it (a login and one replay follow); an error that is not the
        transport's own is left to the caller."""
        if isinstance(error, APIError):
            if error.status == 401:
                return False
            if error.status not in _RETRYABLE_STATUS:
                return True
        elif isinstance(error, ResponseTooLargeError):
            return True
        elif not isinstance(error, APIConnectionError):
            return False
        return attempts_made > self.retry.max_retries

    def _place(self, authenticated: bool, ahead: bool = False) -> contextlib.AbstractContextManager[float]:
        """The request's place in the rate limit, held until its answer has arrived (see
        :mod:`siigo._ratelimit`); what it yields is the seconds the limiter made it wait.  With
        ``ahead``, a place free right now or :class:`NotNow`."""
        if self.limiter is None or not authenticated:
            return contextlib.nullcontext(0.0)
        if ahead:
            try_slot = getattr(self.limiter, "try_slot", None)
            free = try_slot() if try_slot is not None else None
            if free is None:
                raise NotNow("no place free in the rate limit")
            return cast("contextlib.AbstractContextManager[float]", free)
        slot = getattr(self.limiter, "slot", None)
        if slot is not None:
            held: contextlib.AbstractContextManager[float] = slot()
            return held
        return _acquired(self.limiter)

    def _deadline_error(self, method: str, path: str, idempotency_key: str | None) -> APITimeoutError:
        return APITimeoutError(
            f"{method} {path}: the call's deadline of {self.deadline:g} s passed (deadline= sets it)",
            method=method,
            path=path,
            idempotency_key=idempotency_key,
        )

    def _attempt(
        self,
        prepared: requests.PreparedRequest,
        ends: float,
        method: str,
        path: str,
        idempotency_key: str | None,
        per_call: Timeout | None,
        sent: Callable[[], None] | None = None,
    ) -> requests.Response:
        """One request and its whole answer, read in bounded chunks: cut when the deadline
        passes (whatever the server trickles), refused past ``max_response_bytes``."""
        remaining = ends - time.monotonic()
        if remaining <= 0:
            raise self._deadline_error(method, path, idempotency_key)
        limits = per_call or self.timeout
        timeout = (min(limits.connect, remaining), min(limits.read, remaining))
        call = _Call(ends, sent)
        adapter = self.session.get_adapter(prepared.url or self.base_url)
        calls = adapter.calls if isinstance(adapter, DeadlineAdapter) else None
        if calls is not None:
            calls.current = call
        if not math.isinf(ends):
            self._watchdog.watch(call)
        try:
            response = self.session.send(
                prepared, timeout=timeout, allow_redirects=False, **self._send_settings
            )
            if call.connection is None:
                call.connection = getattr(response.raw, "_connection", None)
            self._read_body(response, call, method, path, idempotency_key)
            if call.expired:  # cut while the headers were arriving: what was read is partial
                raise self._deadline_error(method, path, idempotency_key)
            return response
        except requests.exceptions.RequestException as exc:
            if call.expired or _cut_by_deadline(exc, limits, remaining):
                raise self._deadline_error(method, path, idempotency_key) from None
            raise
        finally:
            if calls is not None:
                calls.current = None
            self._watchdog.forget(call)

    def _read_body(
        self, response: requests.Response, call: _Call, method: str, path: str, idempotency_key: str | None
    ) -> None:
        limit = self.max_response_bytes
        declared = response.headers.get("Content-Length", "")
        encoded = (response.headers.get("Content-Encoding") or "identity").strip().lower()
        if limit is not None and encoded == "identity" and declared.isdigit() and int(declared) > limit:
            response.close()
            raise self._too_large(method, path, idempotency_key, f"declares {int(declared):,} bytes")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if limit is not None and size > limit:
                response.close()
                raise self._too_large(method, path, idempotency_key, "goes on past it")
            chunks.append(chunk)
            if call.expired:
                raise requests.exceptions.ConnectionError("the call's deadline passed")
        response._content = b"".join(chunks)

    def _too_large(
        self, method: str, path: str, idempotency_key: str | None, how: str
    ) -> ResponseTooLargeError:
        limit = self.max_response_bytes or 0
        return ResponseTooLargeError(
            f"{method} {path}: the answer is larger than max_response_bytes={limit:,} "
            f"(decompressed; it {how}); reading stopped and the connection was closed",
            limit=limit,
            method=method,
            path=path,
            idempotency_key=idempotency_key,
        )

    def _prepare(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: bytes | None,
        headers: dict[str, str],
        *,
        url: str | None = None,
    ) -> requests.PreparedRequest:
        """Build the request once; each attempt only sets its own ``Authorization``.

        This is ``Session.prepare_request`` without its ``~/.netrc`` lookup (an entry there for
        the API host would replace the Bearer token with Basic credentials, and the file would
        be read on every call) and without its generic setting merges (40 µs a call).  The
        session's headers, parameters, cookies and hooks still apply."""
        session = self.session
        merged = CaseInsensitiveDict(session.headers)
        if url is not None:  # a link elsewhere: none of the session's credentials go with it
            for name in ("Authorization", "Partner-Id", "Proxy-Authorization"):
                merged.pop(name, None)
        merged.update(headers)
        query: Any = _merge_setting(params, session.params) if session.params else params
        prepared = requests.PreparedRequest()
        try:
            prepared.prepare(
                method=method,
                url=url if url is not None else self.base_url + path,
                headers={k: v for k, v in merged.items() if v is not None},
                data=body,
                params=query,
                cookies=session.cookies if len(session.cookies) else None,
                hooks=session.hooks,
            )
            return prepared
        except (requests.exceptions.RequestException, ValueError, TypeError, UnicodeError) as exc:
            text = refusal(
                "config.cannot_build",
                method=method,
                path=path,
                kind=type(exc).__name__,
                reason=redacted_excerpt(str(exc), 300),
            )
            raise ConfigurationError(
                text.render("en"), idempotency_key=headers.get("Idempotency-Key"), refusal=text
            ) from None

    def _delay(self, response: requests.Response, retries: int) -> float:
        seconds = retry_after_seconds(response.headers.get("Retry-After"))
        if seconds is not None:
            return min(seconds, self.retry.retry_after_max)
        return self.retry.backoff(retries)
