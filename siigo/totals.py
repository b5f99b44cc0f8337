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
line total 1 130.50.  Document-level withholdings (§C.4.2): ReteIVA is a percentage of the
invoice's VAT, ReteICA a percentage of the subtotal (Σ bases), Autorretención applies only when
the subtotal exceeds the document type's ``self_withholding_limit``.

What is our reading (❓ undocumented; each choice is named here and tested)
--------------------------------------------------------------------------
``discount`` (``DiscountType``, from the document type's ``discount_type``)
    ``"Value"`` (default): ``items[].discount`` is an absolute amount for the whole line (the
    documented sample subtracts 50 from 10 × 100).  ``"Percentage"``: the discount value is
    ``round2(quantity × price × discount / 100)`` — the rounding of that intermediate step is ours.
Price precision
    ``price`` may carry 6 decimals; the formula uses the price exactly as sent (Siigo stores it
    with 2 decimals afterwards — whether the stored price feeds the formula is unknown).
Other item taxes
    Every percentage tax is ``round2(base × pct / 100)``.  IVA, Impoconsumo and AdValorem add to the
    line total.  An item-level Retefuente is a *withholding*: it is computed the same way, kept out
    of the line total (so ``total`` stays gross, as the response example shows for ReteIVA) and
    subtracts from what the customer pays — see ``LineTotals.withholding`` / ``LineTotals.net`` and
    ``DocumentTotals.withholdings``.  An item-level Autorretención is borne by the seller: computed,
    reported, never subtracted.  ReteIVA/ReteICA are refused at item level (Siigo: ``invalid_array``).
``taxed_price`` (VAT-inclusive unit price)
    The line's unit price before tax is ``taxed_price / (1 + IVA% / 100)`` and the division is done
    per *line*: ``base = round2(quantity × taxed_price / (1 + IVA%/100) − discount_value)``; IVA is then
    ``round2(base × IVA% / 100)`` like every tax.  (§C.4.1 also says "iva = taxed_price − base"; the two
    agree on every documented sample but can differ by 0.01 — an open question.)
Gift items (``price`` 0 with ``tax_base``)
    The line is worth 0; each tax is computed on ``tax_base``.  With ``taxpayer="Customer"`` the
    customer pays those taxes (they add to the line total); with ``"Company"`` the seller bears them
    (reported, not added).
Rounding (``RoundingMode``)
    "Round to 2 decimals" with the midpoint rule unstated.  ``"half_up"`` (default) rounds .5 away
    from zero; ``"half_even"`` is .NET's default ``Math.Round`` (banker's rounding).  They differ only
    on exact midpoints: 10 001.50 × 19 % = 1 900.285 → 1 900.29 (half up) vs 1 900.28 (half even).
    Rounding is applied at each documented step (per line, per tax, per retention), never to sums
    of already-rounded values (those are exact).
Payments basis (``PaymentsBasis``)
    ``"net_of_withholdings"`` (default): payments must equal ``total − (ReteIVA + ReteICA + item
    Retefuente)`` — the Colombian practice, matched by the only numeric evidence we have (ePayco's
    demo) and by the worked example in §C.4.3 (708 381.60).  ``"gross_total"``: payments must equal
    the gross ``total``.  Autorretención never reduces the amount due (the seller bears it).

Because rounding and payments basis are unknown, :func:`acceptable_amounts` returns the amount
due under every reading that is not pinned by the caller, and :func:`check_payments` accepts a
payment total that matches *any* of them: a local check must never reject an invoice Siigo would
accept.  Its error message names the amount under the default reading (half up, net).

Not modelled (undocumented): global discounts/charges, ``advance_payment``, fixed-value taxes
(``tax_consumption_value``, sugary-drink taxes) and document types with ``decimals: false``.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

__all__ = [
    "ADDITIVE_TAX_TYPES",
    "DEFAULT_READING",
    "DOCUMENT_RETENTION_TYPES",
    "ITEM_WITHHOLDING_TYPES",
    "PAYMENTS_BASES",
    "ROUNDING_MODES",
    "SELLER_BORNE_TYPES",
    "DiscountType",
    "DocumentTotals",
    "LineInput",
    "LineTax",
    "LineTotals",
    "PaymentsBasis",
    "Reading",
    "RetentionTotal",
    "RoundingMode",
    "TaxRate",
    "UnsupportedTaxError",
    "acceptable_amounts",
    "check_payments",
    "compute_document",
    "compute_line",
    "documents_by_reading",
    "format_amount",
    "matching_reading",
    "readings",
    "round2",
    "total_payments_message",
]

RoundingMode = Literal["half_up", "half_even"]
PaymentsBasis = Literal["net_of_withholdings", "gross_total"]
DiscountType = Literal["Value", "Percentage"]
Reading = tuple[RoundingMode, PaymentsBasis]

ROUNDING_MODES: tuple[RoundingMode, ...] = ("half_up", "half_even")
PAYMENTS_BASES: tuple[PaymentsBasis, ...] = ("net_of_withholdings", "gross_total")
DEFAULT_READING: Reading = ("half_up", "net_of_withholdings")

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
# Wide enough that products like 99 999 999 999.99 × 99 999 999 999.999999 stay exact.
_CONTEXT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.InvalidOperation])


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


# --- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxRate:
    """A tax of the company's catalog: ``type`` is one of siigo.models.common.TAX_TYPES."""

    id: int
    type: str
    percentage: Decimal
    name: str = ""


@dataclass(frozen=True)
class LineInput:
    """One invoice item, as far as the math is concerned.

    ``price`` is the unit price before tax; ``taxed_price`` (VAT-inclusive) replaces it when set.
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

    ``gross`` = round2(quantity × price); ``discount_value``/``discount_percentage`` are both
    filled whatever ``discount_type`` was used (Siigo's ``items[].discount``); ``price`` is the unit
    price before tax actually used (as sent, or back-computed from ``taxed_price`` and rounded to 2
    decimals as Siigo stores it); ``total`` = round2(base + taxes the customer pays) — withholdings
    are kept out of it and summed in ``withholding``; ``net`` is what the customer pays for the line;
    ``seller_bears_taxes`` marks a gift line whose taxes the company assumes.
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
    the net basis); ``amount_due`` = what Σ payments must equal under ``rounding`` and
    ``payments_basis``.
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

    @property
    def reading(self) -> Reading:
        return (self.rounding, self.payments_basis)


# --- line math ---------------------------------------------------------------------------------


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


def compute_line(
    line: LineInput,
    *,
    taxes: Mapping[int, TaxRate],
    discount_type: DiscountType = "Value",
    rounding: RoundingMode = "half_up",
) -> LineTotals:
    """Compute one line per §C.4.1 (see the module docstring for every reading).

    Raises :class:`UnsupportedTaxError` for a tax id missing from ``taxes``, a tax kind that
    cannot be computed at item level, and ``ValueError`` for a line whose discount exceeds its value.
    """
    rates = _resolve(line.tax_ids, taxes)
    for rate in rates:
        _check_item_tax(rate)
    if discount_type not in ("Value", "Percentage"):
        raise ValueError(f"discount_type must be 'Value' or 'Percentage', got {discount_type!r}")

    with decimal.localcontext(_CONTEXT):
        quantity = line.quantity
        if line.taxed_price is not None:
            iva_pct = sum((r.percentage for r in rates if r.type == "IVA"), Decimal(0))
            unit_price = line.taxed_price / (1 + iva_pct / _HUNDRED)
        elif line.price is not None:
            unit_price = line.price
        else:
            raise ValueError("a line needs either price or taxed_price")

        gross_exact = quantity * unit_price
        discount = line.discount or Decimal(0)
        if discount_type == "Percentage":
            discount_value = round2(gross_exact * discount / _HUNDRED, rounding)
            discount_percentage = discount
        else:
            discount_value = round2(discount, rounding)
            discount_percentage = (
                round2(discount * _HUNDRED / gross_exact, rounding) if gross_exact else Decimal(0)
            )
        base = round2(gross_exact - discount_value, rounding)
        if base < 0:
            raise ValueError(
                f"the discount ({format_amount(discount_value)}) exceeds the line value "
                f"({format_amount(gross_exact)})"
            )

        gift = line.tax_base is not None and unit_price == 0
        tax_base = round2(line.tax_base, rounding) if gift and line.tax_base is not None else base
        customer_pays_taxes = not gift or line.taxpayer != "Company"

        line_taxes: list[LineTax] = []
        added = Decimal(0)
        withheld = Decimal(0)
        for rate in rates:
            pct = abs(rate.percentage) if rate.type not in ADDITIVE_TAX_TYPES else rate.percentage
            value = round2(tax_base * pct / _HUNDRED, rounding)
            line_taxes.append(LineTax(rate.id, rate.type, rate.name, rate.percentage, tax_base, value))
            if rate.type in ADDITIVE_TAX_TYPES:
                if customer_pays_taxes:
                    added += value
            elif rate.type in ITEM_WITHHOLDING_TYPES:
                withheld += value
        total = round2(base + added, rounding)
        return LineTotals(
            gross=round2(gross_exact, rounding),
            discount_value=discount_value,
            discount_percentage=discount_percentage,
            base=base,
            price=round2(unit_price, rounding) if line.taxed_price is not None else unit_price,
            taxes=tuple(line_taxes),
            total=total,
            withholding=round2(withheld, rounding),
            seller_bears_taxes=not customer_pays_taxes,
        )


# --- document math -----------------------------------------------------------------------------


def compute_document(
    lines: Sequence[LineInput],
    *,
    taxes: Mapping[int, TaxRate],
    retentions: Sequence[int] = (),
    discount_type: DiscountType = "Value",
    rounding: RoundingMode = "half_up",
    payments_basis: PaymentsBasis = "net_of_withholdings",
    self_withholding_limit: Decimal | None = None,
) -> DocumentTotals:
    """Compute a whole document under one reading (§C.4.1 + §C.4.2).

    ``retentions`` are tax ids of the document-level ``retentions`` array (ReteIVA, ReteICA,
    Autorretencion).  ReteIVA = round2(pct × Σ IVA / 100), ReteICA = round2(pct × subtotal / 100),
    Autorretención = round2(pct × subtotal / 100) only when subtotal > ``self_withholding_limit``
    (``None`` = no limit known: always applies; otherwise its value is 0.00).
    """
    if payments_basis not in PAYMENTS_BASES:
        raise ValueError(f"payments_basis must be one of {PAYMENTS_BASES}, got {payments_basis!r}")
    computed = tuple(
        compute_line(line, taxes=taxes, discount_type=discount_type, rounding=rounding) for line in lines
    )
    with decimal.localcontext(_CONTEXT):
        subtotal = sum((c.base for c in computed), _ZERO)
        total = sum((c.total for c in computed), _ZERO)
        tax_total = total - subtotal
        item_withholdings = sum((c.withholding for c in computed), _ZERO)
        iva_total = sum(
            (t.value for c in computed if not c.seller_bears_taxes for t in c.taxes if t.type == "IVA"),
            _ZERO,
        )

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
        amount_due = total - withholdings if payments_basis == "net_of_withholdings" else total
        return DocumentTotals(
            lines=computed,
            subtotal=subtotal,
            tax_total=tax_total,
            total=total,
            retentions=tuple(retention_totals),
            withholdings=withholdings,
            amount_due=amount_due,
            rounding=rounding,
            payments_basis=payments_basis,
            iva_total=iva_total,
            item_withholdings=item_withholdings,
        )


# --- the payments check ------------------------------------------------------------------------


def readings(
    *, rounding: RoundingMode | None = None, payments_basis: PaymentsBasis | None = None
) -> list[Reading]:
    """Every reading left open, default first; a pinned setting keeps only its value."""
    roundings = (rounding,) if rounding is not None else ROUNDING_MODES
    bases = (payments_basis,) if payments_basis is not None else PAYMENTS_BASES
    for value, allowed in ((rounding, ROUNDING_MODES), (payments_basis, PAYMENTS_BASES)):
        if value is not None and value not in allowed:
            raise ValueError(f"expected one of {allowed}, got {value!r}")
    return [(r, b) for r in roundings for b in bases]


def acceptable_amounts(
    lines: Sequence[LineInput],
    *,
    taxes: Mapping[int, TaxRate],
    retentions: Sequence[int] = (),
    discount_type: DiscountType = "Value",
    self_withholding_limit: Decimal | None = None,
    rounding: RoundingMode | None = None,
    payments_basis: PaymentsBasis | None = None,
) -> dict[Reading, Decimal]:
    """The amount Σ payments must equal under each reading Siigo leaves open.

    Keys are ``(rounding, payments_basis)``, the default reading first.  Pinning ``rounding``
    and/or ``payments_basis`` keeps only the readings that use the pinned value.
    """
    return {
        reading: document.amount_due
        for reading, document in documents_by_reading(
            lines,
            taxes=taxes,
            retentions=retentions,
            discount_type=discount_type,
            self_withholding_limit=self_withholding_limit,
            rounding=rounding,
            payments_basis=payments_basis,
        ).items()
    }


def documents_by_reading(
    lines: Sequence[LineInput],
    *,
    taxes: Mapping[int, TaxRate],
    retentions: Sequence[int] = (),
    discount_type: DiscountType = "Value",
    self_withholding_limit: Decimal | None = None,
    rounding: RoundingMode | None = None,
    payments_basis: PaymentsBasis | None = None,
) -> dict[Reading, DocumentTotals]:
    """Like :func:`acceptable_amounts` but with the full :class:`DocumentTotals` of each reading."""
    by_rounding: dict[RoundingMode, DocumentTotals] = {}
    result: dict[Reading, DocumentTotals] = {}
    for mode, basis in readings(rounding=rounding, payments_basis=payments_basis):
        if mode not in by_rounding:
            by_rounding[mode] = compute_document(
                lines,
                taxes=taxes,
                retentions=retentions,
                discount_type=discount_type,
                rounding=mode,
                self_withholding_limit=self_withholding_limit,
            )
        net = by_rounding[mode]
        amount_due = net.amount_due if basis == "net_of_withholdings" else net.total
        result[(mode, basis)] = _with_basis(net, basis, amount_due)
    return result


def _with_basis(document: DocumentTotals, basis: PaymentsBasis, amount_due: Decimal) -> DocumentTotals:
    if document.payments_basis == basis:
        return document
    return DocumentTotals(
        lines=document.lines,
        subtotal=document.subtotal,
        tax_total=document.tax_total,
        total=document.total,
        retentions=document.retentions,
        withholdings=document.withholdings,
        amount_due=amount_due,
        rounding=document.rounding,
        payments_basis=basis,
        iva_total=document.iva_total,
        item_withholdings=document.item_withholdings,
    )


def matching_reading(paid: Decimal, amounts: Mapping[Reading, Decimal]) -> Reading | None:
    """The first reading (in ``amounts`` order) whose amount equals ``paid`` after rounding both."""
    paid2 = round2(paid)
    for reading, amount in amounts.items():
        if round2(amount) == paid2:
            return reading
    return None


def total_payments_message(expected: Decimal, paid: Decimal | None = None) -> str:
    """Siigo's ``invalid_total_payments`` message, plus the payments sum when given."""
    message = (
        "The total payments must be equal to the total invoice. "
        f"The total invoice calculated is {format_amount(expected)}"
    )
    if paid is not None:
        message += f" (payments add up to {format_amount(paid)})"
    return message


def check_payments(paid: Decimal, amounts: Mapping[Reading, Decimal]) -> str | None:
    """``None`` when ``paid`` matches the amount due under some reading, else the error message.

    The message names the amount under the default reading (half up, net of withholdings) when
    it is among ``amounts``, otherwise under the first reading given.
    """
    if not amounts:
        raise ValueError("amounts is empty: no reading to check the payments against")
    if matching_reading(paid, amounts) is not None:
        return None
    expected = amounts.get(DEFAULT_READING, next(iter(amounts.values())))
    return total_payments_message(expected, paid)
