"""Stock of stock-controlled products, per warehouse: the one place stock changes.

A document that moves goods states its whole effect with :func:`post_stock` (an invoice sells:
negative quantities; a credit note that returns goods or a purchase: positive).  Posting again
for the same document replaces its earlier effect (an edited invoice), posting ``[]`` removes it
(a deleted or annulled invoice).  Each product whose stock changed gets the new
``warehouses[].quantity``, ``available_quantity`` (their sum) and ``metadata.stock_updated``,
and one ``public.siigoapi.products.stock.update`` event.  Stock may go below zero (Siigo lets a
company sell without stock unless it is configured otherwise ❓).

Tests and scripts set a product's stock with :func:`set_stock` (an inventory adjustment; it
also emits the event), ``Sandbox.set_stock`` or ``POST /_sandbox/products/{id}/stock``
``{"quantity": 10, "warehouse": 3301}``.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request

from ...models.webhooks import TOPIC_STOCK_UPDATE
from ..control import control_route
from ..state import SandboxState, Tenant
from ._common import catalog_entry
from .webhooks import emit

if TYPE_CHECKING:
    from ..app import SandboxApp

__all__ = ["StockLine", "default_warehouse", "post_stock", "set_stock"]

StockLine = tuple[str, int, Decimal]
"""``(product id, warehouse id, signed quantity)``."""


def default_warehouse(tenant: Tenant) -> int:
    """The warehouse used when a document line names none: the company's first active one."""
    rows = tenant.catalogs["warehouses"]
    chosen = next((row for row in rows if row.get("active", True)), rows[0])
    return int(chosen["id"])


def post_stock(state: SandboxState, tenant: Tenant, document_id: str, lines: Iterable[StockLine]) -> None:
    """Make ``lines`` the stock effect of document ``document_id`` (see the module).  Called
    under ``state.lock``."""
    ledger: dict[str, list[StockLine]] = tenant.extra.setdefault("stock_postings", {})
    new = [(product, int(warehouse), Decimal(quantity)) for product, warehouse, quantity in lines]
    changes: dict[tuple[str, int], Decimal] = collections.defaultdict(Decimal)
    for product, warehouse, quantity in ledger.pop(document_id, []):
        changes[(product, warehouse)] -= quantity
    for product, warehouse, quantity in new:
        changes[(product, warehouse)] += quantity
    if new:
        ledger[document_id] = new
    _apply(state, tenant, changes)


def set_stock(
    state: SandboxState, tenant: Tenant, product_id: str, quantity: Decimal, warehouse: int | None = None
) -> dict[str, Any]:
    """Set the stock of a product in one warehouse (default: :func:`default_warehouse`); the
    product as stored.  ``KeyError`` for an unknown product, ``ValueError`` for a product without
    stock control or an unknown warehouse."""
    with state.lock:
        product = tenant.products[product_id]
        if not product.get("stock_control"):
            raise ValueError(f"the product {product['code']} has no stock control")
        warehouse_id = default_warehouse(tenant) if warehouse is None else warehouse
        if catalog_entry(tenant.catalogs["warehouses"], warehouse_id) is None:
            raise ValueError(f"there is no warehouse {warehouse_id}")
        current = next((w["quantity"] for w in product["warehouses"] if w["id"] == warehouse_id), Decimal(0))
        _apply(state, tenant, {(product_id, warehouse_id): Decimal(quantity) - Decimal(current)}, force=True)
        return product


def _apply(
    state: SandboxState, tenant: Tenant, changes: Mapping[tuple[str, int], Decimal], *, force: bool = False
) -> None:
    touched: list[str] = []
    for (product_id, warehouse_id), delta in changes.items():
        product = tenant.products.get(product_id)
        if product is None or (not delta and not force):
            continue
        rows: list[dict[str, Any]] = product.setdefault("warehouses", [])
        row = next((w for w in rows if w["id"] == warehouse_id), None)
        if row is None:
            entry = catalog_entry(tenant.catalogs["warehouses"], warehouse_id) or {}
            row = {"id": warehouse_id, "name": entry.get("name"), "quantity": Decimal(0)}
            rows.append(row)
        row["quantity"] = Decimal(row["quantity"]) + delta
        if product_id not in touched:
            touched.append(product_id)
    for product_id in touched:
        product = tenant.products[product_id]
        product["available_quantity"] = sum(
            (Decimal(w["quantity"]) for w in product["warehouses"]), Decimal(0)
        )
        product["metadata"]["stock_updated"] = state.timestamp()
        emit(state, tenant, TOPIC_STOCK_UPDATE, product)


@control_route("POST", "/products/{id}/stock")
def _control_stock(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    if (
        not isinstance(body, dict)
        or "quantity" not in body
        or set(body) - {"quantity", "warehouse", "company"}
    ):
        raise ValueError('send {"quantity": n} with an optional "warehouse" id and "company" (username)')
    quantity = body["quantity"]
    if isinstance(quantity, bool) or not isinstance(quantity, (int, Decimal)):
        raise TypeError(f"quantity must be a number, got {quantity!r}")
    warehouse = body.get("warehouse")
    if warehouse is not None and (isinstance(warehouse, bool) or not isinstance(warehouse, int)):
        raise TypeError(f"warehouse must be a warehouse id (an integer), got {warehouse!r}")
    company = body.get("company")
    tenants = (
        [app.state.tenants[company]] if isinstance(company, str) and company in app.state.tenants else []
    ) or [t for t in app.state.tenants.values() if params["id"] in t.products]
    if not tenants:
        raise KeyError(f"there is no product {params['id']}")
    return 200, set_stock(app.state, tenants[0], params["id"], Decimal(quantity), warehouse)
