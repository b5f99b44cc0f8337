"""Exception hierarchy of siigo-python.

Everything the SDK raises on purpose derives from :class:`SiigoError`::

    SiigoError (alias BaseError)
    ├── ConfigurationError            bad client settings (partner id, base URL, credentials)
    ├── WrongFormatInputError         something is wrong with what was sent
    │   ├── ValidationError           rejected locally, before any request left the client
    │   └── BadRequestError (400)     rejected by Siigo
    ├── APIError                      Siigo answered with an error status
    │   ├── BadRequestError (400)
    │   ├── AuthenticationError (401) alias UnauthorizedError
    │   ├── PermissionDeniedError (403)
    │   ├── NotFoundError (404)
    │   ├── ContactsLimitExceededError (406, kept from siigo-python 0.1)
    │   ├── ConflictError (409)
    │   ├── RateLimitError (429)
    │   └── ServerError (408, 5xx)
    ├── APIConnectionError            no usable answer
    │   ├── APITimeoutError           a timeout, or the call's deadline passed
    │   └── ResponseTooLargeError     the answer is larger than max_response_bytes
    └── SharedStateError              the shared token store or rate limiter is unreachable

Every error that happens while creating a document carries ``idempotency_key`` so the
caller can retry later without creating a duplicate.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._refusals import Refusal

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BaseError",
    "ConfigurationError",
    "ConflictError",
    "ContactsLimitExceededError",
    "ErrorDetail",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ServerError",
    "SharedStateError",
    "SiigoError",
    "UnauthorizedError",
    "ValidationError",
    "WrongFormatInputError",
]


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of Siigo's ``Errors`` list (or of a local validation failure).

    A local refusal also carries ``refusal``: its message id and arguments in the catalog of
    :mod:`siigo.messages`, from which :meth:`in_language` renders ``message`` in English or
    Spanish.  ``message`` is English unless the detail was rendered in another language (a
    :class:`~siigo.Client` with ``language="es"`` raises its refusals in Spanish); Siigo's own
    answers carry no ``refusal`` and stay as Siigo wrote them.
    """

    code: str
    message: str
    params: tuple[str, ...] = ()
    detail: str | None = None
    refusal: Refusal | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        where = f" [{', '.join(self.params)}]" if self.params else ""
        return f"{self.code}: {self.message}{where}"

    @property
    def message_id(self) -> str | None:
        """The id of the message in the catalog (``None`` for Siigo's own errors)."""
        return self.refusal.id if self.refusal is not None else None

    @property
    def message_args(self) -> dict[str, Any]:
        """The arguments the message is rendered with (empty for Siigo's own errors)."""
        return dict(self.refusal.args) if self.refusal is not None else {}

    def in_language(self, language: str) -> ErrorDetail:
        """This detail with ``message`` in ``language`` (``"en"`` or ``"es"``); a detail that is
        not a local refusal is returned as it is."""
        if self.refusal is None:
            return self
        return dataclasses.replace(self, message=self.refusal.render(language))


class SiigoError(Exception):
    """Base class of every error raised by siigo-python."""

    idempotency_key: str | None = None
    refusal: Refusal | None = None
    """The message's id and arguments when the SDK wrote it from its catalog (see
    :mod:`siigo.messages`), so that it can be shown in another language."""

    def __init__(
        self, message: str, *, idempotency_key: str | None = None, refusal: Refusal | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.idempotency_key = idempotency_key
        self.refusal = refusal

    def __str__(self) -> str:
        if self.idempotency_key:
            language = getattr(self, "language", "en")
            if language != "en":
                from ._refusals import refusal

                suffixed = refusal("refused.idempotency_key", message=self.message, key=self.idempotency_key)
                return suffixed.render(language)
            return f"{self.message} (idempotency key {self.idempotency_key})"
        return self.message


BaseError = SiigoError
"""Name used by siigo-python 0.1."""


class ConfigurationError(SiigoError, ValueError):
    """The client was configured in a way that cannot work (explains the rule).

    ``refusal`` is the message's id and arguments in the catalog (:mod:`siigo._refusals`);
    ``message`` is English unless a :class:`~siigo.Client` with ``language="es"`` raised it
    (``language`` says which); :meth:`in_language` gives the same error in the other one.
    """

    def __init__(
        self, message: str, *, idempotency_key: str | None = None, refusal: Refusal | None = None
    ) -> None:
        super().__init__(message, idempotency_key=idempotency_key, refusal=refusal)
        self.language = "en"

    def in_language(self, language: str) -> ConfigurationError:
        """A copy of this error with its message in ``language`` (``"en"`` or ``"es"``)."""
        other = copy.copy(self)
        other._localize(language)
        return other

    def _localize(self, language: str) -> None:
        """Render the message again, in place, in ``language``."""
        self.language = language
        if self.refusal is not None:
            self.message = self.refusal.render(language)
            self.args = (self.message,)


class WrongFormatInputError(SiigoError):
    """The data sent is wrong: raised locally (:class:`ValidationError`) or by Siigo (400)."""


class ValidationError(WrongFormatInputError, ValueError):
    """A request was rejected locally; nothing was sent to Siigo.

    ``errors`` lists every problem with the Siigo error code the server would have used,
    the message, and the field path in ``params``.  ``language`` is the language of the
    messages (English unless a :class:`~siigo.Client` with ``language="es"`` raised it);
    :meth:`in_language` gives the same error in the other one.  ``subject`` is what was refused
    (``"InvoiceCreateParams"``) when the message lists every problem.
    """

    def __init__(
        self,
        message: str,
        errors: Sequence[ErrorDetail] = (),
        *,
        idempotency_key: str | None = None,
        refusal: Refusal | None = None,
        subject: str | None = None,
    ) -> None:
        super().__init__(message, idempotency_key=idempotency_key, refusal=refusal)
        self.errors: list[ErrorDetail] = list(errors)
        self.subject = subject
        self.language = "en"

    @property
    def codes(self) -> list[str]:
        return [e.code for e in self.errors]

    def in_language(self, language: str) -> ValidationError:
        """A copy of this error with its message and every local refusal in ``language``
        (``"en"`` or ``"es"``); Siigo's own messages are kept as they came."""
        other = copy.copy(self)
        other._localize(language)
        return other

    def _localize(self, language: str) -> None:
        """Render the messages again, in place, in ``language``."""
        from ._refusals import summary

        self.errors = [detail.in_language(language) for detail in self.errors]
        self.language = language
        if self.refusal is not None:
            self.message = self.refusal.render(language)
        elif self.subject is not None:
            self.message = summary(self.subject, self.errors, language)
        else:
            return
        self.args = (self.message,)


class APIError(SiigoError):
    """Siigo answered with an error status.

    ``status`` is the HTTP status, ``errors`` the parsed ``Errors`` list of Siigo's envelope
    (empty when the body was not JSON), ``body`` the raw text (truncated), ``method`` and
    ``path`` the request that failed, ``request_id`` the server's id of that request when its
    answer carried one (quote it to Siigo's support).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        errors: Sequence[ErrorDetail] = (),
        method: str = "",
        path: str = "",
        body: str = "",
        headers: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, idempotency_key=idempotency_key)
        self.request_id = request_id
        self.status = status
        self.status_code = status
        self.errors: list[ErrorDetail] = list(errors)
        self.method = method
        self.path = path
        self.body = body
        self.headers: dict[str, str] = dict(headers or {})

    @property
    def codes(self) -> list[str]:
        return [e.code for e in self.errors]

    @property
    def code(self) -> str | None:
        """The first Siigo error code, if any."""
        return self.errors[0].code if self.errors else None


class BadRequestError(APIError, WrongFormatInputError):
    """400: Siigo rejected the request (validation, configuration or business rule)."""


class AuthenticationError(APIError):
    """401: credentials rejected, token invalid or expired, or the API user is blocked."""


UnauthorizedError = AuthenticationError
"""Name used by siigo-python 0.1."""


class PermissionDeniedError(APIError):
    """403: the operation is not allowed (for example ``disabled_functionality``)."""


class NotFoundError(APIError):
    """404: the resource does not exist."""


class ContactsLimitExceededError(APIError):
    """406: kept from siigo-python 0.1, which mapped this status to a contacts limit."""


class ConflictError(APIError):
    """409: the request conflicts with the current state."""


class RateLimitError(APIError):
    """429: too many requests (``requests_limit``); ``retry_after`` in seconds when sent."""

    @property
    def retry_after(self) -> float | None:
        value = self.headers.get("Retry-After") or self.headers.get("retry-after")
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None


class ServerError(APIError):
    """408 or 5xx: Siigo failed to answer the request."""


class APIConnectionError(SiigoError):
    """The request got no usable answer (connection refused, reset, dropped)."""

    def __init__(
        self,
        message: str,
        *,
        method: str = "",
        path: str = "",
        idempotency_key: str | None = None,
    ) -> None:
        super().__init__(message, idempotency_key=idempotency_key)
        self.method = method
        self.path = path


class APITimeoutError(APIConnectionError):
    """The request timed out (connect or read), or its total ``deadline`` passed."""


class ResponseTooLargeError(APIConnectionError):
    """The answer was longer than ``max_response_bytes`` once decompressed; reading stopped
    there and the connection was closed.  ``limit`` is that setting."""

    def __init__(
        self,
        message: str,
        *,
        limit: int,
        method: str = "",
        path: str = "",
        idempotency_key: str | None = None,
    ) -> None:
        super().__init__(message, method=method, path=path, idempotency_key=idempotency_key)
        self.limit = limit


class SharedStateError(SiigoError):
    """The shared token store or rate limiter (Redis, or the SQLite file) could not be used.

    Nothing was sent to Siigo: without the shared limiter a process cannot know the company's
    budget, so it stops instead of guessing.  ``where`` names the store (never its password)."""

    def __init__(self, message: str, *, where: str = "", idempotency_key: str | None = None) -> None:
        super().__init__(message, idempotency_key=idempotency_key)
        self.where = where


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    406: ContactsLimitExceededError,
    409: ConflictError,
    429: RateLimitError,
    408: ServerError,
}


def error_class_for_status(status: int) -> type[APIError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    return APIError
