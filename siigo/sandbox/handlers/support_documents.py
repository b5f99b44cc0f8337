"""Purchase support documents in the sandbox: ``/v1/purchase-support-documents`` (siigo-api.md
§B.10, §C.9, §H).

A support document is a purchase from a supplier who does not invoice: the purchase pipeline of
:mod:`siigo.sandbox.handlers.purchases` (references by item type, the rules, the stock, the
books and the payable dues), with ``supplier_receipt_number`` instead of ``provider_invoice``,
and the DIAN lifecycle of electronic documents (:mod:`siigo.sandbox.documents`): ``stamp.send``
on an electronic ``DS`` type (with a DIAN resolution, else ``document_settings``) gets DIAN's
answer — ``Accepted`` with a CUDE, or ``Rejected`` — and an accepted document, or one waiting
for DIAN, refuses ``PUT`` (``non_editable``) and ``DELETE`` (``delete_not_allowed``).  Siigo
documents no listing, PDF or XML for this endpoint, so the sandbox has none either.
"""

from __future__ import annotations

from typing import Any

from ...kinds import PURCHASE_SUPPORT
from ...models.purchases import PurchaseSupportDocumentCreateParams, PurchaseSupportDocumentUpdateParams
from ..app import Ctx, route
from ..state import copy_document
from . import purchases
from ._common import validate

KIND = PURCHASE_SUPPORT


def _stamp(params: PurchaseSupportDocumentCreateParams) -> bool:
    return params.stamp is not None and params.stamp.send


@route("POST", "/v1/purchase-support-documents")
def create_support_document(ctx: Ctx) -> tuple[int, Any]:
    params = validate(PurchaseSupportDocumentCreateParams, ctx)
    with ctx.state.lock:
        row = purchases.create(ctx.state, ctx.tenant, KIND, params, stamp=_stamp(params))
        return 201, copy_document(row)


@route("GET", "/v1/purchase-support-documents/{id}")
def get_support_document(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        return 200, purchases.read(ctx.state, ctx.tenant, KIND, ctx.params["id"])


@route("PUT", "/v1/purchase-support-documents/{id}")
def update_support_document(ctx: Ctx) -> tuple[int, Any]:
    params = validate(PurchaseSupportDocumentUpdateParams, ctx)
    with ctx.state.lock:
        row = purchases.update(ctx.state, ctx.tenant, KIND, ctx.params["id"], params, stamp=_stamp(params))
        return ctx.state.settings.put_status, copy_document(row)


@route("DELETE", "/v1/purchase-support-documents/{id}")
def delete_support_document(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        return 200, purchases.delete(ctx.state, ctx.tenant, KIND, ctx.params["id"])
