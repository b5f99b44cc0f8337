"""Credit notes: ``client.credit_notes`` (siigo-api.md §B.7, §C.6, §D.7).

>>> invoice = client.invoices.retrieve(invoice_id)
>>> body = client.credit_notes.from_invoice(invoice, document={"id": 28460}, lines={0: 1})
>>> note = client.credit_notes.create(body)
>>> client.invoices.retrieve(invoice.id).balance  # what the customer still owes

Creation is idempotent like an invoice's: every call sends an ``Idempotency-Key`` (generated, or
``idempotency_key=``) reused by every retry, and every error carries it as ``.idempotency_key``.
The local checks are the invoice's (:func:`siigo.rules.check_document` with the ``NC`` kind and
the ``NC`` payment types): Σ payments must equal the total Siigo computes under the ``reading``.
Siigo has no edit, delete or annul for credit notes.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from typing_extensions import Required, TypedDict, Unpack

from .._refusals import detail, refusal
from ..errors import ErrorDetail
from ..kinds import CREDIT_NOTE
from ..models._base import build, refused
from ..models.common import CustomerRef, CustomerRefDict, DateInput, IdName, IdRef, IdRefDict
from ..models.credit_notes import (
    CreditNote,
    CreditNoteCreateParams,
    CreditNoteInvoiceDataParam,
    CreditNotePdf,
    CreditNoteReason,
)
from ..models.documents import (
    CurrencyDict,
    CurrencyParam,
    HealthcareCompanyDict,
    HealthcareCompanyParam,
    ItemDict,
    ItemParam,
    MailDict,
    MailParam,
    PaymentDict,
    PaymentParam,
    StampDict,
    StampParam,
)
from ..models.invoices import Invoice, InvoiceItem
from ..pagination import Page
from ..rules import tax_rates
from ..totals import UnsupportedTaxError, compute_document, round2
from ._base import DateFilter, MoneyInput, RequestTimeout, shown
from ._documents import DocumentResource, ReadingArg, reading_of, reading_pins

__all__ = ["CreditNoteFields", "CreditNoteInvoiceDataDict", "CreditNotes"]


class CreditNoteFields(TypedDict, total=False):
    """The fields of a credit-note body with their wire names (siigo-api.md §C.6), as keyword
    arguments of :meth:`CreditNotes.create`; nested parts take the ``...Param`` models or dicts."""

    document: IdRef | IdRefDict
    number: int
    date: DateInput
    invoice: str
    invoice_data: CreditNoteInvoiceDataParam | CreditNoteInvoiceDataDict
    customer: CustomerRef | CustomerRefDict
    seller: int
    reason: CreditNoteReason
    cost_center: int
    currency: CurrencyParam | CurrencyDict
    retentions: Sequence[IdRef | IdRefDict]
    advance_payment: MoneyInput
    observations: str
    items: Sequence[ItemParam | ItemDict]
    payments: Sequence[PaymentParam | PaymentDict]
    stamp: StampParam | StampDict
    mail: MailParam | MailDict
    healthcare_company: HealthcareCompanyParam | HealthcareCompanyDict


class CreditNoteInvoiceDataDict(TypedDict, total=False):
    """:class:`~siigo.models.credit_notes.CreditNoteInvoiceDataParam` as a dict."""

    date: Required[DateInput]
    prefix: str
    number: int
    cufe: str


def _id_of(value: object) -> int | None:
    if isinstance(value, IdName):
        value = value.id
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class CreditNotes(DocumentResource[CreditNote]):
    """``/v1/credit-notes``: create, read, list, PDF; :meth:`from_invoice` builds one."""

    kind = CREDIT_NOTE
    model = CreditNote
    file_model = CreditNotePdf

    def create(
        self,
        params: CreditNoteCreateParams | CreditNote | Mapping[str, Any] | None = None,
        /,
        *,
        preflight: bool = True,
        idempotency_key: str | None = None,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[CreditNoteFields],
    ) -> CreditNote:
        """``POST /v1/credit-notes``: create a credit note.

        The body is a :class:`CreditNoteCreateParams`, a dict with wire names, keyword arguments,
        or a model/dict plus keyword overrides.  ``preflight=False`` skips the catalog checks;
        ``reading`` pins how Siigo's totals are read (see :func:`~siigo.resources._documents.reading_pins`);
        ``idempotency_key`` replaces the generated key (to retry a call that failed).
        """
        return self._create_document(
            CreditNoteCreateParams,
            params,
            fields,
            preflight=preflight,
            reading=reading,
            idempotency_key=idempotency_key,
            timeout=timeout,
        )

    def retrieve(self, id: str, *, timeout: RequestTimeout = None) -> CreditNote:
        """``GET /v1/credit-notes/{id}``."""
        return self._retrieve(id, timeout=timeout)

    def list(
        self,
        *,
        document_id: int | None = None,
        customer_identification: str | None = None,
        customer_branch_office: int | None = None,
        name: str | None = None,
        created_start: DateFilter | None = None,
        created_end: DateFilter | None = None,
        updated_start: DateFilter | None = None,
        updated_end: DateFilter | None = None,
        date_start: DateFilter | None = None,
        date_end: DateFilter | None = None,
        page: int | None = None,
        page_size: int | None = None,
        timeout: RequestTimeout = None,
    ) -> Page[CreditNote]:
        """``GET /v1/credit-notes``: iterate the result to walk every page (filters as invoices)."""
        return self._list_documents(
            document_id=document_id,
            customer_identification=customer_identification,
            customer_branch_office=customer_branch_office,
            name=name,
            created_start=created_start,
            created_end=created_end,
            updated_start=updated_start,
            updated_end=updated_end,
            date_start=date_start,
            date_end=date_end,
            page=page,
            page_size=page_size,
            timeout=timeout,
        )

    def pdf(self, id: str, *, timeout: RequestTimeout = None) -> bytes:
        """``GET /v1/credit-notes/{id}/pdf``: the PDF, decoded from Siigo's base64."""
        return self._file(id, "pdf", timeout=timeout)

    # -- the everyday job: goods returned ---------------------------------------------------------

    def from_invoice(
        self,
        invoice: Invoice | str,
        *,
        document: IdRef | Mapping[str, Any] | int,
        date: _dt.date | str | None = None,
        reason: int = 1,
        lines: Mapping[int | str, MoneyInput] | None = None,
        payment_type: int | None = None,
        observations: str | None = None,
        reading: ReadingArg = None,
    ) -> CreditNoteCreateParams:
        """The body of a credit note for ``invoice`` (an :class:`~siigo.models.Invoice` or its id):
        all of it, or the chosen ``lines`` — ``{index: quantity}`` by position in
        ``invoice.items``, or ``{code: quantity}`` for a code that appears once — with their
        prices, discounts (a line's value discount in proportion to the quantity returned),
        taxes and warehouse, the invoice's retentions, currency and cost center, and one payment
        equal to the total Siigo will compute for them (under ``reading``).

        ``document`` is the credit-note document type; ``date`` defaults to today in Colombia;
        ``payment_type`` is an ``NC`` payment type (default: the invoice's first payment type
        when it is one, else the first active one that is not a credit type).  Pass the result to
        :meth:`create`.
        """
        from ..rules import colombia_today

        if isinstance(invoice, str):
            invoice = self._client.invoices.retrieve(invoice)
        what = "CreditNoteCreateParams"
        if isinstance(document, int) and not isinstance(document, bool):
            doc_id = document
        else:
            doc_id = build(IdRef, document if isinstance(document, (IdRef, Mapping)) else {"id": document}).id
        note_type = self._document_type(what, doc_id)
        day = date if date is not None else colombia_today()
        chosen = _chosen_lines(invoice, lines)
        percentage = note_type.discount_type == "Percentage"
        items: list[dict[str, Any]] = []
        for item, quantity in chosen:
            items.append(
                _item_body(
                    item, quantity, percentage=percentage, seller_by_item=bool(note_type.seller_by_item)
                )
            )
        retentions = [{"id": r.id} for r in invoice.retentions or () if r.id is not None]
        body: dict[str, Any] = {
            "document": {"id": doc_id},
            "date": day,
            "invoice": invoice.id,
            "reason": reason,
            "items": items,
        }
        if retentions:
            body["retentions"] = retentions
        if invoice.currency is not None and invoice.currency.code:
            body["currency"] = {
                "code": invoice.currency.code,
                "exchange_rate": invoice.currency.exchange_rate,
            }
        cost_center = _id_of(invoice.cost_center)
        if cost_center is not None:
            body["cost_center"] = cost_center
        if observations is not None:
            body["observations"] = observations
        amount = self._amount_due(body, note_type, reading)
        body["payments"] = [self._payment(invoice, payment_type, amount, day)]
        return build(CreditNoteCreateParams, body)

    def _amount_due(self, body: dict[str, Any], note_type: Any, reading: ReadingArg) -> Decimal:
        pins = reading_pins(reading, "from_invoice", complete=True)
        draft = build(CreditNoteCreateParams, {**body, "payments": [{"id": 1, "value": "0.01"}]})
        taxes = self._catalogs.taxes()
        try:
            totals = compute_document(
                draft.line_inputs(),
                taxes=tax_rates(taxes),
                retentions=draft.retention_ids(),
                discount_type="Percentage" if note_type.discount_type == "Percentage" else "Value",
                self_withholding_limit=note_type.self_withholding_limit,
                **reading_of(pins)._asdict(),
            )
        except (UnsupportedTaxError, ValueError, ArithmeticError) as exc:
            raise refused(
                "from_invoice",
                [detail("invalid_amount", "resources.totals_uncomputable", "items", reason=str(exc))],
            ) from None
        return totals.amount_due

    def _payment(
        self, invoice: Invoice, payment_type: int | None, amount: Decimal, day: object
    ) -> dict[str, Any]:
        types = self._catalogs.payment_types(CREDIT_NOTE.payment_document_type or CREDIT_NOTE.code)
        if payment_type is None:
            used = [p.id for p in invoice.payments or () if p.id in types and types[p.id].active is not False]
            cash = [t.id for t in types.values() if t.active is not False and not t.due_date]
            candidates = used[:1] or cash[:1]
            if not candidates:
                raise refused(
                    "from_invoice",
                    [detail("invalid_payment", "credit_notes.no_refund_payment_type", "payments")],
                )
            payment_type = candidates[0]
        payment: dict[str, Any] = {"id": payment_type, "value": amount}
        chosen = types.get(payment_type)
        if chosen is not None and chosen.due_date:
            payment["due_date"] = day
        return payment


def _chosen_lines(
    invoice: Invoice, lines: Mapping[int | str, MoneyInput] | None
) -> list[tuple[InvoiceItem, Decimal]]:
    items = list(invoice.items or ())
    if lines is None:
        return [(item, item.quantity or Decimal(0)) for item in items]
    problems: list[ErrorDetail] = []
    chosen: list[tuple[InvoiceItem, Decimal]] = []
    for key, quantity in lines.items():
        if isinstance(key, bool) or not isinstance(key, (int, str)):
            problems.append(detail("invalid_type", "credit_notes.line_key", "lines", key=shown(key)))
            continue
        if isinstance(key, int):
            item = items[key] if 0 <= key < len(items) else None
            label = refusal("credit_notes.line_index", index=key)
        else:
            matches = [i for i in items if i.code == key]
            item = matches[0] if len(matches) == 1 else None
            label = refusal(
                "credit_notes.line_code_many" if len(matches) > 1 else "credit_notes.line_code",
                code=repr(key),
            )
        if item is None:
            problems.append(detail("invalid_value", "credit_notes.no_such_line", "lines", label=label))
            continue
        try:
            amount = Decimal(quantity) if not isinstance(quantity, Decimal) else quantity
        except (ArithmeticError, ValueError, TypeError):
            amount = Decimal("NaN")
        invoiced = item.quantity or Decimal(0)
        if not amount.is_finite() or not Decimal(0) < amount <= invoiced:
            problems.append(
                detail(
                    "invalid_value",
                    "credit_notes.line_quantity",
                    "lines",
                    label=label,
                    code=item.code,
                    invoiced=invoiced,
                    quantity=shown(quantity),
                )
            )
            continue
        chosen.append((item, amount))
    if problems:
        raise refused("from_invoice", problems)
    return chosen


def _item_body(
    item: InvoiceItem, quantity: Decimal, *, percentage: bool, seller_by_item: bool
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": item.code, "quantity": quantity, "price": item.price}
    if item.description is not None:
        body["description"] = item.description
    discount = item.discount
    if discount is not None:
        if percentage and discount.percentage:
            body["discount"] = discount.percentage
        elif not percentage and discount.value:
            whole = item.quantity or quantity
            body["discount"] = round2(discount.value * quantity / whole) if whole else discount.value
    taxes = [{"id": tax.id} for tax in item.taxes or () if tax.id is not None]
    if taxes:
        body["taxes"] = taxes
    warehouse = _id_of(item.warehouse)
    if warehouse is not None:
        body["warehouse"] = warehouse
    seller = _id_of(item.seller)
    if seller is not None and seller_by_item:
        body["seller"] = seller
    return body
