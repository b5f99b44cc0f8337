"""Checks of numeric settings, shared by the client, the transport and the rate limiter."""

from __future__ import annotations

import math

from .errors import ConfigurationError

__all__ = ["seconds_setting"]


def seconds_setting(name: str, value: object, *, zero: bool = False, infinite: bool = False) -> float:
    """``value`` as a number of seconds, or a :class:`ConfigurationError` naming ``name``.

    Refuses booleans, text, ``nan``, negative numbers, zero (unless ``zero``), infinity (unless
    ``infinite``) and integers too large for a float.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(f"{name} must be a number of seconds, got {type(value).__name__}")
    try:
        seconds = float(value)
    except OverflowError:
        raise ConfigurationError(f"{name} is too large to be a number of seconds") from None
    if math.isnan(seconds) or (math.isinf(seconds) and not infinite):
        raise ConfigurationError(f"{name} must be a finite number of seconds, got {value!r}")
    if seconds < 0 or (seconds == 0 and not zero):
        least = "0 or more" if zero else "more than 0"
        raise ConfigurationError(f"{name} must be {least} seconds, got {value!r}")
    return seconds
