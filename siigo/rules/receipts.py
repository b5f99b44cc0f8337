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

from ..errors import ErrorDetail
from ..kinds import Kind
from ..models.catalogs import DocumentType, PaymentType, Tax
from ..totals import format_amount
from .documents import SALES_PAYMENT_KINDS, SUPPLIER_PAYMENT_KINDS

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


def _err(code: str, message: str, *params: str) -> ErrorDetail:
    return ErrorDetail(code, message, tuple(params))


def _due_label(due: Any) -> str:
    return f"{due.prefix}-{due.consecutive} installment {due.quote}"


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
    noun = f"a {kind_type} {kind.name}"
    if payment is not None and payments:
        errors.append(_err("parameters_exclusive", "send either payment or payments, not both", "payments"))
    if kind_type == "Detailed":
        if has_payment:
            errors.append(
                _err(
                    "invalid_payment",
                    f"not allowed: {noun} carries no payment, its lines are the movements",
                    "payment",
                )
            )
        if not items:
            errors.append(_err("invalid_array", f"{noun} needs its accounting lines in items", "items"))
        for i, item in enumerate(items or ()):
            if item.account is None:
                errors.append(
                    _err(
                        "parameter_required",
                        "required on a Detailed line (the ledger account and its movement)",
                        f"items[{i}].account",
                    )
                )
        return errors
    if not has_payment:
        errors.append(
            _err("parameter_required", f"required on a {kind_type} {kind.name}: how it was paid", "payment")
        )
    if kind_type == "DebtPayment":
        if not items:
            errors.append(_err("invalid_array", f"{noun} needs items: the dues it pays", "items"))
        for i, item in enumerate(items or ()):
            if item.due is None:
                errors.append(
                    _err(
                        "parameter_required",
                        "required: a DebtPayment line pays a due",
                        f"items[{i}].due",
                    )
                )
    elif kind_type == "AdvancePayment" and items:
        errors.append(
            _err("invalid_array", f"not allowed: {noun} is money on account, it has no items", "items")
        )
    elif kind_type == "MiscIncome" and getattr(body, "income", None) is None:
        errors.append(
            _err(
                "parameter_required",
                "required on a MiscIncome cash receipt (an income concept of GET /v1/misc-incomes)",
                "income",
            )
        )
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
                    f"{_due_label(due)} is already paid in items[{seen[key]}]: the same due cannot "
                    "appear twice",
                    f"items[{i}].due",
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
                f"The document type {dt} is of type {document_type.type}; a {kind.name} needs an "
                f"{kind.code} document type (GET /v1/document-types?type={kind.code})",
                "document.id",
            )
        )
    if document_type.active is False:
        errors.append(_err("parameter_inactive", f"The document type {dt} is inactive", "document.id"))
    if document_type.automatic_number is False and body.number is None:
        errors.append(
            _err(
                "parameter_required",
                f"The field number is required: document type {dt} uses manual numbering",
                "number",
            )
        )
    elif document_type.automatic_number and body.number is not None:
        errors.append(
            _err(
                "document_settings",
                f"The document type {dt} numbers {kind.name}s automatically: remove number",
                "number",
            )
        )
    if document_type.cost_center_mandatory and body.cost_center is None:
        errors.append(
            _err("document_settings", f"The document type {dt} requires a cost_center", "cost_center")
        )

    allowed = SALES_PAYMENT_KINDS if kind.third_party == "customer" else SUPPLIER_PAYMENT_KINDS
    payments = list(getattr(body, "payments", None) or ())
    paths = [f"payments[{k}].id" for k in range(len(payments))]
    if body.payment is not None:
        payments, paths = [body.payment], ["payment.id"]
    for payment, path in zip(payments, paths, strict=True):
        entry = payment_types.get(payment.id)
        if entry is None:
            errors.append(
                _err(
                    "invalid_reference",
                    f"The payment type {payment.id} does not exist "
                    f"(see GET /v1/payment-types?document_type={kind.payment_document_type})",
                    path,
                )
            )
            continue
        label = f"{payment.id} ({entry.name})" if entry.name else str(payment.id)
        if entry.active is False:
            errors.append(_err("parameter_inactive", f"The payment type {label} is inactive", path))
        if entry.type is not None and entry.type not in allowed:
            errors.append(
                _err(
                    "invalid_payment",
                    f"The payment type {label} is of type {entry.type}; {kind.name}s take "
                    f"{' or '.join(sorted(allowed))} payment types",
                    path,
                )
            )
        if entry.due_date:
            errors.append(
                _err(
                    "invalid_payment",
                    f"The payment type {label} is a credit type (it has due dates); a {kind.name} is "
                    "paid with a payment type whose account has no due dates",
                    path,
                )
            )
    for i, item in enumerate(body.items or ()):
        for j, ref in enumerate(item.taxes or ()):
            tax = taxes.get(ref.id)
            path = f"items[{i}].taxes[{j}].id"
            if tax is None:
                errors.append(
                    _err("invalid_reference", f"The tax {ref.id} does not exist (see GET /v1/taxes)", path)
                )
            elif tax.active is False:
                errors.append(_err("parameter_inactive", f"The tax {ref.id} ({tax.name}) is inactive", path))
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
    wanted = " or ".join(format_amount(a) for a in sorted(accepted, reverse=True))
    return [
        _err(
            "invalid_total_payments",
            f"The payment ({format_amount(paid)}) must equal what the items pay ({wanted}, "
            "the sum of their values, less their discounts)",
            "payment.value",
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
    owner = "customer" if kind.third_party == "customer" else "supplier"
    if found is None or found.get("side") != side:
        return [
            _err(
                "invalid_value",
                f"The due {_due_label(due)} does not exist: no open {side} installment has that "
                "prefix, consecutive and quote",
                path,
            )
        ]
    holder = found.get("third_party") or {}
    mine = (str(holder.get("identification")), int(holder.get("branch_office") or 0))
    theirs = (third_party.identification, third_party.branch_office)
    if mine != theirs:
        return [
            _err(
                "invalid_value",
                f"The due {_due_label(due)} belongs to another {owner} ({mine[0]}, branch office "
                f"{mine[1]}), not to {theirs[0]}",
                path,
            )
        ]
    balance = Decimal(found["balance"])
    if item.value > balance:
        return [
            _err(
                "invalid_amount",
                f"items[{i}].value ({format_amount(item.value)}) is more than the balance of "
                f"{_due_label(due)} ({format_amount(balance)})",
                f"items[{i}].value",
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


def check_spread(amount: Decimal | None, open_: Sequence[Installment], label: str) -> list[ErrorDetail]:
    """An amount to pay on a document: above 0, at most what is still owed on it."""
    owed = sum((i.balance for i in open_), ZERO)
    if owed <= 0:
        return [_err("invalid_amount", f"{label} owes nothing: its balance is 0", "amount")]
    if amount is None:
        return []
    if not amount.is_finite() or amount <= 0 or amount != round(amount, 2):
        return [
            _err("invalid_amount", f"amount must be above 0 with at most 2 decimals, got {amount}", "amount")
        ]
    if amount > owed:
        return [
            _err(
                "invalid_amount",
                f"amount {format_amount(amount)} is more than what {label} still owes ({format_amount(owed)})",
                "amount",
            )
        ]
    return []
