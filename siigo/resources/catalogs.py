"""Catalog resources: users, account groups, taxes, price lists, warehouses, cost centers,
fixed assets, document types, payment types, expenses, other incomes, fixed-asset groups and the
electronic-document quota."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._refusals import kind_term, refuse
from ..kinds import KIND_CODES, KINDS, PAYMENT_KIND_CODES, PaymentKindCode
from ..models.catalogs import (
    AccountGroup,
    AccountGroupParams,
    AssetGroup,
    AvailableDocument,
    CostCenter,
    DocumentType,
    Expense,
    FixedAsset,
    MiscIncome,
    PaymentType,
    PriceList,
    Tax,
    User,
    Warehouse,
)
from ..models.common import DocumentTypeCode
from ..pagination import Catalog, Page
from ._base import RequestTimeout, Resource, int_path, query, shown

__all__ = [
    "AccountGroups",
    "AssetGroups",
    "AvailableDocuments",
    "CostCenters",
    "DocumentTypes",
    "Expenses",
    "FixedAssets",
    "MiscIncomes",
    "PaymentTypes",
    "PriceLists",
    "Taxes",
    "Users",
    "Warehouses",
]

DOCUMENT_TYPES: tuple[str, ...] = KIND_CODES
PAYMENT_DOCUMENT_TYPES: tuple[str, ...] = PAYMENT_KIND_CODES
PaymentDocumentType = PaymentKindCode


class Users(Resource):
    """``/v1/users``: sellers and collectors (the only paginated catalog)."""

    def list(
        self, *, page: int | None = None, page_size: int | None = None, timeout: RequestTimeout = None
    ) -> Page[User]:
        return self._list("/v1/users", User, query(page=page, page_size=page_size), timeout=timeout)


class AccountGroups(Resource):
    """``/v1/account-groups``: inventory classifications."""

    def list(self, *, timeout: RequestTimeout = None) -> Catalog[AccountGroup]:
        return self._get_array("/v1/account-groups", AccountGroup, timeout=timeout)

    def create(self, *, code: str, name: str, timeout: RequestTimeout = None) -> AccountGroup:
        body = self._body(AccountGroupParams, {"code": code, "name": name})
        return self._send("POST", "/v1/account-groups", AccountGroup, body, timeout=timeout)

    def update(self, id: int, *, code: str, name: str, timeout: RequestTimeout = None) -> AccountGroup:
        path = f"/v1/account-groups/{int_path(id)}"
        body = self._body(AccountGroupParams, {"code": code, "name": name})
        return self._send("PUT", path, AccountGroup, body, timeout=timeout)


class Taxes(Resource):
    """``/v1/taxes``: taxes and withholdings."""

    def list(self, *, timeout: RequestTimeout = None) -> Catalog[Tax]:
        return self._get_array("/v1/taxes", Tax, timeout=timeout)


class PriceLists(Resource):
    def list(self, *, timeout: RequestTimeout = None) -> Catalog[PriceList]:
        return self._get_array("/v1/price-lists", PriceList, timeout=timeout)


class Warehouses(Resource):
    def list(self, *, timeout: RequestTimeout = None) -> Catalog[Warehouse]:
        return self._get_array("/v1/warehouses", Warehouse, timeout=timeout)


class CostCenters(Resource):
    def list(self, *, timeout: RequestTimeout = None) -> Catalog[CostCenter]:
        return self._get_array("/v1/cost-centers", CostCenter, timeout=timeout)


class FixedAssets(Resource):
    def list(self, *, timeout: RequestTimeout = None) -> Catalog[FixedAsset]:
        return self._get_array("/v1/fixed-assets", FixedAsset, timeout=timeout)


class Expenses(Resource):
    """``/v1/expenses``: the discount concepts of cash-receipt items (``name`` starts with the
    account code)."""

    def list(self, *, timeout: RequestTimeout = None) -> Catalog[Expense]:
        return self._get_array("/v1/expenses", Expense, timeout=timeout)


class MiscIncomes(Resource):
    """``/v1/misc-incomes``: the "other income" concepts of ``MiscIncome`` cash receipts."""

    def list(self, *, timeout: RequestTimeout = None) -> Catalog[MiscIncome]:
        return self._get_array("/v1/misc-incomes", MiscIncome, timeout=timeout)


class AssetGroups(Resource):
    """``/v1/asset-groups``: fixed-asset groups (only in Siigo's JS SDK; siigo-api.md §B.0)."""

    def list(self, *, timeout: RequestTimeout = None) -> Catalog[AssetGroup]:
        return self._get_array("/v1/asset-groups", AssetGroup, timeout=timeout)


class AvailableDocuments(Resource):
    """``/v1/available-documents``: the electronic documents the plan bought, used and has left
    (only in Siigo's JS SDK; siigo-api.md §B.0).  Not cached: every accepted document uses one."""

    def list(self, *, timeout: RequestTimeout = None) -> Catalog[AvailableDocument]:
        return self._get_array("/v1/available-documents", AvailableDocument, timeout=timeout)


def choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of ``allowed``, else a local ValidationError that lists them."""
    if value not in allowed:
        kind = KINDS.get(value) if isinstance(value, str) else None
        if kind is not None and kind.payment_document_type and name in ("document_type", "doc_type"):
            raise refuse(
                "invalid_value",
                "catalogs.no_payment_types_of_kind",
                name,
                name=name,
                choices=", ".join(allowed),
                value=shown(value),
                code=kind.code,
                use=kind.payment_document_type,
                kinds=kind_term(kind, plural=True),
            )
        raise refuse(
            "invalid_value",
            "catalogs.not_one_of",
            name,
            name=name,
            choices=", ".join(allowed),
            value=shown(value),
        )
    return str(value)


class DocumentTypes(Resource):
    """``/v1/document-types?type=...`` (Siigo requires the type)."""

    def list(self, *, type: DocumentTypeCode, timeout: RequestTimeout = None) -> Catalog[DocumentType]:
        params: Mapping[str, str] = {"type": choice("type", type, DOCUMENT_TYPES)}
        return self._get_array("/v1/document-types", DocumentType, params, timeout=timeout)


class PaymentTypes(Resource):
    """``/v1/payment-types?document_type=...`` (FV, NC, RC or FC; use FC for payment receipts)."""

    def list(
        self, *, document_type: PaymentDocumentType, timeout: RequestTimeout = None
    ) -> Catalog[PaymentType]:
        params = {"document_type": choice("document_type", document_type, PAYMENT_DOCUMENT_TYPES)}
        return self._get_array("/v1/payment-types", PaymentType, params, timeout=timeout)
