"""Checks of client settings, with messages that explain the rule."""

from __future__ import annotations

import ipaddress
from typing import Literal
from urllib.parse import SplitResult, urlsplit

from ._checks import configuration_error, seconds_setting
from ._patterns import PARTNER_ID, PARTNER_ID_RULE, SANDBOX_HEADER
from ._ratelimit import Limiter, RateLimiter
from ._refusals import refusal
from ._transport import RetryPolicy, Timeout

__all__ = [
    "DEFAULT_BASE_URL",
    "PARTNER_ID_RULE",
    "READ_AHEAD_AFTER",
    "SANDBOX_HEADER",
    "UPDATE_ROUTES",
    "UpdateRoute",
    "check_base_url",
    "check_partner_id",
    "check_read_ahead",
    "coerce_deadline",
    "coerce_max_response_bytes",
    "coerce_rate_limit",
    "coerce_retry",
    "coerce_timeout",
    "coerce_ttl",
    "is_loopback",
    "reads_ahead",
]

DEFAULT_BASE_URL = "https://api.siigo.com"

UpdateRoute = Literal["id", "collection"]
"""Where an edit is sent: ``"id"`` → ``PUT /v1/webhooks/{id}``, ``"collection"`` →
``PUT /v1/webhooks`` (the id in the body).  Siigo's sources disagree (siigo-api.md §F #50);
the id travels in the body on both routes."""

UPDATE_ROUTES: tuple[UpdateRoute, ...] = ("id", "collection")


def check_partner_id(value: str) -> str:
    if isinstance(value, str) and PARTNER_ID.fullmatch(value):
        return value
    if not isinstance(value, str):
        raise configuration_error(
            refusal(
                "config.partner_id_type", type=type(value).__name__, rule=refusal("config.partner_id_rule")
            )
        )
    problem = refusal(
        "config.partner_id_too_short"
        if len(value) < 3
        else "config.partner_id_too_long"
        if len(value) > 100
        else "config.partner_id_characters"
    )
    # Echo the value only when it cannot be a secret pasted into the wrong argument.
    shown = (
        repr(value)
        if len(value) <= 40 and "." not in value
        else refusal("config.characters", count=len(value))
    )
    raise configuration_error(
        refusal("config.partner_id_bad", shown=shown, problem=problem, rule=refusal("config.partner_id_rule"))
    )


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _shown_url(parts: SplitResult) -> str:
    """The URL for an error message, without any user info it carried."""
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=host).geturl()


def check_base_url(value: str) -> str:
    if not isinstance(value, str):
        raise configuration_error(
            refusal("config.base_url_type", example=repr(DEFAULT_BASE_URL), type=type(value).__name__)
        )
    try:
        parts = urlsplit(value.strip())
        shown = _shown_url(parts)
        hostname, _port = parts.hostname, parts.port
    except ValueError as exc:
        raise configuration_error(
            refusal("config.base_url_invalid", reason=str(exc), example=repr(DEFAULT_BASE_URL))
        ) from None
    if parts.username is not None or parts.password is not None:
        raise configuration_error(refusal("config.base_url_userinfo", shown=repr(shown)))
    if parts.scheme not in ("https", "http") or not hostname:
        raise configuration_error(
            refusal("config.base_url_absolute", example=repr(DEFAULT_BASE_URL), shown=repr(shown))
        )
    if parts.scheme == "http" and not is_loopback(hostname):
        raise configuration_error(refusal("config.base_url_http", shown=repr(shown)))
    if parts.query or parts.fragment:
        raise configuration_error(refusal("config.base_url_query", shown=repr(shown)))
    return value.strip().rstrip("/")


def _seconds(name: str, value: object) -> float:
    return seconds_setting(name, value)


def coerce_timeout(timeout: float | Timeout | tuple[float, float] | None) -> Timeout:
    """``None`` → defaults (connect 5 s, read 120 s); a number → read timeout; a pair → both."""
    if timeout is None:
        return Timeout()
    if isinstance(timeout, Timeout):
        return Timeout(
            connect=_seconds("the connect timeout", timeout.connect),
            read=_seconds("the read timeout", timeout.read),
        )
    if isinstance(timeout, (tuple, list)):
        if len(timeout) != 2:
            raise configuration_error(refusal("config.timeout_pair", value=repr(timeout)))
        return Timeout(
            connect=_seconds("the connect timeout", timeout[0]), read=_seconds("the read timeout", timeout[1])
        )
    read = _seconds("timeout", timeout)
    return Timeout(connect=min(5.0, read), read=read)


def coerce_retry(retry: RetryPolicy, max_retries: int | None) -> RetryPolicy:
    if not isinstance(retry, RetryPolicy):
        raise configuration_error(refusal("config.retry_type", type=type(retry).__name__))
    if max_retries is None:
        return retry
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise configuration_error(refusal("config.max_retries", value=repr(max_retries)))
    return RetryPolicy(
        max_retries=max_retries,
        backoff_base=retry.backoff_base,
        backoff_max=retry.backoff_max,
        retry_after_max=retry.retry_after_max,
    )


def coerce_rate_limit(rate_limit: int | Limiter | None) -> Limiter | None:
    """``None`` → no limiter; a number → requests per minute; a limiter (a shared
    :class:`RateLimiter`, or a :class:`siigo.RedisRateLimiter` / :class:`siigo.SqliteRateLimiter`)."""
    if rate_limit is None or isinstance(rate_limit, (RateLimiter, Limiter)):
        return rate_limit
    return RateLimiter(rate_limit)


def coerce_ttl(ttl: float) -> float:
    """Seconds to keep catalogs: 0 fetches every time, ``inf`` keeps them until refreshed."""
    return seconds_setting("catalog_ttl", ttl, zero=True, infinite=True)


def coerce_deadline(deadline: float | None) -> float | None:
    """Seconds one call may take in all; ``None`` for no deadline."""
    return None if deadline is None else seconds_setting("deadline", deadline)


READ_AHEAD_AFTER = 0.010
"""With ``read_ahead=None``, a walk reads the following page ahead once the last page took at
least this long to answer (seconds, from sending the request to its headers): over the internet
a page takes tens of milliseconds; on loopback a few, and reading ahead costs more than that."""


def check_read_ahead(value: bool | None) -> bool | None:
    """``True``, ``False`` or ``None`` (read ahead where it pays: see :func:`reads_ahead`)."""
    if value is not None and not isinstance(value, bool):
        raise configuration_error(refusal("config.read_ahead", value=repr(value)))
    return value


def reads_ahead(setting: bool | None, base_url: str, last_answer: float, *, sandbox: bool = False) -> bool:
    """Whether a walk asks for the following page before it needs it: always with ``True``,
    never with ``False``; with ``None``, when the API is not on loopback (a local stub: answers
    in a few milliseconds, and the same answers on every machine load), is not the sandbox
    (``sandbox``: the last answer carried :data:`SANDBOX_HEADER`, whatever the host name it
    was reached by), and the last page took at least :data:`READ_AHEAD_AFTER` seconds to
    answer."""
    if setting is not None:
        return setting
    return not sandbox and last_answer >= READ_AHEAD_AFTER and not is_loopback(urlsplit(base_url).hostname)


def coerce_max_response_bytes(value: int | None) -> int | None:
    """The longest answer read (decompressed); ``None`` for no limit."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1024:
        raise configuration_error(refusal("config.max_response_bytes", value=repr(value)))
    return value
