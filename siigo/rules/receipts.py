"""What is a receipt's own (cash receipts ``RC`` and payment receipts ``RP``; siigo-api.md §B.11,
§B.12, §C.10, §C.11, §E.3), shared by the SDK (the request models, the preflight, the helpers that
build a receipt for a document) and by the sandbox.

* :func:`check_shape` — the rules of ``type``, run whenever a body is built: a ``DebtPayment``
  has items, each naming a due, and a ``payment`` (``invalid_array``, ``parameter_required``); an
  ``AdvancePayment`` has no items (``invalid_array``); a ``MiscIncome`` names its ``income``
  (``parameter_required``); a ``Detailed`` receipt carries no ``payment`` (``invalid_payment``)
  and its lines name an account; the same due never appears twice (``invalid_array``).
* :func:`check_receipt` — the rules that need the company's catalogs: the document type is an
  active one of the kind and its numbering and cost-center settings are followed, the payment
  type exists, is active, is of the kind's side and is not a credit type (``invalid_payment``:
  "a payment type whose account has no due dates"), item taxes exist.  Then, leniently, the
  payment against the lines (:func:`check_payment_total`).
* :func:`check_due` — one line against the installment it names (sandbox): it exists on the
  kind's side (``invalid_value``: Siigo's code for a wrong consecutive or due), belongs to the
  receipt's third party (``invalid_value``) and is not paid beyond its balance
  (``invalid_amount``).
* :func:`installments` and :func:`spread` — a document's installments from its credit payments
  and its ``balance``, and an amount spread over them in installment order.

Where Siigo does not document a rule it is not enforced locally: Siigo says nothing of how
``payment.value`` relates to the items, so :func:`check_payment_total` only refuses a
``DebtPayment`` without item taxes whose payment is neither Σ values nor Σ values − Σ discounts.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from .._refusals import Term, detail, either, kind_term, refusal, term
from ..errors import ErrorDetail
from ..kinds import Kind
from ..models.catalogs import DocumentType, PaymentType, Tax
from ..totals import format_amount
from .documents import check_payment_type

__all__ = [
    "Installment",
    "check_due",
    "check_payment_total",
    "check_receipt",
    "check_shape",
    "check_spread",
    "installments",
    "spread",
]

ZERO = Decimal(0)


_err = detail  # _err(code, message_id, *field_paths, **message_args)

_SIDES = {"receivable": term("receivable", "por cobrar"), "payable": term("payable", "por pagar")}
_OWNERS = {"customer": term("customer", "cliente"), "supplier": term("supplier", "proveedor")}


def _due_label(due: Any) -> Any:
    return refusal("receipts.due_label", prefix=due.prefix, consecutive=due.consecutive, quote=due.quote)


# --- the rules of type -------------------------------------------------------------------------


def check_shape(body: Any, kind: Kind) -> list[ErrorDetail]:
    """The rules of the receipt's ``type`` (``body`` a cash or payment receipt body).  The
    messages follow the field they name (the request models report them as
    ``The field <path>: <message>``)."""
    errors: list[ErrorDetail] = []
    kind_type = body.type
    items: Sequence[Any] | None = body.items
    payment = body.payment
    payments = getattr(body, "payments", None)
    has_payment = payment is not None or bool(payments)
    noun = {"type": kind_type, "kind": kind_term(kind)}
    if payment is not None and payments:
        errors.append(_err("parameters_exclusive", "receipts.payment_or_payments", "payments"))
    if kind_type == "Detailed":
        if has_payment:
            errors.append(_err("invalid_payment", "receipts.detailed_no_payment", "payment", **noun))
        if not items:
            errors.append(_err("invalid_array", "receipts.detailed_needs_lines", "items", **noun))
        for i, item in enumerate(items or ()):
            if item.account is None:
                errors.append(
                    _err("parameter_required", "receipts.detailed_line_account", f"items[{i}].account")
                )
        return errors
    if not has_payment:
        errors.append(_err("parameter_required", "receipts.payment_required", "payment", **noun))
    if kind_type == "DebtPayment":
        if not items:
            errors.append(_err("invalid_array", "receipts.debt_needs_items", "items", **noun))
        for i, item in enumerate(items or ()):
            if item.due is None:
                errors.append(_err("parameter_required", "receipts.debt_line_due", f"items[{i}].due"))
    elif kind_type == "AdvancePayment" and items:
        errors.append(_err("invalid_array", "receipts.advance_no_items", "items", **noun))
    elif kind_type == "MiscIncome" and getattr(body, "income", None) is None:
        errors.append(_err("parameter_required", "receipts.misc_income_required", "income"))
    seen: dict[tuple[str, int, int], int] = {}
    for i, item in enumerate(items or ()):
        due = item.due
        if due is None:
            continue
        key = (due.prefix, due.consecutive, due.quote)
        if key in seen:
            errors.append(
                _err(
                    "invalid_array",
                    "receipts.due_twice",
                    f"items[{i}].due",
                    due=_due_label(due),
                    first=seen[key],
                )
            )
        else:
            seen[key] = i
    return errors


# --- the rules of the catalogs -----------------------------------------------------------------


def check_receipt(
    body: Any,
    *,
    kind: Kind,
    document_type: DocumentType,
    payment_types: Mapping[int, PaymentType],
    taxes: Mapping[int, Tax],
) -> list[ErrorDetail]:
    """The catalog rules of a receipt (see the module docstring); every problem found."""
    errors: list[ErrorDetail] = []
    dt = document_type.id
    if document_type.type is not None and document_type.type != kind.code:
        errors.append(
            _err(
                "invalid_document",
                "rules.document_type_other_kind",
                "document.id",
                id=dt,
                type=document_type.type,
                kind=kind_term(kind),
                code=kind.code,
            )
        )
    if document_type.active is False:
        errors.append(_err("parameter_inactive", "rules.document_type_inactive", "document.id", id=dt))
    if document_type.automatic_number is False and body.number is None:
        errors.append(_err("parameter_required", "rules.number_required", "number", dt=dt))
    elif document_type.automatic_number and body.number is not None:
        errors.append(
            _err(
                "document_settings",
                "rules.number_automatic",
                "number",
                dt=dt,
                kinds=kind_term(kind, plural=True),
            )
        )
    if document_type.cost_center_mandatory and body.cost_center is None:
        errors.append(_err("document_settings", "rules.cost_center_required", "cost_center", dt=dt))

    payments = list(getattr(body, "payments", None) or ())
    paths = [f"payments[{k}].id" for k in range(len(payments))]
    if body.payment is not None:
        payments, paths = [body.payment], ["payment.id"]
    for payment, path in zip(payments, paths, strict=True):
        found = check_payment_type(kind, payment.id, path, payment_types, errors)
        if found is None:
            continue
        entry, label = found
        if entry.due_date:
            errors.append(
                _err(
                    "invalid_payment", "receipts.payment_type_credit", path, label=label, kind=kind_term(kind)
                )
            )
    for i, item in enumerate(body.items or ()):
        for j, ref in enumerate(item.taxes or ()):
            tax = taxes.get(ref.id)
            path = f"items[{i}].taxes[{j}].id"
            if tax is None:
                errors.append(_err("invalid_reference", "rules.tax_unknown", path, id=ref.id))
            elif tax.active is False:
                errors.append(
                    _err("parameter_inactive", "rules.tax_inactive", path, tax=f"{ref.id} ({tax.name})")
                )
    if not errors:
        errors.extend(check_payment_total(body))
    return errors


def check_payment_total(body: Any) -> list[ErrorDetail]:
    """A ``DebtPayment`` whose payment is neither Σ ``items[].value`` nor that minus Σ discounts
    (only when no line has tax adjustments, whose effect Siigo does not document)."""
    if body.type != "DebtPayment" or not body.items or any(item.taxes for item in body.items):
        return []
    paid = body.payments_total()
    applied = body.items_total()
    accepted = {applied, applied - body.discounts_total()}
    if paid in accepted:
        return []
    wanted = either([format_amount(a) for a in sorted(accepted, reverse=True)])
    return [
        _err(
            "invalid_total_payments",
            "receipts.payment_total",
            "payment.value",
            paid=format_amount(paid),
            wanted=wanted,
        )
    ]


# --- one line against its due (the sandbox) ----------------------------------------------------


def check_due(
    i: int,
    item: Any,
    found: Mapping[str, Any] | None,
    *,
    kind: Kind,
    side: str,
    third_party: Any,
) -> list[ErrorDetail]:
    """``items[i]`` against the installment it names (``found``: the ledger's due, or ``None``);
    ``side`` is the side the kind pays (``receivable`` or ``payable``)."""
    due = item.due
    path = f"items[{i}].due"
    owner = _OWNERS["customer" if kind.third_party == "customer" else "supplier"]
    if found is None or found.get("side") != side:
        return [
            _err(
                "invalid_value",
                "receipts.due_unknown",
                path,
                due=_due_label(due),
                side=_SIDES.get(side, side),
            )
        ]
    holder = found.get("third_party") or {}
    mine = (str(holder.get("identification")), int(holder.get("branch_office") or 0))
    theirs = (third_party.identification, third_party.branch_office)
    if mine != theirs:
        return [
            _err(
                "invalid_value",
                "receipts.due_other_party",
                path,
                due=_due_label(due),
                owner=owner,
                identification=mine[0],
                branch_office=mine[1],
                theirs=theirs[0],
            )
        ]
    balance = Decimal(found["balance"])
    if item.value > balance:
        return [
            _err(
                "invalid_amount",
                "receipts.due_overpaid",
                f"items[{i}].value",
                i=i,
                value=format_amount(item.value),
                due=_due_label(due),
                balance=format_amount(balance),
            )
        ]
    return []


# --- a document's installments -----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Installment:
    """One installment of a document: what a receipt line names (``prefix``, ``consecutive``,
    ``quote``, ``date``), what it was (``value``) and what is left of it (``balance``)."""

    prefix: str
    consecutive: int
    quote: int
    date: _dt.date
    value: Decimal
    balance: Decimal

    def due(self) -> dict[str, Any]:
        """The ``due`` of a receipt line that pays this installment."""
        return {
            "prefix": self.prefix,
            "consecutive": self.consecutive,
            "quote": self.quote,
            "date": self.date,
        }


def installments(
    *,
    prefix: str,
    number: int,
    date: _dt.date,
    credit_payments: Iterable[tuple[Decimal, _dt.date | None]],
    balance: Decimal,
) -> list[Installment]:
    """A document's installments: one per credit payment (``(value, due_date)`` in the order of
    its payments), numbered 1..n, dated by their due date (else the document's).  Siigo tells
    only the document's ``balance``, so what was paid is taken from the installments in order
    (the first is paid first), which is how receipts and credit notes pay them down."""
    rows = list(credit_payments)
    paid = sum((value for value, _ in rows), ZERO) - balance
    found: list[Installment] = []
    for quote, (value, due_date) in enumerate(rows, start=1):
        taken = min(value, max(paid, ZERO))
        paid -= taken
        found.append(Installment(prefix, number, quote, due_date or date, value, value - taken))
    return found


def spread(amount: Decimal | None, open_: Sequence[Installment]) -> list[tuple[Installment, Decimal]]:
    """``amount`` (``None``: everything still owed) paid over the installments in order, each
    up to its balance; installments left untouched are not listed."""
    left = sum((i.balance for i in open_), ZERO) if amount is None else amount
    paid: list[tuple[Installment, Decimal]] = []
    for entry in open_:
        if left <= 0:
            break
        take = min(entry.balance, left)
        if take > 0:
            paid.append((entry, take))
            left -= take
    return paid


def check_spread(
    amount: Decimal | None, open_: Sequence[Installment], label: str | Term
) -> list[ErrorDetail]:
    """An amount to pay on a document (``label``: the document, as a refusal names it): above
    0, at most what is still owed on it."""
    owed = sum((i.balance for i in open_), ZERO)
    if owed <= 0:
        return [_err("invalid_amount", "receipts.owes_nothing", "amount", label=label)]
    if amount is None:
        return []
    if not amount.is_finite() or amount <= 0 or amount != round(amount, 2):
        return [_err("invalid_amount", "receipts.amount_invalid", "amount", value=amount)]
    if amount > owed:
        return [
            _err(
                "invalid_amount",
                "receipts.amount_above_owed",
                "amount",
                amount=format_amount(amount),
                label=label,
                owed=format_amount(owed),
            )
        ]
    return []
