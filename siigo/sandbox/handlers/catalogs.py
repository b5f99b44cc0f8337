"""Catalog endpoints: users, account groups, taxes, price lists, warehouses, cost centers,
fixed assets, expenses, other incomes, fixed-asset groups, document types, payment types and the
electronic-document quota."""

from __future__ import annotations

from typing import Any

from ...kinds import KINDS
from ...models.catalogs import AccountGroupParams
from ..app import Ctx, SiigoHTTPError, not_found, route
from ._common import envelope, validate


@route("GET", "/v1/users")
def list_users(ctx: Ctx) -> tuple[int, Any]:
    if ctx.settings.users_as_array:
        return 200, ctx.tenant.catalogs["users"]
    return 200, envelope(ctx, ctx.tenant.catalogs["users"], "/v1/users")


def _array(name: str) -> Any:
    def handler(ctx: Ctx) -> tuple[int, Any]:
        return 200, ctx.tenant.catalogs[name]

    return handler


for _name, _path in (
    ("account_groups", "/v1/account-groups"),
    ("taxes", "/v1/taxes"),
    ("price_lists", "/v1/price-lists"),
    ("warehouses", "/v1/warehouses"),
    ("cost_centers", "/v1/cost-centers"),
    ("fixed_assets", "/v1/fixed-assets"),
    ("expenses", "/v1/expenses"),
    ("misc_incomes", "/v1/misc-incomes"),
    ("asset_groups", "/v1/asset-groups"),
):
    route("GET", _path)(_array(_name))


@route("POST", "/v1/account-groups")
def create_account_group(ctx: Ctx) -> tuple[int, Any]:
    params = validate(AccountGroupParams, ctx)
    with ctx.state.lock:
        groups = ctx.tenant.catalogs["account_groups"]
        if any(g.get("code") == params.code for g in groups):
            raise SiigoHTTPError.one(
                400, "already_exists", f"The account group code {params.code} already exists", ["code"]
            )
        entry = {"id": ctx.tenant.new_catalog_id(), "code": params.code, "name": params.name, "active": True}
        groups.append(entry)
    return 201, entry


@route("PUT", "/v1/account-groups/{id}")
def update_account_group(ctx: Ctx) -> tuple[int, Any]:
    params = validate(AccountGroupParams, ctx)
    try:
        group_id = int(ctx.params["id"])
    except ValueError:
        raise not_found("account group") from None
    with ctx.state.lock:
        groups = ctx.tenant.catalogs["account_groups"]
        entry = next((g for g in groups if g["id"] == group_id), None)
        if entry is None:
            raise not_found("account group")
        if any(g.get("code") == params.code and g is not entry for g in groups):
            raise SiigoHTTPError.one(
                400, "already_exists", f"The account group code {params.code} already exists", ["code"]
            )
        entry.update(code=params.code, name=params.name)
    return ctx.settings.put_status, entry


@route("GET", "/v1/document-types")
def list_document_types(ctx: Ctx) -> tuple[int, Any]:
    kind = ctx.args.get("type")
    if not kind:
        raise SiigoHTTPError.one(400, "parameter_required", "The field type is required", detail=False)
    if kind not in KINDS:
        raise SiigoHTTPError.one(
            400, "invalid_value", f"The field type has an invalid value: {kind}", ["type"]
        )
    return 200, [d for d in ctx.tenant.catalogs["document_types"] if d["type"] == kind]


@route("GET", "/v1/payment-types")
def list_payment_types(ctx: Ctx) -> tuple[int, Any]:
    kind = ctx.args.get("document_type")
    if not kind:
        raise SiigoHTTPError.one(
            400, "parameter_required", "The field document_type is required", detail=False
        )
    rows = ctx.tenant.catalogs["payment_types"].get(kind)
    if rows is None:
        raise SiigoHTTPError.one(404, "not_found", f"No payment types for document type {kind}", detail=False)
    return 200, rows


@route("GET", "/v1/available-documents")
def list_available_documents(ctx: Ctx) -> tuple[int, Any]:
    """The electronic-document quota: what the plan bought per kind, what the documents accepted
    by DIAN used, what is left."""
    rows = []
    with ctx.state.lock:
        for code, purchased in ctx.tenant.catalogs["available_documents"].items():
            kind = KINDS.get(code)
            used = 0
            if kind is not None and kind.dian_code is not None:
                used = sum(
                    1
                    for row in ctx.tenant.documents[kind.code].values()
                    if (row.get("stamp") or {}).get("status") == "Accepted"
                )
            rows.append(
                {
                    "type": code,
                    "total_purchased": purchased,
                    "used": used,
                    "available": max(purchased - used, 0),
                }
            )
    return 200, rows
