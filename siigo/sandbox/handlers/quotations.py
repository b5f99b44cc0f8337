"""Quotations in the sandbox: ``/v1/quotations`` (siigo-api.md §B.8, §C.7, §D.8, §H).

``POST`` checks the body, the document type (a ``C`` type, ``invalid_document``), the customer
(exists, ``invalid_reference``; active, ``parameter_inactive``), seller, cost center and products
(the shared references) and computes the total with the shared math; no payments, stamp or mail.
Numbering per document type as every kind.  ``PUT`` replaces the quotation (items included);
``document.id``, ``number``, ``customer`` and ``currency.code`` cannot change (``non_editable``).
``DELETE`` answers ``{id, deleted: true}``.  No ``Idempotency-Key`` (Siigo does not take one here).
"""

from __future__ import annotations

from typing import Any

from ...errors import ErrorDetail
from ...kinds import QUOTATION
from ...models.quotations import QuotationCreateParams, QuotationUpdateParams
from .. import documents
from ..app import Ctx, SiigoHTTPError, route
from ..state import SandboxState, Tenant, copy_document
from ._common import new_guid, validate

KIND = QUOTATION


def _err(code: str, message: str, *params: str) -> ErrorDetail:
    return ErrorDetail(code, message, tuple(params))


def _render(
    state: SandboxState,
    tenant: Tenant,
    params: QuotationCreateParams,
    *,
    quotation_id: str,
    number: int | None,
    created: str | None = None,
) -> dict[str, Any]:
    document_type = documents.document_type_or_refuse(tenant, KIND, params.document.id)
    ref = params.customer
    customer = documents.customer_by_ref(tenant, ref.identification, ref.branch_office)
    errors: list[ErrorDetail] = []
    label = f"{ref.identification} (branch office {ref.branch_office})"
    if customer is None:
        errors.append(
            _err(
                "invalid_reference",
                f"The customer {label} does not exist: create it first (POST /v1/customers)",
                "customer.identification",
            )
        )
    elif customer.get("active") is False:
        errors.append(_err("parameter_inactive", f"The customer {label} is inactive", "customer"))
    errors += documents.check_references(tenant, params)
    totals = documents.check_rules(state, tenant, KIND, params, document_type, errors)
    if number is None:
        number = documents.number_for(tenant, KIND, document_type, params.number)
    row: dict[str, Any] = {
        "id": quotation_id,
        "document": {"id": document_type["id"]},
        "number": number,
        "name": f"{document_type.get('prefix') or document_type.get('type')}-{number}",
        "date": params.date.isoformat(),
        "customer": {
            "id": (customer or {}).get("id"),
            "identification": ref.identification,
            "branch_office": ref.branch_office,
        },
        "seller": params.seller,
        "total": totals.total,
        "observations": params.observations or "",
        "items": documents.render_items(tenant, params.items, totals),
        "public_url": documents.public_url(quotation_id, host="publicview.siigo.com"),
        "metadata": {
            "created": created or state.timestamp(),
            "last_updated": None if created is None else state.timestamp(),
        },
    }
    if params.cost_center is not None:
        row["cost_center"] = params.cost_center
    if params.currency is not None:
        row["currency"] = params.currency.to_wire()
    return row


def _immutable(existing: dict[str, Any], params: QuotationUpdateParams) -> None:
    problems: list[ErrorDetail] = []
    if params.document.id != existing["document"]["id"]:
        problems.append(_err("non_editable", "The field document.id cannot be changed", "document.id"))
    old = existing["customer"]
    if (params.customer.identification, params.customer.branch_office) != (
        old["identification"],
        int(old.get("branch_office") or 0),
    ):
        problems.append(
            _err("non_editable", "The field customer cannot be changed", "customer.identification")
        )
    old_currency = (existing.get("currency") or {}).get("code")
    if old_currency != (params.currency.code if params.currency else None):
        problems.append(_err("non_editable", "The field currency.code cannot be changed", "currency.code"))
    if params.number is not None and params.number != existing["number"]:
        problems.append(_err("non_editable", "The field number cannot be changed", "number"))
    if problems:
        raise SiigoHTTPError.from_details(problems)


@route("POST", "/v1/quotations")
def create_quotation(ctx: Ctx) -> tuple[int, Any]:
    params = validate(QuotationCreateParams, ctx)
    with ctx.state.lock:
        row = _render(ctx.state, ctx.tenant, params, quotation_id=new_guid(), number=None)
        documents.rows(ctx.tenant, KIND)[row["id"]] = row
        return 201, copy_document(row)


@route("GET", "/v1/quotations")
def list_quotations(ctx: Ctx) -> tuple[int, Any]:
    return 200, documents.list_documents(ctx, KIND)


@route("GET", "/v1/quotations/{id}")
def get_quotation(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        return 200, copy_document(documents.find(ctx.state, ctx.tenant, KIND, ctx.params["id"]))


@route("PUT", "/v1/quotations/{id}")
def update_quotation(ctx: Ctx) -> tuple[int, Any]:
    params = validate(QuotationUpdateParams, ctx)
    state, tenant = ctx.state, ctx.tenant
    with state.lock:
        existing = documents.find(state, tenant, KIND, ctx.params["id"])
        _immutable(existing, params)
        row = _render(
            state,
            tenant,
            params,
            quotation_id=existing["id"],
            number=existing["number"],
            created=existing["metadata"]["created"],
        )
        documents.rows(tenant, KIND)[row["id"]] = row
        return state.settings.put_status, copy_document(row)


@route("DELETE", "/v1/quotations/{id}")
def delete_quotation(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        row = documents.find(ctx.state, ctx.tenant, KIND, ctx.params["id"])
        del documents.rows(ctx.tenant, KIND)[row["id"]]
    return 200, {"id": row["id"], "deleted": True}
