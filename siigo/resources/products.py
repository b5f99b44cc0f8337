"""``client.products``: products, services and combos (``/v1/products``)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, overload

from ..models.common import DeleteResult
from ..models.products import (
    PRODUCT_TYPES,
    PriceParam,
    Product,
    ProductAdditionalFieldsParam,
    ProductComponentParam,
    ProductCreateParams,
    ProductTaxParam,
    ProductType,
    ProductUpdateParams,
    TaxClassification,
)
from ..pagination import Page
from ._base import Resource, bad_filter, guid_list, guid_path, query

__all__ = ["MAX_IDS_FILTER", "DateFilter", "MoneyInput", "Products"]

MoneyInput = Decimal | int | str
"""An amount: a ``Decimal`` (or an int, or a numeric string); never a float."""

DateFilter = _dt.date | _dt.datetime | str
"""A date filter: a ``date``, a ``datetime`` (sent in UTC), ``'yyyy-MM-dd'`` or ``'yyyy-MM-ddTHH:mm:ssZ'``."""

MAX_IDS_FILTER = 20


def _fields(args: tuple[Any, ...], fields: dict[str, Any], what: str) -> Any:
    """The body source of a create/update call: one params object (or dict), or keyword fields."""
    if len(args) > 1:
        raise TypeError(f"{what} takes one positional params object, got {len(args)} positional arguments")
    if args:
        if fields:
            raise TypeError(
                f"{what}: pass either a params object or keyword fields, not both "
                f"(got params and {', '.join(sorted(fields))})"
            )
        return args[0]
    return fields


class Products(Resource):
    """``/v1/products``: create, read, replace, delete and list products.

    Body methods take the fields as keyword arguments with Siigo's names, or one ready
    :class:`ProductCreateParams` / :class:`ProductUpdateParams` (or a dict with wire names)
    as the only positional argument.  Bodies are validated locally before anything is sent.
    """

    @overload
    def create(self, params: ProductCreateParams | Mapping[str, Any], /) -> Product: ...

    @overload
    def create(
        self,
        *,
        code: str,
        name: str,
        account_group: int,
        type: ProductType | None = None,
        stock_control: bool | None = None,
        active: bool | None = None,
        tax_classification: TaxClassification | None = None,
        tax_included: bool | None = None,
        tax_consumption_value: MoneyInput | None = None,
        taxes: Sequence[ProductTaxParam | Mapping[str, Any]] | None = None,
        prices: Sequence[PriceParam | Mapping[str, Any]] | None = None,
        unit: str | None = None,
        unit_label: str | None = None,
        reference: str | None = None,
        description: str | None = None,
        additional_fields: ProductAdditionalFieldsParam | Mapping[str, Any] | None = None,
        components: Sequence[ProductComponentParam | Mapping[str, Any]] | None = None,
    ) -> Product: ...

    def create(self, *args: Any, **fields: Any) -> Product:
        """Create a product (``POST /v1/products``); the answer is the stored product."""
        body = self._body(ProductCreateParams, _fields(args, fields, "products.create"))
        return self._send("POST", "/v1/products", Product, body)

    def retrieve(self, id: str) -> Product:
        """One product by its GUID (``NotFoundError`` when it does not exist)."""
        path = f"/v1/products/{guid_path(id)}"
        return self._get(path, Product)

    @overload
    def update(self, id: str, params: ProductUpdateParams | Mapping[str, Any], /) -> Product: ...

    @overload
    def update(
        self,
        id: str,
        /,
        *,
        code: str,
        name: str,
        account_group: int,
        type: ProductType | None = None,
        stock_control: bool | None = None,
        active: bool | None = None,
        tax_classification: TaxClassification | None = None,
        tax_included: bool | None = None,
        tax_consumption_value: MoneyInput | None = None,
        taxes: Sequence[ProductTaxParam | Mapping[str, Any]] | None = None,
        prices: Sequence[PriceParam | Mapping[str, Any]] | None = None,
        unit: str | None = None,
        unit_label: str | None = None,
        reference: str | None = None,
        description: str | None = None,
        additional_fields: ProductAdditionalFieldsParam | Mapping[str, Any] | None = None,
        components: Sequence[ProductComponentParam | Mapping[str, Any]] | None = None,
    ) -> Product: ...

    def update(self, id: str, *args: Any, **fields: Any) -> Product:
        """Replace a product (``PUT /v1/products/{id}``).

        Siigo replaces the whole product: fields left out go back to their defaults.  To change
        a few fields, start from ``client.products.retrieve(id).to_update_params()``.
        """
        path = f"/v1/products/{guid_path(id)}"
        body = self._body(ProductUpdateParams, _fields(args, fields, "products.update"))
        return self._send("PUT", path, Product, body)

    def delete(self, id: str) -> DeleteResult:
        """Delete a product (``{id, deleted: true}``); Siigo refuses products with movements."""
        path = f"/v1/products/{guid_path(id)}"
        return self._send("DELETE", path, DeleteResult)

    def list(
        self,
        *,
        code: str | None = None,
        account_group: int | None = None,
        type: ProductType | None = None,
        stock_control: bool | None = None,
        active: bool | None = None,
        ids: Sequence[str] | None = None,
        created_start: DateFilter | None = None,
        created_end: DateFilter | None = None,
        updated_start: DateFilter | None = None,
        updated_end: DateFilter | None = None,
        date_start: DateFilter | None = None,
        date_end: DateFilter | None = None,
        page: int | None = None,
        page_size: int | None = None,
    ) -> Page[Product]:
        """Products, newest first; iterating the page walks every following page.

        ``active`` defaults to true on Siigo's side (inactive products are listed only with
        ``active=False``).  ``ids`` takes up to 20 GUIDs.  Siigo raises page sizes below 10
        and caps them at 100.
        """
        if type is not None and type not in PRODUCT_TYPES:
            raise bad_filter("type", f"must be one of {', '.join(PRODUCT_TYPES)}, got {type!r}")
        if isinstance(account_group, bool):
            raise bad_filter("account_group", "must be an account group id (an int)")
        id_filter = None
        if ids is not None:
            id_filter = guid_list(ids, "ids", most=MAX_IDS_FILTER)
        params = query(
            code=code,
            account_group=account_group,
            type=type,
            stock_control=stock_control,
            active=active,
            ids=id_filter,
            created_start=created_start,
            created_end=created_end,
            updated_start=updated_start,
            updated_end=updated_end,
            date_start=date_start,
            date_end=date_end,
            page=page,
            page_size=page_size,
        )
        return self._list("/v1/products", Product, params)
