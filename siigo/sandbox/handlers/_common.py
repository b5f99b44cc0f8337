"""Helpers shared by the sandbox handlers: body validation, list envelopes, filters."""

from __future__ import annotations

import datetime as _dt
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from ..._patterns import GUID
from ...errors import ValidationError
from ...models._base import RequestModel
from ..app import Ctx, SiigoHTTPError, error_entry

__all__ = [
    "catalog_entry",
    "date_in_range",
    "envelope",
    "is_guid",
    "new_guid",
    "page_args",
    "validate",
]

R = TypeVar("R", bound=RequestModel)


def new_guid() -> str:
    return str(uuid.uuid4())


def is_guid(value: str) -> bool:
    return GUID.fullmatch(value) is not None


def validate(model: type[R], ctx: Ctx) -> R:
    """Validate the body with the SDK's request model; Siigo's 400 envelope on failure."""
    body = ctx.json_object()
    try:
        return model.model_validate(body)
    except ValidationError as exc:  # a request model refuses with the SDK's own error
        raise SiigoHTTPError.from_details(exc.errors) from None


def page_args(ctx: Ctx) -> tuple[int, int]:
    """Page number and size, with Siigo's clamping of sizes to 10..100."""

    def number(name: str, default: int) -> int:
        raw = ctx.args.get(name)
        if raw is None or raw == "":
            return default
        try:
            return int(raw)
        except ValueError:
            raise SiigoHTTPError.one(
                400, "invalid_type", f"The field {name} must be an integer", [name]
            ) from None

    page = max(number("page", 1), 1)
    size = min(max(number("page_size", ctx.settings.page_size_default), 10), 100)
    return page, size


def envelope(
    ctx: Ctx, rows: Sequence[Any], base_path: str, prepare: Callable[[Any], Any] | None = None
) -> dict[str, Any]:
    """Siigo's pagination envelope for ``rows`` (already filtered and sorted); ``prepare``
    turns each row of the page, and only those, into what is sent."""
    page, size = page_args(ctx)
    start = (page - 1) * size
    results = list(rows[start : start + size])
    if prepare is not None:
        results = [prepare(row) for row in results]
    total = len(rows)
    base = ctx.settings.links_base or f"http://{ctx.headers.get('Host', '127.0.0.1')}"
    others = [(k, v) for k, v in ctx.args.items(multi=True) if k not in ("page", "page_size")]

    def href(number: int) -> dict[str, str]:
        query = "&".join([f"page={number}", f"page_size={size}"] + [f"{k}={v}" for k, v in others])
        return {"href": f"{base.rstrip('/')}{base_path}?{query}"}

    links: dict[str, Any] = {"self": href(page)}
    if page > 1:
        links["previous"] = href(page - 1)
    if start + size < total:
        links["next"] = href(page + 1)
    return {
        "pagination": {"page": page, "page_size": size, "total_results": total},
        "results": results,
        ctx.settings.links_key: links,
    }


def _parse_filter_date(name: str, value: str) -> _dt.datetime:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return _dt.datetime.fromisoformat(value).replace(tzinfo=_dt.timezone.utc)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", value):
            return _dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=_dt.timezone.utc)
    except ValueError:
        pass
    raise SiigoHTTPError.one(
        400, "invalid_date", f"The field {name} must be yyyy-MM-dd or yyyy-MM-ddTHH:mm:ssZ", [name]
    )


_TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$")


def parse_timestamp(raw: str) -> _dt.datetime:
    """Read the sandbox's own timestamps (7-digit fractions, offsets) on any Python >= 3.10."""
    match = _TIMESTAMP.match(raw.strip())
    if not match:
        raise ValueError(f"not a timestamp: {raw!r}")
    day, clock, fraction, zone = match.groups()
    text = f"{day}T{clock or '00:00:00'}.{(fraction or '0')[:6].ljust(6, '0')}"
    moment = _dt.datetime.fromisoformat(text)
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        offset = _dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])) * sign
        return moment.replace(tzinfo=_dt.timezone(offset))
    return moment.replace(tzinfo=_dt.timezone.utc)


def date_in_range(
    ctx: Ctx, prefix: str, getter: Callable[[dict[str, Any]], str | None]
) -> Callable[[dict[str, Any]], bool]:
    """A row predicate for ``<prefix>_start`` / ``<prefix>_end`` filters."""
    start_raw, end_raw = ctx.args.get(f"{prefix}_start"), ctx.args.get(f"{prefix}_end")
    start = _parse_filter_date(f"{prefix}_start", start_raw) if start_raw else None
    end = _parse_filter_date(f"{prefix}_end", end_raw) if end_raw else None
    if end is not None and end_raw and len(end_raw) == 10:
        end = end + _dt.timedelta(days=1) - _dt.timedelta(microseconds=1)
    if start and end and start > end:
        raise SiigoHTTPError.one(400, "invalid_date_range", f"{prefix}_start is after {prefix}_end")

    def keep(row: dict[str, Any]) -> bool:
        if start is None and end is None:
            return True
        raw = getter(row)
        if not raw:
            return False
        moment = parse_timestamp(raw)
        return (start is None or moment >= start) and (end is None or moment <= end)

    return keep


def bool_arg(ctx: Ctx, name: str) -> bool | None:
    raw = ctx.args.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise SiigoHTTPError.one(400, "invalid_type", f"The field {name} must be true or false", [name])


def errors(*entries: tuple[str, str, Iterable[str]]) -> SiigoHTTPError:
    return SiigoHTTPError(
        400, [error_entry(code, message, list(params)) for code, message, params in entries]
    )


def catalog_entry(rows: Iterable[dict[str, Any]], id: Any) -> dict[str, Any] | None:
    """The catalog row with this ``id``, if any."""
    return next((row for row in rows if row.get("id") == id), None)
