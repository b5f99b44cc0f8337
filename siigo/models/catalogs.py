"""Catalog entries: users, account groups, taxes, price lists, warehouses, cost centers,
fixed assets, document types, payment types, expenses, other incomes, fixed-asset groups and the
electronic-document quota (siigo-api.md D.2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from ._base import RequestModel, ResponseModel, rule_error
from .common import DocumentTypeCodeValue, TaxTypeValue, to_int

__all__ = [
    "AccountGroup",
    "AccountGroupParams",
    "AssetGroup",
    "AvailableDocument",
    "CostCenter",
    "DocumentType",
    "Expense",
    "FixedAsset",
    "GlobalAdjustment",
    "MiscIncome",
    "PaymentType",
    "PriceList",
    "Tax",
    "User",
    "Warehouse",
]

_CatalogId = Annotated[int, BeforeValidator(to_int)]


class User(ResponseModel):
    """A Siigo user: the ids used as ``seller`` and ``collector``."""

    id: _CatalogId
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    active: bool | None = None
    identification: str | None = None


class AccountGroup(ResponseModel):
    """Inventory classification (``account_group`` of products)."""

    id: _CatalogId
    name: str | None = None
    active: bool | None = None
    code: str | None = None


def _alphanumeric_code(value: str) -> str:
    if not value.isascii() or not value.isalnum():
        raise rule_error("invalid_code", "models.group_code", value=repr(value))
    return value


class AccountGroupParams(RequestModel):
    """Body of ``POST /v1/account-groups`` and ``PUT /v1/account-groups/{id}``."""

    code: Annotated[str, Field(min_length=1, max_length=10), AfterValidator(_alphanumeric_code)]
    name: Annotated[str, Field(min_length=1, max_length=50)]


class Tax(ResponseModel):
    """A tax or withholding; ``type`` is one of IVA, Retefuente, ReteIVA, ReteICA,
    Impoconsumo, AdValorem, Autorretencion (kept as text if Siigo adds another)."""

    id: _CatalogId
    name: str | None = None
    type: TaxTypeValue | None = None
    percentage: Decimal | None = None
    active: bool | None = None


class PriceList(ResponseModel):
    id: _CatalogId
    name: str | None = None
    active: bool | None = None
    position: int | None = None


class Warehouse(ResponseModel):
    id: _CatalogId
    name: str | None = None
    active: bool | None = None
    has_movements: bool | None = None


class CostCenter(ResponseModel):
    id: _CatalogId
    code: str | None = None
    name: str | None = None
    active: bool | None = None


class FixedAsset(ResponseModel):
    id: _CatalogId
    name: str | None = None
    group: str | None = None
    active: bool | None = None


class GlobalAdjustment(ResponseModel):
    """A global discount or charge configured on a document type."""

    id: _CatalogId
    name: str | None = None
    percentage: Decimal | None = None
    active: bool | None = None


class DocumentType(ResponseModel):
    """A document (comprobante) type; the flags drive how documents of this type are built."""

    id: _CatalogId
    code: str | None = None
    name: str | None = None
    description: str | None = None
    type: DocumentTypeCodeValue | None = None
    active: bool | None = None
    seller_by_item: bool | None = None
    cost_center: bool | None = None
    cost_center_mandatory: bool | None = None
    cost_center_default: int | None = None
    automatic_number: bool | None = None
    consecutive: int | None = None
    discount_type: str | None = None
    decimals: bool | None = None
    advance_payment: bool | None = None
    reteiva: bool | None = None
    reteica: bool | None = None
    self_withholding: bool | None = None
    self_withholding_limit: Decimal | None = None
    electronic_type: str | None = None
    official_book: str | None = None
    document_support: bool | None = None
    prefix: str | None = None
    cargo_transportation: bool | None = None
    healthcare_company: bool | None = None
    customer_by_item: bool | None = None
    consumption_tax: bool | None = None
    global_discounts: list[GlobalAdjustment] | None = None
    global_charges: list[GlobalAdjustment] | None = None

    @property
    def is_electronic(self) -> bool:
        return bool(self.electronic_type) and self.electronic_type != "NoElectronic"


class PaymentType(ResponseModel):
    """A payment method; ``due_date`` marks credit methods (they need ``payments[].due_date``)."""

    id: _CatalogId
    name: str | None = None
    type: str | None = None
    active: bool | None = None
    due_date: bool | None = None


class Expense(ResponseModel):
    """A discount concept usable in cash-receipt items (``GET /v1/expenses``); ``name`` often
    starts with its account code (``"53052001 - Descuentos comerciales condicionados"``)."""

    id: _CatalogId
    name: str | None = None
    active: bool | None = None

    @property
    def account_code(self) -> str | None:
        """The account code ``name`` starts with, if it does."""
        return _leading_code(self.name)


class MiscIncome(ResponseModel):
    """An "other income" concept of ``MiscIncome`` cash receipts (``GET /v1/misc-incomes``);
    ``name`` often starts with its account code."""

    id: _CatalogId
    name: str | None = None
    active: bool | None = None

    @property
    def account_code(self) -> str | None:
        """The account code ``name`` starts with, if it does."""
        return _leading_code(self.name)


class AssetGroup(ResponseModel):
    """A fixed-asset group (``GET /v1/asset-groups``; only in Siigo's JS SDK, §B.0 row 15)."""

    id: _CatalogId
    name: str | None = None
    active: bool | None = None


class AvailableDocument(ResponseModel):
    """The company's electronic-document quota for one kind (``GET /v1/available-documents``;
    only in Siigo's JS SDK, snake_case assumed, §D.2)."""

    type: DocumentTypeCodeValue | None = None
    total_purchased: int | None = None
    used: int | None = None
    available: int | None = None


def _leading_code(name: str | None) -> str | None:
    head = (name or "").split(" - ", 1)[0].strip()
    return head if head.isdigit() else None
