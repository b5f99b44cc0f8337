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
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Annotated, Any

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
    HealthcareCompanyDict,
    HealthcareCompanyParam,
    InvoiceAnnulResult,
    InvoiceCurrency,
    InvoiceCurrencyDict,
    InvoiceCurrencyParam,
    InvoiceCustomer,
    InvoiceDiscount,
    InvoiceItem,
    InvoiceItemDict,
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
    MailDict,
    MailParam,
    PaymentDict,
    PaymentParam,
    StampDict,
    StampParam,
    TransportDict,
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
    "RETURNED_ONLY",
    "AnnulResult",
    "CatalogId",
    "Currency",
    "CurrencyDict",
    "CurrencyParam",
    "Discount",
    "DocumentCustomer",
    "DocumentFields",
    "DocumentFile",
    "GlobalAdjustmentParam",
    "HealthcareCompanyDict",
    "HealthcareCompanyParam",
    "Item",
    "ItemDict",
    "ItemParam",
    "ItemTax",
    "Lines",
    "Mail",
    "MailDict",
    "MailParam",
    "MailParams",
    "MailResult",
    "OptionalDate",
    "OptionalDecimal",
    "OptionalInt",
    "OptionalRef",
    "Payment",
    "PaymentDict",
    "PaymentParam",
    "ReadBackWarning",
    "Retention",
    "Stamp",
    "StampDict",
    "StampError",
    "StampErrors",
    "StampParam",
    "Transport",
    "TransportDict",
    "TransportParam",
    "items_rule",
    "looks_read",
    "payments_rule",
    "request_fields",
    "retentions_rule",
]

# --- request parts -----------------------------------------------------------------------------

ItemParam = InvoiceItemParam
"""One line of a document (§C.3.2): the same model on invoices, credit notes and quotations."""
ItemDict = InvoiceItemDict
""":class:`ItemParam` as a dict."""
CurrencyDict = InvoiceCurrencyDict
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


# --- a document read from Siigo, sent back ------------------------------------------------------

RETURNED_ONLY = frozenset(
    {"id", "name", "prefix", "total", "balance", "metadata", "public_url", "annulled", "stock_updated"}
)
"""Fields of a document that Siigo returns and never reads."""


class ReadBackWarning(UserWarning):
    """A document read from Siigo was passed back as a body: fields Siigo only returns were
    dropped, expanded references were turned back into ids."""


def _ref_id(value: Any) -> Any:
    """``{"id": 4120, "name": ...}`` → ``4120``; anything else unchanged."""
    if isinstance(value, Mapping) and "id" in value and set(value) <= {"id", "name"}:
        return value["id"]
    return value


def looks_read(data: Mapping[str, Any]) -> bool:
    """True for a body that carries what only a document read from Siigo has."""
    return bool(RETURNED_ONLY & set(data)) or any(
        isinstance(data.get(name), Mapping) and "status" in data[name] for name in ("stamp", "mail")
    )


def request_fields(
    data: Mapping[str, Any], *, discount_type: str | None = "Value", automatic_number: bool | None = None
) -> tuple[dict[str, Any], list[str]]:
    """A document as Siigo returns it (§D.5-D.8) turned into the fields of a request body, and
    what was changed (one note each).  Fields Siigo only returns are dropped; expanded references
    (``seller``, ``cost_center``, ``warehouse``, the credit note's ``invoice``...) become ids; item
    taxes and retentions keep their ``id``; an item ``discount`` ``{percentage, value}`` becomes
    the percentage for a ``Percentage`` document type, else the value; ``number`` is dropped for
    a type that numbers automatically (``automatic_number``).  Every other field is
    kept as it is, so a misspelled one is still refused by the model."""
    body = dict(data)
    notes: list[str] = []
    dropped = sorted(RETURNED_ONLY & set(body))
    for name in dropped:
        del body[name]
    for name in ("stamp", "mail"):
        if isinstance(body.get(name), Mapping) and "status" in body[name]:
            del body[name]
            dropped.append(name)
    if automatic_number and "number" in body:
        del body["number"]
        dropped.append("number")
    if dropped:
        notes.append(f"dropped what Siigo only returns: {', '.join(dropped)}")
    for name in ("seller", "cost_center"):
        if isinstance(body.get(name), Mapping):
            body[name] = _ref_id(body[name])
            notes.append(f"{name} {{id, name}} read as its id")
    if isinstance(body.get("invoice"), Mapping) and "id" in body["invoice"]:
        body["invoice"] = body["invoice"]["id"]
        notes.append("invoice {id, name} read as its id")
    if isinstance(body.get("customer"), Mapping) and "id" in body["customer"]:
        body["customer"] = {k: v for k, v in body["customer"].items() if k not in ("id", "name")}
        notes.append("customer.id dropped (the customer is referenced by identification)")
    if body.get("advance_payment") in (0, "0") or (
        isinstance(body.get("advance_payment"), Decimal) and not body["advance_payment"]
    ):
        del body["advance_payment"]
        notes.append("advance_payment 0 dropped")
    for name in ("retentions",):
        if isinstance(body.get(name), list):
            body[name] = [{"id": r["id"]} if isinstance(r, Mapping) and "id" in r else r for r in body[name]]
    if isinstance(body.get("payments"), list):
        body["payments"] = [
            {k: v for k, v in p.items() if k != "name"} if isinstance(p, Mapping) else p
            for p in body["payments"]
        ]
    for name in ("global_discounts", "global_charges"):
        entries = body.get(name)
        if isinstance(entries, list):
            body[name] = [_adjustment(e) for e in entries]
            if not body[name]:
                del body[name]
    if isinstance(body.get("items"), list):
        items = []
        mapped_discount = False
        for item in body["items"]:
            if not isinstance(item, Mapping):
                items.append(item)
                continue
            line = {k: v for k, v in item.items() if k not in ("id", "total")}
            for name in ("warehouse", "seller"):
                if isinstance(line.get(name), Mapping):
                    line[name] = _ref_id(line[name])
            if isinstance(line.get("taxes"), list):
                line["taxes"] = [
                    {"id": t["id"]} if isinstance(t, Mapping) and "id" in t else t for t in line["taxes"]
                ]
            discount = line.get("discount")
            if isinstance(discount, Mapping):
                mapped_discount = True
                chosen = (
                    discount.get("percentage") if discount_type == "Percentage" else discount.get("value")
                )
                if chosen:
                    line["discount"] = chosen
                else:
                    del line["discount"]
            if isinstance(line.get("customer"), Mapping):
                line["customer"] = {k: v for k, v in line["customer"].items() if k not in ("id", "name")}
            items.append(line)
        body["items"] = items
        notes.append("items: ids and totals dropped, taxes and warehouses read as their ids")
        if mapped_discount:
            which = "percentage" if discount_type == "Percentage" else "value"
            notes.append(f"items[].discount {{percentage, value}} read as its {which}")
    return body, notes


def _adjustment(entry: Any) -> Any:
    if not isinstance(entry, Mapping):
        return entry
    out: dict[str, Any] = {"id": entry.get("id")}
    if entry.get("percentage") is not None:
        out["percentage"] = entry["percentage"]
    elif entry.get("value") is not None:
        out["value"] = entry["value"]
    return out
