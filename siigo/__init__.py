"""siigo-python: the typed Python SDK for the Siigo Nube API.

>>> from siigo import Client
>>> client = Client(username="api@empresa.com", access_key="...", partner_id="MiAplicacion")
"""

from __future__ import annotations

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
from ._version import __version__
from .client import Client
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
from .pagination import Catalog, Page

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
