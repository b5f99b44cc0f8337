"""Payment receipts (egresos) in the sandbox: ``/v1/payment-receipts`` (siigo-api.md §B.12, §C.11,
§D.11, §F #13-#15).

The pipeline is the cash receipts' (:func:`siigo.sandbox.handlers.vouchers.create_receipt`) with
the kind's differences: the third party is the ``supplier``, the payment types are those read with
``document_type=FC``, a ``DebtPayment`` pays payable installments (those a purchase opened, prefix
like ``FC-1``) and posts the mirror entry (payables debited, the payment's account credited, with
the withholdings practised on the supplier and the discounts obtained).  No ``Idempotency-Key``
(Siigo does not document one here: the header is ignored).

``PUT`` validates the body before looking the id up (a bad body on an unknown id answers 400, as
Siigo does, F#13), then replaces the receipt: what it paid is owed again, and the new body is
checked and posted in its place (nothing changes when it is refused).  ``DELETE`` takes its
movements back out and its dues are owed again.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from werkzeug.datastructures import MultiDict

from ...kinds import PAYMENT_RECEIPT
from ...models.receipts import PaymentReceiptCreateParams, PaymentReceiptUpdateParams
from .. import books, documents, ledger
from ..app import Ctx, SiigoHTTPError, route
from ..state import copy_document
from ._common import validate
from .vouchers import create_receipt

KIND = PAYMENT_RECEIPT


@route("POST", "/v1/payment-receipts")
def create_payment_receipt(ctx: Ctx) -> tuple[int, Any]:
    params = validate(PaymentReceiptCreateParams, ctx)
    with ctx.state.lock:
        return 201, copy_document(create_receipt(ctx.state, ctx.tenant, KIND, params, None))


_CUSTOMER_FILTERS = ("customer_identification", "customer_branch_office")


@route("GET", "/v1/payment-receipts")
def list_payment_receipts(ctx: Ctx) -> tuple[int, Any]:
    # A payment receipt has a supplier, not a customer: the customer filters of other document
    # lists are not this list's (§B.1 gives it the date ranges) and are ignored, as unknown ones.
    args = MultiDict([(k, v) for k, v in ctx.args.items(multi=True) if k not in _CUSTOMER_FILTERS])
    return 200, documents.list_documents(dataclasses.replace(ctx, args=args), KIND)


@route("GET", "/v1/payment-receipts/{id}")
def get_payment_receipt(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        return 200, copy_document(documents.find(ctx.state, ctx.tenant, KIND, ctx.params["id"]))


@route("PUT", "/v1/payment-receipts/{id}")
def update_payment_receipt(ctx: Ctx) -> tuple[int, Any]:
    params = validate(PaymentReceiptUpdateParams, ctx)  # the body first (F#13)
    state, tenant = ctx.state, ctx.tenant
    with state.lock:
        existing = documents.find(state, tenant, KIND, ctx.params["id"])
        books_before = copy.deepcopy(tenant.ledger)
        paid = {due["document"] for due, _ in ledger.paid_by(tenant, existing["id"])}
        books.withdraw(tenant, existing["id"], state.timestamp())
        try:
            row = create_receipt(state, tenant, KIND, params, None, existing=existing)
        except SiigoHTTPError:
            # Refused before it paid anything: the books as they were, and the balances of the
            # purchases the receipt had paid with them.
            tenant.ledger = books_before
            for document_id in paid:
                books.refresh_balance(tenant, document_id)
            documents.rows(tenant, KIND)[existing["id"]] = existing
            raise
        return state.settings.put_status, copy_document(row)


@route("DELETE", "/v1/payment-receipts/{id}")
def delete_payment_receipt(ctx: Ctx) -> tuple[int, Any]:
    state, tenant = ctx.state, ctx.tenant
    with state.lock:
        row = documents.find(state, tenant, KIND, ctx.params["id"])
        reason = documents.lock_reason(tenant, KIND, row)
        if reason is not None:
            raise SiigoHTTPError.one(
                400, "delete_not_allowed", f"The payment receipt cannot be deleted: {reason}"
            )
        books.withdraw(tenant, row["id"], state.timestamp())
        del documents.rows(tenant, KIND)[row["id"]]
    return 200, {"id": row["id"], "deleted": True}
