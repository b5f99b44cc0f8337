"""Purchases (facturas de compra o gasto) and purchase support documents (documentos soporte):
``/v1/purchases`` and ``/v1/purchase-support-documents`` (siigo-api.md §B.9, §B.10, §C.8, §C.9,
§D.11).

Both are documents of a **supplier**: ``supplier{identification, branch_office}`` instead of a
customer, payments read with the purchase payment types, and lines that are not only products:
each item has a ``type`` — ``Product`` (a product code; it enters stock), ``FixedAsset`` (a fixed
asset) or ``Account`` (an expense booked straight to a ledger account) — and its ``code``.  A
purchase carries the supplier's own invoice number (``provider_invoice``), a support document
the supplier's receipt number (``supplier_receipt_number``).  ``discount_type`` says how item
discounts are read; ``tax_included: true`` makes item prices VAT-inclusive (1 000 with IVA 19 %
→ 840.34 + 159.66, the math of :mod:`siigo.totals`).

The models check the shape; the format of the supplier's numbering, ``supplier`` on items only
with ``supplier_by_item`` and the fields that cannot change on an edit are the rules of
:mod:`siigo.rules.purchases`, run by the resources' preflight and by the sandbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field
from typing_extensions import Required, TypedDict

from .. import totals
from ._base import DateParam, Money, Price, Quantity, RequestModel, ResponseModel, rule_error
from .common import CustomerRef, CustomerRefDict, IdRef, IdRefDict, MoneyInput
from .documents import (
    MAX_TAXES_PER_ITEM,
    CatalogId,
    CurrencyParam,
    DocumentCustomer,
    DocumentFields,
    Item,
    ItemCode,
    Lines,
    OptionalDecimal,
    Payment,
    PaymentParam,
    Retention,
    Stamp,
    StampParam,
    _check_description,
    _to_str,
    items_rule,
    payments_rule,
    retentions_rule,
)

__all__ = [
    "PURCHASE_ITEM_TYPES",
    "DiscountTypeName",
    "ProviderInvoice",
    "ProviderInvoiceDict",
    "ProviderInvoiceParam",
    "Purchase",
    "PurchaseCreateParams",
    "PurchaseItem",
    "PurchaseItemDict",
    "PurchaseItemParam",
    "PurchaseItemType",
    "PurchaseSupportDocument",
    "PurchaseSupportDocumentCreateParams",
    "PurchaseSupportDocumentUpdateParams",
    "PurchaseUpdateParams",
    "SupplierReceiptNumber",
    "SupplierReceiptNumberDict",
    "SupplierReceiptNumberParam",
]

PurchaseItemType = Literal["Product", "FixedAsset", "Account"]
"""``items[].type`` of a purchase: a product, a fixed asset or a ledger account."""
PURCHASE_ITEM_TYPES: tuple[PurchaseItemType, ...] = ("Product", "FixedAsset", "Account")

DiscountTypeName = Literal["Percentage", "Value"]
"""``discount_type``: item discounts as a percentage of the line, or as an amount."""


def _item_taxes(value: list[IdRef] | None) -> list[IdRef] | None:
    # The same shape rule as a sales item's taxes (§C.3.2): at most 3, none twice.
    if value is None:
        return value
    if len(value) > MAX_TAXES_PER_ITEM:
        raise rule_error(
            "invalid_array", "models.item_taxes_count", most=MAX_TAXES_PER_ITEM, count=len(value)
        )
    ids = [tax.id for tax in value]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise rule_error("invalid_array", "models.item_tax_twice", ids=repeated)
    return value


_Text = Annotated[str, BeforeValidator(_to_str)]


class ProviderInvoiceParam(RequestModel):
    """The supplier's own invoice: ``prefix`` (up to 6 letters and digits) and ``number`` (up to
    11 digits, sent as text; an int is accepted).  Formats: :mod:`siigo.rules.purchases`."""

    prefix: _Text | None = None
    number: _Text


class SupplierReceiptNumberParam(RequestModel):
    """The receipt of the supplier a support document backs: ``prefix`` 1-6 letters and digits,
    ``number`` 1-11 digits (§C.9)."""

    prefix: _Text | None = None
    number: _Text


class PurchaseItemParam(RequestModel):
    """One line of a purchase or support document (§C.8 ``items[]``): ``type`` and ``code`` say
    what was bought (a product code, a fixed asset, an account number); ``supplier`` only when
    the document has ``supplier_by_item: true``."""

    type: PurchaseItemType
    code: ItemCode
    description: Annotated[str, Field(max_length=2500), AfterValidator(_check_description)] | None = None
    quantity: Quantity
    price: Price
    discount: Money | None = None
    taxes: Annotated[list[IdRef] | None, AfterValidator(_item_taxes)] = None
    warehouse: CatalogId | None = None
    supplier: CustomerRef | None = None

    @property
    def seller(self) -> None:
        """Purchases have no sellers (read by the rules shared with sales documents)."""
        return None

    def line_input(self, *, tax_included: bool = False) -> totals.LineInput:
        """This item as input of :mod:`siigo.totals` (``tax_included``: the price includes VAT)."""
        return totals.LineInput(
            quantity=self.quantity,
            price=self.price,
            discount=self.discount,
            tax_ids=tuple(tax.id for tax in self.taxes or ()),
            tax_included=tax_included,
        )


class _SupplierDocument(Lines, RequestModel):
    """What a purchase and a support document share."""

    document: IdRef
    number: Annotated[int, Field(gt=0)] | None = None
    date: DateParam
    supplier: CustomerRef
    cost_center: CatalogId | None = None
    currency: CurrencyParam | None = None
    observations: Annotated[str, Field(max_length=4000)] | None = None
    discount_type: DiscountTypeName | None = None
    supplier_by_item: bool | None = None
    tax_included: bool | None = None
    retentions: Annotated[list[IdRef] | None, retentions_rule] = None
    items: Annotated[list[PurchaseItemParam], items_rule]  # type: ignore[assignment]
    payments: Annotated[list[PaymentParam], payments_rule]

    def line_inputs(self) -> list[totals.LineInput]:
        """The items as inputs of :func:`siigo.totals.compute_document`, VAT-inclusive prices
        split when ``tax_included``."""
        included = bool(self.tax_included)
        return [item.line_input(tax_included=included) for item in self.items]


class PurchaseCreateParams(_SupplierDocument):
    """Body of ``POST /v1/purchases`` (§C.8).  Σ payments must equal the total Siigo computes
    (checked with the catalogs by :func:`siigo.rules.purchases.check_purchase`)."""

    provider_invoice: ProviderInvoiceParam | None = None


class PurchaseUpdateParams(PurchaseCreateParams):
    """Body of ``PUT /v1/purchases/{id}``: the whole purchase, ``provider_invoice`` required;
    ``document.id``, ``supplier.identification``, ``currency.code`` and ``number`` cannot change
    (``non_editable``)."""

    provider_invoice: ProviderInvoiceParam


class PurchaseSupportDocumentCreateParams(_SupplierDocument):
    """Body of ``POST /v1/purchase-support-documents`` (§C.9, thin evidence): a purchase's body
    with ``supplier_receipt_number`` and ``stamp{send}`` (an electronic document DIAN stamps)."""

    supplier_receipt_number: SupplierReceiptNumberParam | None = None
    stamp: StampParam | None = None


class PurchaseSupportDocumentUpdateParams(PurchaseSupportDocumentCreateParams):
    """Body of ``PUT /v1/purchase-support-documents/{id}``: the same immutable fields as a
    purchase."""


class ProviderInvoiceDict(TypedDict, total=False):
    """:class:`ProviderInvoiceParam` as a dict."""

    prefix: str
    number: Required[str | int]


class SupplierReceiptNumberDict(TypedDict, total=False):
    """:class:`SupplierReceiptNumberParam` as a dict."""

    prefix: str
    number: Required[str | int]


class PurchaseItemDict(TypedDict, total=False):
    """:class:`PurchaseItemParam` as a dict."""

    type: Required[PurchaseItemType]
    code: Required[str]
    description: str
    quantity: Required[MoneyInput]
    price: Required[MoneyInput]
    discount: MoneyInput
    taxes: Sequence[IdRef | IdRefDict]
    warehouse: int
    supplier: CustomerRef | CustomerRefDict


# --- responses ---------------------------------------------------------------------------------


class ProviderInvoice(ResponseModel):
    prefix: str | None = None
    number: str | None = None


class SupplierReceiptNumber(ResponseModel):
    prefix: str | None = None
    number: str | None = None


class PurchaseItem(Item):
    """An item as Siigo returns it: ``type`` is kept as text (an example answers ``"item"``
    for a ``Product`` line, §C.8)."""

    type: str | None = None
    supplier: DocumentCustomer | None = None


class _SupplierDocumentOut(DocumentFields):
    id: str
    supplier: DocumentCustomer | None = None
    discount_type: str | None = None
    supplier_by_item: bool | None = None
    tax_included: bool | None = None
    balance: OptionalDecimal = None
    items: list[PurchaseItem] | None = None  # type: ignore[assignment]
    retentions: list[Retention] | None = None
    payments: list[Payment] | None = None


class Purchase(_SupplierDocumentOut):
    """A purchase as Siigo returns it (POST/PUT/GET and list items, §D.11); ``balance`` is what
    is still owed to the supplier."""

    provider_invoice: ProviderInvoice | None = None


class PurchaseSupportDocument(_SupplierDocumentOut):
    """A support document as Siigo returns it; ``stamp.cude`` is DIAN's code once accepted."""

    supplier_receipt_number: SupplierReceiptNumber | None = None
    stamp: Stamp | None = None

    @property
    def cude(self) -> str | None:
        """DIAN's CUDE once the document was accepted (empty or ``None`` before)."""
        return self.stamp.cude if self.stamp else None
