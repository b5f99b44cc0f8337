"""The sandbox as a WSGI application.

Every request goes through Siigo's pipeline in Siigo's order (siigo-api.md H.1): faults
injected by tests, route match, ``/auth``, the token, the ``Partner-Id`` header, the company's
rate limit, the content type, and then the handler of the endpoint, which validates the body
with the SDK's own request models and applies the business rules.  Errors use Siigo's
PascalCase envelope.  A control plane for tests lives under ``/_sandbox``.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NoReturn

from werkzeug.datastructures import Headers, MultiDict
from werkzeug.wrappers import Request, Response

from .. import _json
from .._patterns import PARTNER_ID, SANDBOX_HEADER
from ..errors import ErrorDetail
from .state import CompanyLimitReached, Fault, JournalEntry, SandboxSettings, SandboxState, Tenant

__all__ = [
    "CONTROL_PREFIX",
    "Ctx",
    "SandboxApp",
    "SiigoHTTPError",
    "error_response",
    "parse_json",
    "route",
]

CONTROL_PREFIX = "/_sandbox"
_DOC_URL = "Check the API documentation: https://developer.siigo.com/introduction/codigos-de-error/"


def error_entry(
    code: str, message: str, params: Sequence[str] = (), *, detail: bool = True
) -> dict[str, Any]:
    return {
        "Code": code,
        "Message": message,
        "Params": list(params),
        "Detail": _DOC_URL + code if detail else None,
    }


class SiigoHTTPError(Exception):
    """Raised by handlers: becomes Siigo's error envelope."""

    def __init__(
        self,
        status: int,
        errors: Sequence[dict[str, Any]],
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status}: {errors}")
        self.status = status
        self.errors = list(errors)
        self.headers = dict(headers or {})

    @classmethod
    def one(
        cls, status: int, code: str, message: str, params: Sequence[str] = (), *, detail: bool = True
    ) -> SiigoHTTPError:
        return cls(status, [error_entry(code, message, params, detail=detail)])

    @classmethod
    def from_details(cls, details: Iterable[ErrorDetail], status: int = 400) -> SiigoHTTPError:
        return cls(status, [error_entry(d.code, d.message, d.params) for d in details])


def not_found(what: str = "resource") -> SiigoHTTPError:
    return SiigoHTTPError.one(404, "not_found", f"The {what} was not found", detail=False)


def unhandled(exc: BaseException) -> SiigoHTTPError:
    """Siigo's 500 for an exception the sandbox did not expect (a bug of the sandbox)."""
    return SiigoHTTPError(
        500, [error_entry("unhandled_error", f"Unhandled error: {type(exc).__name__}: {exc}")]
    )


def error_response(exc: SiigoHTTPError) -> Response:
    """Siigo's PascalCase error envelope."""
    body = {"Status": exc.status, "Errors": exc.errors}
    return Response(
        _json.dumps(body),
        status=exc.status,
        content_type="application/json; charset=utf-8",
        headers=exc.headers,
    )


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


# Siigo's backend cannot read a larger or finer number into any field (and such exponents alone
# can make arithmetic on a ``Decimal`` take minutes).
_LARGEST_NUMBER = _json.DOTNET_DECIMAL_MAX
_MAX_DECIMAL_PLACES = _json.DOTNET_DECIMAL_SCALE


def _integer(text: str) -> int:
    value = int(text)
    if abs(value) > _LARGEST_NUMBER:
        raise ValueError(f"the number {text[:40]} is out of range (at most {_LARGEST_NUMBER})")
    return value


def _decimal(text: str) -> Decimal:
    value = Decimal(text)
    exponent = value.as_tuple().exponent
    if (
        not isinstance(exponent, int)
        or exponent < -_MAX_DECIMAL_PLACES
        or value.adjusted() > _MAX_DECIMAL_PLACES
        or abs(value) > _LARGEST_NUMBER
    ):
        raise ValueError(
            f"the number {text[:40]} is out of range (at most {_LARGEST_NUMBER} "
            f"with at most {_MAX_DECIMAL_PLACES} decimal places)"
        )
    return value


def parse_json(raw: bytes) -> Any:
    """A request body as JSON, non-integer numbers as ``Decimal``.  ``ValueError`` for anything
    Siigo would not read as JSON: bad syntax or encoding, ``NaN``/``Infinity``, numbers a .NET
    ``decimal`` cannot hold, and nesting deeper than the parser can follow."""
    try:
        value = json.loads(raw, parse_float=_decimal, parse_int=_integer, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None
    # How deep the standard parser follows depends on the Python version (3.13 reads 5 000
    # levels that 3.12 refuses), so the limit is set here, the same on every version.
    if _depth_exceeds(value, MAX_JSON_DEPTH):
        raise ValueError(f"the JSON is nested too deeply (more than {MAX_JSON_DEPTH} levels)")
    return value


MAX_JSON_DEPTH = 64
"""The deepest nesting the sandbox reads (the default of .NET's JSON readers); Siigo's deepest
documents nest about five levels."""


def _depth_exceeds(value: Any, limit: int) -> bool:
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


@dataclass
class Ctx:
    """What a handler gets."""

    state: SandboxState
    tenant: Tenant
    method: str
    path: str
    args: MultiDict[str, str]
    params: dict[str, str]
    raw_body: bytes
    headers: Headers
    _body: Any = field(default=None)
    _parsed: bool = False

    @property
    def settings(self) -> SandboxSettings:
        return self.state.settings

    def body(self) -> Any:
        if not self._parsed:
            self._parsed = True
            if not self.raw_body.strip():
                self._body = None
            else:
                try:
                    self._body = parse_json(self.raw_body)
                except ValueError as exc:
                    raise SiigoHTTPError.one(
                        400, "invalid_type", f"The body is not valid JSON: {exc}"
                    ) from None
        return self._body

    def json_object(self) -> dict[str, Any]:
        body = self.body()
        if not isinstance(body, dict):
            raise SiigoHTTPError.one(400, "invalid_type", "The body must be a JSON object")
        return body


Handler = Callable[[Ctx], tuple[int, Any]]


@dataclass
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    resource: str


_ROUTES: list[Route] = []


def route(method: str, path: str, resource: str = "") -> Callable[[Handler], Handler]:
    """Register a handler for ``METHOD /path/{name}`` (``{name}`` matches one segment)."""
    regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "$"

    def decorate(handler: Handler) -> Handler:
        _ROUTES.append(Route(method.upper(), re.compile(regex), handler, resource or path))
        return handler

    return decorate


def _load_handlers() -> None:
    # Importing the handler modules registers their routes.
    from . import web  # noqa: F401  (the inspector's routes)
    from .handlers import (  # noqa: F401
        catalogs,
        credit_notes,
        customers,
        invoices,
        journals,
        payment_receipts,
        products,
        purchases,
        quotations,
        reports,
        stock,
        support_documents,
        vouchers,
        webhooks,
    )


class _Drop(Exception):
    """Close the connection without answering."""


class SandboxApp:
    """WSGI application of the sandbox."""

    def __init__(self, state: SandboxState | None = None) -> None:
        _load_handlers()
        self.state = state or SandboxState()
        self.routes = list(_ROUTES)
        # Routes by their first two path segments ("/v1/products"), so that a request tries the
        # handful that can match instead of every pattern; routes whose start is not literal
        # are tried for every path.
        self._routes_by_head: dict[str, list[tuple[int, Route]]] = {}
        self._routes_anywhere: list[tuple[int, Route]] = []
        for index, entry in enumerate(self.routes):
            literal = entry.pattern.pattern.removeprefix("^").removesuffix("$")
            head = "/".join(literal.split("/", 3)[:3])
            if not any(char in head for char in "\\()[]{}?*+.|^$"):
                self._routes_by_head.setdefault(head, []).append((index, entry))
            else:
                self._routes_anywhere.append((index, entry))

    def _routes_for(self, path: str) -> list[Route]:
        head = "/".join(path.split("/", 3)[:3])
        found = self._routes_by_head.get(head, [])
        if self._routes_anywhere:
            found = sorted([*found, *self._routes_anywhere], key=lambda pair: pair[0])
        return [entry for _, entry in found]

    # -- WSGI -----------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except _Drop:
            if "siigo.sandbox.drop" in environ:
                # Our server closes the connection itself.
                environ["siigo.sandbox.drop"] = True
                return Response(b"", status=500)(environ, start_response)
            sock = environ.get("werkzeug.socket")
            if isinstance(sock, socket.socket):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            response = Response(b"", status=500)
        except Exception as exc:  # outside the pipeline (control plane, faults): still Siigo's 500
            response = error_response(unhandled(exc))
        response.headers[SANDBOX_HEADER] = "1"  # whatever host name it is reached by
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        path = request.path
        method = request.method.upper()
        if method in ("GET", "HEAD") and (
            path in ("/", "/favicon.ico") or path.startswith(CONTROL_PREFIX + "/ui/")
        ):
            from .web import serve_page

            return serve_page(path)
        if path.startswith(CONTROL_PREFIX):
            from .control import handle_control

            return handle_control(self, request)

        entry = JournalEntry(
            time=self.state.now(),
            method=method,
            path=path,
            query=request.query_string.decode("latin-1"),
            status=None,
            tenant=None,
            partner_id=request.headers.get("Partner-Id"),
            idempotency_key=request.headers.get("Idempotency-Key"),
            authorized="Authorization" in request.headers,
            user_agent=request.headers.get("User-Agent"),
        )
        self.state.journal.append(entry)
        response = self._respond(request, method, path, entry)
        if response.status_code >= 400:
            entry.errors = _error_summary(response)
        # Siigo does not document a request-id header; the sandbox sends the common one so that
        # clients can show which request failed.
        response.headers["X-Request-Id"] = entry.request_id
        return response

    def _respond(self, request: Request, method: str, path: str, entry: JournalEntry) -> Response:
        fault = self.state.take_fault(method, path)
        if fault is not None:
            entry.fault = fault.kind
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop == "before":
                entry.status = 0
                raise _Drop()
            if fault.status:
                entry.status = fault.status
                return self._fault_response(fault)
        response = self._pipeline(request, method, path, entry)
        entry.status = response.status_code
        if fault is not None and fault.drop == "after":
            entry.status = 0
            raise _Drop()
        return response

    def _fault_response(self, fault: Fault) -> Response:
        status = int(fault.status or 500)
        code, message = {
            429: ("requests_limit", "Too many requests, retry later"),
            408: ("request_timeout", "The request took too long"),
            503: ("service_unavailable", "The service is unavailable, retry in a few seconds"),
        }.get(status, ("unhandled_error", "Unhandled error"))
        headers = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = _format_seconds(fault.retry_after)
        return error_response(SiigoHTTPError(status, [error_entry(code, message)], headers))

    # -- Siigo's pipeline -----------------------------------------------------------------------

    def _pipeline(self, request: Request, method: str, path: str, entry: JournalEntry) -> Response:
        try:
            matched = [(r, r.pattern.fullmatch(path)) for r in self._routes_for(path)]
            candidates = [(r, m) for r, m in matched if m is not None]
            if path == "/auth" and method == "POST":
                return self._auth(request, entry)
            if method == "GET" and path.startswith("/reports/"):
                from .reports import serve_report  # report files: a link is all it takes, as on blob storage

                return serve_report(self.state, path)
            if not candidates:
                raise SiigoHTTPError.one(404, "not_found", f"The route {path} does not exist", detail=False)
            chosen = next(((r, m) for r, m in candidates if r.method == method), None)
            if chosen is None:
                raise SiigoHTTPError.one(
                    405, "method_not_allowed", f"{method} is not allowed on {path}", detail=False
                )
            tenant = self._authenticate(request)
            entry.tenant = tenant.username
            self._check_partner_id(request)
            self._rate_limit(tenant)
            if method in ("POST", "PUT") and request.content_length:
                ctype = request.headers.get("Content-Type", "")
                if "json" not in ctype.lower():
                    raise SiigoHTTPError.one(
                        415, "unsupported_media_type", "The body must be application/json"
                    )
            route_, match = chosen
            ctx = Ctx(
                state=self.state,
                tenant=tenant,
                method=method,
                path=path,
                args=request.args,
                params=match.groupdict(),
                raw_body=request.get_data(cache=False),
                headers=request.headers,
            )
            # The answer is built and encoded under the lock: a consistent snapshot of the state.
            with self.state.lock:
                status, data = route_.handler(ctx)
                if isinstance(data, Response):
                    return data
                content = _json.dumps(data)
            return Response(content, status=status, content_type="application/json; charset=utf-8")
        except SiigoHTTPError as exc:
            return error_response(exc)
        except Exception as exc:  # an emulator bug: answer like Siigo would
            return error_response(unhandled(exc))

    def _auth(self, request: Request, entry: JournalEntry) -> Response:
        try:
            body = parse_json(request.get_data(cache=False) or b"null")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise SiigoHTTPError.one(
                400, "invalid_type", "The body must be a JSON object with username and access_key"
            )
        username, access_key = body.get("username"), body.get("access_key")
        missing = [name for name in ("username", "access_key") if not body.get(name)]
        if missing:
            raise SiigoHTTPError(
                400, [error_entry("parameter_required", f"The field {m} is required", [m]) for m in missing]
            )
        if not self.state.check_credentials(username, access_key):
            raise SiigoHTTPError.one(
                401, "unauthorized", "The username or access key is not valid", detail=False
            )
        try:
            token, ttl = self.state.issue_token(str(username))
        except CompanyLimitReached as exc:
            raise SiigoHTTPError.one(
                403,
                "companies_limit",
                f"The sandbox holds at most {exc.limit} companies (setting max_companies); "
                "reset it or raise the setting",
                detail=False,
            ) from None
        entry.tenant = str(username)
        payload = {"access_token": token, "expires_in": int(ttl), "token_type": "Bearer", "scope": "SiigoAPI"}
        return Response(_json.dumps(payload), status=200, content_type="application/json; charset=utf-8")

    def _authenticate(self, request: Request) -> Tenant:
        header = request.headers.get("Authorization", "").strip()
        token = header[7:].strip() if header.lower().startswith("bearer ") else header
        tenant = self.state.tenant_for_token(token) if token else None
        if tenant is None:
            message = (
                "The access token is missing" if not token else "The access token is invalid or has expired"
            )
            raise SiigoHTTPError.one(401, "unauthorized", message, detail=False)
        return tenant

    def _check_partner_id(self, request: Request) -> None:
        value = request.headers.get("Partner-Id")
        if value is None or not value.strip():
            raise SiigoHTTPError.one(
                400, "header_required", "The header Partner-Id is required", ["Partner-Id"]
            )
        if not PARTNER_ID.fullmatch(value):
            raise SiigoHTTPError.one(
                400, "invalid_partner_id", "The header Partner-Id has an invalid value", ["Partner-Id"]
            )

    def _rate_limit(self, tenant: Tenant) -> None:
        limit = self.state.settings.rate_limit
        if not limit:
            return
        period = self.state.settings.rate_window
        with self.state.lock:
            now = time.monotonic()
            window = tenant.requests
            while window and now - window[0] >= period:
                window.popleft()
            if len(window) >= limit:
                wait = period - (now - window[0])
                headers = {"Retry-After": _format_seconds(wait)} if self.state.settings.retry_after else {}
                raise SiigoHTTPError(
                    429,
                    [error_entry("requests_limit", f"Too many requests: the limit is {limit} per minute")],
                    headers,
                )
            window.append(now)


def _error_summary(response: Response) -> list[dict[str, str]]:
    """The codes and messages of an error answer (for the journal)."""
    try:
        data = json.loads(response.get_data())
    except ValueError:
        return []
    errors = data.get("Errors") if isinstance(data, dict) else None
    if not isinstance(errors, list):
        return []
    return [
        {"code": str(e.get("Code")), "message": str(e.get("Message"))} for e in errors if isinstance(e, dict)
    ]


def _format_seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"
