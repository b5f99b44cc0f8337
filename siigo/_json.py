"""JSON encoding of request bodies and decoding of answers.

Money is ``Decimal`` and must travel as a JSON *number* with its exact digits.  The standard
library's encoder cannot write a ``Decimal`` as a number, so :func:`dumps` lets it (its C
encoder) write everything else and puts each ``Decimal``'s exact digits where it left a marker;
:func:`dumps_plain` is the same encoding written in Python, kept as the reference the fast one
is tested against.

Answers are decoded by :func:`loads` with every non-integer number an exact ``Decimal``, by
msgspec when the ``speed`` extra is installed (about twice as fast as the standard library) and
by the standard library otherwise; :func:`loads_plain` is the reference both are tested against.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

DOTNET_DECIMAL_MAX = 79228162514264337593543950335
DOTNET_DECIMAL_SCALE = 28
"""Siigo's backend holds numbers as .NET ``decimal``: at most this large, with at most this many
decimal places (the sandbox refuses anything else; the SDK refuses magnitudes beyond them)."""

_encode_str = json.encoder.encode_basestring_ascii


def _decimal(value: Decimal) -> str:
    text = str(value)  # plain digits unless the exponent is positive or the value tiny
    if "E" in text or "N" in text or "I" in text:
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


def dumps_plain(value: Any) -> bytes:
    """Encode ``value`` as compact ASCII JSON, in Python; ``Decimal`` becomes an exact JSON number."""
    out: list[str] = []
    _write(value, out)
    return "".join(out).encode("ascii")


_MARK = "\x00"
_MARK_WRITTEN = _encode_str(_MARK)
"""Where the C encoder met a ``Decimal``: a string of one NUL, written ``"\u0000"``, short to
escape and to split on.  When the written text holds it anywhere else (a string that is one NUL,
or a quote followed by one), the pieces do not match the numbers and the body is written by
:func:`dumps_plain` instead."""


def dumps(value: Any) -> bytes:
    """Encode ``value`` as compact ASCII JSON; ``Decimal`` becomes an exact JSON number
    (``Decimal("-0")`` is written ``0``), dates and datetimes ISO 8601 strings.

    The same text as :func:`dumps_plain`, except for ``float`` values, which are written as
    the standard library writes them (``1.0``, ``1e-07``: the same number, in its shortest form).
    """
    digits: list[str] = []
    written: dict[Decimal, str] = {}  # a body repeats its amounts (quantities, prices, taxes)

    def default(item: Any) -> Any:
        if type(item) is Decimal and item.is_finite():
            # Equal values are written alike (trailing zeros dropped, -0 as 0), so one text
            # serves every Decimal equal to it.
            text = written.get(item)
            if text is None:
                text = written[item] = _decimal(item)
            digits.append(text)
            return _MARK
        if isinstance(item, Decimal):
            digits.append(_decimal(item))
            return _MARK
        if isinstance(item, (_dt.datetime, _dt.date)):
            return item.isoformat()
        if isinstance(item, Mapping):
            return {str(key): part for key, part in item.items()}
        raise TypeError(f"cannot encode {type(item).__name__} as JSON")

    encoder = json.JSONEncoder(
        separators=(",", ":"), ensure_ascii=True, check_circular=False, allow_nan=False, default=default
    )
    text = encoder.encode(value)
    if not digits:
        return text.encode("ascii")
    pieces = text.split(_MARK_WRITTEN)
    if len(pieces) != len(digits) + 1:  # a string of the body contains the marker itself
        return dumps_plain(value)
    out = pieces + digits  # the pieces and the numbers between them, interleaved in place
    out[::2] = pieces
    out[1::2] = digits
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


_ZERO = Decimal(0)


def _read_decimal(text: str) -> Decimal:
    """A JSON number as an exact ``Decimal``, refused beyond what Siigo's backend holds: such a
    value (``1E+999999999``) would parse and then raise, or take minutes, in user code's
    arithmetic.  A zero written with any exponent is read as plain 0."""
    value = Decimal(text)
    if len(text) < 30 and "e" not in text and "E" not in text:
        # At most 28 digits on either side of the point: always within range.
        return value if value else _ZERO
    if not value.is_finite():  # pragma: no cover - JSON has no such literal
        raise _out_of_range(text)
    if not value:
        return _ZERO
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


_DIGITS_ONLY = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
_LONG_RUN = b"0" * 29
"""Bytes with every digit as ``0`` and anything else as a space: 29 ``0`` s in a row mean the
text may hold an integer beyond ``DOTNET_DECIMAL_MAX`` (a search in C, unlike a pattern)."""


def _has_long_digit_run(data: bytes | bytearray | str) -> bool:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    elif json.detect_encoding(data) != "utf-8":  # UTF-16/32 would hide its digit runs
        return True
    return _LONG_RUN in data.translate(_DIGITS_ONLY)


def _msgspec_decoder() -> Callable[[bytes | str], Any] | None:
    try:
        import msgspec
    except ImportError:
        return None
    return msgspec.json.Decoder(float_hook=_read_decimal).decode


_fast_decode = _msgspec_decoder()
"""msgspec's decoder (the ``speed`` extra) with the very number reader of the standard library's
path, or ``None`` without msgspec.  It refuses everything the standard library refuses (and a
few texts the standard library reads: ``NaN``, lone surrogates, a byte-order mark); whatever it
refuses goes to the standard library, so the values and the errors are the same either way."""


def loads(data: bytes | str) -> Any:
    """Decode JSON, reading every non-integer number as an exact ``Decimal``; a number out of
    Siigo's range raises :class:`NumberOutOfRange` (a ``ValueError``)."""
    if _has_long_digit_run(data):
        return loads_plain(data)
    # No integer of the text can be out of range: the parser builds them itself.
    if _fast_decode is not None:
        try:
            return _fast_decode(data)
        except (ValueError, RecursionError):
            pass  # refused (or a number out of range): the standard library says why
    return loads_stdlib(data)


def loads_stdlib(data: bytes | str) -> Any:
    """:func:`loads` without msgspec, for texts with no long run of digits."""
    return json.loads(data, parse_float=_read_decimal)


def loads_plain(data: bytes | str) -> Any:
    """:func:`loads` with every integer checked in Python (the reference :func:`loads` is
    tested against, and its path for texts with long runs of digits)."""
    return json.loads(data, parse_float=_read_decimal, parse_int=_read_integer)
