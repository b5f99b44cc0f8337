"""Siigo's document math (siigo-api.md §C.4) as pure functions over :class:`~decimal.Decimal`.

One implementation, used by the request models, the SDK's preflight check and the sandbox.
Nothing here knows HTTP, pydantic or a catalog API: callers pass plain values
(:class:`LineInput`, :class:`TaxRate`) and get frozen dataclasses back.

What Siigo documents (📘 siigo-api.md §C.4.1, [APIB])
---------------------------------------------------
For each item::

    base       = round2(quantity × unit_price − line_discount_value)
    iva        = round2(base × iva_percentage / 100)
    line_total = round2(base + iva)                    # items[].total, "includes taxes"

    invoice_total = Σ line_total                       # the response ``total``

and ``Σ payments[].value`` must equal the invoice total, otherwise Siigo answers 400
``invalid_total_payments`` with "The total payments must be equal to the total invoice. The total
invoice calculated is <n>".  Documented sample: 10 × 100.00 − 50.00 = 950.00; IVA 19 % = 180.50;
line total 1 130.50.

For a VAT-inclusive ``taxed_price`` Siigo back-computes ``base = round2(taxed_price / (1 + IVA%/100))``
and ``iva = taxed_price − base``, so the line total *is* the taxed price (sample: 10 000 → 8 403.36
+ 1 596.64); a purchase with ``tax_included: true`` reads its ``price`` the same way
(``LineInput.tax_included``: 1 000 → 840.34 + 159.66).  Document-level withholdings (§C.4.2):
ReteIVA is a percentage of the invoice's VAT, ReteICA a percentage of the subtotal (Σ bases),
Autorretención applies only when the subtotal exceeds the document type's
``self_withholding_limit``.

Readings: what Siigo leaves open is a setting
---------------------------------------------
Each point the reference leaves open is a field of :class:`Reading`, with the allowed values and a
documented default (the first value, the one that follows the documented formula):

``rounding`` — ``"half_up"`` (default) | ``"half_even"``
    "Round to 2 decimals" with the midpoint rule unstated.  ``half_up`` rounds .5 away from zero;
    ``half_even`` is .NET's default ``Math.Round``.  They differ only on exact midpoints:
    10 001.50 × 19 % = 1 900.285 → 1 900.29 (half up) vs 1 900.28 (half even).  Rounding is applied
    at each documented step (per line, per tax, per retention), never to sums of already-rounded
    values (those are exact).
``payments_basis`` — ``"net_of_withholdings"`` (default) | ``"gross_total"``
    Whether withholdings reduce what the payments must add up to.  Net: payments = ``total −
    (ReteIVA + ReteICA + item Retefuente)`` — Colombian practice, the only numeric evidence (ePayco's
    demo) and the worked example of §C.4.3 (708 381.60).  Gross: payments = ``total``.
    Autorretención never reduces the amount due (the seller bears it).
``taxed_price_division`` — ``"per_line"`` (default) | ``"per_unit"``
    With quantity > 1, where the division by ``1 + IVA%/100`` happens.  ``per_line`` (what §C.4.1
    suggests): ``base = round2(quantity × taxed_price / (1 + IVA%/100))``.  ``per_unit``: the unit
    price before tax is first rounded to 2 decimals (as Siigo stores ``items[].price``) and
    ``base = round2(quantity × round2(taxed_price / (1 + IVA%/100)))``.  Under both, as documented,
    ``iva = round2(quantity × taxed_price) − base``: the line total is the taxed price times the
    quantity.
``price_precision`` — ``"as_sent"`` (default) | ``"stored"``
    ``price`` (and ``taxed_price``) may carry 6 decimals and Siigo stores them with 2; ``as_sent``
    feeds the formula with the unit price exactly as sent (3 × 33.333333 = 99.999999 → 100.00),
    ``stored`` with the price rounded to 2 decimals first (3 × 33.33 = 99.99).
``percentage_discount`` — ``"rounded_value"`` (default) | ``"exact_value"``
    On a document type with ``Percentage`` discounts, whether the discount value is rounded to
    cents before it is subtracted (``base = round2(gross − round2(gross × pct / 100))``, the
    documented step) or subtracted exactly (``base = round2(gross − gross × pct / 100)``); §C.4.1
    leaves the rounding of that intermediate step open.  Either way the echoed
    ``discount.value`` is rounded to cents.

:func:`readings` lists the readings left open (all combinations, the default first; a pinned
setting keeps only its value), :func:`iter_documents_by_reading` computes the document under
each, one at a time, and :func:`siigo.rules.documents.match_payments` accepts a payment total
that matches *any* of them: a local check must never reject an invoice Siigo would accept.  Its error message names the
amount under the default reading (or under the pinned settings plus the defaults of the rest).
A reading under which the document cannot be computed at all (a discount above the line value
under that reading) is left out; when no reading can compute it, the error is raised.

Our other choices (❓ undocumented; each is named here and tested)
-----------------------------------------------------------------
``discount`` (``DiscountType``, from the document type's ``discount_type``)
    ``"Value"`` (default): ``items[].discount`` is an absolute amount for the whole line (the
    documented sample subtracts 50 from 10 × 100); it may not exceed the line's exact value
    (quantity × unit price before tax, under the reading), else ``ValueError``.  ``"Percentage"``:
    the discount value is ``round2(quantity × price × discount / 100)``.
A discount on a ``taxed_price`` line
    The ``iva = taxed price − base`` identity describes an undiscounted line only; a discounted
    ``taxed_price`` line takes its IVA from the general step, ``round2(base × IVA% / 100)``.
Other item taxes
    Every percentage tax is ``round2(base × pct / 100)``.  IVA, Impoconsumo and AdValorem add to the
    line total.  An item-level Retefuente is a *withholding*: computed the same way, kept out of the
    line total (so ``total`` stays gross, as the response example shows for ReteIVA) and subtracted
    from what the customer pays — see ``LineTotals.withholding`` / ``LineTotals.net`` and
    ``DocumentTotals.withholdings``.  An item-level Autorretención is borne by the seller:
    computed, reported, never subtracted.  ReteIVA/ReteICA are refused at item level.
Gift items (``price`` 0 with ``tax_base``)
    The line is worth 0; each tax is computed on ``tax_base``.  With ``taxpayer="Customer"`` the
    customer pays those taxes (they add to the line total); with ``"Company"`` the seller bears them.

Not modelled (undocumented, §C.4.2): global discounts/charges, ``advance_payment``, fixed-value taxes
(``tax_consumption_value``, sugary-drink taxes) and document types with ``decimals: false``.
:class:`DocumentTotals` has an ``undocumented`` field where callers that see the whole invoice
(:func:`siigo.invoice_rules.check_invoice`, ``client.invoices.compute_totals``) name what the
numbers leave out.
"""

from __future__ import annotations

import dataclasses
import decimal
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, NamedTuple, TypeVar

from typing_extensions import TypedDict, Unpack

__all__ = [
    "ADDITIVE_TAX_TYPES",
    "DEFAULT_READING",
    "DOCUMENT_RETENTION_TYPES",
    "ITEM_WITHHOLDING_TYPES",
    "PAYMENTS_BASES",
    "PERCENTAGE_DISCOUNTS",
    "PRICE_PRECISIONS",
    "READING_SETTINGS",
    "ROUNDING_MODES",
    "SELLER_BORNE_TYPES",
    "TAXED_PRICE_DIVISIONS",
    "DiscountType",
    "DocumentTotals",
    "LineInput",
    "LineTax",
    "LineTotals",
    "PaymentsBasis",
    "PercentageDiscount",
    "PricePrecision",
    "Reading",
    "ReadingPins",
    "RetentionTotal",
    "RoundingMode",
    "TaxRate",
    "TaxedPriceDivision",
    "UnsupportedTaxError",
    "compute_document",
    "compute_line",
    "format_amount",
    "format_exact",
    "iter_documents_by_reading",
    "line_value",
    "readings",
    "round2",
    "total_payments_message",
]

RoundingMode = Literal["half_up", "half_even"]
PaymentsBasis = Literal["net_of_withholdings", "gross_total"]
TaxedPriceDivision = Literal["per_line", "per_unit"]
PricePrecision = Literal["as_sent", "stored"]
PercentageDiscount = Literal["rounded_value", "exact_value"]
DiscountType = Literal["Value", "Percentage"]

ROUNDING_MODES: tuple[RoundingMode, ...] = ("half_up", "half_even")
PAYMENTS_BASES: tuple[PaymentsBasis, ...] = ("net_of_withholdings", "gross_total")
TAXED_PRICE_DIVISIONS: tuple[TaxedPriceDivision, ...] = ("per_line", "per_unit")
PRICE_PRECISIONS: tuple[PricePrecision, ...] = ("as_sent", "stored")
PERCENTAGE_DISCOUNTS: tuple[PercentageDiscount, ...] = ("rounded_value", "exact_value")


class Reading(NamedTuple):
    """One reading of the points Siigo leaves open (see the module docstring); the defaults are
    the documented formula's."""

    rounding: RoundingMode = "half_up"
    payments_basis: PaymentsBasis = "net_of_withholdings"
    taxed_price_division: TaxedPriceDivision = "per_line"
    price_precision: PricePrecision = "as_sent"
    percentage_discount: PercentageDiscount = "rounded_value"


DEFAULT_READING = Reading()


class ReadingPins(TypedDict, total=False):
    """Settings of a :class:`Reading` a caller pins; one left out (or ``None``) stays open."""

    rounding: RoundingMode | None
    payments_basis: PaymentsBasis | None
    taxed_price_division: TaxedPriceDivision | None
    price_precision: PricePrecision | None
    percentage_discount: PercentageDiscount | None


READING_SETTINGS: Mapping[str, tuple[str, ...]] = {
    "rounding": ROUNDING_MODES,
    "payments_basis": PAYMENTS_BASES,
    "taxed_price_division": TAXED_PRICE_DIVISIONS,
    "price_precision": PRICE_PRECISIONS,
    "percentage_discount": PERCENTAGE_DISCOUNTS,
}
"""Each setting of a :class:`Reading` and its allowed values, the default first."""

ADDITIVE_TAX_TYPES = frozenset({"IVA", "Impoconsumo", "AdValorem"})
"""Item taxes that the customer pays on top of the base."""
ITEM_WITHHOLDING_TYPES = frozenset({"Retefuente"})
"""Item-level withholdings: they reduce what the customer pays (net basis)."""
SELLER_BORNE_TYPES = frozenset({"Autorretencion"})
"""Withholdings the seller pays itself: computed and reported, never subtracted."""
DOCUMENT_RETENTION_TYPES = frozenset({"ReteIVA", "ReteICA", "Autorretencion"})
"""Kinds allowed in an invoice's document-level ``retentions``."""

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)
_ZERO = Decimal("0.00")
_ROUNDING = {"half_up": decimal.ROUND_HALF_UP, "half_even": decimal.ROUND_HALF_EVEN}
# Wide enough that products like 99 999 999 999.99 × 99 999 999 999.999999 stay exact; a division
# by zero or an overflow raises instead of producing an infinity.
_CONTEXT = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


class UnsupportedTaxError(ValueError):
    """A tax cannot be computed here (unknown kind, no percentage, or used at the wrong level)."""


def round2(value: Decimal, rounding: RoundingMode = "half_up") -> Decimal:
    """Round to 2 decimal places with the given midpoint rule (see the module docstring)."""
    try:
        mode = _ROUNDING[rounding]
    except KeyError:
        raise ValueError(f"rounding must be 'half_up' or 'half_even', got {rounding!r}") from None
    return value.quantize(_CENT, rounding=mode, context=_CONTEXT)


def format_amount(value: Decimal) -> str:
    """An amount as Siigo-style text with exactly 2 decimals (``708381.60``)."""
    return f"{round2(value):f}"


def _check_setting(name: str, value: object) -> None:
    allowed = READING_SETTINGS[name]
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")


# --- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxRate:
    """A tax of the company's catalog: ``type`` is one of siigo.models.common.TAX_TYPES."""

    id: int
    type: str
    percentage: Decimal
    name: str = ""


@dataclass(frozen=True, init=False)
class LineInput:
    """One invoice item, as far as the math is concerned.

    ``price`` is the unit price before tax; ``taxed_price`` (VAT-inclusive) replaces it when set.
    ``tax_included`` reads ``price`` itself as VAT-inclusive (a purchase with ``tax_included:
    true``, §C.8: 1 000 → 840.34 + 159.66), split exactly as a ``taxed_price``.
    ``discount`` is read per the document type's ``discount_type``.  ``tax_base``/``taxpayer``
    describe gift items (``price`` 0).
    """

    quantity: Decimal
    price: Decimal | None = None
    taxed_price: Decimal | None = None
    discount: Decimal | None = None
    tax_ids: tuple[int, ...] = ()
    tax_base: Decimal | None = None
    taxpayer: str | None = None
    tax_included: bool = False

    def __init__(
        self,
        quantity: Decimal,
        price: Decimal | None = None,
        taxed_price: Decimal | None = None,
        discount: Decimal | None = None,
        tax_ids: tuple[int, ...] = (),
        tax_base: Decimal | None = None,
        taxpayer: str | None = None,
        tax_included: bool = False,
    ) -> None:
        # The dataclass's own ``__init__``, without its ``object.__setattr__`` per field (a
        # document builds one per line); the fields and defaults above are the same.
        self.__dict__.update(
            {
                "quantity": quantity,
                "price": price,
                "taxed_price": taxed_price,
                "discount": discount,
                "tax_ids": tax_ids,
                "tax_base": tax_base,
                "taxpayer": taxpayer,
                "tax_included": tax_included,
            }
        )


# --- outputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineTax:
    """One tax of a line, as Siigo echoes it in ``items[].taxes[]``."""

    id: int
    type: str
    name: str
    percentage: Decimal
    base_value: Decimal
    value: Decimal

    @property
    def is_withholding(self) -> bool:
        """True for item withholdings that reduce what the customer pays (Retefuente)."""
        return self.type in ITEM_WITHHOLDING_TYPES


@dataclass(frozen=True)
class LineTotals:
    """The computed values of one line.

    ``gross`` = round2(quantity × unit price before tax); ``discount_value``/``discount_percentage``
    are both filled whatever ``discount_type`` was used (Siigo's ``items[].discount``); ``price`` is
    the unit price before tax as Siigo echoes it (as sent, or with 2 decimals under the ``stored``
    precision; back-computed from ``taxed_price`` and rounded to 2 decimals); ``total`` =
    round2(base + taxes the customer pays) — withholdings are kept out of it and summed in
    ``withholding``; ``net`` is what the customer pays for the line; ``seller_bears_taxes`` marks a
    gift line whose taxes the company assumes.
    """

    gross: Decimal
    discount_value: Decimal
    discount_percentage: Decimal
    base: Decimal
    price: Decimal
    taxes: tuple[LineTax, ...]
    total: Decimal
    withholding: Decimal = _ZERO
    seller_bears_taxes: bool = False

    @property
    def net(self) -> Decimal:
        return self.total - self.withholding


@dataclass(frozen=True)
class RetentionTotal:
    """One document-level withholding, as Siigo echoes it in ``retentions[]``."""

    id: int
    type: str
    name: str
    percentage: Decimal
    base_value: Decimal
    value: Decimal

    @property
    def reduces_amount_due(self) -> bool:
        """ReteIVA and ReteICA reduce what the customer pays; Autorretención does not."""
        return self.type not in SELLER_BORNE_TYPES


@dataclass(frozen=True)
class DocumentTotals:
    """The computed values of a whole document under one reading.

    ``subtotal`` = Σ line bases; ``tax_total`` = Σ taxes the customer pays (so ``total`` =
    ``subtotal + tax_total``); ``total`` = Σ line totals (gross, the response ``total``);
    ``iva_total`` = Σ IVA (the ReteIVA base); ``item_withholdings`` = Σ item Retefuente;
    ``withholdings`` = ReteIVA + ReteICA + item Retefuente (what reduces the customer's payment on
    the net basis); ``amount_due`` = what Σ payments must equal under the reading
    (:attr:`full_reading`).

    ``undocumented`` names the parts of the invoice whose effect Siigo does not document and that
    these numbers therefore leave out (``advance_payment``, ``global_discounts``,
    ``global_charges``); empty when ``amount_due`` follows the documented math.  It is filled by
    callers that see the whole invoice (the math here only sees items and retentions).
    """

    lines: tuple[LineTotals, ...]
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal
    retentions: tuple[RetentionTotal, ...]
    withholdings: Decimal
    amount_due: Decimal
    rounding: RoundingMode
    payments_basis: PaymentsBasis
    iva_total: Decimal = _ZERO
    item_withholdings: Decimal = _ZERO
    taxed_price_division: TaxedPriceDivision = "per_line"
    price_precision: PricePrecision = "as_sent"
    percentage_discount: PercentageDiscount = "rounded_value"
    undocumented: tuple[str, ...] = ()

    @property
    def reading(self) -> tuple[RoundingMode, PaymentsBasis]:
        """``(rounding, payments_basis)``, as before the other settings existed (kept for
        compatibility); :attr:`full_reading` has every setting."""
        return (self.rounding, self.payments_basis)

    @property
    def full_reading(self) -> Reading:
        """Every setting of the reading these totals were computed under."""
        return Reading(
            self.rounding,
            self.payments_basis,
            self.taxed_price_division,
            self.price_precision,
            self.percentage_discount,
        )

    @property
    def amount_due_is_documented(self) -> bool:
        """False when ``undocumented`` names something ``amount_due`` leaves out."""
        return not self.undocumented


# --- line math ---------------------------------------------------------------------------------

_T = TypeVar("_T")
_new = object.__new__


def _made(cls: type[_T], fields: dict[str, Any]) -> _T:
    """An instance of the frozen dataclass ``cls`` holding ``fields`` (every one of its fields,
    none else): what ``cls(**fields)`` builds, without the frozen ``__init__``'s call of
    ``object.__setattr__`` per field (a document builds two or more of them per line)."""
    made: _T = _new(cls)
    made.__dict__.update(fields)
    return made


def _resolve(tax_ids: Iterable[int], taxes: Mapping[int, TaxRate]) -> list[TaxRate]:
    resolved: list[TaxRate] = []
    for tax_id in tax_ids:
        rate = taxes.get(tax_id)
        if rate is None:
            raise UnsupportedTaxError(f"tax {tax_id} is not in the taxes catalog")
        if not rate.percentage.is_finite():
            raise UnsupportedTaxError(
                f"tax {tax_id} has a percentage the totals math cannot use: {rate.percentage}"
            )
        resolved.append(rate)
    return resolved


def _check_item_tax(rate: TaxRate) -> None:
    if rate.type in ("ReteIVA", "ReteICA"):
        raise UnsupportedTaxError(
            f"tax {rate.id} ({rate.type}) is a document-level withholding: send it in 'retentions', "
            "not in items[].taxes"
        )
    if rate.type not in ADDITIVE_TAX_TYPES | ITEM_WITHHOLDING_TYPES | SELLER_BORNE_TYPES:
        raise UnsupportedTaxError(f"tax {rate.id} has a type the totals math does not know: {rate.type!r}")


def _price_line(
    line: LineInput,
    iva_percentage: Decimal,
    mode: str,
    taxed_price_division: TaxedPriceDivision,
    price_precision: PricePrecision,
) -> tuple[Decimal, Decimal, Decimal | None]:
    """A line's prices under one reading (``mode`` a :mod:`decimal` rounding, to be called in
    ``_CONTEXT``): the unit price before tax Siigo echoes, the exact line value before discount
    and tax, and (``taxed_price`` lines) the exact VAT-inclusive value."""
    sent = line.taxed_price if line.taxed_price is not None else line.price
    if sent is None:
        raise ValueError("a line needs either price or taxed_price")
    if price_precision == "stored":
        sent = sent.quantize(_CENT, mode, _CONTEXT)
    if line.taxed_price is None and not line.tax_included:
        return sent, line.quantity * sent, None
    divisor = 1 + iva_percentage / _HUNDRED
    if divisor <= 0:
        raise ValueError(
            f"taxed_price cannot be split with an IVA of {iva_percentage} %: 1 + IVA% / 100 must be above 0"
        )
    taxed_value = line.quantity * sent
    unit_price = (sent / divisor).quantize(_CENT, mode, _CONTEXT)
    if taxed_price_division == "per_unit":
        gross_exact = line.quantity * unit_price
    else:
        gross_exact = taxed_value / divisor
    return unit_price, gross_exact, taxed_value


def line_value(
    line: LineInput,
    *,
    iva_percentage: Decimal = _ZERO,
    rounding: RoundingMode = "half_up",
    taxed_price_division: TaxedPriceDivision = "per_line",
    price_precision: PricePrecision = "as_sent",
) -> Decimal:
    """The exact value of a line before discount and tax (quantity × unit price before tax, not
    rounded) under one reading: what a ``Value`` discount may not exceed.  ``iva_percentage`` is
    the line's IVA (used only to split a ``taxed_price``)."""
    for name, value in (
        ("rounding", rounding),
        ("taxed_price_division", taxed_price_division),
        ("price_precision", price_precision),
    ):
        _check_setting(name, value)
    with decimal.localcontext(_CONTEXT):
        return _price_line(line, iva_percentage, _ROUNDING[rounding], taxed_price_division, price_precision)[
            1
        ]


def compute_line(
    line: LineInput,
    *,
    taxes: Mapping[int, TaxRate],
    discount_type: DiscountType = "Value",
    rounding: RoundingMode = "half_up",
    taxed_price_division: TaxedPriceDivision = "per_line",
    price_precision: PricePrecision = "as_sent",
    percentage_discount: PercentageDiscount = "rounded_value",
) -> LineTotals:
    """Compute one line per §C.4.1 under one reading (see the module docstring).

    Raises :class:`UnsupportedTaxError` for a tax id missing from ``taxes``, a tax kind that
    cannot be computed at item level, and ``ValueError`` for a line whose discount exceeds its
    value (or that cannot be computed at all).
    """
    rates = _resolve(line.tax_ids, taxes)
    for rate in rates:
        _check_item_tax(rate)
    if discount_type not in ("Value", "Percentage"):
        raise ValueError(f"discount_type must be 'Value' or 'Percentage', got {discount_type!r}")
    _check_setting("rounding", rounding)
    _check_setting("taxed_price_division", taxed_price_division)
    _check_setting("price_precision", price_precision)
    _check_setting("percentage_discount", percentage_discount)
    with decimal.localcontext(_CONTEXT):
        return _line(
            line, rates, discount_type, rounding, taxed_price_division, price_precision, percentage_discount
        )


def _iva(rates: list[TaxRate]) -> tuple[int, Decimal]:
    """How many of ``rates`` are IVA, and their percentages added up."""
    ivas = [r for r in rates if r.type == "IVA"]
    return len(ivas), sum((r.percentage for r in ivas), Decimal(0))


_Plan = tuple[tuple[TaxRate, Decimal, bool, bool], ...]


def _plan(rates: list[TaxRate]) -> _Plan:
    """What every line with ``rates`` does with each of them, worked out once for all of its
    lines: the rate, the percentage applied (a withholding's magnitude), whether the tax adds to
    the line total and whether it is an item withholding.  To be called in ``_CONTEXT``."""
    return tuple(
        (
            rate,
            rate.percentage if rate.type in ADDITIVE_TAX_TYPES else abs(rate.percentage),
            rate.type in ADDITIVE_TAX_TYPES,
            rate.type in ITEM_WITHHOLDING_TYPES,
        )
        for rate in rates
    )


_NOUGHT = Decimal(0)


def _line(
    line: LineInput,
    rates: list[TaxRate],
    discount_type: DiscountType,
    rounding: RoundingMode,
    taxed_price_division: TaxedPriceDivision,
    price_precision: PricePrecision,
    percentage_discount: PercentageDiscount,
    iva: tuple[int, Decimal] | None = None,
    plan: _Plan | None = None,
) -> LineTotals:
    """:func:`compute_line` once its settings are checked (``rates``: the line's taxes; ``iva``
    and ``plan``: their :func:`_iva` and :func:`_plan`, when known), to be called in ``_CONTEXT``
    (a document enters it once for all its lines, and works out ``iva`` and ``plan`` once for
    each set of taxes its lines use)."""
    mode = _ROUNDING[rounding]
    cent, context = _CENT, _CONTEXT
    ivas, iva_pct = iva if iva is not None else _iva(rates)
    sent = line.price
    if (
        sent is not None
        and line.taxed_price is None
        and not line.tax_included
        and price_precision == "as_sent"
    ):
        # What _price_line gives the usual line (a price before tax, as sent), without the call.
        unit_price, gross_exact, taxed_value = sent, line.quantity * sent, None
    else:
        unit_price, gross_exact, taxed_value = _price_line(
            line, iva_pct, mode, taxed_price_division, price_precision
        )

    discount = line.discount or _NOUGHT
    if discount_type == "Percentage":
        if not 0 <= discount <= _HUNDRED:
            raise ValueError(f"a percentage discount must be between 0 and 100 %, got {discount} %")
        exact_discount = gross_exact * discount / _HUNDRED
        discount_value = exact_discount.quantize(cent, mode, context)
        subtracted = exact_discount if percentage_discount == "exact_value" else discount_value
        discount_percentage = discount
    else:
        # No discount (``discount`` is then 0): its value is 0.00, what quantizing 0 gives.
        discount_value = discount.quantize(cent, mode, context) if discount else _ZERO
        gross = gross_exact.quantize(cent, mode, context)
        # Bounded by the line value as Siigo shows it (2 decimals): 3 × 33.333333 is worth
        # 100.00, and a discount of 100.00 leaves a base of 0.00.
        if discount_value > gross:
            raise ValueError(
                f"the discount ({format_amount(discount_value)}) exceeds the line value "
                f"({format_exact(gross_exact)})"
            )
        if not discount and gross_exact > 0:
            discount_percentage = _ZERO  # 0 × 100 / a positive value, to cents
        else:
            discount_percentage = (
                (discount * _HUNDRED / gross_exact).quantize(cent, mode, context) if gross_exact else _NOUGHT
            )
        subtracted = discount_value
    base = (gross_exact - subtracted).quantize(cent, mode, context) + _ZERO  # + 0.00: never "-0.00"
    if discount_type == "Percentage" and base < 0:
        # At most 100 % of the line: only a discount value rounded up past the exact line
        # value (100 % of 10.615 shown as 10.62) goes below zero, and the line is worth 0.00.
        base = _ZERO
    if base < 0:
        raise ValueError(
            f"the discount ({format_amount(discount_value)}) exceeds the line value "
            f"({format_exact(gross_exact)})"
        )

    gift = line.tax_base is not None and unit_price == 0
    tax_base = line.tax_base.quantize(cent, mode, context) if gift and line.tax_base is not None else base
    customer_pays_taxes = not gift or line.taxpayer != "Company"
    # §C.4.1: for a taxed price, iva = taxed price − base (the line total is the taxed price).
    split_taxed = taxed_value is not None and ivas == 1 and not gift and discount_value == 0

    line_taxes: list[LineTax] = []
    added = _NOUGHT
    withheld = _NOUGHT
    for rate, pct, additive, withholding in plan if plan is not None else _plan(rates):
        if split_taxed and taxed_value is not None and rate.type == "IVA":
            value = taxed_value.quantize(cent, mode, context) - base
        else:
            value = (tax_base * pct / _HUNDRED).quantize(cent, mode, context)
        tax = _new(LineTax)  # what _made does, without a call per tax
        tax.__dict__.update(
            {
                "id": rate.id,
                "type": rate.type,
                "name": rate.name,
                "percentage": rate.percentage,
                "base_value": tax_base,
                "value": value,
            }
        )
        line_taxes.append(tax)
        if additive:
            if customer_pays_taxes:
                added += value
        elif withholding:
            withheld += value
    totals = _new(LineTotals)
    totals.__dict__.update(
        {
            "gross": gross_exact.quantize(cent, mode, context) if discount_type == "Percentage" else gross,
            "discount_value": discount_value,
            "discount_percentage": discount_percentage,
            "base": base,
            "price": unit_price,
            "taxes": tuple(line_taxes),
            "total": (base + added).quantize(cent, mode, context),
            # Nothing withheld is 0.00, what quantizing 0 gives.
            "withholding": withheld.quantize(cent, mode, context) if withheld is not _NOUGHT else _ZERO,
            "seller_bears_taxes": not customer_pays_taxes,
        }
    )
    return totals


def format_exact(value: Decimal) -> str:
    """An exact amount for a message: 2 decimals when that is exact, else up to 6 decimals
    (``84.033613…`` when more were cut)."""
    with decimal.localcontext(_CONTEXT):
        if round2(value) == value:
            return format_amount(value)
        cut = value.quantize(Decimal("0.000001"), rounding=decimal.ROUND_DOWN)
        text = f"{cut.normalize():f}"
        return text if cut == value else text + "…"


# --- document math -----------------------------------------------------------------------------


def compute_document(
    lines: Sequence[LineInput],
    *,
    taxes: Mapping[int, TaxRate],
    retentions: Sequence[int] = (),
    discount_type: DiscountType = "Value",
    rounding: RoundingMode = "half_up",
    payments_basis: PaymentsBasis = "net_of_withholdings",
    taxed_price_division: TaxedPriceDivision = "per_line",
    price_precision: PricePrecision = "as_sent",
    percentage_discount: PercentageDiscount = "rounded_value",
    self_withholding_limit: Decimal | None = None,
) -> DocumentTotals:
    """Compute a whole document under one reading (§C.4.1 + §C.4.2).

    ``retentions`` are tax ids of the document-level ``retentions`` array (ReteIVA, ReteICA,
    Autorretencion).  ReteIVA = round2(pct × Σ IVA / 100), ReteICA = round2(pct × subtotal / 100),
    Autorretención = round2(pct × subtotal / 100) only when subtotal > ``self_withholding_limit``
    (``None`` = no limit known: always applies; otherwise its value is 0.00).

    Raises :class:`UnsupportedTaxError` (a tax it cannot compute) or ``ValueError`` (a line or
    retention it cannot compute; the message starts with ``items[i]`` or ``retentions``).
    """
    _check_setting("payments_basis", payments_basis)
    computed: list[LineTotals] = []
    resolved: dict[tuple[int, ...], tuple[list[TaxRate], tuple[int, Decimal], _Plan]] = {}
    with decimal.localcontext(_CONTEXT):
        for i, line in enumerate(lines):
            try:
                if i == 0:
                    computed.append(
                        compute_line(
                            line,
                            taxes=taxes,
                            discount_type=discount_type,
                            rounding=rounding,
                            taxed_price_division=taxed_price_division,
                            price_precision=price_precision,
                            percentage_discount=percentage_discount,
                        )
                    )
                else:
                    # The settings passed compute_line's checks on the first line: only the line's
                    # own taxes are checked again, once for each set of taxes the lines use.
                    key = line.tax_ids if type(line.tax_ids) is tuple else tuple(line.tax_ids)
                    found = resolved.get(key)
                    if found is None:
                        rates = _resolve(key, taxes)
                        for rate in rates:
                            _check_item_tax(rate)
                        found = resolved[key] = (rates, _iva(rates), _plan(rates))
                    computed.append(
                        _line(
                            line,
                            found[0],
                            discount_type,
                            rounding,
                            taxed_price_division,
                            price_precision,
                            percentage_discount,
                            found[1],
                            found[2],
                        )
                    )
            except UnsupportedTaxError as exc:
                raise UnsupportedTaxError(f"items[{i}]: {exc}") from None
            except ValueError as exc:
                raise ValueError(f"items[{i}]: {exc}") from None
            except ArithmeticError as exc:
                raise ValueError(
                    f"items[{i}]: the amounts cannot be computed ({type(exc).__name__})"
                ) from None
    try:
        return _document(
            tuple(computed),
            taxes=taxes,
            retentions=retentions,
            reading=Reading(
                rounding, payments_basis, taxed_price_division, price_precision, percentage_discount
            ),
            self_withholding_limit=self_withholding_limit,
        )
    except ArithmeticError as exc:
        raise ValueError(f"retentions: the amounts cannot be computed ({type(exc).__name__})") from None


def _document(
    computed: tuple[LineTotals, ...],
    *,
    taxes: Mapping[int, TaxRate],
    retentions: Sequence[int],
    reading: Reading,
    self_withholding_limit: Decimal | None,
) -> DocumentTotals:
    rounding = reading.rounding
    with decimal.localcontext(_CONTEXT):
        # The sums of the lines' bases, totals, withholdings and IVA, added in the lines' order.
        subtotal = total = item_withholdings = iva_total = _ZERO
        for c in computed:
            subtotal += c.base
            total += c.total
            item_withholdings += c.withholding
            if not c.seller_bears_taxes:
                for t in c.taxes:
                    if t.type == "IVA":
                        iva_total += t.value
        tax_total = total - subtotal

        retention_totals: list[RetentionTotal] = []
        for rate in _resolve(retentions, taxes):
            pct = abs(rate.percentage)
            if rate.type == "ReteIVA":
                base_value = iva_total
            elif rate.type in ("ReteICA", "Autorretencion"):
                base_value = subtotal
            else:
                raise UnsupportedTaxError(
                    f"tax {rate.id} ({rate.type}) cannot be a document-level retention: only ReteIVA, "
                    "ReteICA and Autorretencion can"
                )
            value = round2(base_value * pct / _HUNDRED, rounding)
            if (
                rate.type == "Autorretencion"
                and self_withholding_limit is not None
                and subtotal <= self_withholding_limit
            ):
                value = _ZERO
            retention_totals.append(
                RetentionTotal(rate.id, rate.type, rate.name, rate.percentage, base_value, value)
            )

        withholdings = item_withholdings + sum(
            (r.value for r in retention_totals if r.reduces_amount_due), _ZERO
        )
        amount_due = total - withholdings if reading.payments_basis == "net_of_withholdings" else total
        return DocumentTotals(
            lines=computed,
            subtotal=subtotal,
            tax_total=tax_total,
            total=total,
            retentions=tuple(retention_totals),
            withholdings=withholdings,
            amount_due=amount_due,
            rounding=rounding,
            payments_basis=reading.payments_basis,
            iva_total=iva_total,
            item_withholdings=item_withholdings,
            taxed_price_division=reading.taxed_price_division,
            price_precision=reading.price_precision,
            percentage_discount=reading.percentage_discount,
        )


# --- the payments check ------------------------------------------------------------------------


def readings(
    *,
    rounding: RoundingMode | None = None,
    payments_basis: PaymentsBasis | None = None,
    taxed_price_division: TaxedPriceDivision | None = None,
    price_precision: PricePrecision | None = None,
    percentage_discount: PercentageDiscount | None = None,
) -> list[Reading]:
    """Every reading left open — every combination of the settings' values — default first; a
    pinned setting (not ``None``) keeps only its value."""
    pins = {
        "rounding": rounding,
        "payments_basis": payments_basis,
        "taxed_price_division": taxed_price_division,
        "price_precision": price_precision,
        "percentage_discount": percentage_discount,
    }
    choices: list[tuple[str, ...]] = []
    for name, value in pins.items():
        if value is None:
            choices.append(READING_SETTINGS[name])
        else:
            _check_setting(name, value)
            choices.append((value,))
    return [Reading(*combination) for combination in itertools.product(*choices)]  # type: ignore[arg-type]


def _has_subcents(value: Decimal | None) -> bool:
    if value is None:
        return False
    return value.quantize(_CENT, decimal.ROUND_HALF_UP, _CONTEXT) != value


def iter_documents_by_reading(
    lines: Sequence[LineInput],
    *,
    taxes: Mapping[int, TaxRate],
    retentions: Sequence[int] = (),
    discount_type: DiscountType = "Value",
    self_withholding_limit: Decimal | None = None,
    **pins: Unpack[ReadingPins],
) -> Iterator[tuple[Reading, DocumentTotals | ValueError]]:
    """The full :class:`DocumentTotals` under each reading left open (see :func:`readings`),
    default first, one reading at a time and computed only when asked for, so that a caller
    looking for a matching reading stops at the first one (usually the default).  A reading
    that cannot be computed (a discount above the line value under that reading) yields its
    ``ValueError``; :class:`UnsupportedTaxError` does not depend on the reading and is raised
    at once."""
    wanted = readings(**pins)
    # Settings that cannot change this document are computed once (under their default).
    any_taxed = any(line.taxed_price is not None or line.tax_included for line in lines)
    any_subcents = any(
        _has_subcents(line.taxed_price if line.taxed_price is not None else line.price) for line in lines
    )
    any_percentage = discount_type == "Percentage" and any(line.discount for line in lines)
    computed: dict[Reading, DocumentTotals | ValueError] = {}
    for reading in wanted:
        key = Reading(
            reading.rounding,
            DEFAULT_READING.payments_basis,
            reading.taxed_price_division if any_taxed else DEFAULT_READING.taxed_price_division,
            reading.price_precision if any_subcents else DEFAULT_READING.price_precision,
            reading.percentage_discount if any_percentage else DEFAULT_READING.percentage_discount,
        )
        if key not in computed:
            try:
                computed[key] = compute_document(
                    lines,
                    taxes=taxes,
                    retentions=retentions,
                    discount_type=discount_type,
                    rounding=key.rounding,
                    payments_basis=key.payments_basis,
                    taxed_price_division=key.taxed_price_division,
                    price_precision=key.price_precision,
                    percentage_discount=key.percentage_discount,
                    self_withholding_limit=self_withholding_limit,
                )
            except UnsupportedTaxError:
                raise
            except ValueError as exc:
                computed[key] = exc
        document = computed[key]
        if isinstance(document, ValueError):
            yield reading, document
            continue
        amount_due = (
            document.amount_due if reading.payments_basis == "net_of_withholdings" else document.total
        )
        yield (
            reading,
            dataclasses.replace(
                document,
                amount_due=amount_due,
                payments_basis=reading.payments_basis,
                taxed_price_division=reading.taxed_price_division,
                price_precision=reading.price_precision,
                percentage_discount=reading.percentage_discount,
            ),
        )


def total_payments_message(expected: Decimal, paid: Decimal | None = None) -> str:
    """Siigo's ``invalid_total_payments`` message, plus the payments sum when given."""
    message = (
        "The total payments must be equal to the total invoice. "
        f"The total invoice calculated is {format_amount(expected)}"
    )
    if paid is not None:
        message += f" (payments add up to {format_amount(paid)})"
    return message
