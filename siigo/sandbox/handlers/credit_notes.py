"""Credit notes in the sandbox: ``/v1/credit-notes`` (siigo-api.md §B.7, §C.6, §D.7, §H).

``POST`` runs the invoice pipeline (Idempotency-Key replay, the body, references, rules and
totals of :func:`siigo.rules.check_document` with the ``NC`` kind) plus what is the note's own
(:mod:`siigo.rules.credit_notes`):

* ``invoice``: the invoice must exist (``invalid_reference``), not be annulled, and for an
  electronic credit-note type be electronic and accepted by DIAN (``invalid_document``); the
  currency is the invoice's (``invalid_currency``); the notes of an invoice never add up to more
  than its total (``invalid_amount``).  The note takes the invoice's customer (and seller when it
  sends none); the invoice's ``balance`` goes down by the note's payments (to 0 for a
  cancellation, reason 2, which credits what is left in full): the note pays the invoice's
  installments down in installment order (:mod:`siigo.sandbox.books`), and the invoice then refuses
  ``PUT`` (``non_editable``), ``DELETE`` and ``annul`` (``delete_not_allowed``).
* ``invoice_data`` (an invoice issued outside Siigo): ``customer`` must exist
  (``invalid_reference``) and be active (``parameter_inactive``).

Returned goods go back to stock (stock-controlled products, to the item's warehouse).
Numbering, ``stamp.send`` (a CUDE on acceptance, or a rejection), ``mail.send``, the PDF and the
XML are the shared ones of :mod:`siigo.sandbox.documents`.  There is no PUT, DELETE or annul.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

from ...errors import ErrorDetail
from ...kinds import CREDIT_NOTE, INVOICE
from ...models.catalogs import DocumentType
from ...models.credit_notes import CANCELLATION, CreditNote, CreditNoteCreateParams
from ...models.invoices import Invoice
from ...rules.credit_notes import check_invoice_reference, check_within_invoice, remaining_to_credit
from ...totals import DocumentTotals
from .. import accounts, books, documents, ledger
from ..app import Ctx, SiigoHTTPError, error_entry, route
from ..state import SandboxState, Tenant, copy_document
from ._common import new_guid, validate

KIND = CREDIT_NOTE


def _err(code: str, message: str, *params: str) -> ErrorDetail:
    return ErrorDetail(code, message, tuple(params))


def notes_of(tenant: Tenant, invoice_id: str) -> list[dict[str, Any]]:
    """The credit notes issued against an invoice."""
    return [
        n for n in documents.rows(tenant, KIND).values() if (n.get("invoice") or {}).get("id") == invoice_id
    ]


def _create(
    state: SandboxState, tenant: Tenant, params: CreditNoteCreateParams, key: str | None
) -> tuple[int, dict[str, Any]]:
    document_type = documents.document_type_or_refuse(tenant, KIND, params.document.id)
    errors: list[ErrorDetail] = []
    invoice_row: dict[str, Any] | None = None
    invoice: Invoice | None = None
    if params.invoice is not None:
        invoice_row = documents.rows(tenant, INVOICE).get(params.invoice)
        if invoice_row is None:
            errors.append(
                _err(
                    "invalid_reference",
                    f"The invoice {params.invoice} does not exist (invoice is the id of a Siigo invoice)",
                    "invoice",
                )
            )
        else:
            documents.settle(state, tenant, INVOICE, invoice_row)
            invoice = Invoice.model_validate(invoice_row)
            invoice_type = tenant.document_type(invoice_row["document"]["id"])
            errors += check_invoice_reference(
                params,
                invoice=invoice,
                note_type=DocumentType.model_validate(document_type),
                invoice_type=DocumentType.model_validate(invoice_type) if invoice_type else None,
            )
        customer_ref = (invoice_row or {}).get("customer") or {}
    else:
        assert params.customer is not None  # the model demands it with invoice_data
        ref = params.customer
        found = documents.customer_by_ref(tenant, ref.identification, ref.branch_office)
        label = f"{ref.identification} (branch office {ref.branch_office})"
        if found is None:
            errors.append(
                _err("invalid_reference", f"The customer {label} does not exist", "customer.identification")
            )
        elif found.get("active") is False:
            errors.append(_err("parameter_inactive", f"The customer {label} is inactive", "customer"))
        customer_ref = {
            "id": (found or {}).get("id"),
            "identification": ref.identification,
            "branch_office": ref.branch_office,
        }
    errors += documents.check_references(tenant, params)
    totals = documents.check_rules(state, tenant, KIND, params, document_type, errors)
    if invoice is not None and invoice_row is not None:
        notes = [CreditNote.model_validate(n) for n in notes_of(tenant, invoice_row["id"])]
        problems = check_within_invoice(invoice, totals.total, remaining_to_credit(invoice, notes))
        if problems:
            raise SiigoHTTPError(400, [error_entry(d.code, d.message, d.params) for d in problems])

    number = documents.number_for(tenant, KIND, document_type, params.number)
    payments, _ = documents.render_payments(tenant, KIND, params.payments)
    note_id = new_guid()
    row: dict[str, Any] = {
        "id": note_id,
        "document": {"id": document_type["id"]},
        "number": number,
        "name": f"{document_type.get('prefix') or document_type.get('type')}-{number}",
        "date": params.date.isoformat(),
        "reason": params.reason,
        "customer": {
            "id": customer_ref.get("id"),
            "identification": customer_ref.get("identification"),
            "branch_office": int(customer_ref.get("branch_office") or 0),
        },
        "seller": params.seller if params.seller is not None else (invoice_row or {}).get("seller"),
        "retentions": documents.render_retentions(totals),
        "advance_payment": params.advance_payment if params.advance_payment is not None else Decimal("0"),
        "total": totals.total,
        "observations": params.observations or "",
        "items": documents.render_items(tenant, params.items, totals),
        "payments": payments,
        "stamp": {"status": "Draft", "cude": "", "observations": "", "errors": ""},
        "mail": {"status": "not_sent", "observations": "The credit note has not been sent by mail"},
        "metadata": {"created": state.timestamp(), "last_updated": None},
    }
    if invoice_row is not None:
        row["invoice"] = {"id": invoice_row["id"], "name": invoice_row["name"]}
    if params.invoice_data is not None:
        row["invoice_data"] = params.invoice_data.to_wire()
    if params.cost_center is not None:
        row["cost_center"] = params.cost_center
    if params.currency is not None:
        row["currency"] = params.currency.to_wire()
    if params.healthcare_company is not None:
        row["healthcare_company"] = params.healthcare_company.to_wire()
    documents.rows(tenant, KIND)[note_id] = row
    _post_books(state, tenant, row, invoice_row, params, totals)
    documents.mark_products(tenant, params.items)
    documents.post_stock(state, tenant, note_id, params.items, sign=+1)  # the goods come back
    documents.stamp_and_mail(
        state,
        tenant,
        KIND,
        row,
        stamp=params.stamp is not None and params.stamp.send,
        mail=params.mail is not None and params.mail.send,
    )
    documents.remember(tenant, KIND, key, row)
    return 201, copy_document(row)


def _post_books(
    state: SandboxState,
    tenant: Tenant,
    note: dict[str, Any],
    invoice: dict[str, Any] | None,
    params: CreditNoteCreateParams,
    totals: DocumentTotals,
) -> None:
    """The note pays the invoice's installments down in installment order — by its payments,
    or all that is left for a cancellation (reason 2) — and posts the mirror entry of a sale
    (:func:`siigo.sandbox.books.post_sale`): the receivables credited with what it paid, the rest
    of its payments (a refund) on the account of its first payment type, or, for a credit type,
    in the customer's favour (customer advances)."""
    paid = params.payments_total()
    applied = Decimal(0)
    if invoice is not None:
        owed = ledger.balance_of(tenant, invoice["id"])
        applied = ledger.pay_in_order(
            tenant, note["id"], invoice["id"], owed if params.reason == CANCELLATION else paid
        )
        books.refresh_balance(tenant, invoice["id"], state.timestamp())
    types = books.payment_types(tenant, KIND)
    refund_account = ledger.payment_account(types.get(params.payments[0].id), "receivable")
    if refund_account == accounts.RECEIVABLES:
        refund_account = accounts.CUSTOMER_ADVANCES  # credited beyond what is owed: in the customer's favour
    settlements = [(accounts.RECEIVABLES, applied), (refund_account, max(Decimal(0), paid - applied))]
    books.post_sale(tenant, note, KIND, totals, settlements, returns=True)


@route("POST", "/v1/credit-notes")
def create_credit_note(ctx: Ctx) -> tuple[int, Any]:
    key = documents.idempotency_key(ctx)
    with ctx.state.lock:
        replay = documents.replay(ctx.state, ctx.tenant, KIND, key)  # before reading the body
        if replay is not None:
            return replay
        params = validate(CreditNoteCreateParams, ctx)
        return _create(ctx.state, ctx.tenant, params, key)


@route("GET", "/v1/credit-notes")
def list_credit_notes(ctx: Ctx) -> tuple[int, Any]:
    return 200, documents.list_documents(ctx, KIND)


@route("GET", "/v1/credit-notes/{id}")
def get_credit_note(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        return 200, copy_document(documents.find(ctx.state, ctx.tenant, KIND, ctx.params["id"]))


@route("GET", "/v1/credit-notes/{id}/pdf")
def credit_note_pdf(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        row = copy_document(documents.find(ctx.state, ctx.tenant, KIND, ctx.params["id"]))
    content = base64.b64encode(documents.render_pdf(KIND, row)).decode("ascii")
    return 200, {"id": row["id"], "cude": row["stamp"].get("cude") or "", "base64": content}
