"""Checks of client settings, with messages that explain the rule."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from ._transport import RetryPolicy, Timeout
from .errors import ConfigurationError

__all__ = [
    "DEFAULT_BASE_URL",
    "PARTNER_ID_RULE",
    "check_base_url",
    "check_partner_id",
    "coerce_retry",
    "coerce_timeout",
    "is_loopback",
]

DEFAULT_BASE_URL = "https://api.siigo.com"
_PARTNER_ID = re.compile(r"^[A-Za-z0-9]{3,100}$")

PARTNER_ID_RULE = (
    "Siigo requires a Partner-Id header on every call: the name of your integration, 3 to 100 "
    "letters and digits with nothing else (no spaces, hyphens or underscores), the same for all "
    "the companies you serve, e.g. 'MiTiendaERP'. Pass partner_id=... or set SIIGO_PARTNER_ID."
)


def check_partner_id(value: str) -> str:
    if not isinstance(value, str) or not _PARTNER_ID.match(value):
        text = str(value)
        problem = (
            "is too short"
            if len(text) < 3
            else "is too long"
            if len(text) > 100
            else "contains characters other than letters and digits"
        )
        raise ConfigurationError(f"partner_id {value!r} {problem}. {PARTNER_ID_RULE}")
    return value


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigurationError(
            f"base_url must be an absolute URL such as {DEFAULT_BASE_URL!r}, got {value!r}"
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigurationError(
            f"base_url {value!r} uses plain http: credentials would travel unencrypted. "
            "Use https (plain http is accepted only for loopback addresses such as the local sandbox)."
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigurationError(f"base_url must not carry a query, fragment or user info: {value!r}")
    return value.rstrip("/")


def coerce_timeout(timeout: float | Timeout | tuple[float, float] | None) -> Timeout:
    """``None`` → defaults (connect 5 s, read 120 s); a number → read timeout; a pair → both."""
    if timeout is None:
        return Timeout()
    if isinstance(timeout, Timeout):
        result = timeout
    elif isinstance(timeout, tuple):
        result = Timeout(connect=float(timeout[0]), read=float(timeout[1]))
    else:
        result = Timeout(connect=min(5.0, float(timeout)), read=float(timeout))
    if result.connect <= 0 or result.read <= 0:
        raise ConfigurationError(f"timeouts must be positive, got {result}")
    return result


def coerce_retry(retry: RetryPolicy, max_retries: int | None) -> RetryPolicy:
    if max_retries is None:
        return retry
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be a whole number, 0 or more, got {max_retries!r}")
    return RetryPolicy(
        max_retries=max_retries,
        backoff_base=retry.backoff_base,
        backoff_max=retry.backoff_max,
        retry_after_max=retry.retry_after_max,
    )
