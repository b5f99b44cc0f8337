"""Catalog-dependent document rules, shared by the SDK's preflight and the sandbox.

:func:`check_document` takes an already validated document body of one kind (an invoice, a credit
note, a quotation: structural rules are in the model), the kind (:mod:`siigo.kinds`) and the
company's catalogs, and returns the computed totals and every problem found, each with the Siigo
error code the server uses.  :func:`check_invoice` is the sales-invoice case.  The checks run in
Siigo's order (siigo-api.md §H.1):

* step 9, references — document type is an active type of the kind (``invalid_document``,
  ``parameter_inactive``); item taxes and retentions exist (``invalid_reference``) and are active
  (``parameter_inactive``); item tax combinations (``invalid_array``); retention kinds and the
  document type's withholding flags (``invalid_retentions``); payment types exist, are active and
  are sales types (``invalid_reference``, ``parameter_inactive``, ``invalid_payment``); a credit
  payment type is alone and carries ``due_date`` (``invalid_array``, ``parameter_required``);
  global discounts/charges belong to the document type;
* step 10, document type configuration — seller per item, mandatory cost center, item
  customer/transport, health-sector data, manual numbering, advance payments
  (``document_settings``, ``parameter_required``); electronic documents dated before today
  (``invalid_date``);
* step 11, the math — discounts within the line value and ``advance_payment`` within the total
  (``invalid_amount``); a document the totals math cannot compute (``invalid_amount``, never a
  silent skip); then, only when steps 9–10 found nothing, Σ payments against :mod:`siigo.totals`
  (``invalid_total_payments``, message naming Siigo's total and ours), matched by
  :func:`match_payments`, the one place payments meet the totals readings.

A kind without payments (quotations) skips the payment rules and the match; its totals are still
computed (and an uncomputable document is still refused).

The totals check never rejects an invoice that Siigo would accept under *some* reading of what it
leaves open (rounding, payments basis, ``taxed_price`` division, price precision — see
:mod:`siigo.totals`) unless the caller pins those settings.  Where the effect of a field on the
payments is undocumented, the check is explicitly relaxed, never guessed:

* ``global_discounts`` / ``global_charges``: the payments check is **skipped** (how they change the
  total and the payments is undocumented, §C.4.2); the totals returned say so in
  ``DocumentTotals.undocumented``;
* ``advance_payment``: both "payments = amount due" and "payments = amount due − advance" are
  accepted (§C.4.2 leaves it open); also named in ``undocumented``;
* a tax without percentage or of a kind the math does not know: the totals are not computed
  (``None``) and the payments are not checked.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from .._refusals import Term, detail, either, kind_term, refusal
from ..errors import ErrorDetail
from ..kinds import INVOICE, Kind
from ..models.catalogs import DocumentType, PaymentType, Tax
from ..totals import (
    ADDITIVE_TAX_TYPES,
    DOCUMENT_RETENTION_TYPES,
    ITEM_WITHHOLDING_TYPES,
    SELLER_BORNE_TYPES,
    DiscountType,
    DocumentTotals,
    LineInput,
    PaymentsBasis,
    PercentageDiscount,
    PricePrecision,
    Reading,
    RoundingMode,
    TaxedPriceDivision,
    TaxRate,
    UnsupportedTaxError,
    format_amount,
    iter_documents_by_reading,
    line_value,
    readings,
    round2,
)

__all__ = [
    "BOGOTA",
    "MAX_BATCH_BYTES",
    "SALES_PAYMENT_KINDS",
    "SUPPLIER_PAYMENT_KINDS",
    "DocumentBody",
    "check_document",
    "check_invoice",
    "check_payment_type",
    "colombia_today",
    "match_payments",
    "tax_rates",
    "undocumented_parts",
]

MAX_BATCH_BYTES = 1_000_000
"""The largest body of ``POST /v1/invoices/batch`` (siigo-api.md §B.6: "whole body ≤ 1 MB"),
read as 10⁶ bytes: the stricter reading of "MB", so a batch that passes here is never too big."""

BOGOTA = _dt.timezone(_dt.timedelta(hours=-5), "America/Bogota")
"""Colombia's time zone (UTC−5 all year, no daylight saving)."""

SALES_PAYMENT_KINDS = frozenset({"Cartera", "CarteraProveedor"})
"""Payment-type kinds valid on documents of a customer (invoices, credit notes, cash receipts)."""

SUPPLIER_PAYMENT_KINDS = frozenset({"Proveedor", "CarteraProveedor"})
"""Payment-type kinds valid on documents of a supplier (purchases, payment receipts)."""


class DocumentBody(Protocol):
    """What the rules read of a validated document body (any kind); fields a kind lacks
    (``payments`` on a quotation, ``retentions``...) are read as absent."""

    @property
    def document(self) -> Any: ...
    @property
    def date(self) -> _dt.date: ...
    @property
    def items(self) -> Sequence[Any]: ...
    def line_inputs(self) -> list[LineInput]: ...
    def retention_ids(self) -> list[int]: ...


_ITEM_KNOWN_TYPES = ADDITIVE_TAX_TYPES | ITEM_WITHHOLDING_TYPES | SELLER_BORNE_TYPES
_RETENTION_FLAG = {"ReteIVA": "reteiva", "ReteICA": "reteica", "Autorretencion": "self_withholding"}


def colombia_today() -> _dt.date:
    """Today's date in Colombia (the date Siigo compares electronic invoices against)."""
    return _dt.datetime.now(BOGOTA).date()


def tax_rates(taxes: Mapping[int, Tax]) -> dict[int, TaxRate]:
    """The catalog entries usable by :mod:`siigo.totals` (those with a type and a percentage)."""
    return {
        tax_id: TaxRate(id=tax_id, type=tax.type, percentage=tax.percentage, name=tax.name or "")
        for tax_id, tax in taxes.items()
        if tax.type is not None and tax.percentage is not None
    }


_err = detail  # _err(code, message_id, *field_paths, **message_args): see siigo._refusals


def _usable(percentage: Decimal | None) -> bool:
    """True for a catalog percentage the totals math can use (given and finite)."""
    return percentage is not None and percentage.is_finite()


def _tax_label(tax: Tax) -> str | Term:
    if tax.name or tax.type:
        return f"{tax.id} ({tax.name or tax.type})"
    return Term(f"{tax.id} (unnamed)", f"{tax.id} (sin nombre)")


def undocumented_parts(params: object, language: str = "en") -> tuple[str, ...]:
    """What an invoice (or any object with its fields) uses whose effect on the total and on the
    payments Siigo does not document (siigo-api.md §C.4.2), one sentence each in ``language``;
    the totals of :mod:`siigo.totals` leave these out."""
    notes: list[str] = []
    advance = getattr(params, "advance_payment", None)
    if advance is not None:
        notes.append(refusal("rules.undocumented_advance", advance=format_amount(advance)).render(language))
    for field in ("global_discounts", "global_charges"):
        if getattr(params, field, None):
            notes.append(refusal("rules.undocumented_global", field=field).render(language))
    return tuple(notes)


def check_invoice(params: DocumentBody, **settings: Any) -> tuple[DocumentTotals | None, list[ErrorDetail]]:
    """:func:`check_document` for a sales invoice (kind ``FV``)."""
    return check_document(params, kind=INVOICE, **settings)


def check_document(
    params: DocumentBody,
    *,
    kind: Kind,
    document_type: DocumentType,
    taxes: Mapping[int, Tax],
    payment_types: Mapping[int, PaymentType],
    rounding: RoundingMode | None = None,
    payments_basis: PaymentsBasis | None = None,
    taxed_price_division: TaxedPriceDivision | None = None,
    price_precision: PricePrecision | None = None,
    percentage_discount: PercentageDiscount | None = None,
    today: _dt.date | None = None,
    strict_due_date: bool = False,
) -> tuple[DocumentTotals | None, list[ErrorDetail]]:
    """Check ``params`` against the company's catalogs and Siigo's totals rule.

    ``document_type`` is the entry of ``params.document.id``; ``taxes`` and ``payment_types`` map
    catalog ids to entries (ids missing from them are reported as unknown).  ``rounding``,
    ``payments_basis``, ``taxed_price_division`` and ``price_precision`` pin settings of the
    reading of the totals math (:mod:`siigo.totals`); ``None`` (the default) leaves a setting open,
    and Σ payments is accepted when it matches the amount due under **any** combination of the
    open settings' values (with the pinned ones fixed).  ``today`` defaults to today's date in
    Colombia.  ``strict_due_date`` also demands ``due_date`` on non-credit payments (what the real
    sandbox did, siigo-api.md F#16).

    The payments check is relaxed, on purpose, where Siigo's math is undocumented: it is
    **skipped** for an invoice with ``global_discounts`` or ``global_charges``; with an
    ``advance_payment`` it accepts the amount due and the amount due minus the advance; it is not
    run when a tax has no percentage or a kind the math does not know (the totals are then
    ``None``).  A document whose totals cannot be computed at all (e.g. a discount above the line
    value under every reading) is an ``invalid_amount`` error.

    Returns ``(totals, errors)``: the totals under the reading the payments match, or under the
    default reading (pinned settings first) when they match none; their ``undocumented`` names
    the fields the numbers leave out (see :func:`undocumented_parts`).  ``totals`` is ``None`` when
    they cannot be computed.  ``errors`` is empty when the invoice passes.
    """
    if document_type.id != params.document.id:
        raise ValueError(
            f"document_type is {document_type.id} but the invoice uses document.id {params.document.id}"
        )
    errors: list[ErrorDetail] = []
    computable = True

    # --- step 9: references ----------------------------------------------------------------
    if document_type.type is not None and document_type.type != kind.code:
        errors.append(
            _err(
                "invalid_document",
                "rules.document_type_other_kind",
                "document.id",
                id=document_type.id,
                type=document_type.type,
                kind=kind_term(kind),
                code=kind.code,
            )
        )
    if document_type.active is False:
        errors.append(
            _err("parameter_inactive", "rules.document_type_inactive", "document.id", id=document_type.id)
        )

    lines = params.line_inputs()  # one per item, in order: their tax ids key the check below
    # The taxes of a line that raised no error, and whether the math can use them: lines of a
    # document mostly repeat a few sets of taxes, and a set found clean once is clean again.
    clean: dict[tuple[int, ...], bool] = {}
    for i, item in enumerate(params.items):
        refs = item.taxes
        if not refs:
            continue
        ids = lines[i].tax_ids
        known = clean.get(ids)
        if known is not None:
            computable = computable and known
            continue
        found = len(errors)
        usable = True
        item_taxes: list[Tax] = []
        for j, ref in enumerate(refs):
            tax = taxes.get(ref.id)
            if tax is None:
                path = f"items[{i}].taxes[{j}].id"
                errors.append(_err("invalid_reference", "rules.tax_unknown", path, id=ref.id))
                usable = False
                continue
            if tax.active is False:
                path = f"items[{i}].taxes[{j}].id"
                errors.append(_err("parameter_inactive", "rules.tax_inactive", path, tax=_tax_label(tax)))
            item_taxes.append(tax)
        if item_taxes:
            errors.extend(_item_tax_combination(i, item_taxes))
            if usable:
                for t in item_taxes:
                    if t.type not in _ITEM_KNOWN_TYPES or not _usable(t.percentage):
                        usable = False
                        break
        computable = computable and usable
        if len(errors) == found:
            clean[ids] = usable

    for j, ref in enumerate(getattr(params, "retentions", None) or ()):
        path = f"retentions[{j}].id"
        tax = taxes.get(ref.id)
        if tax is None:
            errors.append(_err("invalid_reference", "rules.retention_unknown", path, id=ref.id))
            computable = False
            continue
        if tax.active is False:
            errors.append(_err("parameter_inactive", "rules.retention_inactive", path, tax=_tax_label(tax)))
        if tax.type not in DOCUMENT_RETENTION_TYPES:
            errors.append(
                _err("invalid_retentions", "rules.retention_kind", path, tax=_tax_label(tax), type=tax.type)
            )
            computable = False
            continue
        if not _usable(tax.percentage):
            computable = False
        flag = _RETENTION_FLAG[tax.type]
        if getattr(document_type, flag) is False:
            errors.append(
                _err(
                    "invalid_retentions",
                    "rules.retention_not_allowed",
                    path,
                    dt=document_type.id,
                    type=tax.type,
                    flag=flag,
                    id=ref.id,
                )
            )

    takes_payments = kind.payment_document_type is not None
    if takes_payments:
        errors.extend(_payment_rules(params, kind, payment_types, strict_due_date=strict_due_date))
    errors.extend(_global_adjustment_rules(params, document_type))

    # --- step 10: document type configuration ----------------------------------------------
    errors.extend(_document_settings(params, kind, document_type, today or colombia_today()))

    # --- step 11: the math -------------------------------------------------------------------
    earlier_errors = bool(errors)
    discount_type: DiscountType = "Percentage" if document_type.discount_type == "Percentage" else "Value"
    open_readings = readings(
        rounding=rounding,
        payments_basis=payments_basis,
        taxed_price_division=taxed_price_division,
        price_precision=price_precision,
        percentage_discount=percentage_discount,
    )
    # Readings are computed one at a time, default first, and only until one matches the
    # payments: a valid invoice usually costs one computation, not one per reading.
    lazily = iter_documents_by_reading(
        lines,
        taxes=tax_rates(taxes),
        retentions=params.retention_ids(),
        discount_type=discount_type,
        self_withholding_limit=document_type.self_withholding_limit,
        rounding=rounding,
        payments_basis=payments_basis,
        taxed_price_division=taxed_price_division,
        price_precision=price_precision,
        percentage_discount=percentage_discount,
    )
    # The default reading is computed before the discount rule: its lines hold each line's
    # value as Siigo shows it under that reading, the first bound the rule compares against.
    first: tuple[Reading, DocumentTotals | ValueError] | None = None
    failure: ValueError | ArithmeticError | None = None
    if computable:
        try:
            first = next(lazily, None)
        except (ValueError, ArithmeticError) as exc:
            failure = exc  # reported below, after the discount rule, as before
    shown = None
    if first is not None and isinstance(first[1], DocumentTotals) and discount_type == "Value":
        shown = [line.gross for line in first[1].lines]
    discount_errors = _discount_rules(params, discount_type, taxes, open_readings, lines, shown)
    noun = kind_term(kind)
    errors.extend(discount_errors)
    if not computable or discount_errors:
        return None, errors

    def replayed() -> Iterator[tuple[Reading, DocumentTotals | ValueError]]:
        if failure is not None:
            raise failure
        if first is not None:
            yield first
        yield from lazily

    pending = replayed()
    notes = undocumented_parts(params)
    documents: list[DocumentTotals] = []

    def following() -> DocumentTotals | None:
        """The next computable reading's totals, or ``None`` when every reading was seen."""
        first_error: ValueError | None = None
        for _, document in pending:
            if isinstance(document, ValueError):
                first_error = first_error or document
                continue
            document = dataclasses.replace(document, undocumented=notes) if notes else document
            documents.append(document)
            return document
        if not documents and first_error is not None:
            raise first_error
        return None

    try:
        default = following()
    except UnsupportedTaxError as exc:
        errors.append(_err("invalid_array", "rules.totals_uncomputable", "items", kind=noun, reason=str(exc)))
        return None, errors
    except (ValueError, ArithmeticError) as exc:
        reason = str(exc) or type(exc).__name__
        errors.append(_err("invalid_amount", "rules.totals_uncomputable", "items", kind=noun, reason=reason))
        return None, errors
    assert default is not None
    advance: Decimal | None = getattr(params, "advance_payment", None)
    if advance is not None and advance > default.total:
        errors.append(
            _err(
                "invalid_amount",
                "rules.advance_above_total",
                "advance_payment",
                advance=format_amount(advance),
                kind=noun,
                total=format_amount(default.total),
            )
        )
    if earlier_errors or not takes_payments:
        return default, errors  # Siigo stops before the math; the totals are still reported
    if getattr(params, "global_discounts", None) or getattr(params, "global_charges", None):
        return default, errors  # undocumented math: never guess, never reject (see the docstring)

    paid = round2(sum((p.value for p in getattr(params, "payments", None) or ()), Decimal(0)))
    matched = match_payments(paid, default, following, advance=advance)
    if matched is not None:
        return matched, errors
    errors.append(
        _err(
            "invalid_total_payments",
            "rules.total_payments",
            "payments",
            expected=format_amount(default.amount_due),
            paid=format_amount(paid),
        )
    )
    return default, errors


def match_payments(
    paid: Decimal,
    first: DocumentTotals,
    following: Callable[[], DocumentTotals | None],
    *,
    advance: Decimal | None = None,
) -> DocumentTotals | None:
    """The first reading of the totals whose amount due Σ payments (``paid``, 2 decimals)
    equals, or ``None`` when none does.

    ``first`` is the totals under the default reading; ``following()`` gives the next reading's
    (``None`` when every open reading was seen), so a matching document usually costs one
    computation.  With an ``advance`` the amount due minus the advance is accepted too
    (§C.4.2 leaves it open).  Every kind with payments is matched here.
    """
    document: DocumentTotals | None = first
    while document is not None:
        candidates = [document.amount_due]
        if advance is not None:
            candidates.append(document.amount_due - advance)
        if any(round2(amount) == paid for amount in candidates):
            return document
        try:
            document = following()
        except (ValueError, ArithmeticError):
            document = None
    return None


def _item_tax_combination(i: int, item_taxes: list[Tax]) -> list[ErrorDetail]:
    if len(item_taxes) == 1 and item_taxes[0].type not in ("ReteIVA", "ReteICA"):
        return []  # one tax: only a document-level withholding is out of place
    errors: list[ErrorDetail] = []
    path = f"items[{i}].taxes"
    kinds = [t.type for t in item_taxes if t.type]
    for kind in ("ReteIVA", "ReteICA"):
        if kind in kinds:
            errors.append(_err("invalid_array", "rules.retention_as_item_tax", path, type=kind))
    repeated = sorted({k for k in kinds if kinds.count(k) > 1})
    if repeated:
        errors.append(_err("invalid_array", "rules.item_tax_type_twice", path, types=", ".join(repeated)))
    if "IVA" in kinds and "AdValorem" in kinds:
        errors.append(_err("invalid_array", "rules.item_iva_and_advalorem", path))
    return errors


def check_payment_type(
    kind: Kind,
    payment_id: int,
    path: str,
    payment_types: Mapping[int, PaymentType],
    errors: list[ErrorDetail],
) -> tuple[PaymentType, str] | None:
    """The rules every document's payment type follows, whatever the kind: it exists (else
    ``None``), is active, and is of the kind's side (sales or suppliers).  Problems are appended
    to ``errors``; the entry is returned with the label the refusals name it by."""
    entry = payment_types.get(payment_id)
    if entry is None:
        errors.append(
            _err(
                "invalid_reference",
                "rules.payment_type_unknown",
                path,
                id=payment_id,
                document_type=kind.payment_document_type,
            )
        )
        return None
    label = f"{payment_id} ({entry.name})" if entry.name else str(payment_id)
    if entry.active is False:
        errors.append(_err("parameter_inactive", "rules.payment_type_inactive", path, label=label))
    allowed = SALES_PAYMENT_KINDS if kind.third_party == "customer" else SUPPLIER_PAYMENT_KINDS
    if entry.type is not None and entry.type not in allowed:
        errors.append(
            _err(
                "invalid_payment",
                "rules.payment_type_other_side",
                path,
                label=label,
                type=entry.type,
                kinds=kind_term(kind, plural=True),
                allowed=either(sorted(allowed)),
            )
        )
    return entry, label


def _payment_rules(
    params: DocumentBody, kind: Kind, payment_types: Mapping[int, PaymentType], *, strict_due_date: bool
) -> list[ErrorDetail]:
    errors: list[ErrorDetail] = []
    credit: list[int] = []
    payments = getattr(params, "payments", None) or []
    for k, payment in enumerate(payments):
        path = f"payments[{k}].id"
        found = check_payment_type(kind, payment.id, path, payment_types, errors)
        if found is None:
            continue
        entry, label = found
        if entry.due_date:
            credit.append(k)
            if payment.due_date is None:
                errors.append(
                    _err(
                        "parameter_required",
                        "rules.due_date_for_credit",
                        f"payments[{k}].due_date",
                        k=k,
                        label=label,
                    )
                )
        elif strict_due_date and payment.due_date is None:
            errors.append(
                _err("parameter_required", "rules.due_date_required", f"payments[{k}].due_date", k=k)
            )
    if credit and len(payments) > 1:
        errors.append(_err("invalid_array", "rules.credit_payment_alone", "payments", kind=kind_term(kind)))
    return errors


def _global_adjustment_rules(params: DocumentBody, document_type: DocumentType) -> list[ErrorDetail]:
    errors: list[ErrorDetail] = []
    for field, configured in (
        ("global_discounts", document_type.global_discounts),
        ("global_charges", document_type.global_charges),
    ):
        if configured is None:
            continue  # the catalog did not say: nothing to check against
        by_id = {entry.id: entry for entry in configured}
        for k, adjustment in enumerate(getattr(params, field, None) or ()):
            path = f"{field}[{k}].id"
            entry = by_id.get(adjustment.id)
            if entry is None:
                errors.append(
                    _err(
                        "invalid_reference",
                        "rules.adjustment_unknown",
                        path,
                        id=adjustment.id,
                        field=field,
                        dt=document_type.id,
                    )
                )
            elif entry.active is False:
                errors.append(
                    _err(
                        "parameter_inactive", "rules.adjustment_inactive", path, field=field, id=adjustment.id
                    )
                )
    return errors


def _document_settings(
    params: DocumentBody, kind: Kind, document_type: DocumentType, today: _dt.date
) -> list[ErrorDetail]:
    errors: list[ErrorDetail] = []
    dt = document_type.id
    seller_by_item = document_type.seller_by_item
    no_customer = document_type.customer_by_item is False
    no_transport = document_type.cargo_transportation is False
    # The settings that bear on items, read once; a type with none of them skips the items.
    if seller_by_item is not None or no_customer or no_transport:
        for i, item in enumerate(params.items):
            if seller_by_item and item.seller is None:
                errors.append(
                    _err("document_settings", "rules.seller_required", f"items[{i}].seller", dt=dt, i=i)
                )
            elif seller_by_item is False and item.seller is not None:
                errors.append(
                    _err("document_settings", "rules.seller_not_used", f"items[{i}].seller", dt=dt, i=i)
                )
            if no_customer and getattr(item, "customer", None) is not None:
                errors.append(
                    _err("document_settings", "rules.customer_by_item", f"items[{i}].customer", dt=dt, i=i)
                )
            if no_transport and getattr(item, "transport", None) is not None:
                errors.append(
                    _err("document_settings", "rules.transport_not_used", f"items[{i}].transport", dt=dt, i=i)
                )
    cost_center = getattr(params, "cost_center", None)
    healthcare = getattr(params, "healthcare_company", None)
    number = getattr(params, "number", None)
    advance = getattr(params, "advance_payment", None)
    if document_type.cost_center_mandatory and cost_center is None:
        errors.append(_err("document_settings", "rules.cost_center_required", "cost_center", dt=dt))
    if document_type.healthcare_company and healthcare is None and kind is INVOICE:
        errors.append(_err("parameter_required", "rules.healthcare_required", "healthcare_company", dt=dt))
    elif document_type.healthcare_company is False and healthcare is not None:
        errors.append(_err("document_settings", "rules.healthcare_not_used", "healthcare_company", dt=dt))
    if document_type.automatic_number is False and number is None:
        if document_type.consecutive:
            errors.append(
                _err(
                    "parameter_required",
                    "rules.number_required_next",
                    "number",
                    dt=dt,
                    next=document_type.consecutive,
                )
            )
        else:
            errors.append(_err("parameter_required", "rules.number_required", "number", dt=dt))
    elif document_type.automatic_number and number is not None:
        errors.append(
            _err(
                "document_settings",
                "rules.number_automatic",
                "number",
                dt=dt,
                kinds=kind_term(kind, plural=True),
            )
        )
    if advance is not None and document_type.advance_payment is False:
        errors.append(_err("document_settings", "rules.advance_not_allowed", "advance_payment", dt=dt))
    if document_type.is_electronic and params.date < today:
        errors.append(
            _err(
                "invalid_date",
                "rules.date_in_the_past",
                "date",
                date=params.date.isoformat(),
                today=today.isoformat(),
                kinds=kind_term(kind, plural=True),
            )
        )
    return errors


def _discount_rules(
    params: DocumentBody,
    discount_type: DiscountType,
    taxes: Mapping[int, Tax],
    open_readings: list[Reading],
    lines: Sequence[LineInput] | None = None,
    shown: Sequence[Decimal] | None = None,
) -> list[ErrorDetail]:
    """A ``Percentage`` discount above 100, or a ``Value`` discount above the line's *exact*
    value (quantity × unit price before tax, not rounded) under every open reading.

    ``lines`` are ``params.line_inputs()`` when the caller has them; ``shown`` each line's
    value as Siigo shows it under the first open reading (``LineTotals.gross`` of the totals
    computed under it), so that a discount within it is accepted without computing it again."""
    errors: list[ErrorDetail] = []
    for i, item in enumerate(params.items):
        if not item.discount:
            continue
        if discount_type == "Percentage":
            if item.discount > 100:
                errors.append(
                    _err(
                        "invalid_amount",
                        "rules.discount_percentage",
                        f"items[{i}].discount",
                        i=i,
                        discount=item.discount,
                    )
                )
            continue
        known = lines[i] if lines is not None else None
        if shown is not None and known is not None and not known.tax_included and item.discount <= shown[i]:
            continue  # within the line's value under the first reading: nothing to refuse
        iva = [
            taxes[ref.id].percentage
            for ref in item.taxes or ()
            if ref.id in taxes and taxes[ref.id].type == "IVA"
        ]
        # The rule reads the price as sent, also on a line whose price includes the tax.
        line = known if known is not None and not known.tax_included else item.line_input()
        try:
            rate = sum((p for p in iva if p is not None), Decimal(0))
            # Refused only when no reading leaves room for it (stops at the first that does).
            too_big = all(item.discount > _shown_line_value(line, rate, reading) for reading in open_readings)
        except (ValueError, ArithmeticError):
            continue  # a catalog percentage the math cannot use: reported by the totals step
        if too_big:
            errors.append(
                _err(
                    "invalid_amount",
                    "rules.discount_above_line",
                    f"items[{i}].discount",
                    i=i,
                    discount=format_amount(item.discount),
                    value=format_amount(_shown_line_value(line, rate, open_readings[0])),
                )
            )
    return errors


def _shown_line_value(line: LineInput, iva_percentage: Decimal, reading: Reading) -> Decimal:
    """A line's value before discount and tax as Siigo shows it (2 decimals), under ``reading``:
    the most a ``Value`` discount may be."""
    exact = line_value(
        line,
        iva_percentage=iva_percentage,
        rounding=reading.rounding,
        taxed_price_division=reading.taxed_price_division,
        price_precision=reading.price_precision,
    )
    return round2(exact, reading.rounding)
