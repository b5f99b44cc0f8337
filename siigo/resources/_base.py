"""What every resource shares: path ids, query strings and response parsing."""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import pydantic
from pydantic import BaseModel

from .. import _json
from ..errors import APIError, ErrorDetail, ValidationError
from ..models._base import RequestModel, build
from ..pagination import Envelope, Page

if TYPE_CHECKING:
    from ..client import Client

__all__ = [
    "DateFilter",
    "MoneyInput",
    "Resource",
    "bad_filter",
    "body_source",
    "date_filter",
    "guid_list",
    "guid_path",
    "int_path",
    "query",
]

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", bound=RequestModel)

_GUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def guid_path(value: object, what: str = "id") -> str:
    """A document id, checked to be a GUID and quoted for the path."""
    if not isinstance(value, str) or not _GUID.match(value):
        raise ValueError(
            f"{what} must be a Siigo GUID like '9e6f8516-f256-4f47-a4a7-39b0adad113e', got {value!r}"
        )
    return quote(value, safe="")


def int_path(value: object, what: str = "id") -> str:
    """A catalog id, checked to be a positive integer."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative integer, got {value!r}")
    return str(value)


MoneyInput = Decimal | int | str
"""An amount: a ``Decimal`` (or an int, or a numeric string); never a float."""

DateFilter = _dt.date | _dt.datetime | str
"""A date filter: a ``date``, a ``datetime`` (sent in UTC), ``'yyyy-MM-dd'`` or ``'yyyy-MM-ddTHH:mm:ssZ'``."""


def body_source(args: tuple[Any, ...], fields: dict[str, Any], what: str) -> Any:
    """The body of a create/update call: one params object (or dict), or keyword fields."""
    if len(args) > 1:
        raise TypeError(f"{what} takes one positional params object, got {len(args)} positional arguments")
    if args:
        if fields:
            raise TypeError(
                f"{what}: pass either a params object or keyword fields, not both "
                f"(got params and {', '.join(sorted(fields))})"
            )
        return args[0]
    return fields


def _bad_date(name: str, value: object) -> ValidationError:
    message = (
        f"{name} must be a date, a datetime, or a string 'yyyy-MM-dd' or "
        f"'yyyy-MM-ddTHH:mm:ssZ', got {value!r}"
    )
    return ValidationError(message, [ErrorDetail("invalid_date", message, (name,))])


def date_filter(name: str, value: object) -> str:
    """Format a date filter as Siigo documents it."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            if _DATE.match(value):
                _dt.date.fromisoformat(value)
                return value
            if _DATETIME.match(value):
                _dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
                return value
        except ValueError:
            pass
    raise _bad_date(name, value)


def bad_filter(name: str, message: str) -> ValidationError:
    return ValidationError(f"{name}: {message}", [ErrorDetail("invalid_value", message, (name,))])


def query(**filters: object) -> dict[str, str]:
    """Build a query string: ``None`` dropped, dates formatted, booleans as true/false."""
    params: dict[str, str] = {}
    for name, value in filters.items():
        if value is None:
            continue
        if name.endswith(("_start", "_end")):
            params[name] = date_filter(name, value)
        elif isinstance(value, bool):
            params[name] = "true" if value else "false"
        elif isinstance(value, int):
            if name in ("page", "page_size") and value < 1:
                raise bad_filter(name, f"must be at least 1, got {value}")
            params[name] = str(value)
        elif isinstance(value, str):
            if not value.strip():
                raise bad_filter(name, "must not be empty")
            params[name] = value
        else:
            raise bad_filter(name, f"unsupported filter value {value!r}")
    return params


class Resource:
    """Base of every ``client.<resource>`` namespace."""

    def __init__(self, client: Client) -> None:
        self._client = client

    @property
    def _transport(self) -> Any:
        return self._client._transport

    def _parse(self, model: type[M], content: bytes, method: str, path: str) -> M:
        try:
            return model.model_validate_json(content)
        except pydantic.ValidationError as exc:
            raise APIError(
                f"{method} {path}: Siigo's answer does not match {model.__name__}: "
                f"{exc.error_count()} problem(s); first: {exc.errors()[0]['msg']}",
                status=200,
                method=method,
                path=path,
                body=content[:2000].decode("utf-8", "replace"),
            ) from None

    def _body(self, model: type[R], data: R | Mapping[str, Any]) -> bytes:
        return _json.dumps(build(model, data).to_wire())

    def _get(self, path: str, model: type[M], params: Mapping[str, str] | None = None) -> M:
        response = self._transport.request("GET", path, params=params)
        return self._parse(model, response.content, "GET", path)

    def _get_array(self, path: str, model: type[M], params: Mapping[str, str] | None = None) -> list[M]:
        response = self._transport.request("GET", path, params=params)
        return self._parse_array(model, response.content, path)

    def _parse_array(self, model: type[M], content: bytes, path: str) -> list[M]:
        try:
            return _array_adapter(model).validate_json(content)
        except pydantic.ValidationError as exc:
            raise APIError(
                f"GET {path}: Siigo's answer is not a list of {model.__name__}: {exc.errors()[0]['msg']}",
                status=200,
                method="GET",
                path=path,
                body=content[:2000].decode("utf-8", "replace"),
            ) from None

    def _list(self, path: str, model: type[M], params: Mapping[str, str]) -> Page[M]:
        envelope_model: type[Envelope[M]] = Envelope[model]  # type: ignore[valid-type]
        base = dict(params)
        transport = self._transport

        def parse(content: bytes) -> Envelope[M]:
            if content.lstrip()[:1] == b"[":
                # Some of Siigo's documents show a bare array where the API pages: one page.
                return envelope_model(results=self._parse_array(model, content, path))
            return self._parse(envelope_model, content, "GET", path)

        def fetch(page: int, page_size: int | None) -> Page[M]:
            current = dict(base)
            current["page"] = str(page)
            if page_size:
                current["page_size"] = str(page_size)
            response = transport.request("GET", path, params=current)
            return Page(parse(response.content), fetch=fetch, same_origin=transport.same_origin)

        response = transport.request("GET", path, params=base)
        return Page(parse(response.content), fetch=fetch, same_origin=transport.same_origin)

    def _send(
        self,
        method: str,
        path: str,
        model: type[M],
        body: bytes | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> M:
        response = self._transport.request(method, path, body=body, idempotency_key=idempotency_key)
        return self._parse(model, response.content, method, path)


@functools.cache
def _array_adapter(model: type[M]) -> pydantic.TypeAdapter[list[M]]:
    return pydantic.TypeAdapter(list[model])  # type: ignore[valid-type]


def guid_list(values: object, what: str = "ids", *, most: int = 20) -> str:
    """A list filter of 1 to ``most`` GUIDs, checked and joined with commas."""
    if isinstance(values, str) or not isinstance(values, (list, tuple, set, frozenset)):
        raise bad_filter(what, f"pass a list of GUIDs, got {values!r}")
    items = list(values)
    if not items or len(items) > most:
        raise bad_filter(what, f"takes 1 to {most} GUIDs, got {len(items)}")
    try:
        return ",".join(guid_path(value, what) for value in items)
    except ValueError as exc:
        raise bad_filter(what, str(exc)) from None
