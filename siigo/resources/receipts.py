"""Cash receipts ``client.vouchers`` (``RC``) and payment receipts ``client.payment_receipts``
(``RP``) (siigo-api.md §B.11, §B.12, §C.10, §C.11, §D.11).

>>> invoice = client.invoices.retrieve(invoice_id)
>>> body = client.vouchers.for_invoice(invoice, payment={"id": 6103}, document={"id": 28470})
>>> receipt = client.vouchers.create(body)
>>> client.invoices.retrieve(invoice.id).balance
Decimal('0')
>>> client.vouchers.owed_by("900123456").total  # what the customer still owes

A cash receipt is created idempotently like an invoice (an ``Idempotency-Key`` generated once per
call, reused by every retry, attached to every error); a payment receipt takes no key (Siigo does
not document one for it) but can be edited and deleted.  The preflight checks the body against
the cached catalogs (:func:`siigo.rules.receipts.check_receipt`): the document type, the payment
type (read with ``document_type=RC`` for cash receipts and ``FC`` for payment receipts), item taxes.

Siigo has no accounts-receivable endpoint (§B.0), so what is owed is read from the documents'
``balance``: a document's installments are its credit payments, in order, and what was paid is
taken from the first installment first (:func:`siigo.rules.receipts.installments`).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from typing_extensions import Required, TypedDict, Unpack

from .._refusals import detail, kind_term, term
from ..errors import SiigoError
from ..kinds import INVOICE, PAYMENT_RECEIPT, PURCHASE, RECEIPT, Kind
from ..models._base import build, refused
from ..models.common import CustomerRef, CustomerRefDict, DateInput, DeleteResult, IdName, IdRef, IdRefDict
from ..models.documents import CurrencyDict, CurrencyParam, DocumentCustomer, MailResult, StampResult
from ..models.receipts import (
    AccountMovementParam,
    DueParam,
    Movement,
    PaymentReceipt,
    PaymentReceiptCreateParams,
    PaymentReceiptType,
    PaymentReceiptUpdateParams,
    ReceiptDiscountParam,
    ReceiptItemParam,
    ReceiptPaymentParam,
    ReceiptProductParam,
    ReceiptTaxParam,
    Voucher,
    VoucherCreateParams,
    VoucherType,
)
from ..pagination import Page
from ..rules.receipts import Installment, check_receipt, check_spread, installments, spread
from ..totals import DocumentTotals, ReadingPins
from ._base import DateFilter, MoneyInput, RequestTimeout, shown
from ._documents import DocumentResource, ReadingArg

__all__ = [
    "DueDict",
    "Owed",
    "OwedDocument",
    "OwedRow",
    "PaymentReceiptFields",
    "PaymentReceipts",
    "ReceiptItemDict",
    "ReceiptPaymentDict",
    "VoucherFields",
    "Vouchers",
]

ZERO = Decimal(0)


class DueDict(TypedDict):
    """:class:`~siigo.models.receipts.DueParam` as a dict."""

    prefix: str
    consecutive: int
    quote: int
    date: DateInput


class _TaxDict(TypedDict):
    id: int
    base: MoneyInput


class _DiscountDict(TypedDict):
    id: int
    value: MoneyInput


class _AccountDict(TypedDict):
    code: str
    movement: Movement


class _ProductDict(TypedDict, total=False):
    code: Required[str]
    warehouse: int
    quantity: MoneyInput


class ReceiptItemDict(TypedDict, total=False):
    """:class:`~siigo.models.receipts.ReceiptItemParam` as a dict."""

    due: DueParam | DueDict
    value: Required[MoneyInput]
    taxes: Sequence[ReceiptTaxParam | _TaxDict]
    discounts: Sequence[ReceiptDiscountParam | _DiscountDict]
    account: AccountMovementParam | _AccountDict
    tax: IdRef | IdRefDict
    fixed_asset: IdRef | IdRefDict
    product: ReceiptProductParam | _ProductDict
    customer: CustomerRef | CustomerRefDict
    cost_center: int
    description: str


class ReceiptPaymentDict(TypedDict):
    """:class:`~siigo.models.receipts.ReceiptPaymentParam` as a dict."""

    id: int
    value: MoneyInput


class _ReceiptFields(TypedDict, total=False):
    document: IdRef | IdRefDict
    number: int
    date: DateInput
    currency: CurrencyParam | CurrencyDict
    cost_center: int
    items: Sequence[ReceiptItemParam | ReceiptItemDict]
    payment: ReceiptPaymentParam | ReceiptPaymentDict
    observations: str


class VoucherFields(_ReceiptFields, total=False):
    """The fields of a cash-receipt body (§C.10) as keyword arguments of :meth:`Vouchers.create`."""

    type: VoucherType
    customer: CustomerRef | CustomerRefDict
    income: IdRef | IdRefDict


class PaymentReceiptFields(_ReceiptFields, total=False):
    """The fields of a payment-receipt body (§C.11)."""

    type: PaymentReceiptType
    supplier: CustomerRef | CustomerRefDict
    payments: Sequence[ReceiptPaymentParam | ReceiptPaymentDict]


class OwedDocument(Protocol):
    """What the helpers read of a document that can be owed: an invoice, a purchase (any
    response model with these fields; ``document`` is ``{id, ...}`` and each payment has
    ``id``, ``value`` and ``due_date``, as :class:`~siigo.models.documents.Payment`)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def number(self) -> int | None: ...
    @property
    def date(self) -> _dt.date | None: ...
    @property
    def document(self) -> Any: ...
    @property
    def payments(self) -> Sequence[Any] | None: ...
    @property
    def balance(self) -> Decimal | None: ...


@dataclasses.dataclass(frozen=True)
class OwedRow:
    """One document with something still owed on it, and its installments as far as its
    ``balance`` tells (paid in installment order)."""

    id: str
    name: str
    date: _dt.date | None
    balance: Decimal
    installments: tuple[Installment, ...]

    @property
    def open_installments(self) -> tuple[Installment, ...]:
        return tuple(i for i in self.installments if i.balance > 0)


@dataclasses.dataclass(frozen=True)
class Owed:
    """What a customer owes the company (cash receipts) or the company owes a supplier (payment
    receipts): the documents with a balance, and their ``total``."""

    identification: str
    branch_office: int | None
    documents: tuple[OwedRow, ...]

    @property
    def total(self) -> Decimal:
        return sum((row.balance for row in self.documents), ZERO)

    def __iter__(self) -> Any:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)


def _id_of(value: object, what: str) -> int:
    if isinstance(value, (IdRef, IdName)):
        value = value.id
    elif isinstance(value, Mapping):
        value = value.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise refused(
        what, [detail("invalid_type", "receipts.not_a_catalog_id", what, what=what, value=shown(value))]
    )


def _party(party: DocumentCustomer | None) -> dict[str, Any]:
    if party is None or not party.identification:
        raise refused("receipt", [detail("parameter_required", "receipts.no_third_party", "customer")])
    return {"identification": party.identification, "branch_office": party.branch_office or 0}


class _Receipts(DocumentResource[Any]):
    """What both receipt resources share: the preflight and the helpers."""

    source: Kind
    """The kind of document this receipt pays (invoices for cash receipts)."""

    def _preflight(self, body: Any, pins: ReadingPins) -> DocumentTotals | None:
        what = type(body).__name__
        cache = self._catalogs
        document_type = self._document_type(what, body.document.id)
        payment_kind = self.kind.payment_document_type or self.kind.code
        needs_taxes = any(item.taxes for item in body.items or ())
        errors = check_receipt(
            body,
            kind=self.kind,
            document_type=document_type,
            payment_types=cache.payment_types(payment_kind),
            taxes=cache.taxes() if needs_taxes else {},
        )
        if errors:
            raise refused(what, errors)
        return None

    def installments_of(self, document: OwedDocument) -> list[Installment]:
        """The installments of ``document`` (an invoice for cash receipts, a purchase for payment
        receipts) with what is left of each, from its credit payments and its ``balance``."""
        payment_kind = self.source.payment_document_type or self.source.code
        types = self._catalogs.payment_types(payment_kind)
        credit: list[tuple[Decimal, _dt.date | None]] = []
        for payment in document.payments or ():
            known = types.get(payment.id) if payment.id is not None else None
            is_credit = bool(known.due_date) if known is not None else payment.due_date is not None
            if is_credit and payment.value:
                credit.append((payment.value, payment.due_date))
        prefix = self._prefix(document)
        return installments(
            prefix=prefix,
            number=document.number or 0,
            date=document.date or _dt.date.today(),
            credit_payments=credit,
            balance=document.balance or ZERO,
        )

    def _prefix(self, document: OwedDocument) -> str:
        """The prefix of the document's type (``FV-1``): what its dues are named with."""
        type_id = document.document.id if document.document is not None else None
        if isinstance(type_id, int):
            found = self._catalogs.document_types(self.source.code).get(type_id)
            if found is not None and found.prefix:
                return found.prefix
        name = document.name or ""
        return name.rsplit("-", 1)[0] if "-" in name else name

    def _body_for(
        self,
        document: OwedDocument,
        party: dict[str, Any],
        *,
        payment: object,
        amount: MoneyInput | None,
        receipt_type: object,
        date: _dt.date | str | None,
        observations: str | None,
    ) -> dict[str, Any]:
        from ..rules import colombia_today

        name = document.name or document.id
        label = term(f"{self.source.name} {name}", f"{kind_term(self.source).es} {name}")
        value: Decimal | None = None
        if amount is not None:
            try:
                value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
            except ArithmeticError:
                value = Decimal("NaN")
        open_ = [i for i in self.installments_of(document) if i.balance > 0]
        problems = check_spread(value, open_, label)
        if problems:
            raise refused(f"for_{self.source.name.split()[-1]}", problems)
        paid = spread(value, open_)
        body: dict[str, Any] = {
            "document": {"id": _id_of(receipt_type, "document")},
            "date": date if date is not None else colombia_today(),
            "type": "DebtPayment",
            self.kind.third_party: party,
            "items": [{"due": entry.due(), "value": part} for entry, part in paid],
            "payment": {"id": _id_of(payment, "payment"), "value": sum((p for _, p in paid), ZERO)},
        }
        currency = getattr(document, "currency", None)
        if currency is not None and getattr(currency, "code", None):
            body["currency"] = {"code": currency.code, "exchange_rate": currency.exchange_rate}
        if observations is not None:
            body["observations"] = observations
        return body

    def _owed(
        self, documents: Iterable[OwedDocument], identification: str, branch_office: int | None
    ) -> Owed:
        rows: list[OwedRow] = []
        for document in documents:
            party: DocumentCustomer | None = getattr(document, self.kind.third_party, None)
            if party is None or party.identification != identification:
                continue
            if branch_office is not None and (party.branch_office or 0) != branch_office:
                continue
            if getattr(document, "annulled", False) or not document.balance or document.balance <= 0:
                continue
            rows.append(
                OwedRow(
                    id=document.id,
                    name=document.name or document.id,
                    date=document.date,
                    balance=document.balance,
                    installments=tuple(self.installments_of(document)),
                )
            )
        return Owed(identification, branch_office, tuple(rows))


class Vouchers(_Receipts):
    """``/v1/vouchers``: create (idempotent), read, list; :meth:`for_invoice` builds a receipt
    that pays an invoice, :meth:`owed_by` reads what a customer owes."""

    kind = RECEIPT
    model = Voucher
    source = INVOICE

    def create(
        self,
        params: VoucherCreateParams | Voucher | Mapping[str, Any] | None = None,
        /,
        *,
        preflight: bool = True,
        idempotency_key: str | None = None,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[VoucherFields],
    ) -> Voucher:
        """``POST /v1/vouchers``: create a cash receipt (a model, a dict with wire names,
        keyword arguments, or a model/dict plus keyword overrides).  ``preflight=False`` skips
        the catalog checks (the type rules always run); ``idempotency_key`` replaces the
        generated key (to retry a call that failed)."""
        result: Voucher = self._create_document(
            VoucherCreateParams,
            params,
            fields,
            preflight=preflight,
            reading=reading,
            idempotency_key=idempotency_key,
            timeout=timeout,
        )
        return result

    def _create_query(self, body: Any) -> dict[str, str] | None:
        # Siigo's own client sends an "other income" receipt as ``POST /v1/vouchers?type=
        # MiscIncome``, the body naming the type too (siigo-api.md #58): both are sent.
        return {"type": "MiscIncome"} if getattr(body, "type", None) == "MiscIncome" else None

    def retrieve(self, id: str, *, timeout: RequestTimeout = None) -> Voucher:
        """``GET /v1/vouchers/{id}``."""
        result: Voucher = self._retrieve(id, timeout=timeout)
        return result

    def list(
        self,
        *,
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
    ) -> Page[Voucher]:
        """``GET /v1/vouchers``: ``name`` (``RC-1-45``), created/updated/date ranges (§B.1);
        iterate the result to walk every page."""
        result: Page[Voucher] = self._list_documents(
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
        return result

    def send_email(
        self,
        id: str,
        *,
        mail_to: str,
        copy_to: str | Sequence[str] | None = None,
        timeout: RequestTimeout = None,
    ) -> MailResult:
        """``POST /v1/vouchers/{id}/mail``: e-mail the receipt to ``mail_to`` with up to 5
        ``copy_to`` addresses.  Only Siigo's JavaScript SDK lists this endpoint (§B.0 row 61 ❓);
        its body is taken to be the invoices' one."""
        return self._send_email(id, mail_to, copy_to, timeout=timeout)

    def stamp(self, id: str, *, timeout: RequestTimeout = None) -> StampResult:
        """``POST /v1/vouchers/{id}/stamp``: the electronic send of a cash receipt of an
        electronic type (to DIAN, then by e-mail); the answer has the ``stamp`` and the
        ``mail``.  Only Siigo's JavaScript SDK lists this endpoint (§B.0 row 61 ❓).  Not retried
        once it could have reached Siigo: after a timeout read the receipt before sending again."""
        return self._stamp(id, timeout=timeout)

    # -- the everyday jobs ----------------------------------------------------------------------

    def for_invoice(
        self,
        invoice: OwedDocument | str,
        *,
        payment: IdRef | Mapping[str, Any] | int,
        document: IdRef | Mapping[str, Any] | int,
        amount: MoneyInput | None = None,
        date: _dt.date | str | None = None,
        observations: str | None = None,
    ) -> VoucherCreateParams:
        """The body of a ``DebtPayment`` cash receipt for ``invoice`` (an
        :class:`~siigo.models.Invoice` or its id): everything still owed on it (``amount``
        ``None``), or ``amount`` spread over its open installments in order, paid with the
        payment type ``payment`` (an ``RC`` payment type) on the cash-receipt type ``document``,
        dated ``date`` (default: today in Colombia).  An amount above what is owed is refused
        (``invalid_amount``).  Pass the result to :meth:`create`."""
        if isinstance(invoice, str):
            invoice = self._client.invoices.retrieve(invoice)
        body = self._body_for(
            invoice,
            _party(getattr(invoice, "customer", None)),
            payment=payment,
            amount=amount,
            receipt_type=document,
            date=date,
            observations=observations,
        )
        return build(VoucherCreateParams, body)

    def owed_by(
        self, identification: str, *, branch_office: int | None = None, timeout: RequestTimeout = None
    ) -> Owed:
        """What the customer ``identification`` still owes: its invoices with a balance (not
        annulled), each with its installments, and the :attr:`Owed.total`."""
        invoices = self._client.invoices.list(
            customer_identification=identification, customer_branch_office=branch_office, timeout=timeout
        )
        return self._owed(invoices, identification, branch_office)


class PaymentReceipts(_Receipts):
    """``/v1/payment-receipts``: create, read, list, update, delete; :meth:`for_purchase` builds
    a receipt that pays a purchase, :meth:`owed_to` reads what the company owes a supplier."""

    kind = PAYMENT_RECEIPT
    model = PaymentReceipt
    source = PURCHASE

    def create(
        self,
        params: PaymentReceiptCreateParams | PaymentReceipt | Mapping[str, Any] | None = None,
        /,
        *,
        preflight: bool = True,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[PaymentReceiptFields],
    ) -> PaymentReceipt:
        """``POST /v1/payment-receipts``: create a payment receipt.  ``preflight=False`` skips the
        catalog checks (the type rules always run)."""
        result: PaymentReceipt = self._create_document(
            PaymentReceiptCreateParams, params, fields, preflight=preflight, reading=reading, timeout=timeout
        )
        return result

    def retrieve(self, id: str, *, timeout: RequestTimeout = None) -> PaymentReceipt:
        """``GET /v1/payment-receipts/{id}``."""
        result: PaymentReceipt = self._retrieve(id, timeout=timeout)
        return result

    def list(
        self,
        *,
        name: str | None = None,
        created_start: DateFilter | None = None,
        created_end: DateFilter | None = None,
        updated_start: DateFilter | None = None,
        updated_end: DateFilter | None = None,
        page: int | None = None,
        page_size: int | None = None,
        timeout: RequestTimeout = None,
    ) -> Page[PaymentReceipt]:
        """``GET /v1/payment-receipts``: created/updated ranges (§B.1).  ``name`` (``RP-1-15``) is
        the filter of the other document lists; Siigo documents only the ranges for this one, so
        a Siigo that ignores it answers every receipt."""
        result: Page[PaymentReceipt] = self._list_documents(
            name=name,
            created_start=created_start,
            created_end=created_end,
            updated_start=updated_start,
            updated_end=updated_end,
            page=page,
            page_size=page_size,
            timeout=timeout,
        )
        return result

    def update(
        self,
        id: str,
        params: PaymentReceiptUpdateParams
        | PaymentReceiptCreateParams
        | PaymentReceipt
        | Mapping[str, Any]
        | None = None,
        /,
        *,
        preflight: bool = True,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[PaymentReceiptFields],
    ) -> PaymentReceipt:
        """``PUT /v1/payment-receipts/{id}``: the whole receipt again."""
        result: PaymentReceipt = self._update_document(
            id,
            PaymentReceiptUpdateParams,
            params,
            fields,
            preflight=preflight,
            reading=reading,
            timeout=timeout,
        )
        return result

    def delete(self, id: str, *, timeout: RequestTimeout = None) -> DeleteResult:
        """``DELETE /v1/payment-receipts/{id}`` (what it paid is owed again)."""
        return self._delete(id, timeout=timeout)

    # -- the everyday jobs ----------------------------------------------------------------------

    def for_purchase(
        self,
        purchase: OwedDocument,
        *,
        payment: IdRef | Mapping[str, Any] | int,
        document: IdRef | Mapping[str, Any] | int,
        amount: MoneyInput | None = None,
        date: _dt.date | str | None = None,
        observations: str | None = None,
    ) -> PaymentReceiptCreateParams:
        """The body of a ``DebtPayment`` payment receipt for ``purchase`` (any document read from
        Siigo with ``supplier``, ``name``, ``number``, ``payments`` and ``balance``): what is
        still owed on it, or ``amount`` spread over its open installments in order, paid with
        ``payment`` (an ``FC`` payment type) on the payment-receipt type ``document``."""
        body = self._body_for(
            purchase,
            _party(getattr(purchase, "supplier", None)),
            payment=payment,
            amount=amount,
            receipt_type=document,
            date=date,
            observations=observations,
        )
        return build(PaymentReceiptCreateParams, body)

    def owed_to(
        self,
        identification: str,
        *,
        branch_office: int | None = None,
        purchases: Iterable[OwedDocument] | None = None,
        timeout: RequestTimeout = None,
    ) -> Owed:
        """What the company still owes the supplier ``identification``: its purchases with a
        balance.  ``purchases`` are the documents to read (default: every purchase, listed with
        ``client.purchases``; Siigo's list has no supplier filter, so they are filtered here)."""
        if purchases is None:
            resource = getattr(self._client, "purchases", None)
            if resource is None:
                raise SiigoError("this client has no purchases resource: pass purchases=[...]")
            purchases = resource.list(timeout=timeout)
        return self._owed(purchases, identification, branch_office)
