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

import email.utils
import logging
import math
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

import requests
from requests.sessions import merge_setting
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import NewConnectionError

from . import _json
from ._auth import TokenManager, usable_token
from ._checks import seconds_setting
from ._ratelimit import Limiter
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ConfigurationError,
    ErrorDetail,
    ValidationError,
    error_class_for_status,
)

__all__ = ["RetryPolicy", "Timeout", "Transport", "logger"]

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
            raise ConfigurationError(
                f"max_retries must be a whole number, 0 or more, got {self.max_retries!r}"
            )
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

    def __repr__(self) -> str:
        return f"Transport(base_url={self.base_url!r})"

    # -- helpers --------------------------------------------------------------------------------

    def same_origin(self, url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme, parts.hostname, parts.port) == self.origin

    def _error(
        self,
        response: requests.Response,
        method: str,
        path: str,
        idempotency_key: str | None,
    ) -> APIError:
        details = parse_error_body(response.content)
        status = response.status_code
        summary = (
            "; ".join(redact(str(d)) for d in details)
            or redacted_excerpt(response.text, 300)
            or response.reason
        )
        cls = error_class_for_status(status)
        return cls(
            f"Siigo answered {status} to {method} {path}: {summary}",
            status=status,
            errors=details,
            method=method,
            path=path,
            body=redacted_excerpt(response.text, 2000),
            headers={k: v for k, v in response.headers.items() if k.lower() != "set-cookie"},
            idempotency_key=idempotency_key,
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
    ) -> requests.Response:
        """Send an authenticated ``/v1`` request and return the successful response."""
        if self.partner_id is None:
            from ._config import PARTNER_ID_RULE

            raise ConfigurationError(f"partner_id is missing. {PARTNER_ID_RULE}")
        return self._send(method, path, params, body, idempotency_key, authenticated=True)

    def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: bytes | None,
        idempotency_key: str | None,
        *,
        authenticated: bool,
    ) -> requests.Response:
        if not path.startswith("/") or ".." in path or "?" in path or "#" in path:
            raise ValidationError(
                f"refusing to send a request to an unsafe path {path!r}", idempotency_key=idempotency_key
            )
        idempotent = method == "GET" or idempotency_key is not None
        headers = dict(self._headers)
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        prepared = self._prepare(method, path, params, body, headers)
        replayed_401 = False
        retries = 0
        while True:
            token = None
            if authenticated:
                token = self.tokens.token()
                prepared.headers["Authorization"] = f"Bearer {token}"
            if self.limiter is not None and authenticated:
                waited = self.limiter.acquire()
                if waited > 0.01:
                    logger.debug("rate limiter held %s %s for %.2fs", method, path, waited)
            attempt = retries + 1
            try:
                try:
                    response = self.session.send(
                        prepared,
                        timeout=self.timeout.as_tuple(),
                        allow_redirects=False,
                        **self._send_settings,
                    )
                finally:
                    if self.limiter is not None and authenticated:
                        finished = getattr(self.limiter, "finished", None)
                        if finished is not None:
                            finished()
            except requests.exceptions.RequestException as exc:
                not_sent = _did_not_connect(exc)
                timed_out = isinstance(exc, requests.exceptions.Timeout)
                kind = "timeout" if timed_out else "connection error"
                if (idempotent or not_sent) and retries < self.retry.max_retries:
                    delay = self.retry.backoff(retries)
                    logger.info(
                        "%s %s attempt %d: %s (%s); retrying in %.2fs",
                        method,
                        path,
                        attempt,
                        kind,
                        type(exc).__name__,
                        delay,
                    )
                    retries += 1
                    self._sleep(delay)
                    continue
                cls = APITimeoutError if timed_out else APIConnectionError
                raise cls(
                    f"{method} {path}: {kind} after {attempt} attempt(s): {type(exc).__name__}: "
                    f"{redacted_excerpt(str(exc), 300)}",
                    method=method,
                    path=path,
                    idempotency_key=idempotency_key,
                ) from exc
            except (ValueError, UnicodeError) as exc:
                # The request could not be written (a header value http.client refuses).
                raise ConfigurationError(
                    f"cannot send {method} {path}: {type(exc).__name__}: {redacted_excerpt(str(exc), 300)}",
                    idempotency_key=idempotency_key,
                ) from None

            status = response.status_code
            logger.debug("%s %s attempt %d -> %d", method, path, attempt, status)
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
            retryable = status == 429 or (idempotent and status in _RETRYABLE_STATUS)
            if retryable and retries < self.retry.max_retries:
                delay = self._delay(response, retries)
                if status == 429 and self.limiter is not None:
                    self.limiter.backoff(delay)
                logger.info("%s %s attempt %d: %d; retrying in %.2fs", method, path, attempt, status, delay)
                retries += 1
                self._sleep(delay)
                continue
            raise self._error(response, method, path, idempotency_key)

    def _prepare(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: bytes | None,
        headers: dict[str, str],
    ) -> requests.PreparedRequest:
        """Build the request once; each attempt only sets its own ``Authorization``.

        This is ``Session.prepare_request`` without its ``~/.netrc`` lookup (an entry there for
        the API host would replace the Bearer token with Basic credentials, and the file would
        be read on every call) and without its generic setting merges (40 µs a call).  The
        session's headers, parameters, cookies and hooks still apply."""
        session = self.session
        merged = CaseInsensitiveDict(session.headers)
        merged.update(headers)
        query: Any = _merge_setting(params, session.params) if session.params else params
        prepared = requests.PreparedRequest()
        try:
            prepared.prepare(
                method=method,
                url=self.base_url + path,
                headers={k: v for k, v in merged.items() if v is not None},
                data=body,
                params=query,
                cookies=session.cookies if len(session.cookies) else None,
                hooks=session.hooks,
            )
            return prepared
        except (requests.exceptions.RequestException, ValueError, TypeError, UnicodeError) as exc:
            raise ConfigurationError(
                f"cannot build the request {method} {path}: {type(exc).__name__}: "
                f"{redacted_excerpt(str(exc), 300)}",
                idempotency_key=headers.get("Idempotency-Key"),
            ) from None

    def _delay(self, response: requests.Response, retries: int) -> float:
        seconds = retry_after_seconds(response.headers.get("Retry-After"))
        if seconds is not None:
            return min(seconds, self.retry.retry_after_max)
        return self.retry.backoff(retries)
