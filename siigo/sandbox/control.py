"""The control plane of the sandbox, for tests: ``/_sandbox/...``.

* ``POST /_sandbox/reset``: forget every company, token, fault and journal entry.
* ``GET|POST /_sandbox/settings``: read or change :class:`SandboxSettings`.
* ``POST /_sandbox/clock`` ``{"advance": seconds}``: move the sandbox clock (token expiry, dates).
* ``GET|POST|DELETE /_sandbox/faults``: list, add (fields of :class:`Fault`) or clear faults.
* ``GET|DELETE /_sandbox/journal``: the requests the sandbox received (filters: method, path).
* ``GET /_sandbox/outbox``: e-mails the sandbox "sent".
* more routes registered by the handler modules (e.g. the DIAN outcome of an invoice).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from .. import _json
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


def handle_control(app: SandboxApp, request: Request) -> Response:
    method = request.method.upper()
    body: Any = None
    raw = request.get_data(cache=False)
    if raw.strip():
        try:
            body = _json.loads(raw)
        except ValueError:
            return _json_response(400, {"error": "body is not JSON"})
    for route_method, regex, handler in _CONTROL:
        match = regex.match(request.path)
        if match and route_method == method:
            try:
                status, data = handler(app, request, match.groupdict(), body)
            except (ValueError, TypeError, KeyError) as exc:
                return _json_response(400, {"error": str(exc)})
            return _json_response(status, data)
    return _json_response(404, {"error": f"no control route {method} {request.path}"})


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
        raise ValueError("send a JSON object of settings")
    app.state.settings.update(**body)
    return 200, dataclasses.asdict(app.state.settings)


@control_route("POST", "/clock")
def _clock(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    if not isinstance(body, dict) or "advance" not in body:
        raise ValueError('send {"advance": seconds}')
    app.state.advance_clock(float(body["advance"]))
    return 200, {"now": app.state.now(), "offset": app.state.clock_offset}


@control_route("GET", "/faults")
def _faults(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    return 200, [f.public() for f in app.state.faults]


@control_route("POST", "/faults")
def _add_fault(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    if not isinstance(body, dict):
        raise ValueError("send a JSON object describing the fault")
    allowed = {"method", "path", "count", "probability", "status", "retry_after", "delay", "drop"}
    unknown = set(body) - allowed
    if unknown:
        raise ValueError(f"unknown fault fields: {sorted(unknown)}")
    fields: dict[str, Any] = {
        k: (float(v) if k in ("delay", "retry_after", "probability") and v is not None else v)
        for k, v in body.items()
    }
    fault = app.state.add_fault(Fault(**fields))
    return 201, fault.public()


@control_route("DELETE", "/faults")
def _clear_faults(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    app.state.clear_faults()
    return 200, []


@control_route("GET", "/journal")
def _journal(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    method = request.args.get("method")
    path = request.args.get("path")
    rows = [
        e.public()
        for e in list(app.state.journal)
        if (not method or e.method == method.upper()) and (not path or re.search(path, e.path))
    ]
    return 200, rows


@control_route("DELETE", "/journal")
def _clear_journal(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    app.state.journal.clear()
    return 200, []


@control_route("GET", "/outbox")
def _outbox(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    rows: list[dict[str, Any]] = []
    for tenant in app.state.tenants.values():
        rows.extend({"company": tenant.username, **mail} for mail in tenant.outbox)
    return 200, rows
