"""Quotations: ``client.quotations`` (siigo-api.md §B.8, §C.7, §D.8).

>>> quote = client.quotations.create(document={"id": 28492}, date="2026-03-04",
...     customer={"identification": "900123456"}, seller=4120,
...     items=[{"code": "SKU-1", "quantity": 2, "price": "100.00", "taxes": [{"id": 18401}]}])
>>> body = client.quotations.to_invoice(quote, document={"id": 28451})
>>> client.invoices.create(body, payments=[{"id": 6101, "value": quote.total}])

The lines and their totals are the invoice's (the same models, rules and math); there are no
payments, stamp, mail or ``Idempotency-Key``.  ``update`` is a full replacement (items included);
``document``, ``number``, ``customer`` and ``currency.code`` cannot change (``non_editable``).
Siigo has no endpoint that turns a quotation into an invoice: :meth:`Quotations.to_invoice`
builds the invoice body.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any

from typing_extensions import TypedDict, Unpack

from ..kinds import QUOTATION
from ..models.common import CustomerRef, CustomerRefDict, DateInput, DeleteResult, IdName, IdRef, IdRefDict
from ..models.documents import CurrencyDict, CurrencyParam, ItemDict, ItemParam
from ..models.quotations import Quotation, QuotationCreateParams, QuotationUpdateParams
from ..pagination import Page
from ._base import DateFilter, RequestTimeout
from ._documents import DocumentResource, ReadingArg

__all__ = ["QuotationFields", "Quotations"]


class QuotationFields(TypedDict, total=False):
    """The fields of a quotation body with their wire names (siigo-api.md §C.7)."""

    document: IdRef | IdRefDict
    number: int
    date: DateInput
    customer: CustomerRef | CustomerRefDict
    seller: int
    cost_center: int
    currency: CurrencyParam | CurrencyDict
    observations: str
    items: Sequence[ItemParam | ItemDict]


def _id_of(value: object) -> int | None:
    if isinstance(value, IdName):
        value = value.id
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class Quotations(DocumentResource[Quotation]):
    """``/v1/quotations``: create, read, list, update, delete; :meth:`to_invoice`."""

    kind = QUOTATION
    model = Quotation

    def create(
        self,
        params: QuotationCreateParams | Quotation | Mapping[str, Any] | None = None,
        /,
        *,
        preflight: bool = True,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[QuotationFields],
    ) -> Quotation:
        """``POST /v1/quotations``: a model, a dict, keyword arguments, or a model/dict plus
        keyword overrides.  ``preflight=False`` skips the catalog checks (document type, taxes,
        document-type flags, that the totals can be computed)."""
        return self._create_document(
            QuotationCreateParams, params, fields, preflight=preflight, reading=reading, timeout=timeout
        )

    def retrieve(self, id: str, *, timeout: RequestTimeout = None) -> Quotation:
        """``GET /v1/quotations/{id}``."""
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
    ) -> Page[Quotation]:
        """``GET /v1/quotations``: iterate the result to walk every page."""
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

    def update(
        self,
        id: str,
        params: QuotationUpdateParams | QuotationCreateParams | Quotation | Mapping[str, Any] | None = None,
        /,
        *,
        preflight: bool = True,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[QuotationFields],
    ) -> Quotation:
        """``PUT /v1/quotations/{id}``: the whole quotation; its items are replaced."""
        return self._update_document(
            id, QuotationUpdateParams, params, fields, preflight=preflight, reading=reading, timeout=timeout
        )

    def delete(self, id: str, *, timeout: RequestTimeout = None) -> DeleteResult:
        """``DELETE /v1/quotations/{id}``."""
        return self._delete(id, timeout=timeout)

    @staticmethod
    def to_invoice(
        quotation: Quotation,
        *,
        document: IdRef | Mapping[str, Any],
        date: _dt.date | str | None = None,
    ) -> dict[str, Any]:
        """The body of a sales invoice with the quotation's customer, seller, cost center,
        currency, observations and lines (code, description, quantity, price, discount, taxes),
        for the invoice ``document`` type and ``date`` (default: the quotation's).  It has no
        payments: add them (``client.invoices.create(body, payments=[...])``)."""
        body: dict[str, Any] = {
            "document": document.to_wire() if isinstance(document, IdRef) else dict(document),
            "date": date if date is not None else quotation.date,
        }
        if quotation.customer is not None:
            body["customer"] = {
                "identification": quotation.customer.identification,
                "branch_office": quotation.customer.branch_office or 0,
            }
        seller = _id_of(quotation.seller)
        if seller is not None:
            body["seller"] = seller
        cost_center = _id_of(quotation.cost_center)
        if cost_center is not None:
            body["cost_center"] = cost_center
        if quotation.currency is not None and quotation.currency.code:
            body["currency"] = {
                "code": quotation.currency.code,
                "exchange_rate": quotation.currency.exchange_rate,
            }
        if quotation.observations:
            body["observations"] = quotation.observations
        items = []
        for item in quotation.items or ():
            line: dict[str, Any] = {"code": item.code, "quantity": item.quantity, "price": item.price}
            if item.description is not None:
                line["description"] = item.description
            if item.discount is not None and item.discount.value:
                line["discount"] = item.discount.value
            taxes = [{"id": tax.id} for tax in item.taxes or () if tax.id is not None]
            if taxes:
                line["taxes"] = taxes
            items.append(line)
        body["items"] = items
        return body
