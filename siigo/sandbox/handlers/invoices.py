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

DIAN lifecycle: ``stamp`` is ``Draft`` unless ``stamp.send`` on an electronic type; then DIAN
answers ``settings.stamp_outcome`` (``Accepted`` with a 96-hex CUFE, or ``Rejected`` with errors,
readable at ``/stamp/errors``).  Tests can delay that answer (:func:`set_stamp_delay`: the
invoice stays ``Draft`` "waiting for DIAN" until then) or set it (:func:`set_stamp`, or
``POST /_sandbox/invoices/{id}/stamp``).  Accepted invoices, and invoices waiting for DIAN,
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
import copy
import hashlib
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from werkzeug.wrappers import Request

from ... import _json
from ..._config import is_loopback
from ..._patterns import IDEMPOTENCY_KEY
from ...errors import ErrorDetail, ValidationError
from ...invoice_rules import MAX_BATCH_BYTES, check_invoice
from ...models.catalogs import DocumentType, PaymentType, Tax
from ...models.invoices import (
    InvoiceBatchParams,
    InvoiceCreateParams,
    InvoiceCustomerParam,
    InvoiceMailParams,
    InvoiceUpdateParams,
)
from ...totals import (
    DocumentTotals,
    format_amount,
    round2,
    total_payments_message,
)
from ..app import Ctx, SiigoHTTPError, error_entry, not_found, route
from ..control import control_route
from ..state import SandboxState, Tenant, real_number
from ._common import catalog_entry, date_in_range, envelope, is_guid, new_guid, validate

if TYPE_CHECKING:
    from ..app import SandboxApp

__all__ = ["batch_notification", "set_stamp", "set_stamp_delay"]

RESOURCE = "invoices"
_DEFAULT_REJECTION = [
    {"code": "FAD06", "message": "Regla: FAD06, Rechazo: Número de identificación del adquiriente no válido"}
]


def _err(code: str, message: str, *params: str) -> ErrorDetail:
    return ErrorDetail(code, message, tuple(params))


# --- per-invoice bookkeeping the wire does not show --------------------------------------------


def _meta(tenant: Tenant, invoice_id: str) -> dict[str, Any]:
    """Sandbox-only data of an invoice: DIAN errors, a pending DIAN answer, a pending mail."""
    store: dict[str, dict[str, Any]] = tenant.extra.setdefault("invoice_meta", {})
    return store.setdefault(invoice_id, {"stamp_errors": [], "pending": None, "mail_pending": False})


def _stamp_delay(tenant: Tenant) -> float:
    return float(tenant.extra.get("invoice_stamp_delay", 0.0))


def _settle(state: SandboxState, tenant: Tenant, row: dict[str, Any]) -> None:
    """Apply a delayed DIAN answer whose time has come."""
    pending = _meta(tenant, row["id"]).get("pending")
    if pending is not None and state.now() >= pending["until"]:
        _apply_stamp(state, tenant, row, pending["status"], pending.get("errors"))


def _find(state: SandboxState, tenant: Tenant, invoice_id: str) -> dict[str, Any]:
    row = tenant.invoices.get(invoice_id) if is_guid(invoice_id) else None
    if row is None:
        raise not_found("invoice")
    _settle(state, tenant, row)
    return row


def _apply_stamp(
    state: SandboxState,
    tenant: Tenant,
    row: dict[str, Any],
    status: str,
    errors: Iterable[dict[str, Any] | str] | None = None,
    *,
    touch: bool = True,
) -> None:
    """Record DIAN's answer (and send a mail that waited for it); ``touch`` sets
    ``metadata.last_updated`` (not when the answer comes with the creation itself)."""
    if status not in ("Accepted", "Rejected", "Draft"):
        raise ValueError(f"status must be Accepted, Rejected or Draft, got {status!r}")
    meta = _meta(tenant, row["id"])
    meta["pending"] = None
    stamp = row["stamp"]
    if status == "Accepted":
        seed = f"{row['id']}|{row['name']}|{row['date']}|{row['total']}|{state.timestamp()}"
        stamp.update(
            status="Accepted",
            cufe=hashlib.sha384(seed.encode()).hexdigest(),
            observations="Accepted by DIAN",
            errors="",
        )
        meta["stamp_errors"] = []
    elif status == "Rejected":
        entries = [
            {"code": None, "message": e} if isinstance(e, str) else dict(e)
            for e in (errors or copy.deepcopy(_DEFAULT_REJECTION))
        ]
        stamp.update(
            status="Rejected",
            cufe="",
            observations="Rejected by DIAN: fix the invoice and send it again",
            errors="; ".join(str(e.get("message") or e.get("code") or "") for e in entries),
        )
        meta["stamp_errors"] = entries
    else:
        stamp.update(status="Draft", cufe="", observations="", errors="")
        meta["stamp_errors"] = []
    if meta.get("mail_pending"):
        meta["mail_pending"] = False
        if status == "Accepted":
            _send_mail(state, tenant, row, None, None, reason="stamp.accepted")
        elif status == "Rejected":
            row["mail"] = {
                "status": "not_sent",
                "observations": "The invoice was rejected by DIAN and was not sent by mail",
            }
    if touch:
        row["metadata"]["last_updated"] = state.timestamp()


def _send_mail(
    state: SandboxState,
    tenant: Tenant,
    row: dict[str, Any],
    mail_to: str | None,
    copy_to: str | None,
    *,
    reason: str,
) -> dict[str, Any]:
    if mail_to is None:
        customer = _customer_by_ref(
            tenant, row["customer"]["identification"], int(row["customer"].get("branch_office") or 0)
        )
        emails = [c.get("email") for c in (customer or {}).get("contacts") or [] if c.get("email")]
        mail_to = emails[0] if emails else None
    if mail_to is None:
        failed = {"status": "failed_delivery", "observations": "The customer has no contact e-mail"}
        row["mail"] = failed
        return failed
    tenant.outbox.append(
        {
            "invoice_id": row["id"],
            "invoice_name": row["name"],
            "to": mail_to,
            "copy_to": [a for a in (copy_to or "").split(";") if a],
            "subject": f"Factura de venta {row['name']}",
            "attachments": [f"{row['name']}.pdf", f"{row['name']}.xml"],
            "reason": reason,
            "sent_at": state.timestamp(),
        }
    )
    sent = {"status": "sent", "observations": ""}
    row["mail"] = sent
    return sent


# --- lookups -----------------------------------------------------------------------------------


def _customer_by_ref(tenant: Tenant, identification: str, branch_office: int) -> dict[str, Any] | None:
    for customer in tenant.customers.values():
        try:
            branch = int(customer.get("branch_office") or 0)
        except (TypeError, ValueError):
            branch = 0
        if str(customer.get("identification")) == identification and branch == branch_office:
            return customer
    return None


def _referenced_by(tenant: Tenant, invoice_id: str) -> str | None:
    """The name of a credit note that references the invoice (credit notes may live on the
    tenant or in ``tenant.extra``, whichever their module uses)."""
    stores = [getattr(tenant, "credit_notes", None), tenant.extra.get("credit_notes")]
    for store in stores:
        if not isinstance(store, dict):
            continue
        for note in store.values():
            ref = note.get("invoice") if isinstance(note, dict) else None
            ref_id = ref.get("id") if isinstance(ref, dict) else ref
            if ref_id == invoice_id:
                return str(note.get("name") or note.get("id"))
    return None


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
    catalogs = tenant.catalogs

    ref = params.customer
    customer = _customer_by_ref(tenant, ref.identification, ref.branch_office)
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

    def user(user_id: int, path: str) -> None:
        row = catalog_entry(catalogs["users"], user_id)
        if row is None:
            errors.append(
                _err("invalid_reference", f"The seller {user_id} does not exist (see /v1/users)", path)
            )
        elif row.get("active") is False:
            errors.append(_err("parameter_inactive", f"The seller {user_id} is inactive", path))

    user(params.seller, "seller")
    if params.cost_center is not None:
        row = catalog_entry(catalogs["cost_centers"], params.cost_center)
        if row is None:
            errors.append(
                _err(
                    "invalid_cost_center",
                    f"The cost center {params.cost_center} does not exist",
                    "cost_center",
                )
            )
        elif row.get("active") is False:
            errors.append(
                _err("parameter_inactive", f"The cost center {params.cost_center} is inactive", "cost_center")
            )
    if params.currency is not None and params.currency.code == "COP":
        errors.append(
            _err(
                "invalid_currency",
                "The currency must not be sent for documents in the local currency (COP)",
                "currency.code",
            )
        )

    products = {str(p.get("code")): p for p in tenant.products.values()}
    for i, item in enumerate(params.items):
        product = products.get(item.code)
        if product is None:
            errors.append(
                _err("invalid_reference", f"The product {item.code} does not exist", f"items[{i}].code")
            )
        elif product.get("active") is False:
            errors.append(
                _err("parameter_inactive", f"The product {item.code} is inactive", f"items[{i}].code")
            )
        if item.seller is not None:
            user(item.seller, f"items[{i}].seller")
        if item.warehouse is not None:
            warehouse = catalog_entry(catalogs["warehouses"], item.warehouse)
            path = f"items[{i}].warehouse"
            if tenant.extra.get("warehouses_enabled", True) is False:
                errors.append(
                    _err("warehouse_settings", "Warehouse management is not enabled for the company", path)
                )
            elif warehouse is None:
                errors.append(
                    _err("invalid_reference", f"The warehouse {item.warehouse} does not exist", path)
                )
            elif warehouse.get("active") is False:
                errors.append(_err("parameter_inactive", f"The warehouse {item.warehouse} is inactive", path))
            elif product is not None and not product.get("stock_control"):
                errors.append(
                    _err(
                        "product_settings",
                        f"The product {item.code} has no stock control: remove items[{i}].warehouse",
                        path,
                    )
                )
    return customer, new_customer, errors


def _check(
    state: SandboxState,
    tenant: Tenant,
    params: InvoiceCreateParams,
    existing: dict[str, Any] | None = None,
) -> _Checked:
    document_type = tenant.document_type(params.document.id)
    if document_type is None:
        raise SiigoHTTPError.from_details(
            [
                _err(
                    "invalid_reference",
                    f"The document type {params.document.id} does not exist "
                    "(see GET /v1/document-types?type=FV)",
                    "document.id",
                )
            ]
        )
    if existing is not None:
        _immutable(existing, params)
    customer, new_customer, errors = _references(tenant, params)
    settings = state.settings
    totals, rule_errors = check_invoice(
        params,
        document_type=DocumentType.model_validate(document_type),
        taxes={row["id"]: Tax.model_validate(row) for row in tenant.catalogs["taxes"]},
        payment_types={
            row["id"]: PaymentType.model_validate(row) for row in tenant.catalogs["payment_types"]["FV"]
        },
        rounding=settings.rounding_mode,
        payments_basis=settings.payments_basis,
        taxed_price_division=settings.taxed_price_division,
        price_precision=settings.price_precision,
        percentage_discount=settings.percentage_discount,
        today=state.today(),
        strict_due_date=settings.strict_due_date,
    )
    electronic = document_type.get("electronic_type") not in (None, "", "NoElectronic")
    no_resolution = (
        electronic
        and settings.electronic_requires_resolution
        and document_type["id"] not in tenant.resolutions
    )
    for detail in rule_errors:
        if detail.code == "invalid_total_payments":
            if errors or no_resolution:
                continue  # Siigo stops before the math when a reference or the settings are wrong
            # Siigo's own wording: it states the total it calculated, nothing else.
            assert totals is not None
            detail = _err(detail.code, total_payments_message(totals.amount_due), *detail.params)
        errors.append(detail)
    entries = [error_entry(d.code, d.message, d.params) for d in errors]
    if no_resolution:  # step 10, with the live wording (Params [], Detail null)
        entries.append(
            error_entry(
                "document_settings",
                "The document.id cannot be used, you must verify the document settings",
                (),
                detail=False,
            )
        )
    if entries:
        raise SiigoHTTPError(400, entries)
    if totals is None:  # a tax without percentage or of a kind the math does not know
        raise SiigoHTTPError.one(
            400,
            "invalid_amount",
            "The invoice totals cannot be computed: a tax of its items has no percentage or a type "
            "the totals math does not know",
            ["items"],
        )
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
        return CustomerCreateParams.model_validate(ref.to_wire()), []
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
    from .customers import _expand

    customer_id = new_guid()
    row: dict[str, Any] = _expand(params, customer_id, {"created": state.timestamp(), "last_updated": None})
    tenant.customers[customer_id] = row
    return row


def _mark_products(tenant: Tenant, params: InvoiceCreateParams) -> None:
    """Products used by an invoice have movements (they can no longer be deleted)."""
    from .products import mark_movement

    codes = {item.code for item in params.items}
    for product in list(tenant.products.values()):
        if product.get("code") in codes:
            mark_movement(tenant, product["id"])


def _post_stock(
    state: SandboxState, tenant: Tenant, invoice_id: str, params: InvoiceCreateParams | None
) -> None:
    """The invoice takes its stock-controlled products out of their warehouses (the item's
    warehouse, else the company's first); ``None`` gives the stock back (delete, annul)."""
    from .products import find_by_code
    from .stock import default_warehouse, post_stock

    lines = []
    for item in params.items if params is not None else ():
        product = find_by_code(tenant, item.code)
        if (
            product is not None
            and product.get("stock_control")
            and product.get("type", "Product") == "Product"
        ):
            warehouse = item.warehouse if item.warehouse is not None else default_warehouse(tenant)
            lines.append((product["id"], warehouse, -Decimal(item.quantity)))
    post_stock(state, tenant, invoice_id, lines)


def _public_url(invoice_id: str) -> str:
    data = base64.urlsafe_b64encode(f"sandbox:{invoice_id}".encode()).decode().rstrip("=")
    return f"https://documentview.siigo.com/document?data={data}"


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
    catalogs = tenant.catalogs
    doc = checked.document_type
    totals = checked.totals
    products = {str(p.get("code")): p for p in tenant.products.values()}
    items: list[dict[str, Any]] = []
    for item, line in zip(params.items, totals.lines, strict=True):
        product = products.get(item.code) or {}
        entry: dict[str, Any] = {
            "id": new_guid(),
            "code": item.code,
            "description": item.description if item.description is not None else product.get("name", ""),
            "quantity": item.quantity,
            "price": line.price,
            "discount": {"percentage": line.discount_percentage, "value": line.discount_value},
            "taxes": [
                {
                    "id": tax.id,
                    "name": tax.name,
                    "type": tax.type,
                    "percentage": tax.percentage,
                    "value": tax.value,
                    "base_value": tax.base_value,
                }
                for tax in line.taxes
            ],
        }
        if item.taxed_price is not None:
            entry["taxed_price"] = item.taxed_price
        if item.seller is not None:
            entry["seller"] = item.seller
        if item.warehouse is not None:
            warehouse = catalog_entry(catalogs["warehouses"], item.warehouse) or {}
            entry["warehouse"] = {"id": item.warehouse, "name": warehouse.get("name")}
        if item.customer is not None:
            entry["customer"] = item.customer.to_wire()
        if item.tax_base is not None:
            entry["tax_base"] = item.tax_base
            entry["taxpayer"] = item.taxpayer
        if item.transport is not None:
            entry["transport"] = item.transport.to_wire()
        if item.vat_excluded is not None:
            entry["vat_excluded"] = item.vat_excluded
        entry["total"] = line.total
        items.append(entry)

    payment_types = {row["id"]: row for row in catalogs["payment_types"]["FV"]}
    payments = []
    balance = Decimal("0")
    for payment in params.payments:
        kind = payment_types.get(payment.id, {})
        out: dict[str, Any] = {"id": payment.id, "name": kind.get("name"), "value": payment.value}
        if payment.due_date is not None:
            out["due_date"] = payment.due_date.isoformat()
        if kind.get("due_date"):
            balance += payment.value
        payments.append(out)

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
        "prefix": doc.get("type") or "FV",
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
        "retentions": [
            {"id": r.id, "name": r.name, "type": r.type, "percentage": r.percentage, "value": r.value}
            for r in totals.retentions
        ],
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
        "public_url": _public_url(invoice_id),
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


def _stamp_and_mail(
    state: SandboxState, tenant: Tenant, row: dict[str, Any], params: InvoiceCreateParams
) -> None:
    """``stamp.send`` and ``mail.send`` of a created or updated invoice."""
    doc = tenant.document_type(row["document"]["id"]) or {}
    electronic = doc.get("electronic_type") not in (None, "", "NoElectronic")
    meta = _meta(tenant, row["id"])
    waiting = False
    if params.stamp is not None and params.stamp.send:
        if not electronic:
            row["stamp"]["observations"] = "The document type is not electronic: nothing was sent to DIAN"
        else:
            delay = _stamp_delay(tenant)
            outcome = state.settings.stamp_outcome
            if delay > 0:
                meta["pending"] = {"until": state.now() + delay, "status": outcome, "errors": None}
                row["stamp"]["observations"] = "Sent to DIAN, waiting for its answer"
                waiting = True
            else:
                _apply_stamp(state, tenant, row, outcome, touch=False)
    if params.mail is not None and params.mail.send:
        if waiting:
            meta["mail_pending"] = True
            row["mail"] = {"status": "pending_send", "observations": "Waiting for DIAN validation"}
        elif row["stamp"]["status"] == "Rejected":
            row["mail"] = {
                "status": "not_sent",
                "observations": "The invoice was rejected by DIAN and was not sent by mail",
            }
        else:
            _send_mail(state, tenant, row, None, None, reason="mail.send")


def _replay(state: SandboxState, tenant: Tenant, key: str | None) -> tuple[int, dict[str, Any]] | None:
    """The invoice an ``Idempotency-Key`` already created (as it is now), or ``None``."""
    stored = tenant.idempotency[RESOURCE].get(key) if key is not None else None
    if stored is None:
        return None
    snapshot = stored[1]
    current = tenant.invoices.get(snapshot["id"])
    if current is not None:
        _settle(state, tenant, current)
    return state.settings.idempotent_replay_status, copy.deepcopy(current or snapshot)


def _create(
    state: SandboxState, tenant: Tenant, params: InvoiceCreateParams, key: str | None
) -> tuple[int, dict[str, Any]]:
    """Steps 7 (replay) and 9-12 of POST /v1/invoices; the caller holds ``state.lock``."""
    replay = _replay(state, tenant, key)
    if replay is not None:
        return replay
    checked = _check(state, tenant, params)
    doc = checked.document_type
    if doc.get("automatic_number", True):
        number = int(doc.get("consecutive") or 1)
    else:
        assert params.number is not None  # check_invoice demands it
        number = params.number
        if any(
            inv["document"]["id"] == doc["id"] and inv["number"] == number for inv in tenant.invoices.values()
        ):
            raise SiigoHTTPError.one(
                400,
                "duplicated_document",
                f"The invoice number {number} already exists for document type {doc['id']}; "
                "send another number (or an Idempotency-Key to retry safely)",
                ["number"],
            )
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
    doc["consecutive"] = max(int(doc.get("consecutive") or 1), number + 1)
    tenant.invoices[invoice_id] = row
    _mark_products(tenant, params)
    _post_stock(state, tenant, invoice_id, params)
    _stamp_and_mail(state, tenant, row, params)
    if key is not None:
        tenant.idempotency[RESOURCE][key] = (201, copy.deepcopy(row))
    return 201, copy.deepcopy(row)


def _lock_reason(tenant: Tenant, row: dict[str, Any]) -> str | None:
    if _meta(tenant, row["id"]).get("pending") is not None:
        return "it is being sent to DIAN"
    if row["stamp"].get("status") == "Accepted" or row["stamp"].get("cufe"):
        return "it was accepted by DIAN (it has a CUFE); issue a credit note instead"
    note = _referenced_by(tenant, row["id"])
    if note is not None:
        return f"the credit note {note} references it; remove the related documents first"
    return None


# --- routes ------------------------------------------------------------------------------------


@route("POST", "/v1/invoices")
def create_invoice(ctx: Ctx) -> tuple[int, Any]:
    key = ctx.headers.get("Idempotency-Key")
    if key is not None and IDEMPOTENCY_KEY.fullmatch(key) is None:
        raise SiigoHTTPError.one(
            400, "invalid_idempotency_key", "The header Idempotency-Key has an invalid value", detail=False
        )
    with ctx.state.lock:
        replay = _replay(ctx.state, ctx.tenant, key)  # before reading the body (§H.1 step 7)
        if replay is not None:
            return replay
        params = validate(InvoiceCreateParams, ctx)
        return _create(ctx.state, ctx.tenant, params, key)


@route("GET", "/v1/invoices")
def list_invoices(ctx: Ctx) -> tuple[int, Any]:
    args = ctx.args
    filters: list[Callable[[dict[str, Any]], bool]] = []
    document_id = args.get("document_id")
    if document_id:
        filters.append(lambda row: str(row["document"]["id"]) == document_id)
    identification = args.get("customer_identification")
    if identification:
        filters.append(lambda row: row["customer"]["identification"] == identification)
    branch = args.get("customer_branch_office")
    if branch not in (None, ""):
        try:
            branch_number = int(branch)
        except ValueError:
            raise SiigoHTTPError.one(
                400,
                "invalid_type",
                "The field customer_branch_office must be an integer",
                ["customer_branch_office"],
            ) from None
        filters.append(lambda row: int(row["customer"].get("branch_office") or 0) == branch_number)
    name = args.get("name")
    if name:
        filters.append(lambda row: row["name"] == name)
    filters.append(date_in_range(ctx, "created", lambda row: row["metadata"].get("created")))
    filters.append(date_in_range(ctx, "updated", lambda row: row["metadata"].get("last_updated")))
    filters.append(date_in_range(ctx, "date", lambda row: row.get("date")))
    with ctx.state.lock:
        rows = []
        for row in ctx.tenant.invoices.values():
            _settle(ctx.state, ctx.tenant, row)  # a dict look-up, unless a DIAN answer is due
            if all(keep(row) for keep in filters):
                rows.append(row)
        # Only the rows of the page are copied (a page out of 10 000 invoices copied them all).
        return 200, envelope(ctx, rows, "/v1/invoices", copy.deepcopy)


@route("GET", "/v1/invoices/{id}")
def get_invoice(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        return 200, copy.deepcopy(_find(ctx.state, ctx.tenant, ctx.params["id"]))


@route("PUT", "/v1/invoices/{id}")
def update_invoice(ctx: Ctx) -> tuple[int, Any]:
    params = validate(InvoiceUpdateParams, ctx)
    state, tenant = ctx.state, ctx.tenant
    with state.lock:
        existing = _find(state, tenant, ctx.params["id"])
        if existing.get("annulled"):
            raise SiigoHTTPError.one(400, "non_editable", "The invoice is annulled and cannot be edited")
        reason = _lock_reason(tenant, existing)
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
        _mark_products(tenant, params)
        _post_stock(state, tenant, row["id"], params)
        _meta(tenant, row["id"]).update(stamp_errors=[], pending=None, mail_pending=False)
        _stamp_and_mail(state, tenant, row, params)
        return state.settings.put_status, copy.deepcopy(row)


@route("DELETE", "/v1/invoices/{id}")
def delete_invoice(ctx: Ctx) -> tuple[int, Any]:
    state, tenant = ctx.state, ctx.tenant
    with state.lock:
        row = _find(state, tenant, ctx.params["id"])
        reason = _lock_reason(tenant, row)
        if reason is not None:
            raise SiigoHTTPError.one(400, "delete_not_allowed", f"The invoice cannot be deleted: {reason}")
        del tenant.invoices[row["id"]]
        tenant.extra.get("invoice_meta", {}).pop(row["id"], None)
        _post_stock(state, tenant, row["id"], None)
    return 200, {"id": row["id"], "deleted": True}


@route("POST", "/v1/invoices/{id}/annul")
def annul_invoice(ctx: Ctx) -> tuple[int, Any]:
    state, tenant = ctx.state, ctx.tenant
    with state.lock:
        row = _find(state, tenant, ctx.params["id"])
        if row.get("annulled"):
            raise SiigoHTTPError.one(400, "non_editable", f"The invoice {row['name']} is already annulled")
        reason = _lock_reason(tenant, row)
        if reason is not None:
            raise SiigoHTTPError.one(400, "delete_not_allowed", f"The invoice cannot be annulled: {reason}")
        row["annulled"] = True
        row["metadata"]["last_updated"] = state.timestamp()
        _post_stock(state, tenant, row["id"], None)
    if state.settings.annul_body == "Annul":
        return 200, {"id": row["id"], "Annul": True}
    return 200, {"id": row["id"], "deleted": True}


@route("GET", "/v1/invoices/{id}/pdf")
def invoice_pdf(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        row = copy.deepcopy(_find(ctx.state, ctx.tenant, ctx.params["id"]))
    content = base64.b64encode(render_pdf(row)).decode("ascii")
    return 200, {"id": row["id"], "cufe": row["stamp"].get("cufe") or "", "base64": content}


@route("GET", "/v1/invoices/{id}/xml")
def invoice_xml(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        row = copy.deepcopy(_find(ctx.state, ctx.tenant, ctx.params["id"]))
    content = base64.b64encode(render_xml(row)).decode("ascii")
    return 200, {"id": row["id"], "cufe": row["stamp"].get("cufe") or "", "base64": content}


@route("GET", "/v1/invoices/{id}/stamp/errors")
def invoice_stamp_errors(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        row = _find(ctx.state, ctx.tenant, ctx.params["id"])
        errors = copy.deepcopy(_meta(ctx.tenant, row["id"])["stamp_errors"])
    return 200, {"id": row["id"], "errors": errors}


@route("POST", "/v1/invoices/{id}/mail")
def mail_invoice(ctx: Ctx) -> tuple[int, Any]:
    params = validate(InvoiceMailParams, ctx)
    with ctx.state.lock:
        row = _find(ctx.state, ctx.tenant, ctx.params["id"])
        mail = _send_mail(ctx.state, ctx.tenant, row, params.mail_to, params.copy_to, reason="mail")
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


def _pdf_text(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252", "replace") + b")"


def render_pdf(row: dict[str, Any]) -> bytes:
    """A small but real one-page PDF 1.4 (catalog, page tree, page, Helvetica, content stream,
    xref table) with the invoice's name, date, customer, lines, total and CUFE."""
    lines = [
        f"Factura de venta {row['name']}",
        f"Fecha: {row['date']}",
        f"Cliente: {row['customer']['identification']} (sucursal {row['customer'].get('branch_office', 0)})",
        "",
    ]
    for item in row.get("items") or []:
        lines.append(
            f"{item['code']}  {item.get('description') or ''}  x {item['quantity']}  = {format_amount(Decimal(str(item['total'])))}"
        )
    lines += ["", f"Total: {format_amount(Decimal(str(row['total'])))} COP"]
    cufe = row["stamp"].get("cufe")
    lines.append(f"CUFE: {cufe}" if cufe else f"Estado DIAN: {row['stamp'].get('status')}")
    if row.get("annulled"):
        lines.append("ANULADA")
    text = (
        b"BT /F1 11 Tf 14 TL 56 780 Td "
        + b" ".join(_pdf_text(line[:110]) + b" Tj T*" for line in lines)
        + b" ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode() + b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def render_xml(row: dict[str, Any]) -> bytes:
    """A small UBL 2.1-like invoice document (what DIAN receives, much reduced)."""
    currency = (row.get("currency") or {}).get("code") or "COP"

    def amount(tag: str, value: Any) -> str:
        return f'<cbc:{tag} currencyID="{currency}">{format_amount(Decimal(str(value)))}</cbc:{tag}>'

    subtotal = sum(
        (
            round2(
                Decimal(str(i["quantity"])) * Decimal(str(i["price"])) - Decimal(str(i["discount"]["value"]))
            )
            for i in row["items"]
        ),
        Decimal(0),
    )
    lines = []
    for n, item in enumerate(row["items"], start=1):
        lines.append(
            "<cac:InvoiceLine>"
            f"<cbc:ID>{n}</cbc:ID>"
            f"<cbc:InvoicedQuantity>{escape(str(item['quantity']))}</cbc:InvoicedQuantity>"
            + amount("LineExtensionAmount", item["total"])
            + f"<cac:Item><cbc:Description>{escape(str(item.get('description') or ''))}</cbc:Description>"
            f"<cac:SellersItemIdentification><cbc:ID>{escape(item['code'])}</cbc:ID>"
            "</cac:SellersItemIdentification></cac:Item>"
            "<cac:Price>" + amount("PriceAmount", item["price"]) + "</cac:Price>"
            "</cac:InvoiceLine>"
        )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        "<cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID>"
        "<cbc:CustomizationID>10</cbc:CustomizationID>"
        f"<cbc:ID>{escape(row['name'])}</cbc:ID>"
        f'<cbc:UUID schemeName="CUFE-SHA384">{escape(row["stamp"].get("cufe") or "")}</cbc:UUID>'
        f"<cbc:IssueDate>{escape(row['date'])}</cbc:IssueDate>"
        "<cbc:InvoiceTypeCode>01</cbc:InvoiceTypeCode>"
        f"<cbc:DocumentCurrencyCode>{currency}</cbc:DocumentCurrencyCode>"
        f"<cbc:LineCountNumeric>{len(row['items'])}</cbc:LineCountNumeric>"
        "<cac:AccountingCustomerParty><cac:Party><cac:PartyIdentification>"
        f"<cbc:ID>{escape(row['customer']['identification'])}</cbc:ID>"
        "</cac:PartyIdentification></cac:Party></cac:AccountingCustomerParty>"
        "<cac:LegalMonetaryTotal>"
        + amount("LineExtensionAmount", subtotal)
        + amount("TaxInclusiveAmount", row["total"])
        + amount("PayableAmount", row["total"])
        + "</cac:LegalMonetaryTotal>"
        + "".join(lines)
        + "</Invoice>\n"
    )
    return document.encode("utf-8")


# --- test controls -----------------------------------------------------------------------------


def _tenant_of(state: SandboxState, invoice_id: str) -> Tenant | None:
    for tenant in state.tenants.values():
        if invoice_id in tenant.invoices:
            return tenant
    return None


def set_stamp(
    state: SandboxState,
    username: str | None,
    invoice_id: str,
    status: str,
    errors: Iterable[dict[str, Any] | str] | None = None,
) -> dict[str, Any]:
    """Give an invoice DIAN's answer: ``Accepted`` (a CUFE), ``Rejected`` (``errors``: messages
    or ``{"code", "message"}``; a FAD06 rejection when omitted) or ``Draft`` (back to unsent).
    ``username`` may be ``None`` to find the company by the invoice id.  Returns the invoice;
    ``KeyError`` for an unknown invoice, ``ValueError`` / ``TypeError`` for an invalid answer."""
    entries = _stamp_errors(errors)
    with state.lock:
        tenant = state.tenants.get(username) if username is not None else _tenant_of(state, invoice_id)
        row = tenant.invoices.get(invoice_id) if tenant is not None else None
        if tenant is None or row is None:
            raise KeyError(f"no invoice {invoice_id}")
        _apply_stamp(state, tenant, row, status, entries)
        return copy.deepcopy(row)


def _stamp_errors(errors: Any) -> list[dict[str, Any] | str] | None:
    """DIAN's errors for a rejection, checked: messages or ``{"code", "message"}`` objects."""
    if errors is None:
        return None
    shape = 'a list of messages or of {"code": ..., "message": ...} objects'
    if isinstance(errors, (str, bytes, dict)) or not isinstance(errors, Iterable):
        raise TypeError(f"errors must be {shape}, got {type(errors).__name__}")
    entries: list[dict[str, Any] | str] = []
    for entry in errors:
        if isinstance(entry, str):
            entries.append(entry)
        elif (
            isinstance(entry, dict)
            and set(entry) <= {"code", "message"}
            and all(value is None or isinstance(value, str) for value in entry.values())
        ):
            entries.append(dict(entry))
        else:
            raise TypeError(f"errors must be {shape}, got an entry {entry!r:.80}")
    return entries


def set_stamp_delay(state: SandboxState, username: str, seconds: float) -> None:
    """Make DIAN answer ``stamp.send`` of this company's invoices after ``seconds`` (0: at once)."""
    delay = real_number(seconds, "the stamp delay", "a number of seconds, 0 or more", lambda s: s >= 0)
    with state.lock:
        state.tenant(username).extra["invoice_stamp_delay"] = delay


def batch_notification(state: SandboxState, username: str, batch_id: str) -> dict[str, Any] | None:
    """The notification of a processed batch (§D.9) with its ``delivery`` outcome, or ``None``
    while the batch is being processed.  Raises ``KeyError`` for an unknown batch."""
    with state.lock:
        tenant = state.tenants.get(username)
        record = (tenant.extra.get("invoice_batches", {}) if tenant is not None else {})[batch_id]
        if record.get("notification") is None or record.get("delivery") is None:
            return None
        return {**copy.deepcopy(record["notification"]), "delivery": dict(record["delivery"])}


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
    return 200, {"company": body["company"], "seconds": _stamp_delay(app.state.tenant(body["company"]))}


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
