"""The parts every Siigo document shares (siigo-api.md §C.3-C.7, §D.5-D.8).

Invoices, credit notes and quotations are made of the same lines, taxes, payments, stamp and mail
blocks; their models here carry unprefixed names (``ItemParam``, ``PaymentParam``, ``Item``,
``Stamp``); a kind's own module holds only what differs and prefixes it with the kind
(``CreditNoteInvoiceDataParam``).  The invoice names of 0.2 (``InvoiceItemParam``,
``InvoiceItem``...) name the same classes.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from .. import totals
from ._base import ResponseModel, rule_error
from .common import IdName, IdRef, Metadata, to_int
from .invoices import (
    MAX_COPY_TO,
    MAX_ITEMS,
    MAX_PAYMENTS_TOTAL,
    MAX_TAXES_PER_ITEM,
    GlobalAdjustmentParam,
    HealthcareCompanyParam,
    InvoiceAnnulResult,
    InvoiceCurrency,
    InvoiceCurrencyParam,
    InvoiceCustomer,
    InvoiceDiscount,
    InvoiceItem,
    InvoiceItemParam,
    InvoiceMail,
    InvoiceMailParams,
    InvoiceMailResult,
    InvoicePayment,
    InvoiceRetention,
    InvoiceStamp,
    InvoiceStampError,
    InvoiceStampErrors,
    InvoiceTax,
    InvoiceTransport,
    MailParam,
    PaymentParam,
    StampParam,
    TransportParam,
    _Date,
    _Dec,
    _Int,
    _Ref,
)

__all__ = [
    "MAX_COPY_TO",
    "MAX_ITEMS",
    "MAX_PAYMENTS_TOTAL",
    "MAX_TAXES_PER_ITEM",
    "AnnulResult",
    "CatalogId",
    "Currency",
    "CurrencyParam",
    "Discount",
    "DocumentCustomer",
    "DocumentFields",
    "DocumentFile",
    "GlobalAdjustmentParam",
    "HealthcareCompanyParam",
    "Item",
    "ItemParam",
    "ItemTax",
    "Lines",
    "Mail",
    "MailParam",
    "MailParams",
    "MailResult",
    "OptionalDate",
    "OptionalDecimal",
    "OptionalInt",
    "OptionalRef",
    "Payment",
    "PaymentParam",
    "Retention",
    "Stamp",
    "StampError",
    "StampErrors",
    "StampParam",
    "Transport",
    "TransportParam",
    "items_rule",
    "payments_rule",
    "retentions_rule",
]

# --- request parts -----------------------------------------------------------------------------

ItemParam = InvoiceItemParam
"""One line of a document (§C.3.2): the same model on invoices, credit notes and quotations."""
CurrencyParam = InvoiceCurrencyParam
"""``currency``: ``{code, exchange_rate}``; never for documents in COP."""
MailParams = InvoiceMailParams
"""Body of ``POST /v1/{kind}/{id}/mail``."""

CatalogId = Annotated[int, BeforeValidator(to_int)]
"""An integer catalog id (a seller, a cost center, a payment type...)."""


def _items_count(value: list[ItemParam]) -> list[ItemParam]:
    if not value:
        raise rule_error("invalid_array", "a document needs at least 1 item")
    if len(value) > MAX_ITEMS:
        raise rule_error("invalid_array", f"a document takes at most {MAX_ITEMS} items, got {len(value)}")
    return value


def _payments(value: list[PaymentParam]) -> list[PaymentParam]:
    if not value:
        raise rule_error("parameter_required", "at least one payment is required")
    total = sum((payment.value for payment in value), Decimal(0))
    if total > MAX_PAYMENTS_TOTAL:
        raise rule_error(
            "invalid_amount", f"the payments add up to {total}; the maximum is {MAX_PAYMENTS_TOTAL}"
        )
    return value


def _retentions(value: list[IdRef] | None) -> list[IdRef] | None:
    if value is not None:
        ids = [ref.id for ref in value]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise rule_error("invalid_retentions", f"the same retention cannot be sent twice: {repeated}")
    return value


items_rule = AfterValidator(_items_count)
"""``items``: 1 to 500 lines (``invalid_array``)."""
payments_rule = AfterValidator(_payments)
"""``payments``: at least one, Σ at most 9 999 999 999 999.99."""
retentions_rule = AfterValidator(_retentions)
"""``retentions``: no tax twice (``invalid_retentions``)."""


class Lines:
    """What the rules and the totals math read of a document body with ``items`` (and, when
    the kind has them, ``retentions`` and ``payments``)."""

    items: Sequence[ItemParam]

    def line_inputs(self) -> list[totals.LineInput]:
        """The items as inputs of :func:`siigo.totals.compute_document`."""
        return [item.line_input() for item in self.items]

    def retention_ids(self) -> list[int]:
        """Tax ids of the document-level ``retentions`` (none for a kind without them)."""
        refs: Sequence[IdRef] | None = getattr(self, "retentions", None)
        return [ref.id for ref in refs or ()]

    def payments_total(self) -> Decimal:
        """Σ ``payments[].value`` (0 for a kind without payments)."""
        payments: Sequence[PaymentParam] | None = getattr(self, "payments", None)
        return sum((payment.value for payment in payments or ()), Decimal(0))


# --- responses ---------------------------------------------------------------------------------

DocumentCustomer = InvoiceCustomer
"""``customer`` of a document read from Siigo: ``{id, identification, branch_office}``."""
Currency = InvoiceCurrency
ItemTax = InvoiceTax
Discount = InvoiceDiscount
Transport = InvoiceTransport
Item = InvoiceItem
Payment = InvoicePayment
Retention = InvoiceRetention
Stamp = InvoiceStamp
Mail = InvoiceMail
StampError = InvoiceStampError
StampErrors = InvoiceStampErrors
MailResult = InvoiceMailResult
AnnulResult = InvoiceAnnulResult


OptionalDecimal = _Dec
"""An amount Siigo may omit, send as a number or as text; read exactly."""
OptionalInt = _Int
OptionalDate = _Date
OptionalRef = _Ref
"""A catalog reference Siigo sends as an id or as ``{id, name}``."""


class DocumentFields(ResponseModel):
    """What every document read from Siigo has (all optional: responses are tolerant)."""

    document: IdName | None = None
    number: OptionalInt = None
    name: str | None = None
    date: OptionalDate = None
    customer: DocumentCustomer | None = None
    cost_center: OptionalRef = None
    currency: Currency | None = None
    seller: OptionalRef = None
    total: OptionalDecimal = None
    observations: str | None = None
    items: list[Item] | None = None
    metadata: Metadata | None = None


class DocumentFile(ResponseModel):
    """A document's PDF or XML as Siigo sends it (``{id, cufe|cude, base64}``);
    :meth:`content` decodes it."""

    id: str | None = None
    cufe: str | None = None
    cude: str | None = None
    base64: str | None = None

    def content(self) -> bytes:
        """The decoded file (``b""`` when Siigo sent nothing)."""
        if not self.base64:
            return b""
        try:
            return base64.b64decode(self.base64)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"the {type(self).__name__} content is not valid base64: {exc}") from None
