"""siigo-python: the typed Python SDK for the Siigo Nube API.

>>> from siigo import Client
>>> client = Client(username="api@empresa.com", access_key="...", partner_id="MiAplicacion")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BaseError,
    ConfigurationError,
    ConflictError,
    ContactsLimitExceededError,
    ErrorDetail,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
    SharedStateError,
    SiigoError,
    UnauthorizedError,
    ValidationError,
    WrongFormatInputError,
)

if TYPE_CHECKING:
    from . import webhooks
    from ._auth import InMemoryTokenStore, StoredToken, TokenStore
    from ._ratelimit import Limiter, RateLimiter
    from ._shared import (
        RedisRateLimiter,
        RedisTokenStore,
        SharedTokenStore,
        SqliteRateLimiter,
        SqliteTokenStore,
        TokenSealer,
        company_key,
    )
    from ._transport import RetryPolicy, Timeout
    from .client import Client
    from .pagination import Catalog, Page

# The rest of the surface is imported when first used: ``import siigo`` (a script, the CLI)
# then does not build the models and resources it may never need.
_LAZY = {
    "InMemoryTokenStore": "._auth",
    "StoredToken": "._auth",
    "TokenStore": "._auth",
    "Limiter": "._ratelimit",
    "RateLimiter": "._ratelimit",
    "RedisRateLimiter": "._shared",
    "RedisTokenStore": "._shared",
    "SharedTokenStore": "._shared",
    "SqliteRateLimiter": "._shared",
    "SqliteTokenStore": "._shared",
    "TokenSealer": "._shared",
    "company_key": "._shared",
    "RetryPolicy": "._transport",
    "Timeout": "._transport",
    "Client": ".client",
    "Catalog": ".pagination",
    "Page": ".pagination",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name == "webhooks":
        return importlib.import_module(".webhooks", __name__)
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BaseError",
    "Catalog",
    "Client",
    "ConfigurationError",
    "ConflictError",
    "ContactsLimitExceededError",
    "ErrorDetail",
    "InMemoryTokenStore",
    "Limiter",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimiter",
    "RedisRateLimiter",
    "RedisTokenStore",
    "ResponseTooLargeError",
    "RetryPolicy",
    "ServerError",
    "SharedStateError",
    "SharedTokenStore",
    "SiigoError",
    "SqliteRateLimiter",
    "SqliteTokenStore",
    "StoredToken",
    "Timeout",
    "TokenSealer",
    "TokenStore",
    "UnauthorizedError",
    "ValidationError",
    "WrongFormatInputError",
    "__version__",
    "company_key",
    "webhooks",
]
