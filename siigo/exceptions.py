"""The exception module of siigo-python 0.1, kept for ``from siigo.exceptions import ...``.

The classes live in :mod:`siigo.errors`; these names still catch what they used to:
``WrongFormatInputError`` (400 answers, and now local validation failures too),
``UnauthorizedError`` (401), ``ContactsLimitExceededError`` (406), ``BaseError`` (everything).
"""

from __future__ import annotations

from .errors import BaseError, ContactsLimitExceededError, UnauthorizedError, WrongFormatInputError

__all__ = ["BaseError", "ContactsLimitExceededError", "UnauthorizedError", "WrongFormatInputError"]
