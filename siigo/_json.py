"""JSON encoding of request bodies.

Money is ``Decimal`` and must travel as a JSON *number* with its exact digits; the standard
library's encoder cannot write a ``Decimal`` as a number, so bodies are written here.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

DOTNET_DECIMAL_MAX = 79228162514264337593543950335
DOTNET_DECIMAL_SCALE = 28
"""Siigo's backend holds numbers as .NET ``decimal``: at most this large, with at most this many
decimal places (the sandbox refuses anything else; the SDK refuses magnitudes beyond them)."""

_encode_str = json.encoder.encode_basestring_ascii


def _decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"cannot send {value} as a JSON number")
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _write(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_encode_str(value))
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, Decimal):
        out.append(_decimal(value))
    elif isinstance(value, float):
        out.append(_decimal(Decimal(repr(value))))
    elif isinstance(value, Mapping):
        out.append("{")
        first = True
        for key, item in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(_encode_str(str(key)))
            out.append(":")
            _write(item, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out)
        out.append("]")
    elif isinstance(value, (_dt.datetime, _dt.date)):
        out.append(_encode_str(value.isoformat()))
    else:
        raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def dumps(value: Any) -> bytes:
    """Encode ``value`` as compact UTF-8 JSON; ``Decimal`` becomes an exact JSON number."""
    out: list[str] = []
    _write(value, out)
    return "".join(out).encode("ascii")


class NumberOutOfRange(ValueError):
    """A JSON number no Siigo field can hold."""


def _out_of_range(text: str) -> NumberOutOfRange:
    return NumberOutOfRange(
        f"a number out of Siigo's range: {text[:40]}{'...' if len(text) > 40 else ''} (at most "
        f"{DOTNET_DECIMAL_MAX} in magnitude, with at most {DOTNET_DECIMAL_SCALE} decimal places)"
    )


def _read_integer(text: str) -> int:
    if len(text.lstrip("-")) > 29:
        raise _out_of_range(text)
    value = int(text)
    if abs(value) > DOTNET_DECIMAL_MAX:
        raise _out_of_range(text)
    return value


def _read_decimal(text: str) -> Decimal:
    """A JSON number as an exact ``Decimal``, refused beyond what Siigo's backend holds: such a
    value (``1E+999999999``) would parse and then raise, or take minutes, in user code's
    arithmetic.  A zero written with any exponent is read as plain 0."""
    value = Decimal(text)
    if not value.is_finite():  # pragma: no cover - JSON has no such literal
        raise _out_of_range(text)
    if not value:
        return Decimal(0)
    if (
        not -DOTNET_DECIMAL_SCALE <= value.adjusted() <= DOTNET_DECIMAL_SCALE
        or abs(value) > DOTNET_DECIMAL_MAX
    ):
        raise _out_of_range(text)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -DOTNET_DECIMAL_SCALE:
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -DOTNET_DECIMAL_SCALE:
            raise _out_of_range(text)
    return value


def loads(data: bytes | str) -> Any:
    """Decode JSON, reading every non-integer number as an exact ``Decimal``; a number out of
    Siigo's range raises :class:`NumberOutOfRange` (a ``ValueError``)."""
    return json.loads(data, parse_float=_read_decimal, parse_int=_read_integer)
