"""Cash receipts (recibos de caja, kind ``RC``: ``/v1/vouchers``) and payment receipts (recibos
de pago or egresos, kind ``RP``: ``/v1/payment-receipts``) (siigo-api.md §B.11, §B.12, §C.10,
§C.11, §D.11).

A receipt records money that comes in from a customer (``RC``) or goes out to a supplier
(``RP``).  Its ``type`` says what the money is for:

* ``DebtPayment`` pays installments (dues) the third party owes or is owed: ``items`` name each
  due (``{prefix, consecutive, quote, date}``, e.g. installment 1 of invoice ``FV-1-1043``) and
  the ``value`` paid on it;
* ``AdvancePayment`` is money on account, without items;
* ``MiscIncome`` (cash receipts only) is other income, ``income`` says which concept;
* ``Detailed`` (legacy for cash receipts) is free accounting lines and carries no ``payment``.

``payment`` is a single object ``{id, value}`` (a payment type read with the kind's
``payment_document_type``: ``RC`` for cash receipts, ``FC`` for payment receipts).  The rules
that depend on ``type`` are :func:`siigo.rules.receipts.check_shape`, run whenever a body is
built; those that need the company's catalogs run in the preflight and in the sandbox.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import ValidationError as CoreValidationError

from ._base import Amount, DateParam, RequestModel, ResponseModel, rule_error
from .common import CustomerRef, IdName, IdRef, Metadata, to_int
from .documents import (
    CatalogId,
    Currency,
    CurrencyParam,
    DocumentCustomer,
    OptionalDate,
    OptionalDecimal,
    OptionalInt,
    OptionalRef,
    Stamp,
)

__all__ = [
    "RECEIPT_TYPES",
    "AccountMovement",
    "AccountMovementParam",
    "DueParam",
    "Movement",
    "PaymentReceipt",
    "PaymentReceiptCreateParams",
    "PaymentReceiptType",
    "PaymentReceiptUpdateParams",
    "Receipt",
    "ReceiptDiscount",
    "ReceiptDiscountParam",
    "ReceiptDue",
    "ReceiptItem",
    "ReceiptItemParam",
    "ReceiptPayment",
    "ReceiptPaymentParam",
    "ReceiptProductParam",
    "ReceiptTax",
    "ReceiptTaxParam",
    "Voucher",
    "VoucherCreateParams",
    "VoucherType",
]

VoucherType = Literal["DebtPayment", "AdvancePayment", "MiscIncome", "Detailed"]
"""``type`` of a cash receipt (``Detailed`` is the legacy free-lines shape, §B.11 ⚠️)."""

PaymentReceiptType = Literal["DebtPayment", "AdvancePayment", "Detailed"]
"""``type`` of a payment receipt."""

RECEIPT_TYPES: dict[str, str] = {
    "DebtPayment": "pays installments (dues) of invoices or purchases named in items",
    "AdvancePayment": "money on account, without items",
    "MiscIncome": "other income (cash receipts only), income names the concept",
    "Detailed": "free accounting lines in items, without payment",
}
"""What each receipt ``type`` means."""

Movement = Literal["Debit", "Credit"]

_Positive = Annotated[int, BeforeValidator(to_int), Field(gt=0)]


# --- request parts -----------------------------------------------------------------------------


class DueParam(RequestModel):
    """An installment: ``prefix`` of the document type that opened it (``"FV-1"``, ``"FC-1"``),
    ``consecutive`` the document's number, ``quote`` the installment number (1, 2...),
    ``date`` its due date."""

    prefix: Annotated[str, Field(min_length=1, max_length=20)]
    consecutive: _Positive
    quote: _Positive
    date: DateParam


class ReceiptTaxParam(RequestModel):
    """A tax adjustment on a due (typically a withholding practised at payment time): the tax
    ``id`` (``GET /v1/taxes``) and the ``base`` it applies to."""

    id: CatalogId
    base: Amount


class ReceiptDiscountParam(RequestModel):
    """A discount on a due: ``id`` from ``GET /v1/expenses`` and its ``value``."""

    id: CatalogId
    value: Amount


class AccountMovementParam(RequestModel):
    """A ledger account and the side of a ``Detailed`` line."""

    code: Annotated[str, Field(min_length=1, max_length=20), BeforeValidator(lambda v: str(v))]
    movement: Movement


class ReceiptProductParam(RequestModel):
    """The product of a ``Detailed`` payment-receipt line on an inventory account."""

    code: Annotated[str, Field(min_length=1)]
    warehouse: CatalogId | None = None
    quantity: Amount | None = None


class ReceiptItemParam(RequestModel):
    """One line of a receipt.  A ``DebtPayment`` line is a ``due`` and the ``value`` paid on it
    (with optional ``taxes`` and ``discounts``); a ``Detailed`` line is an ``account`` with its
    ``movement``, a ``description`` and a ``value`` (the parts ``due``, ``tax``, ``fixed_asset``,
    ``product``, ``customer`` and ``cost_center`` are optional there)."""

    due: DueParam | None = None
    value: Amount
    taxes: list[ReceiptTaxParam] | None = None
    discounts: list[ReceiptDiscountParam] | None = None
    account: AccountMovementParam | None = None
    tax: IdRef | None = None
    fixed_asset: IdRef | None = None
    product: ReceiptProductParam | None = None
    customer: CustomerRef | None = None
    cost_center: CatalogId | None = None
    description: Annotated[str, Field(max_length=500)] | None = None


class ReceiptPaymentParam(RequestModel):
    """``payment``: the payment type ``id`` and the ``value`` received or paid (2 decimals)."""

    id: CatalogId
    value: Amount


def _shape(model: Any, kind_code: str) -> None:
    """Raise the type rules of :func:`siigo.rules.receipts.check_shape` as one error, each
    problem at its field."""
    from ..kinds import KINDS
    from ..rules.receipts import check_shape

    problems = check_shape(model, KINDS[kind_code])
    if not problems:
        return
    raise CoreValidationError.from_exception_data(
        type(model).__name__,
        [
            {
                # each problem keeps its refusal (a rule of check_shape), so it is translated too
                "type": rule_error(
                    p.code, p.message_id or "field.bare", **(p.message_args or {"problem": p.message})
                ),
                "loc": _loc(p.params[0] if p.params else ""),
                "input": None,
            }
            for p in problems
        ],
    )


def _loc(path: str) -> tuple[int | str, ...]:
    """``"items[1].due"`` → ``("items", 1, "due")``."""
    loc: list[int | str] = []
    for part in path.replace("]", "").replace("[", ".").split("."):
        if part:
            loc.append(int(part) if part.isdigit() else part)
    return tuple(loc)


class _ReceiptBody(RequestModel):
    document: IdRef
    number: _Positive | None = None
    date: DateParam
    currency: CurrencyParam | None = None
    cost_center: CatalogId | None = None
    items: list[ReceiptItemParam] | None = None
    payment: ReceiptPaymentParam | None = None
    observations: Annotated[str, Field(max_length=4000)] | None = None

    def items_total(self) -> Decimal:
        """Σ ``items[].value``."""
        return sum((item.value for item in self.items or ()), Decimal(0))

    def discounts_total(self) -> Decimal:
        """Σ ``items[].discounts[].value``."""
        return sum(
            (d.value for item in self.items or () for d in item.discounts or ()),
            Decimal(0),
        )

    def payments_total(self) -> Decimal:
        """What the receipt says was received or paid (``payment.value``, or Σ ``payments``)."""
        payments: list[ReceiptPaymentParam] | None = getattr(self, "payments", None)
        if payments:
            return sum((p.value for p in payments), Decimal(0))
        return self.payment.value if self.payment is not None else Decimal(0)


class VoucherCreateParams(_ReceiptBody):
    """Body of ``POST /v1/vouchers`` (§C.10): a cash receipt of ``customer``."""

    type: VoucherType
    customer: CustomerRef
    income: IdRef | None = None

    def third_party(self) -> CustomerRef:
        """The customer."""
        return self.customer

    @model_validator(mode="after")
    def _type_rules(self) -> VoucherCreateParams:
        from ..kinds import RECEIPT

        _shape(self, RECEIPT.code)
        return self


class PaymentReceiptCreateParams(_ReceiptBody):
    """Body of ``POST /v1/payment-receipts`` (§C.11): a payment to ``supplier``.  Some of
    Siigo's generated tables show a plural ``payments`` list instead of ``payment`` (⚠️): either
    is accepted, not both."""

    type: PaymentReceiptType
    supplier: CustomerRef
    payments: list[ReceiptPaymentParam] | None = None

    def third_party(self) -> CustomerRef:
        """The supplier."""
        return self.supplier

    @model_validator(mode="after")
    def _type_rules(self) -> PaymentReceiptCreateParams:
        from ..kinds import PAYMENT_RECEIPT

        _shape(self, PAYMENT_RECEIPT.code)
        return self


class PaymentReceiptUpdateParams(PaymentReceiptCreateParams):
    """Body of ``PUT /v1/payment-receipts/{id}``: the whole receipt again."""


# --- responses ---------------------------------------------------------------------------------


class ReceiptDue(ResponseModel):
    """The installment a receipt line pays; ``consecutive`` and ``quote`` may come as text."""

    prefix: str | None = None
    consecutive: OptionalInt = None
    quote: OptionalInt = None
    date: OptionalDate = None
    balance: OptionalDecimal = None


class ReceiptTax(ResponseModel):
    id: OptionalInt = None
    name: str | None = None
    type: str | None = None
    percentage: OptionalDecimal = None
    base: OptionalDecimal = None
    value: OptionalDecimal = None


class ReceiptDiscount(ResponseModel):
    id: OptionalInt = None
    name: str | None = None
    value: OptionalDecimal = None


class AccountMovement(ResponseModel):
    code: str | None = None
    movement: str | None = None


class ReceiptItem(ResponseModel):
    """A receipt line as Siigo echoes it: a due paid (``due``, ``value``, ``taxes``,
    ``discounts``) or a ``Detailed`` accounting line (``account``, ``description``, ``value``)."""

    due: ReceiptDue | None = None
    value: OptionalDecimal = None
    taxes: list[ReceiptTax] | None = None
    discounts: list[ReceiptDiscount] | None = None
    account: AccountMovement | None = None
    tax: ReceiptTax | None = None
    fixed_asset: IdName | None = None
    product: dict[str, Any] | None = None
    customer: DocumentCustomer | None = None
    cost_center: OptionalRef = None
    description: str | None = None


class ReceiptPayment(ResponseModel):
    id: OptionalInt = None
    name: str | None = None
    value: OptionalDecimal = None


class Receipt(ResponseModel):
    """What cash and payment receipts read from Siigo share (all but ``id`` optional)."""

    id: str
    document: IdName | None = None
    number: OptionalInt = None
    name: str | None = None
    date: OptionalDate = None
    type: str | None = None
    currency: Currency | None = None
    cost_center: OptionalRef = None
    items: list[ReceiptItem] | None = None
    payment: ReceiptPayment | None = None
    balance: OptionalDecimal = None
    observations: str | None = None
    metadata: Metadata | None = None

    def paid_total(self) -> Decimal:
        """Σ ``items[].value`` (what the receipt applied to dues or lines)."""
        return sum((item.value or Decimal(0) for item in self.items or ()), Decimal(0))


class Voucher(Receipt):
    """A cash receipt as Siigo returns it (POST/GET and list items, §D.11); ``income`` is
    ``{id, name}`` on ``MiscIncome`` receipts."""

    customer: DocumentCustomer | None = None
    income: IdName | None = None
    stamp: Stamp | None = None
    """DIAN's answer once a receipt of an electronic type was sent (``vouchers.stamp``)."""


class PaymentReceipt(Receipt):
    """A payment receipt as Siigo returns it; real list items sometimes have no ``payment``
    at all (siigo-api.md F#15)."""

    supplier: DocumentCustomer | None = None
    payments: list[ReceiptPayment] | None = None
