"""``/v1/products``: create, read, replace, delete and list (siigo-api.md B.3, C.1, D.3, H.2).

Bodies are validated with the SDK's own request models; then the rules that need the company's
data: the account group exists and is active, taxes exist and are active (one per tax type),
price-list positions exist and are active, combo components exist and are active, codes are
unique, and — for products with movements (recorded by the document handlers through
:func:`mark_movement`) — the account group and combo components cannot change and the product
cannot be deleted.  Products are stored in the expanded response shape of §D.3.
"""

from __future__ import annotations

from typing import Any

from ...models.products import ProductCreateParams, ProductUpdateParams
from ...models.webhooks import TOPIC_PRODUCT_CREATE, TOPIC_PRODUCT_UPDATE
from ..app import Ctx, SiigoHTTPError, error_entry, not_found, route
from ..state import Tenant
from ._common import bool_arg, catalog_entry, date_in_range, envelope, is_guid, new_guid, validate
from .webhooks import emit

__all__ = ["UNIT_NAMES", "find_by_code", "has_movements", "mark_movement"]

UNIT_NAMES = {
    "94": "Unidad",
    "KGM": "Kilogramo",
    "GRM": "Gramo",
    "LTR": "Litro",
    "MLT": "Mililitro",
    "GLL": "Galón",
    "MTR": "Metro",
    "MTK": "Metro cuadrado",
    "MTQ": "Metro cúbico",
    "HUR": "Hora",
    "DAY": "Día",
    "BX": "Caja",
    "PR": "Par",
    "SET": "Juego",
}
"""Names of common DIAN unit codes; other codes are named after the code itself."""

_MAX_IDS = 20


def mark_movement(tenant: Tenant, product_id: str) -> None:
    """Record that a document used the product (it then cannot be deleted, nor change its
    account group or combo components).  Document handlers call this under ``state.lock``."""
    tenant.extra.setdefault("product_movements", set()).add(product_id)


def has_movements(tenant: Tenant, product_id: str) -> bool:
    movements: set[str] = tenant.extra.get("product_movements", set())
    return product_id in movements


def find_by_code(tenant: Tenant, code: str) -> dict[str, Any] | None:
    """The stored product with this code, if any."""
    return tenant.products.find(code)


def _check_references(ctx: Ctx, params: ProductCreateParams, own_id: str | None) -> None:
    """Siigo's reference rules; every problem is reported at once."""
    catalogs = ctx.tenant.catalogs
    problems: list[dict[str, Any]] = []

    group = catalog_entry(catalogs["account_groups"], params.account_group)
    if group is None:
        problems.append(
            error_entry(
                "invalid_reference",
                f"The account_group {params.account_group} does not exist",
                ["account_group"],
            )
        )
    elif not group.get("active", True):
        problems.append(
            error_entry(
                "parameter_inactive",
                f"The account_group {params.account_group} is inactive",
                ["account_group"],
            )
        )

    seen_types: dict[str, int] = {}
    for index, tax in enumerate(params.taxes or ()):
        where = f"taxes[{index}].id"
        entry = catalog_entry(catalogs["taxes"], tax.id)
        if entry is None:
            problems.append(error_entry("invalid_reference", f"The tax {tax.id} does not exist", [where]))
        elif not entry.get("active", True):
            problems.append(error_entry("parameter_inactive", f"The tax {tax.id} is inactive", [where]))
        elif entry["type"] in seen_types:
            problems.append(
                error_entry(
                    "invalid_array",
                    f"The taxes {seen_types[entry['type']]} and {tax.id} are both of type {entry['type']}",
                    ["taxes"],
                )
            )
        else:
            seen_types[entry["type"]] = tax.id

    positions = {row["position"]: row for row in catalogs["price_lists"]}
    for i, price in enumerate(params.prices or ()):
        for j, item in enumerate(price.price_list):
            where = f"prices[{i}].price_list[{j}].position"
            row = positions.get(item.position)
            if row is None:
                problems.append(
                    error_entry(
                        "invalid_reference", f"There is no price list at position {item.position}", [where]
                    )
                )
            elif not row.get("active", True):
                problems.append(
                    error_entry(
                        "parameter_inactive",
                        f"The price list at position {item.position} is inactive",
                        [where],
                    )
                )

    for index, component in enumerate(params.components or ()):
        where = f"components[{index}].code"
        product = find_by_code(ctx.tenant, component.code)
        if product is None or product["id"] == own_id:
            problems.append(
                error_entry("invalid_reference", f"The product {component.code} does not exist", [where])
            )
        elif not product.get("active", True):
            problems.append(
                error_entry("parameter_inactive", f"The product {component.code} is inactive", [where])
            )
        elif product.get("type") == "Combo":
            problems.append(
                error_entry(
                    "invalid_reference",
                    f"The product {component.code} is a combo and cannot be a component",
                    [where],
                )
            )

    other = find_by_code(ctx.tenant, params.code)
    if other is not None and other["id"] != own_id:
        problems.append(
            error_entry("already_exists", f"The product code {params.code} already exists", ["code"])
        )

    if problems:
        raise SiigoHTTPError(400, problems)


def _expand(ctx: Ctx, params: ProductCreateParams, id: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """The stored (and answered) product, in Siigo's response shape."""
    catalogs = ctx.tenant.catalogs
    group = catalog_entry(catalogs["account_groups"], params.account_group) or {}
    price_names = {row["position"]: row["name"] for row in catalogs["price_lists"]}
    taxes = []
    for tax in params.taxes or ():
        entry = catalog_entry(catalogs["taxes"], tax.id) or {}
        expanded: dict[str, Any] = {
            "id": tax.id,
            "name": entry.get("name"),
            "type": entry.get("type"),
            "percentage": entry.get("percentage"),
        }
        if tax.milliliters is not None:
            expanded.update(milliliters=tax.milliliters, rate=tax.rate)
        taxes.append(expanded)
    unit = params.unit or "94"
    fields = params.additional_fields
    product: dict[str, Any] = {
        "id": id,
        "code": params.code,
        "name": params.name,
        "account_group": {"id": params.account_group, "name": group.get("name")},
        "type": params.type or "Product",
        "stock_control": bool(params.stock_control),
        "active": True if params.active is None else params.active,
        "tax_classification": params.tax_classification or "Taxed",
        "tax_included": bool(params.tax_included),
        "tax_consumption_value": params.tax_consumption_value or 0,
        "taxes": taxes,
        "prices": [
            {
                "currency_code": price.currency_code,
                "price_list": [
                    {"position": item.position, "name": price_names.get(item.position), "value": item.value}
                    for item in price.price_list
                ],
            }
            for price in params.prices or ()
        ],
        "unit": {"code": unit, "name": UNIT_NAMES.get(unit, unit)},
        "unit_label": params.unit_label or "",
        "reference": params.reference or "",
        "description": params.description or "",
        "additional_fields": {
            "barcode": (fields.barcode if fields else None) or "",
            "brand": (fields.brand if fields else None) or "",
            "tariff": (fields.tariff if fields else None) or "",
            "model": (fields.model if fields else None) or "",
        },
        "available_quantity": 0,
        "warehouses": [],
        "metadata": metadata,
    }
    if params.type == "Combo":
        components = []
        for component in params.components or ():
            stored = find_by_code(ctx.tenant, component.code) or {}
            components.append(
                {
                    "id": stored.get("id"),
                    "code": component.code,
                    "name": stored.get("name"),
                    "quantity": component.quantity,
                }
            )
        product["components"] = components
    return product


def _stored(ctx: Ctx) -> dict[str, Any]:
    product_id = ctx.params["id"]
    product = ctx.tenant.products.get(product_id) if is_guid(product_id) else None
    if product is None:
        raise not_found("product")
    return product


@route("POST", "/v1/products")
def create_product(ctx: Ctx) -> tuple[int, Any]:
    params = validate(ProductCreateParams, ctx)
    with ctx.state.lock:
        _check_references(ctx, params, None)
        product_id = new_guid()
        product = _expand(ctx, params, product_id, {"created": ctx.state.timestamp(), "last_updated": None})
        ctx.tenant.products[product_id] = product
        emit(ctx.state, ctx.tenant, TOPIC_PRODUCT_CREATE, product)
    return 201, product


@route("GET", "/v1/products/{id}")
def get_product(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        return 200, _stored(ctx)


@route("PUT", "/v1/products/{id}")
def update_product(ctx: Ctx) -> tuple[int, Any]:
    params = validate(ProductUpdateParams, ctx)  # Siigo validates the body before the id
    with ctx.state.lock:
        current = _stored(ctx)
        _check_references(ctx, params, current["id"])
        if has_movements(ctx.tenant, current["id"]):
            locked: list[dict[str, Any]] = []
            if current["account_group"]["id"] != params.account_group:
                locked.append(
                    error_entry(
                        "update_not_allowed",
                        "The account_group cannot change: the product has movements",
                        ["account_group"],
                    )
                )
            before = {(c["code"], c["quantity"]) for c in current.get("components", ())}
            after = {(c.code, c.quantity) for c in params.components or ()}
            if current.get("type") == "Combo" and before != after:
                locked.append(
                    error_entry(
                        "update_not_allowed",
                        "The components cannot change: the combo has movements",
                        ["components"],
                    )
                )
            if locked:
                raise SiigoHTTPError(400, locked)
        metadata = dict(current["metadata"], last_updated=ctx.state.timestamp())
        product = _expand(ctx, params, current["id"], metadata)
        if product["stock_control"]:
            # A PUT replaces the product's data, not its stock (that moves with documents).
            product["available_quantity"] = current.get("available_quantity", 0)
            product["warehouses"] = current.get("warehouses", [])
        ctx.tenant.products[current["id"]] = product
        emit(ctx.state, ctx.tenant, TOPIC_PRODUCT_UPDATE, product)
    return ctx.settings.put_status, product


@route("DELETE", "/v1/products/{id}")
def delete_product(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        product = _stored(ctx)
        if has_movements(ctx.tenant, product["id"]):
            raise SiigoHTTPError.one(
                400,
                "delete_not_allowed",
                f"The product {product['code']} has movements and cannot be deleted",
            )
        used_in = [
            p["code"]
            for p in ctx.tenant.products.values()
            if any(c.get("id") == product["id"] for c in p.get("components", ()))
        ]
        if used_in:
            raise SiigoHTTPError.one(
                400,
                "delete_not_allowed",
                f"The product {product['code']} is a component of {', '.join(used_in)}",
            )
        del ctx.tenant.products[product["id"]]
    return 200, {"id": product["id"], "deleted": True}


@route("GET", "/v1/products")
def list_products(ctx: Ctx) -> tuple[int, Any]:
    args = ctx.args
    code = args.get("code")
    product_type = args.get("type")
    stock_control = bool_arg(ctx, "stock_control")
    active = bool_arg(ctx, "active")
    active = True if active is None else active  # Siigo lists active products unless asked
    group: int | None = None
    if args.get("account_group"):
        try:
            group = int(args["account_group"])
        except ValueError:
            raise SiigoHTTPError.one(
                400, "invalid_type", "The field account_group must be an integer", ["account_group"]
            ) from None
    wanted_ids: set[str] | None = None
    raw_ids = args.get("ids") or args.get("id")  # Siigo's docs use both names
    if raw_ids:
        values = [v.strip() for v in raw_ids.split(",") if v.strip()]
        if len(values) > _MAX_IDS:
            raise SiigoHTTPError.one(
                400, "invalid_value", f"The field ids takes at most {_MAX_IDS} ids", ["ids"]
            )
        wanted_ids = set(values)
    created = date_in_range(ctx, "created", lambda p: p["metadata"]["created"])
    updated = date_in_range(ctx, "updated", lambda p: p["metadata"]["last_updated"])
    # Products have no document date: date_start/date_end apply to the creation date.
    dated = date_in_range(ctx, "date", lambda p: p["metadata"]["created"])

    def keep(p: dict[str, Any]) -> bool:
        return (
            (code is None or p["code"] == code)
            and (product_type is None or p["type"] == product_type)
            and (stock_control is None or p["stock_control"] == stock_control)
            and p["active"] == active
            and (group is None or p["account_group"]["id"] == group)
            and (wanted_ids is None or p["id"] in wanted_ids)
            and created(p)
            and updated(p)
            and dated(p)
        )

    products = ctx.tenant.products
    query = tuple(sorted((k, v) for k, v in args.items(multi=True) if k not in ("page", "page_size")))
    with ctx.state.lock:
        if code is not None:
            # Codes are unique: the index finds the one product that can match.
            found = products.find(code)
            rows = [found] if found is not None and keep(found) else []
        else:
            # Newest first, filtered once per change of the store: a page costs its own size.
            rows = products.view(query, lambda: [p for p in reversed(products.values()) if keep(p)])
    return 200, envelope(ctx, rows, "/v1/products")
