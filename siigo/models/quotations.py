"""Quotations (cotizaciones, kind ``C``): ``/v1/quotations`` (siigo-api.md §B.8, §C.7, §D.8).

A quotation has an invoice's lines and totals but no payments, stamp or mail; Siigo has no
endpoint that turns one into an invoice (the SDK builds the invoice body from it:
:meth:`siigo.resources.quotations.Quotations.to_invoice`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ._base import DateParam, RequestModel
from .common import CustomerRef, IdRef
from .documents import CatalogId, CurrencyParam, DocumentFields, ItemParam, Lines, items_rule

__all__ = ["Quotation", "QuotationCreateParams", "QuotationUpdateParams"]


class QuotationCreateParams(Lines, RequestModel):
    """Body of ``POST /v1/quotations`` (§C.7): the lines are invoice lines; no payments."""

    document: IdRef
    number: Annotated[int, Field(gt=0)] | None = None
    date: DateParam
    customer: CustomerRef
    seller: CatalogId
    cost_center: CatalogId | None = None
    currency: CurrencyParam | None = None
    observations: Annotated[str, Field(max_length=4000)] | None = None
    items: Annotated[list[ItemParam], items_rule]


class QuotationUpdateParams(QuotationCreateParams):
    """Body of ``PUT /v1/quotations/{id}``: the whole quotation (``items`` are replaced);
    ``document``, ``number``, ``customer`` and ``currency.code`` cannot change
    (``non_editable``)."""


class Quotation(DocumentFields):
    """A quotation as Siigo returns it (§D.8); ``public_url`` is its shareable view."""

    id: str
    public_url: str | None = None
