"""The amounts every open reading of Siigo's totals accepts, for tests that compare the
readings with each other and with a reference.  Built on the library's
:func:`~siigo.totals.iter_documents_by_reading`, the one computation the preflight uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from typing_extensions import Unpack

from siigo.totals import (
    DEFAULT_READING,
    DiscountType,
    DocumentTotals,
    LineInput,
    Reading,
    ReadingPins,
    TaxRate,
    iter_documents_by_reading,
    round2,
    total_payments_message,
)


def documents_by_reading(
    lines: Sequence[LineInput],
    *,
    taxes: Mapping[int, TaxRate],
    retentions: Sequence[int] = (),
    discount_type: DiscountType = "Value",
    self_withholding_limit: Decimal | None = None,
    **pins: Unpack[ReadingPins],
) -> dict[Reading, DocumentTotals]:
    """The full :class:`DocumentTotals` under each reading left open (see :func:`readings`),
    default first.

    A reading under which the document cannot be computed (``ValueError``, e.g. a discount above
    the line value under that reading) is left out; when none can, the error of the first one is
    raised.  :class:`UnsupportedTaxError` does not depend on the reading and is raised at once.
    """
    result: dict[Reading, DocumentTotals] = {}
    first_error: ValueError | None = None
    for reading, document in iter_documents_by_reading(
        lines,
        taxes=taxes,
        retentions=retentions,
        discount_type=discount_type,
        self_withholding_limit=self_withholding_limit,
        **pins,
    ):
        if isinstance(document, ValueError):
            first_error = first_error or document
        else:
            result[reading] = document
    if not result:
        assert first_error is not None
        raise first_error
    return result


def acceptable_amounts(
    lines: Sequence[LineInput],
    *,
    taxes: Mapping[int, TaxRate],
    retentions: Sequence[int] = (),
    discount_type: DiscountType = "Value",
    self_withholding_limit: Decimal | None = None,
    **pins: Unpack[ReadingPins],
) -> dict[Reading, Decimal]:
    """The amount Σ payments must equal under each reading Siigo leaves open, default first.

    Keys are :class:`Reading`\\ s; pinning a setting keeps only the readings that use the pinned
    value.  Same errors as :func:`documents_by_reading`.
    """
    return {
        reading: document.amount_due
        for reading, document in documents_by_reading(
            lines,
            taxes=taxes,
            retentions=retentions,
            discount_type=discount_type,
            self_withholding_limit=self_withholding_limit,
            **pins,
        ).items()
    }


def matching_reading(paid: Decimal, amounts: Mapping[Reading, Decimal]) -> Reading | None:
    """The first reading (in ``amounts`` order) whose amount equals ``paid`` after rounding both."""
    paid2 = round2(paid)
    for reading, amount in amounts.items():
        if round2(amount) == paid2:
            return reading
    return None


def check_payments(paid: Decimal, amounts: Mapping[Reading, Decimal]) -> str | None:
    """``None`` when ``paid`` matches the amount due under some reading, else the error message.

    The message names the amount under the default reading when it is among ``amounts``,
    otherwise under the first reading given (:func:`readings` puts the pinned settings plus the
    other defaults first).
    """
    if not amounts:
        raise ValueError("amounts is empty: no reading to check the payments against")
    if matching_reading(paid, amounts) is not None:
        return None
    expected = amounts.get(DEFAULT_READING, next(iter(amounts.values())))
    return total_payments_message(expected, paid)
