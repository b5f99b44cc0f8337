"""The control plane of the sandbox, for tests: ``/_sandbox/...``.

* ``POST /_sandbox/reset``: forget every company, token, fault and journal entry.
* ``GET|POST /_sandbox/settings``: read or change :class:`SandboxSettings`.
* ``POST /_sandbox/clock`` ``{"advance": seconds}``: move the sandbox clock (token expiry, dates).
* ``GET|POST|DELETE /_sandbox/faults``: list, add (fields of :class:`Fault`) or clear faults.
* ``GET|DELETE /_sandbox/journal``: the requests the sandbox received (filters: method, path).
* ``GET /_sandbox/outbox``: e-mails the sandbox "sent" (filter: company).
* more routes registered by the handler modules (e.g. the DIAN outcome of an invoice).

Handlers run under ``state.lock``.  A change (not a GET) sent by a browser page of another site
(an ``Origin`` header naming another host) is refused with 403, so a web page cannot reset the
sandbox or inject faults behind the developer's back; the inspector, served by the sandbox, is
of the same site.  Errors use Siigo's envelope: a value the control plane
cannot take is a 400 (``invalid_type`` or ``invalid_value``, the message says what it accepts).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from werkzeug.wrappers import Request, Response

from .. import _json
from .app import SiigoHTTPError, error_response, parse_json
from .state import Fault

if TYPE_CHECKING:
    from .app import SandboxApp

__all__ = ["control_route", "handle_control"]

ControlHandler = Callable[["SandboxApp", Request, dict[str, str], Any], tuple[int, Any]]
_CONTROL: list[tuple[str, re.Pattern[str], ControlHandler]] = []


def control_route(method: str, path: str) -> Callable[[ControlHandler], ControlHandler]:
    regex = re.compile("^/_sandbox" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "$")

    def decorate(handler: ControlHandler) -> ControlHandler:
        _CONTROL.append((method.upper(), regex, handler))
        return handler

    return decorate


def _json_response(status: int, data: Any) -> Response:
    return Response(_json.dumps(data), status=status, content_type="application/json; charset=utf-8")


def _cross_site(request: Request) -> bool:
    """A change asked by a page of another site (a browser sends its ``Origin``)."""
    origin = request.headers.get("Origin")
    if origin is None or request.method.upper() in ("GET", "HEAD", "OPTIONS"):
        return False
    return origin == "null" or urlsplit(origin).netloc.lower() != request.host.lower()


def handle_control(app: SandboxApp, request: Request) -> Response:
    method = request.method.upper()
    try:
        if _cross_site(request):
            raise SiigoHTTPError.one(
                403,
                "disabled_functionality",
                "The control plane takes no changes from pages of another site (Origin "
                f"{request.headers.get('Origin')!r:.80})",
                detail=False,
            )
        body: Any = None
        raw = request.get_data(cache=False)
        if raw.strip():
            try:
                body = parse_json(raw)
            except ValueError as exc:
                raise SiigoHTTPError.one(400, "invalid_type", f"The body is not valid JSON: {exc}") from None
        for route_method, regex, handler in _CONTROL:
            match = regex.fullmatch(request.path)
            if match and route_method == method:
                with app.state.lock:
                    status, data = handler(app, request, match.groupdict(), body)
                    if isinstance(data, Response):
                        return data
                    return _json_response(status, data)
        raise SiigoHTTPError.one(
            404, "not_found", f"There is no control route {method} {request.path}", detail=False
        )
    except SiigoHTTPError as exc:
        return error_response(exc)
    except TypeError as exc:
        return error_response(SiigoHTTPError.one(400, "invalid_type", str(exc), detail=False))
    except (ValueError, KeyError) as exc:
        message = str(exc.args[0]) if exc.args else type(exc).__name__
        return error_response(SiigoHTTPError.one(400, "invalid_value", message, detail=False))


@control_route("POST", "/reset")
def _reset(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    app.state.reset()
    return 200, {"reset": True}


@control_route("GET", "/settings")
def _get_settings(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    return 200, dataclasses.asdict(app.state.settings)


@control_route("POST", "/settings")
def _set_settings(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    if not isinstance(body, dict):
        raise TypeError('send a JSON object of settings, e.g. {"rate_limit": 10}')
    app.state.settings.update(**body)
    return 200, dataclasses.asdict(app.state.settings)


@control_route("POST", "/clock")
def _clock(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    if not isinstance(body, dict) or set(body) != {"advance"}:
        raise ValueError('send {"advance": seconds}')
    app.state.advance_clock(body["advance"])
    return 200, {"now": app.state.now(), "offset": app.state.clock_offset}


@control_route("GET", "/faults")
def _faults(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    return 200, [f.public() for f in app.state.active_faults()]


@control_route("POST", "/faults")
def _add_fault(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    if not isinstance(body, dict):
        raise TypeError(
            'send a JSON object describing the fault, e.g. {"path": "^/v1/taxes$", "status": 503}'
        )
    fault = app.state.add_fault(Fault.from_fields(body))
    return 201, fault.public()


@control_route("DELETE", "/faults")
def _clear_faults(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    app.state.clear_faults()
    return 200, []


@control_route("GET", "/journal")
def _journal(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    method = request.args.get("method") or None
    path = request.args.get("path") or None
    return 200, [e.public() for e in app.state.journal_entries(method=method, path=path)]


@control_route("DELETE", "/journal")
def _clear_journal(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    app.state.journal.clear()
    return 200, []


@control_route("GET", "/outbox")
def _outbox(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    return 200, app.state.outbox(request.args.get("company") or None)
