"""Catalog entries: users, account groups, taxes, price lists, warehouses, cost centers,
fixed assets, document types and payment types (siigo-api.md D.2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from ._base import RequestModel, ResponseModel, rule_error
from .common import DocumentTypeCodeValue, TaxTypeValue, to_int

__all__ = [
    "AccountGroup",
    "AccountGroupParams",
    "CostCenter",
    "DocumentType",
    "FixedAsset",
    "GlobalAdjustment",
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
