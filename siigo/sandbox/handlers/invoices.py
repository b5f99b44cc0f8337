"""Sales invoices in the sandbox: ``/v1/invoices`` (siigo-api.md §B.5, §B.6, §D.5, §D.6, §D.9, §H).

Pipeline of ``POST /v1/invoices`` (after the app's auth / Partner-Id / rate-limit steps, §H.1):

7. ``Idempotency-Key``: not 1-30 letters and digits → 400 ``invalid_idempotency_key``
   (``Params: []``, ``Detail: null``); a key that already created an invoice of this company →
   that invoice again (status ``settings.idempotent_replay_status``), nothing created.  Only
   successful creations are remembered, so a key whose request failed can be reused.
8. Body: :class:`~siigo.models.invoices.InvoiceCreateParams` (every structural problem at once).
9. References: document type exists (``invalid_reference``); the customer exists by
   identification + branch office (``invalid_reference``; inline creation fields of §C.3.5 create
   it instead), is active (``parameter_inactive``) and has contacts (``customer_settings``);
   seller and item sellers exist / are active; the cost center exists (``invalid_cost_center``) /
   is active; item products exist by code / are active; warehouses exist / are active and the
   product has stock control (``product_settings``); ``currency`` is not COP
   (``invalid_currency``).
9-11. :func:`siigo.invoice_rules.check_invoice` with the company's catalogs and every setting of
   the totals reading pinned (the sandbox is one concrete Siigo): ``rounding_mode``,
   ``payments_basis``, ``taxed_price_division``, ``price_precision`` and ``percentage_discount``
   from the settings.  It
   checks taxes,
   retentions, payment types, document-type flags, past dates on electronic types
   (``invalid_date``), discounts and amounts (``invalid_amount``) and the totals
   (``invalid_total_payments`` with Siigo's message, which states the total it calculated).
10. Electronic document type without DIAN resolution → ``document_settings`` (when
    ``settings.electronic_requires_resolution``), reported with the other step 9-10 problems.
11. The payments check only when steps 9-10 found nothing (a wrong customer, or a missing
    resolution, hides a wrong total).  A body whose totals the math cannot compute is a 400
    ``invalid_amount``, never a 500.
12. Numbering: the document type's ``consecutive`` (then incremented), or the manual
    ``number`` (already used by this type → ``duplicated_document``); ``name`` =
    ``f"{prefix}-{number}"`` (``FV-1-1001``).  Persisted; 201 with the expanded invoice (§D.5).

Books (:mod:`siigo.sandbox.books`): the invoice posts its movements and opens one receivable
installment per credit payment; its ``balance`` is what those still owe, paid down by cash
receipts and credit notes.  An edit posts again; deleting or annulling takes it all back out, and
an invoice that another document paid cannot be edited (``non_editable``), deleted or annulled
(``delete_not_allowed``).

DIAN lifecycle: ``stamp`` is ``Draft`` unless ``stamp.send`` on an electronic type; then DIAN
answers ``settings.stamp_outcome`` (``Accepted`` with a 96-hex CUFE, or ``Rejected`` with errors,
readable at ``/stamp/errors``).  Tests can delay that answer (:func:`set_stamp_delay`: the
invoice stays ``Draft`` "waiting for DIAN" until then) or set it (:func:`set_stamp`, or
``POST /_sandbox/invoices/{id}/stamp``).  ``POST /v1/invoices/{id}/stamp`` sends a saved invoice
(and mails it) the same way, answering ``{stamp, mail}`` (:func:`documents.send_stamp`).  Accepted invoices, and invoices waiting for DIAN,
refuse ``PUT`` (``non_editable``), ``DELETE`` and ``annul`` (``delete_not_allowed``); so do
invoices referenced by a credit note.  An annulled invoice refuses ``PUT`` and a second annul.

Mail: ``mail.send`` (or ``POST /{id}/mail``) appends to the company's outbox (``GET
/_sandbox/outbox``); on an electronic invoice waiting for DIAN the mail is ``pending_send`` and
goes out on acceptance.  Addresses come from the customer's first contact.

Batch (``POST /v1/invoices/batch``): the whole body is validated synchronously with
:class:`~siigo.models.invoices.InvoiceBatchParams` (400 on any structural problem; ``length_max``
above 1 MB), answered ``201 {id, status: "Received", received_at}``, then processed in a
background thread through the same pipeline (each invoice's ``idempotency_key`` shares the
``Idempotency-Key`` namespace of ``POST /v1/invoices``).  The notification (§D.9: ``status_code``
as text, lowercase error keys) is stored (:func:`batch_notification`, ``GET
/_sandbox/invoices/batches/{id}``) and POSTed to ``notification_url`` **only when its host is a
loopback address**, over plain HTTP (tests have no certificate for ``https://127.0.0.1``);
other URLs are never contacted.

Choices where Siigo is silent (❓): lists are in creation order; ``stamp.send`` on a
non-electronic type leaves the invoice ``Draft``; ``public_url`` is always set; ``prefix`` is the
document kind (``FV``); global discounts/charges are echoed with a value computed on the
subtotal but do not change ``total`` (their math is undocumented); ``POST /{id}/mail`` answers
201; GET of an unknown or malformed id answers 404 ``not_found``.
"""

from __future__ import annotations

import base64
import threading
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request

from ... import _json
from ..._config import is_loopback
from ...errors import ErrorDetail, ValidationError
from ...kinds import INVOICE
from ...models.invoices import (
    InvoiceBatchParams,
    InvoiceCreateParams,
    InvoiceCustomerParam,
    InvoiceMailParams,
    InvoiceUpdateParams,
)
from ...rules import MAX_BATCH_BYTES
from ...totals import (
    DocumentTotals,
    round2,
)
from .. import books, documents, ledger
from ..app import Ctx, SiigoHTTPError, not_found, route
from ..control import control_route
from ..state import SandboxState, Tenant, copy_document
from ._common import new_guid, validate

if TYPE_CHECKING:
    from ..app import SandboxApp

__all__ = ["batch_notification", "set_stamp", "set_stamp_delay"]

set_stamp = documents.set_stamp
set_stamp_delay = documents.set_stamp_delay

RESOURCE = "invoices"
_DEFAULT_REJECTION = [
    {"code": "FAD06", "message": "Regla: FAD06, Rechazo: Número de identificación del adquiriente no válido"}
]


def _err(code: str, message: str, *params: str) -> ErrorDetail:
    return ErrorDetail(code, message, tuple(params))


# --- per-invoice bookkeeping the wire does not show --------------------------------------------


# --- lookups -----------------------------------------------------------------------------------


# --- validation (steps 9-11) -------------------------------------------------------------------


class _Checked:
    def __init__(
        self,
        document_type: dict[str, Any],
        customer: dict[str, Any] | None,
        new_customer: Any,
        totals: DocumentTotals,
    ) -> None:
        self.document_type = document_type
        self.customer = customer
        self.new_customer = new_customer
        self.totals = totals


def _references(
    tenant: Tenant, params: InvoiceCreateParams
) -> tuple[dict[str, Any] | None, Any, list[ErrorDetail]]:
    errors: list[ErrorDetail] = []

    ref = params.customer
    customer = documents.customer_by_ref(tenant, ref.identification, ref.branch_office)
    new_customer: Any = None
    label = f"{ref.identification} (branch office {ref.branch_office})"
    if customer is None:
        if ref.is_reference:
            errors.append(
                _err(
                    "invalid_reference",
                    f"The customer {label} does not exist: create it first (POST /v1/customers)",
                    "customer.identification",
                )
            )
        elif not ref.contacts:
            errors.append(
                _err(
                    "customer_settings",
                    f"The customer {label} has no contacts: send customer.contacts",
                    "customer.contacts",
                )
            )
        else:
            new_customer, problems = _inline_customer(ref)
            errors.extend(problems)
    else:
        if customer.get("active") is False:
            errors.append(_err("parameter_inactive", f"The customer {label} is inactive", "customer"))
        if not customer.get("contacts"):
            errors.append(
                _err(
                    "customer_settings",
                    f"The customer {label} has no contacts: add at least one contact to it first",
                    "customer",
                )
            )

    errors.extend(documents.check_references(tenant, params))
    return customer, new_customer, errors


def _check(
    state: SandboxState,
    tenant: Tenant,
    params: InvoiceCreateParams,
    existing: dict[str, Any] | None = None,
) -> _Checked:
    document_type = documents.document_type_or_refuse(tenant, INVOICE, params.document.id)
    if existing is not None:
        _immutable(existing, params)
    customer, new_customer, errors = _references(tenant, params)
    totals = documents.check_rules(state, tenant, INVOICE, params, document_type, errors)
    return _Checked(document_type, customer, new_customer, totals)


def _immutable(existing: dict[str, Any], params: InvoiceCreateParams) -> None:
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
    new_currency = params.currency.code if params.currency else None
    if old_currency != new_currency:
        problems.append(_err("non_editable", "The field currency.code cannot be changed", "currency.code"))
    if params.number is not None and params.number != existing["number"]:
        problems.append(_err("non_editable", "The field number cannot be changed", "number"))
    if problems:
        raise SiigoHTTPError.from_details(problems)


# --- building the stored invoice ---------------------------------------------------------------


def _inline_customer(ref: InvoiceCustomerParam) -> tuple[Any, list[ErrorDetail]]:
    """The inline customer of §C.3.5 validated as a ``POST /v1/customers`` body (same rules)."""
    from ...models.customers import CustomerCreateParams

    try:
        return CustomerCreateParams.model_validate(ref.creation_body()), []
    except ValidationError as exc:
        return None, [
            ErrorDetail(
                d.code,
                d.message.replace("The field ", "The field customer.", 1),
                tuple(f"customer.{p}" for p in d.params),
            )
            for d in exc.errors
        ]


def _create_customer(state: SandboxState, tenant: Tenant, params: Any) -> dict[str, Any]:
    """Store an inline customer exactly as ``POST /v1/customers`` would."""
    from .customers import expand_customer

    customer_id = new_guid()
    row: dict[str, Any] = expand_customer(
        params, customer_id, {"created": state.timestamp(), "last_updated": None}
    )
    tenant.customers[customer_id] = row
    return row


def _post_books(tenant: Tenant, row: dict[str, Any], params: InvoiceCreateParams, checked: _Checked) -> None:
    """The invoice's movements and receivable installments (:mod:`siigo.sandbox.books`), in
    place of what it posted before (an edit); its ``balance`` follows the installments."""
    ledger.withdraw(tenant, row["id"])
    types = books.payment_types(tenant, INVOICE)
    settlements = [
        (ledger.payment_account(types.get(payment.id), "receivable"), payment.value)
        for payment in params.payments
    ]
    books.post_sale(tenant, row, INVOICE, checked.totals, settlements, returns=False)
    prefix = str(checked.document_type.get("prefix") or checked.document_type.get("type"))
    books.open_dues(tenant, row, INVOICE, prefix, params.payments)
    books.refresh_balance(tenant, row["id"])


def _mark_products(tenant: Tenant, params: InvoiceCreateParams) -> None:
    documents.mark_products(tenant, params.items)


def _post_stock(
    state: SandboxState, tenant: Tenant, invoice_id: str, params: InvoiceCreateParams | None
) -> None:
    """The invoice takes its stock-controlled products out of their warehouses; ``None`` gives
    the stock back (delete, annul)."""
    documents.post_stock(state, tenant, invoice_id, params.items if params is not None else (), sign=-1)


def _render(
    state: SandboxState,
    tenant: Tenant,
    params: InvoiceCreateParams,
    checked: _Checked,
    *,
    invoice_id: str,
    number: int,
    customer_id: str | None,
    created: str,
    last_updated: str | None,
) -> dict[str, Any]:
    doc = checked.document_type
    totals = checked.totals
    items = documents.render_items(tenant, params.items, totals)
    payments, balance = documents.render_payments(tenant, INVOICE, params.payments)

    def adjustments(field: str) -> list[dict[str, Any]]:
        configured = {entry["id"]: entry for entry in doc.get(field) or []}
        result = []
        for adjustment in getattr(params, field) or ():
            entry = configured.get(adjustment.id, {})
            percentage = adjustment.percentage
            value = adjustment.value
            if percentage is not None:
                value = round2(totals.subtotal * percentage / 100, state.settings.rounding_mode)
            elif value is not None and totals.subtotal:
                percentage = round2(value * 100 / totals.subtotal, state.settings.rounding_mode)
            result.append(
                {"id": adjustment.id, "name": entry.get("name"), "percentage": percentage, "value": value}
            )
        return result

    row: dict[str, Any] = {
        "id": invoice_id,
        "document": {"id": doc["id"]},
        "prefix": doc.get("type") or INVOICE.code,
        "number": number,
        "name": f"{doc.get('prefix') or doc.get('type')}-{number}",
        "date": params.date.isoformat(),
        "customer": {
            "id": customer_id,
            "identification": params.customer.identification,
            "branch_office": params.customer.branch_office,
        },
        "cost_center": params.cost_center,
        "seller": params.seller,
        "retentions": documents.render_retentions(totals),
        "advance_payment": params.advance_payment if params.advance_payment is not None else Decimal("0"),
        "total": totals.total,
        "balance": balance,
        "observations": params.observations or "",
        "items": items,
        "global_charges": adjustments("global_charges"),
        "global_discounts": adjustments("global_discounts"),
        "payments": payments,
        "stamp": {"status": "Draft", "cufe": "", "observations": "", "errors": ""},
        "mail": {"status": "not_sent", "observations": "The invoice has not been sent by mail"},
        "public_url": documents.public_url(invoice_id),
        "metadata": {"created": created, "last_updated": last_updated},
        "annulled": False,
    }
    if params.currency is not None:
        row["currency"] = params.currency.to_wire()
    if params.additional_fields is not None:
        row["additional_fields"] = params.additional_fields.to_wire()
    if params.healthcare_company is not None:
        row["healthcare_company"] = params.healthcare_company.to_wire()
    if row["cost_center"] is None:
        del row["cost_center"]
    return row


def _create(
    state: SandboxState, tenant: Tenant, params: InvoiceCreateParams, key: str | None
) -> tuple[int, dict[str, Any]]:
    """Steps 7 (replay) and 9-12 of POST /v1/invoices; the caller holds ``state.lock``."""
    replay = documents.replay(state, tenant, INVOICE, key)
    if replay is not None:
        return replay
    checked = _check(state, tenant, params)
    number = documents.number_for(tenant, INVOICE, checked.document_type, params.number)
    customer = checked.customer
    if customer is None and checked.new_customer is not None:
        customer = _create_customer(state, tenant, checked.new_customer)
    invoice_id = new_guid()
    row = _render(
        state,
        tenant,
        params,
        checked,
        invoice_id=invoice_id,
        number=number,
        customer_id=(customer or {}).get("id"),
        created=state.timestamp(),
        last_updated=None,
    )
    tenant.invoices[invoice_id] = row
    _post_books(tenant, row, params, checked)
    _mark_products(tenant, params)
    _post_stock(state, tenant, invoice_id, params)
    _stamp_and_mail(state, tenant, row, params)
    documents.remember(tenant, INVOICE, key, row)
    return 201, copy_document(row)


def _stamp_and_mail(
    state: SandboxState, tenant: Tenant, row: dict[str, Any], params: InvoiceCreateParams
) -> None:
    documents.stamp_and_mail(
        state,
        tenant,
        INVOICE,
        row,
        stamp=params.stamp is not None and params.stamp.send,
        mail=params.mail is not None and params.mail.send,
    )


# --- routes ------------------------------------------------------------------------------------


@route("POST", "/v1/invoices")
def create_invoice(ctx: Ctx) -> tuple[int, Any]:
    key = documents.idempotency_key(ctx)
    with ctx.state.lock:
        replay = documents.replay(
            ctx.state, ctx.tenant, INVOICE, key
        )  # before reading the body (§H.1 step 7)
        if replay is not None:
            return replay
        params = validate(InvoiceCreateParams, ctx)
        return _create(ctx.state, ctx.tenant, params, key)


@route("GET", "/v1/invoices")
def list_invoices(ctx: Ctx) -> tuple[int, Any]:
    return 200, documents.list_documents(ctx, INVOICE)


@route("GET", "/v1/invoices/{id}")
def get_invoice(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        return 200, copy_document(documents.find(ctx.state, ctx.tenant, INVOICE, ctx.params["id"]))


@route("PUT", "/v1/invoices/{id}")
def update_invoice(ctx: Ctx) -> tuple[int, Any]:
    params = validate(InvoiceUpdateParams, ctx)
    state, tenant = ctx.state, ctx.tenant
    with state.lock:
        existing = documents.find(state, tenant, INVOICE, ctx.params["id"])
        if existing.get("annulled"):
            raise SiigoHTTPError.one(400, "non_editable", "The invoice is annulled and cannot be edited")
        reason = documents.lock_reason(tenant, INVOICE, existing)
        if reason is not None:
            raise SiigoHTTPError.one(400, "non_editable", f"The invoice cannot be edited: {reason}")
        checked = _check(state, tenant, params, existing)
        customer = checked.customer
        if customer is None and checked.new_customer is not None:
            customer = _create_customer(state, tenant, checked.new_customer)
        row = _render(
            state,
            tenant,
            params,
            checked,
            invoice_id=existing["id"],
            number=existing["number"],
            customer_id=(customer or {}).get("id"),
            created=existing["metadata"]["created"],
            last_updated=state.timestamp(),
        )
        row["mail"] = existing["mail"]
        tenant.invoices[row["id"]] = row
        _post_books(tenant, row, params, checked)
        _mark_products(tenant, params)
        _post_stock(state, tenant, row["id"], params)
        documents.meta(tenant, row["id"]).update(stamp_errors=[], pending=None, mail_pending=False)
        _stamp_and_mail(state, tenant, row, params)
        return state.settings.put_status, copy_document(row)


@route("DELETE", "/v1/invoices/{id}")
def delete_invoice(ctx: Ctx) -> tuple[int, Any]:
    state, tenant = ctx.state, ctx.tenant
    with state.lock:
        row = documents.find(state, tenant, INVOICE, ctx.params["id"])
        reason = documents.lock_reason(tenant, INVOICE, row)
        if reason is not None:
            raise SiigoHTTPError.one(400, "delete_not_allowed", f"The invoice cannot be deleted: {reason}")
        del tenant.invoices[row["id"]]
        tenant.extra.get("document_meta", {}).pop(row["id"], None)
        _post_stock(state, tenant, row["id"], None)
        ledger.withdraw(tenant, row["id"])
    return 200, {"id": row["id"], "deleted": True}


@route("POST", "/v1/invoices/{id}/annul")
def annul_invoice(ctx: Ctx) -> tuple[int, Any]:
    state, tenant = ctx.state, ctx.tenant
    with state.lock:
        row = documents.find(state, tenant, INVOICE, ctx.params["id"])
        if row.get("annulled"):
            raise SiigoHTTPError.one(400, "non_editable", f"The invoice {row['name']} is already annulled")
        reason = documents.lock_reason(tenant, INVOICE, row)
        if reason is not None:
            raise SiigoHTTPError.one(400, "delete_not_allowed", f"The invoice cannot be annulled: {reason}")
        row["annulled"] = True
        row["metadata"]["last_updated"] = state.timestamp()
        _post_stock(state, tenant, row["id"], None)
        books.withdraw(tenant, row["id"])
    if state.settings.annul_body == "Annul":
        return 200, {"id": row["id"], "Annul": True}
    return 200, {"id": row["id"], "deleted": True}


@route("GET", "/v1/invoices/{id}/pdf")
def invoice_pdf(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        row = copy_document(documents.find(ctx.state, ctx.tenant, INVOICE, ctx.params["id"]))
    content = base64.b64encode(documents.render_pdf(INVOICE, row)).decode("ascii")
    return 200, {"id": row["id"], "cufe": row["stamp"].get("cufe") or "", "base64": content}


@route("GET", "/v1/invoices/{id}/xml")
def invoice_xml(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        row = copy_document(documents.find(ctx.state, ctx.tenant, INVOICE, ctx.params["id"]))
    content = base64.b64encode(documents.render_xml(INVOICE, row)).decode("ascii")
    return 200, {"id": row["id"], "cufe": row["stamp"].get("cufe") or "", "base64": content}


@route("POST", "/v1/invoices/{id}/stamp")
def stamp_invoice(ctx: Ctx) -> tuple[int, Any]:
    """Send a saved invoice to DIAN and mail it (:func:`documents.send_stamp`)."""
    with ctx.state.lock:
        row = documents.find(ctx.state, ctx.tenant, INVOICE, ctx.params["id"])
        return 200, documents.send_stamp(ctx.state, ctx.tenant, INVOICE, row)


@route("GET", "/v1/invoices/{id}/stamp/errors")
def invoice_stamp_errors(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        row = documents.find(ctx.state, ctx.tenant, INVOICE, ctx.params["id"])
        errors = copy_document(documents.meta(ctx.tenant, row["id"])["stamp_errors"])
    return 200, {"id": row["id"], "errors": errors}


@route("POST", "/v1/invoices/{id}/mail")
def mail_invoice(ctx: Ctx) -> tuple[int, Any]:
    params = validate(InvoiceMailParams, ctx)
    with ctx.state.lock:
        row = documents.find(ctx.state, ctx.tenant, INVOICE, ctx.params["id"])
        mail = documents.send_mail(
            ctx.state, ctx.tenant, INVOICE, row, params.mail_to, params.copy_to, reason="mail"
        )
        row["metadata"]["last_updated"] = ctx.state.timestamp()
    return 201, {"status": mail["status"], "observations": mail["observations"]}


# --- batches -----------------------------------------------------------------------------------


@route("POST", "/v1/invoices/batch")
def create_batch(ctx: Ctx) -> tuple[int, Any]:
    if len(ctx.raw_body) > MAX_BATCH_BYTES:
        raise SiigoHTTPError.one(
            400, "length_max", f"The body must be at most {MAX_BATCH_BYTES} bytes (1 MB)", ["body"]
        )
    params = validate(InvoiceBatchParams, ctx)
    batch_id = new_guid()
    receipt = {"id": batch_id, "status": "Received", "received_at": ctx.state.now_datetime().isoformat()}
    with ctx.state.lock:
        batches: dict[str, Any] = ctx.tenant.extra.setdefault("invoice_batches", {})
        batches[batch_id] = {"receipt": receipt, "notification": None, "delivery": None}
    worker = threading.Thread(
        target=_process_batch,
        args=(ctx.state, ctx.tenant, batch_id, params),
        name=f"siigo-sandbox-batch-{batch_id[:8]}",
        daemon=True,
    )
    worker.start()
    return 201, receipt


def _lowercase_error(exc: SiigoHTTPError) -> dict[str, Any]:
    return {
        "status": exc.status,
        "errors": [
            {"code": e["Code"], "message": e["Message"], "params": e["Params"], "detail": e["Detail"]}
            for e in exc.errors
        ],
    }


def _process_batch(state: SandboxState, tenant: Tenant, batch_id: str, params: InvoiceBatchParams) -> None:
    results: list[dict[str, Any]] = []
    with state.lock:
        if state.tenants.get(tenant.username) is not tenant:
            return  # the sandbox was reset meanwhile
        for invoice in params.invoices:
            key = invoice.idempotency_key
            try:
                status, row = _create(state, tenant, invoice, key)
                results.append({"status_code": str(status), "idempotency_key": key, **row})
            except SiigoHTTPError as exc:
                results.append(
                    {"status_code": str(exc.status), "idempotency_key": key, "error": _lowercase_error(exc)}
                )
        notification = {
            "id": batch_id,
            "status": "Processed",
            "status_at": state.now_datetime().isoformat(),
            "notification_url": params.notification_url,
            "invoices": results,
        }
        record = tenant.extra.setdefault("invoice_batches", {}).setdefault(batch_id, {})
        record["notification"] = notification
        body = _json.dumps(notification)
    delivery = _deliver(params.notification_url, body)
    with state.lock:
        record["delivery"] = delivery


def _loopback_url(url: str) -> str | None:
    """The URL to POST a notification to, or ``None`` when its host is not a loopback address."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if not is_loopback(host):
        return None
    return urllib.parse.urlunsplit(("http", parts.netloc, parts.path or "/", parts.query, ""))


def _deliver(url: str, body: bytes) -> dict[str, Any]:
    target = _loopback_url(url)
    if target is None:
        return {"delivered": False, "url": url, "status": None, "error": "not a loopback URL: not contacted"}
    request = urllib.request.Request(
        target, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return {"delivered": True, "url": target, "status": response.status, "error": None}
    except urllib.error.HTTPError as exc:
        return {"delivered": False, "url": target, "status": exc.code, "error": str(exc)}
    except (urllib.error.URLError, OSError) as exc:
        return {"delivered": False, "url": target, "status": None, "error": str(exc)}


# --- PDF and XML -------------------------------------------------------------------------------


# --- test controls -----------------------------------------------------------------------------


def batch_notification(state: SandboxState, username: str, batch_id: str) -> dict[str, Any] | None:
    """The notification of a processed batch (§D.9) with its ``delivery`` outcome, or ``None``
    while the batch is being processed.  Raises ``KeyError`` for an unknown batch."""
    with state.lock:
        tenant = state.tenants.get(username)
        record = (tenant.extra.get("invoice_batches", {}) if tenant is not None else {})[batch_id]
        if record.get("notification") is None or record.get("delivery") is None:
            return None
        return {**copy_document(record["notification"]), "delivery": dict(record["delivery"])}


@control_route("POST", "/invoices/{id}/stamp")
def _control_stamp(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    if not isinstance(body, dict) or "status" not in body or not set(body) <= {"status", "errors", "company"}:
        raise ValueError(
            'send {"status": "Accepted" | "Rejected" | "Draft", "errors": [...], "company": ...}'
        )
    company = body.get("company")
    if company is not None and not isinstance(company, str):
        raise TypeError(f"company must be a username, got {company!r:.80}")
    try:
        row = set_stamp(app.state, company, params["id"], body["status"], body.get("errors"))
    except KeyError:
        raise not_found("invoice") from None
    return 200, row


@control_route("POST", "/invoices/stamp-delay")
def _control_stamp_delay(
    app: SandboxApp, request: Request, params: dict[str, str], body: Any
) -> tuple[int, Any]:
    if (
        not isinstance(body, dict)
        or set(body) != {"company", "seconds"}
        or not isinstance(body["company"], str)
    ):
        raise ValueError('send {"company": "<username>", "seconds": 1.5}')
    set_stamp_delay(app.state, body["company"], body["seconds"])
    return 200, {
        "company": body["company"],
        "seconds": documents.stamp_delay(app.state.tenant(body["company"])),
    }


@control_route("GET", "/invoices/batches/{id}")
def _control_batch(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    company = request.args.get("company")
    if not company:
        raise ValueError("pass ?company=<username>")
    try:
        notification = batch_notification(app.state, company, params["id"])
    except KeyError:
        raise not_found("batch") from None
    if notification is None:
        return 202, {"id": params["id"], "status": "Received"}
    return 200, notification
