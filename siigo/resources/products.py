"""``client.products``: products, services and combos (``/v1/products``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, overload

from typing_extensions import Required, TypedDict, Unpack

from ..models.common import DeleteResult
from ..models.products import (
    PRODUCT_TYPES,
    PriceDict,
    PriceParam,
    Product,
    ProductAdditionalFieldsDict,
    ProductAdditionalFieldsParam,
    ProductComponentDict,
    ProductComponentParam,
    ProductCreateParams,
    ProductTaxDict,
    ProductTaxParam,
    ProductType,
    ProductUpdateParams,
    TaxClassification,
)
from ..pagination import Page
from ._base import (
    DateFilter,
    MoneyInput,
    RequestTimeout,
    Resource,
    bad_filter,
    body_source,
    guid_list,
    guid_path,
    query,
    shown,
)

__all__ = ["MAX_IDS_FILTER", "ProductFields", "Products"]

MAX_IDS_FILTER = 20


class ProductFields(TypedDict, total=False):
    """The fields of a product body with their wire names (siigo-api.md §C.1), as keyword
    arguments of :meth:`Products.create` and :meth:`Products.update`.  Nested parts take the
    ``...Param`` models or dicts of the matching ``...Dict`` shape; ``code``, ``name`` and
    ``account_group`` are required."""

    code: Required[str]
    name: Required[str]
    account_group: Required[int]
    type: ProductType
    stock_control: bool
    active: bool
    tax_classification: TaxClassification
    tax_included: bool
    tax_consumption_value: MoneyInput
    taxes: Sequence[ProductTaxParam | ProductTaxDict]
    prices: Sequence[PriceParam | PriceDict]
    unit: str
    unit_label: str
    reference: str
    description: str
    additional_fields: ProductAdditionalFieldsParam | ProductAdditionalFieldsDict
    components: Sequence[ProductComponentParam | ProductComponentDict]


class Products(Resource):
    """``/v1/products``: create, read, replace, delete and list products.

    Body methods take the fields as keyword arguments with Siigo's names, or one ready
    :class:`ProductCreateParams` / :class:`ProductUpdateParams` (or a dict with wire names)
    as the only positional argument.  Bodies are validated locally before anything is sent.
    """

    @overload
    def create(
        self,
        params: ProductCreateParams | Mapping[str, Any],
        /,
        *,
        timeout: RequestTimeout = None,
        **fields: Any,
    ) -> Product: ...

    @overload
    def create(self, *, timeout: RequestTimeout = None, **fields: Unpack[ProductFields]) -> Product: ...

    def create(self, *args: Any, timeout: RequestTimeout = None, **fields: Any) -> Product:  # type: ignore[misc]
        """Create a product (``POST /v1/products``); the answer is the stored product."""
        body = self._body(ProductCreateParams, body_source(args, fields, "products.create"))
        return self._send("POST", "/v1/products", Product, body, timeout=timeout)

    def retrieve(self, id: str, *, timeout: RequestTimeout = None) -> Product:
        """One product by its GUID (``NotFoundError`` when it does not exist)."""
        path = f"/v1/products/{guid_path(id)}"
        return self._get(path, Product, timeout=timeout)

    @overload
    def update(
        self,
        id: str,
        params: ProductUpdateParams | Mapping[str, Any],
        /,
        *,
        timeout: RequestTimeout = None,
        **fields: Any,
    ) -> Product: ...

    @overload
    def update(
        self, id: str, /, *, timeout: RequestTimeout = None, **fields: Unpack[ProductFields]
    ) -> Product: ...

    def update(self, id: str, *args: Any, timeout: RequestTimeout = None, **fields: Any) -> Product:  # type: ignore[misc]
        """Replace a product (``PUT /v1/products/{id}``).

        Siigo replaces the whole product: fields left out go back to their defaults.  To change
        a few fields, start from ``client.products.retrieve(id).to_update_params()``.
        """
        path = f"/v1/products/{guid_path(id)}"
        body = self._body(ProductUpdateParams, body_source(args, fields, "products.update"))
        return self._send("PUT", path, Product, body, timeout=timeout)

    def delete(self, id: str, *, timeout: RequestTimeout = None) -> DeleteResult:
        """Delete a product (``{id, deleted: true}``); Siigo refuses products with movements."""
        path = f"/v1/products/{guid_path(id)}"
        return self._send("DELETE", path, DeleteResult, timeout=timeout)

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
        timeout: RequestTimeout = None,
    ) -> Page[Product]:
        """Products, newest first; iterating the page walks every following page.

        ``active`` defaults to true on Siigo's side (inactive products are listed only with
        ``active=False``).  ``ids`` takes up to 20 GUIDs.  Siigo raises page sizes below 10
        and caps them at 100.
        """
        if type is not None and type not in PRODUCT_TYPES:
            raise bad_filter(
                "type", "resources.filter_one_of", choices=", ".join(PRODUCT_TYPES), value=shown(type)
            )
        if isinstance(account_group, bool):
            raise bad_filter("account_group", "resources.filter_account_group")
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
        return self._list("/v1/products", Product, params, timeout=timeout)
