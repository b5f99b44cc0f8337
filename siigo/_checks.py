"""Checks of numeric settings (shared by the client, the transport, the rate limiter and the
invoice helpers) and a safe short ``repr`` for error messages."""

from __future__ import annotations

import math
import reprlib
from collections.abc import Callable
from decimal import Decimal
from numbers import Real

from ._refusals import Refusal, refusal
from .errors import ConfigurationError

__all__ = ["configuration_error", "seconds_setting", "shown"]


def configuration_error(text: Refusal) -> ConfigurationError:
    """A :class:`ConfigurationError` whose message is ``text`` (English; ``text`` renders it in
    Spanish)."""
    return ConfigurationError(text.render("en"), refusal=text)


def seconds_setting(
    name: str,
    value: object,
    *,
    zero: bool = False,
    infinite: bool = False,
    refuse: Callable[[Refusal], Exception] = configuration_error,
) -> float:
    """``value`` as a number of seconds, or ``refuse(message)`` (a :class:`ConfigurationError`
    unless told otherwise) naming ``name``; ``message`` is a :class:`~siigo._refusals.Refusal`
    (render it with ``.render(language)``).

    Refuses booleans, text, ``nan``, negative numbers, zero (unless ``zero``), infinity (unless
    ``infinite``) and numbers too large for a float.
    """
    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        raise refuse(refusal("seconds.not_a_number", name=name, type=type(value).__name__))
    try:
        seconds = float(value)
    except OverflowError:
        raise refuse(refusal("seconds.too_large", name=name)) from None
    except (ValueError, ArithmeticError):  # a signalling NaN
        raise refuse(refusal("seconds.not_finite", name=name, value=repr(value))) from None
    if math.isnan(seconds) or (math.isinf(seconds) and not infinite):
        raise refuse(refusal("seconds.not_finite", name=name, value=repr(value)))
    if seconds < 0 or (seconds == 0 and not zero):
        key = "seconds.not_negative" if zero else "seconds.positive"
        raise refuse(refusal(key, name=name, value=repr(value)))
    return seconds


class _ShortRepr(reprlib.Repr):
    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxstring = 80
        self.maxother = 80
        self.maxlist = 6
        self.maxtuple = 6
        self.maxdict = 6

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 256:
            return f"<int of about {x.bit_length() * 30103 // 100000} digits>"
        return super().repr_int(x, level)

    def repr_Decimal(self, x: Decimal, level: int) -> str:
        return self.repr_str(str(x), level)[1:-1]  # a JSON number shown as written, cut short


_short_repr = _ShortRepr()


def shown(value: object) -> str:
    """``repr(value)`` cut short, for error messages: safe for huge, deep or self-referencing
    values and for objects whose ``repr`` fails."""
    try:
        return _short_repr.repr(value)
    except Exception:
        return f"<{type(value).__name__}>"
