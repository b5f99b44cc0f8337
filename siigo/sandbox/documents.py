"""What every document kind shares in the sandbox (siigo-api.md §H.1-H.2).

One store per company (``tenant.documents[kind.code]``: id → the document as the wire shows it),
with numbering per document type, idempotent replay, edit locks and list filters; the DIAN
lifecycle (``Draft`` → ``Accepted`` with a CUFE or CUDE, or ``Rejected`` with errors, possibly
after a delay); the mail outbox; PDF and XML rendering.  The kind handlers
(:mod:`siigo.sandbox.handlers.invoices`, ``credit_notes``, ``quotations``) add what is their own and
use these public functions only.
"""

from __future__ import annotations

import base64
import copy
import hashlib
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from .._patterns import IDEMPOTENCY_KEY
from ..errors import ErrorDetail
from ..kinds import CREDIT_NOTE, INVOICE, KINDS, Kind
from ..models.catalogs import DocumentType, PaymentType, Tax
from ..rules import check_document
from ..totals import DocumentTotals, format_amount, round2, total_payments_message
from . import ledger
from .app import Ctx, SiigoHTTPError, error_entry, not_found
from .handlers._common import catalog_entry, date_in_range, envelope, is_guid, new_guid
from .state import SandboxState, Store, Tenant, copy_document, real_number

__all__ = [
    "apply_stamp",
    "check_references",
    "check_rules",
    "customer_by_ref",
    "document_type_or_refuse",
    "find",
    "find_anywhere",
    "find_anywhere_in",
    "idempotency_key",
    "is_electronic",
    "list_documents",
    "lock_reason",
    "mark_products",
    "meta",
    "number_for",
    "post_stock",
    "public_url",
    "rebuild_waiting",
    "referenced_by",
    "remember",
    "render_items",
    "render_payments",
    "render_pdf",
    "render_retentions",
    "render_xml",
    "replay",
    "rows",
    "send_mail",
    "send_stamp",
    "set_stamp",
    "set_stamp_delay",
    "settle",
    "settle_due",
    "stamp_and_mail",
    "stamp_code",
    "stamp_delay",
]

_DEFAULT_REJECTION = [
    {"code": "FAD06", "message": "Regla: FAD06, Rechazo: Número de identificación del adquiriente no válido"}
]


# --- the store ---------------------------------------------------------------------------------


def rows(tenant: Tenant, kind: Kind) -> Store:
    """The company's documents of ``kind``, by id (in creation order), indexed by name."""
    return tenant.documents[kind.code]


def meta(tenant: Tenant, document_id: str) -> dict[str, Any]:
    """Sandbox-only data of a document: DIAN errors, a pending DIAN answer, a pending mail."""
    store: dict[str, dict[str, Any]] = tenant.extra.setdefault("document_meta", {})
    return store.setdefault(document_id, {"stamp_errors": [], "pending": None, "mail_pending": False})


def _waiting(tenant: Tenant) -> dict[str, str]:
    """The documents that may have a DIAN answer pending (id → kind code), in the order they
    were sent: a list settles these instead of looking at every document.  A superset: an entry
    whose answer was applied or withdrawn is dropped when it is next looked at."""
    waiting: dict[str, str] = tenant.extra.setdefault("document_waiting", {})
    return waiting


def rebuild_waiting(tenant: Tenant) -> None:
    """Recompute :func:`_waiting` from the documents' sandbox data (a state read from a file)."""
    store: dict[str, dict[str, Any]] = tenant.extra.get("document_meta", {})
    waiting = _waiting(tenant)
    waiting.clear()
    for code, documents in tenant.documents.items():
        for document_id in documents:
            info = store.get(document_id)
            if info is not None and info.get("pending") is not None:
                waiting[document_id] = code


def settle_due(state: SandboxState, tenant: Tenant, kind: Kind) -> None:
    """Apply every delayed DIAN answer of ``kind`` whose time has come."""
    waiting = _waiting(tenant)
    if not waiting:
        return
    documents = rows(tenant, kind)
    store: dict[str, dict[str, Any]] = tenant.extra.get("document_meta", {})
    for document_id, code in list(waiting.items()):
        if code != kind.code:
            continue
        row = documents.get(document_id)
        info = store.get(document_id)
        if row is None or info is None or info.get("pending") is None:
            waiting.pop(document_id, None)
            continue
        settle(state, tenant, kind, row)
        if info.get("pending") is None:
            waiting.pop(document_id, None)


def find(state: SandboxState, tenant: Tenant, kind: Kind, document_id: str) -> dict[str, Any]:
    """The stored document (a pending DIAN answer whose time has come applied); 404
    ``not_found`` for an unknown or malformed id."""
    row = rows(tenant, kind).get(document_id) if is_guid(document_id) else None
    if row is None:
        raise not_found(kind.name)
    settle(state, tenant, kind, row)
    return row


def find_anywhere(
    state: SandboxState, username: str | None, document_id: str
) -> tuple[Tenant, Kind, dict[str, Any]] | None:
    """The company, kind and row of a document id (in ``username``'s company, or in any)."""
    tenants = [state.tenants.get(username)] if username is not None else list(state.tenants.values())
    for tenant in tenants:
        if tenant is None:
            continue
        for kind in KINDS.values():
            row = tenant.documents[kind.code].get(document_id)
            if row is not None:
                return tenant, kind, row
    return None


def idempotency_key(ctx: Ctx) -> str | None:
    """The request's ``Idempotency-Key`` (§H.1 step 7): 400 ``invalid_idempotency_key`` when it
    is not 1-30 letters and digits."""
    key = ctx.headers.get("Idempotency-Key")
    if key is not None and IDEMPOTENCY_KEY.fullmatch(key) is None:
        raise SiigoHTTPError.one(
            400, "invalid_idempotency_key", "The header Idempotency-Key has an invalid value", detail=False
        )
    return key


def _namespace(kind: Kind) -> str:
    return kind.path.rsplit("/", 1)[-1]


def replay(
    state: SandboxState, tenant: Tenant, kind: Kind, key: str | None
) -> tuple[int, dict[str, Any]] | None:
    """The document an ``Idempotency-Key`` already created (as it is now), or ``None``."""
    stored = tenant.idempotency[_namespace(kind)].get(key) if key is not None else None
    if stored is None:
        return None
    snapshot = stored[1]
    current = rows(tenant, kind).get(snapshot["id"])
    if current is not None:
        settle(state, tenant, kind, current)
    return state.settings.idempotent_replay_status, copy_document(current or snapshot)


def remember(tenant: Tenant, kind: Kind, key: str | None, row: dict[str, Any]) -> None:
    """Keep what a key created (only successful creations: a failed key can be used again)."""
    if key is not None:
        tenant.idempotency[_namespace(kind)][key] = (201, copy_document(row))


def number_for(tenant: Tenant, kind: Kind, document_type: dict[str, Any], manual: int | None) -> int:
    """The number of a new document of ``document_type``: its ``consecutive`` (automatic
    numbering) or ``manual`` (400 ``duplicated_document`` when the type already used it).  The
    consecutive is advanced past it."""
    if document_type.get("automatic_number", True):
        number = int(document_type.get("consecutive") or 1)
    else:
        assert manual is not None  # the rules demand it
        number = manual
        if any(
            row["document"]["id"] == document_type["id"] and row["number"] == number
            for row in rows(tenant, kind).values()
        ):
            raise SiigoHTTPError.one(
                400,
                "duplicated_document",
                f"The {kind.name} number {number} already exists for document type {document_type['id']}; "
                "send another number (or an Idempotency-Key to retry safely)",
                ["number"],
            )
    document_type["consecutive"] = max(int(document_type.get("consecutive") or 1), number + 1)
    return number


def customer_by_ref(tenant: Tenant, identification: str, branch_office: int) -> dict[str, Any] | None:
    """The company's third party with this identification and branch office."""
    for customer in tenant.customers.values():
        try:
            branch = int(customer.get("branch_office") or 0)
        except (TypeError, ValueError):
            branch = 0
        if str(customer.get("identification")) == identification and branch == branch_office:
            return customer
    return None


def referenced_by(tenant: Tenant, invoice_id: str) -> str | None:
    """The name of a credit note that references the invoice, if any."""
    for note in rows(tenant, CREDIT_NOTE).values():
        if (note.get("invoice") or {}).get("id") == invoice_id:
            return str(note.get("name") or note.get("id"))
    return None


def lock_reason(tenant: Tenant, kind: Kind, row: dict[str, Any]) -> str | None:
    """Why a document cannot be edited, deleted or annulled, or ``None``: it is waiting for
    DIAN, was accepted by DIAN, (an invoice) a credit note references it, or another document
    (a receipt, a credit note) paid part of its installments."""
    if meta(tenant, row["id"]).get("pending") is not None:
        return "it is being sent to DIAN"
    stamp = row.get("stamp") or {}
    code = kind.dian_code
    if stamp.get("status") == "Accepted" or (code is not None and stamp.get(code)):
        return (
            f"it was accepted by DIAN (it has a {(code or 'DIAN code').upper()}); issue a credit note instead"
        )
    if kind is INVOICE:
        note = referenced_by(tenant, row["id"])
        if note is not None:
            return f"the credit note {note} references it; remove the related documents first"
    payers = ledger.dependents(tenant, row["id"])
    if payers:
        found = find_anywhere_in(tenant, payers[0])
        label = f"the {found[0].name} {found[1].get('name')}" if found else f"the document {payers[0]}"
        return f"{label} paid part of it; remove the related documents first"
    return None


def find_anywhere_in(tenant: Tenant, document_id: str) -> tuple[Kind, dict[str, Any]] | None:
    """The kind and row of one of the company's documents, by id."""
    for kind in KINDS.values():
        row = tenant.documents[kind.code].get(document_id)
        if row is not None:
            return kind, row
    return None


def list_documents(ctx: Ctx, kind: Kind) -> dict[str, Any]:
    """``GET /v1/<kind>``: the filters of §B.1 (document type, customer, name, created/updated/
    date ranges), paginated."""
    args = ctx.args
    filters: list[Callable[[dict[str, Any]], bool]] = []
    document_id = args.get("document_id")
    if document_id:
        filters.append(lambda row: str(row["document"]["id"]) == document_id)
    party = kind.third_party  # "customer", or "supplier" for purchases and payment receipts
    identification = args.get(f"{party}_identification") or args.get("customer_identification")
    if identification:
        filters.append(lambda row: row[party]["identification"] == identification)
    branch = args.get(f"{party}_branch_office") or args.get("customer_branch_office")
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
        filters.append(lambda row: int(row[party].get("branch_office") or 0) == branch_number)
    name = args.get("name")
    if name:
        filters.append(lambda row: row["name"] == name)
    filters.append(date_in_range(ctx, "created", lambda row: row["metadata"].get("created")))
    filters.append(date_in_range(ctx, "updated", lambda row: row["metadata"].get("last_updated")))
    filters.append(date_in_range(ctx, "date", lambda row: row.get("date")))
    query = tuple(sorted((k, v) for k, v in args.items(multi=True) if k not in ("page", "page_size")))
    with ctx.state.lock:
        settle_due(ctx.state, ctx.tenant, kind)  # only the documents waiting for DIAN
        store = rows(ctx.tenant, kind)

        def found() -> list[dict[str, Any]]:
            return [row for row in store.values() if all(keep(row) for keep in filters)]

        if any(k.startswith("updated_") for k, _ in query):
            # metadata.last_updated changes in place (a DIAN answer, a payment): filter afresh.
            page_rows = found()
        else:
            # In creation order, filtered once per change of the store (every field filtered
            # here is set when a document is written): a page then costs its own size.
            page_rows = store.view(query, found)
        # Only the rows of the page are copied (a page out of 10 000 documents copied them all).
        return envelope(ctx, page_rows, kind.path, copy_document)


def public_url(document_id: str, *, host: str = "documentview.siigo.com") -> str:
    """The shareable view of a document (``publicview.siigo.com`` for quotations, §B.8)."""
    data = base64.urlsafe_b64encode(f"sandbox:{document_id}".encode()).decode().rstrip("=")
    return f"https://{host}/document?data={data}"


def is_electronic(document_type: dict[str, Any]) -> bool:
    return document_type.get("electronic_type") not in (None, "", "NoElectronic")


# --- DIAN and mail -----------------------------------------------------------------------------


def stamp_code(kind: Kind) -> str | None:
    """The field of ``stamp`` that holds DIAN's code of a kind's documents: its ``dian_code``,
    else ``cude`` for a kind that still has the ``stamp`` action (the cash receipts: only
    Siigo's JavaScript SDK sends them, §B.0 row 61 ❓); ``None`` for a kind never sent."""
    if kind.dian_code is not None:
        return kind.dian_code
    return "cude" if kind.has("stamp") else None


def stamp_delay(tenant: Tenant) -> float:
    return float(tenant.extra.get("stamp_delay", 0.0))


def settle(state: SandboxState, tenant: Tenant, kind: Kind, row: dict[str, Any]) -> None:
    """Apply a delayed DIAN answer whose time has come."""
    pending = meta(tenant, row["id"]).get("pending")
    if pending is not None and state.now() >= pending["until"]:
        apply_stamp(state, tenant, kind, row, pending["status"], pending.get("errors"))


def apply_stamp(
    state: SandboxState,
    tenant: Tenant,
    kind: Kind,
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
    code = stamp_code(kind)
    if code is None:
        raise ValueError(f"a {kind.name} is never sent to DIAN")
    info = meta(tenant, row["id"])
    info["pending"] = None
    stamp = row["stamp"]
    if status == "Accepted":
        seed = f"{row['id']}|{row['name']}|{row['date']}|{row.get('total')}|{state.timestamp()}"
        stamp.update(
            {
                "status": "Accepted",
                code: hashlib.sha384(seed.encode()).hexdigest(),
                "observations": "Accepted by DIAN",
                "errors": "",
            }
        )
        info["stamp_errors"] = []
    elif status == "Rejected":
        entries = [
            {"code": None, "message": e} if isinstance(e, str) else dict(e)
            for e in (errors or copy.deepcopy(_DEFAULT_REJECTION))
        ]
        stamp.update(
            {
                "status": "Rejected",
                code: "",
                "observations": f"Rejected by DIAN: fix the {kind.name} and send it again",
                "errors": "; ".join(str(e.get("message") or e.get("code") or "") for e in entries),
            }
        )
        info["stamp_errors"] = entries
    else:
        stamp.update({"status": "Draft", code: "", "observations": "", "errors": ""})
        info["stamp_errors"] = []
    if info.get("mail_pending"):
        info["mail_pending"] = False
        if status == "Accepted":
            send_mail(state, tenant, kind, row, None, None, reason="stamp.accepted")
        elif status == "Rejected":
            row["mail"] = {
                "status": "not_sent",
                "observations": f"The {kind.name} was rejected by DIAN and was not sent by mail",
            }
    if touch:
        row["metadata"]["last_updated"] = state.timestamp()


def send_mail(
    state: SandboxState,
    tenant: Tenant,
    kind: Kind,
    row: dict[str, Any],
    mail_to: str | None,
    copy_to: str | None,
    *,
    reason: str,
) -> dict[str, Any]:
    """Append the document to the company's outbox (to ``mail_to``, or to the customer's first
    contact) and set its ``mail`` status."""
    if mail_to is None:
        customer = customer_by_ref(
            tenant, row["customer"]["identification"], int(row["customer"].get("branch_office") or 0)
        )
        emails = [c.get("email") for c in (customer or {}).get("contacts") or [] if c.get("email")]
        mail_to = emails[0] if emails else None
    if mail_to is None:
        failed = {"status": "failed_delivery", "observations": "The customer has no contact e-mail"}
        row["mail"] = failed
        return failed
    attachments = [f"{row['name']}.pdf"] + ([f"{row['name']}.xml"] if kind.dian_code else [])
    tenant.outbox.append(
        {
            "document_id": row["id"],
            "document_name": row["name"],
            **({"invoice_id": row["id"], "invoice_name": row["name"]} if kind is INVOICE else {}),
            "kind": kind.code,
            "to": mail_to,
            "copy_to": [a for a in (copy_to or "").split(";") if a],
            "subject": f"{kind.label} {row['name']}",
            "attachments": attachments,
            "reason": reason,
            "sent_at": state.timestamp(),
        }
    )
    sent = {"status": "sent", "observations": ""}
    row["mail"] = sent
    return sent


def stamp_and_mail(
    state: SandboxState,
    tenant: Tenant,
    kind: Kind,
    row: dict[str, Any],
    *,
    stamp: bool,
    mail: bool,
) -> None:
    """``stamp.send`` and ``mail.send`` of a created or updated document."""
    document_type = tenant.document_type(row["document"]["id"]) or {}
    info = meta(tenant, row["id"])
    waiting = False
    if stamp:
        if not is_electronic(document_type):
            row["stamp"]["observations"] = "The document type is not electronic: nothing was sent to DIAN"
        else:
            delay = stamp_delay(tenant)
            outcome = state.settings.stamp_outcome
            if delay > 0:
                info["pending"] = {"until": state.now() + delay, "status": outcome, "errors": None}
                _waiting(tenant)[row["id"]] = kind.code
                row["stamp"]["observations"] = "Sent to DIAN, waiting for its answer"
                waiting = True
            else:
                apply_stamp(state, tenant, kind, row, outcome, touch=False)
    if mail:
        if waiting:
            info["mail_pending"] = True
            row["mail"] = {"status": "pending_send", "observations": "Waiting for DIAN validation"}
        elif row["stamp"]["status"] == "Rejected":
            row["mail"] = {
                "status": "not_sent",
                "observations": f"The {kind.name} was rejected by DIAN and was not sent by mail",
            }
        else:
            send_mail(state, tenant, kind, row, None, None, reason="mail.send")


def send_stamp(state: SandboxState, tenant: Tenant, kind: Kind, row: dict[str, Any]) -> dict[str, Any]:
    """``POST /v1/<kind>/{id}/stamp`` (only in Siigo's JavaScript SDK, §B.0 rows 38 and 61 ❓):
    send a saved document to DIAN and e-mail it, answering ``{stamp{uuid, status, observations,
    errors}, mail{status, observations}}``.

    A ``Draft`` or ``Rejected`` document goes through :func:`stamp_and_mail` (the company's
    ``stamp_outcome``, ``stamp_delay`` and outbox apply).  One already accepted, or waiting for
    DIAN, answers the stamp it has and sends nothing again (Siigo is silent on a second send;
    answering it keeps a retried call harmless).  Refused with 400: an annulled document
    (``invalid_document``), a document type that is not electronic (``document_settings``: the
    type's configuration does not allow it)."""
    what = kind.name
    if row.get("annulled"):
        raise SiigoHTTPError.one(
            400,
            "invalid_document",
            f"The {what} {row.get('name')} is annulled and cannot be sent to DIAN",
            ["id"],
        )
    document_type = tenant.document_type(row["document"]["id"]) or {}
    code = stamp_code(kind)
    if code is None or not is_electronic(document_type):
        raise SiigoHTTPError.one(
            400,
            "document_settings",
            f"The document.id cannot be used, you must verify the document settings: the {what} "
            f"{row.get('name')} is not of an electronic document type",
            ["document.id"],
        )
    info = meta(tenant, row["id"])
    # A cash receipt has no stamp until it is sent (its answers are unchanged until then).
    stamp = row.setdefault("stamp", {"status": "Draft", code: "", "observations": "", "errors": ""})
    if info.get("pending") is None and stamp.get("status") != "Accepted":
        stamp_and_mail(state, tenant, kind, row, stamp=True, mail=True)
        row["metadata"]["last_updated"] = state.timestamp()
    mail = row.get("mail") or {}
    return {
        "stamp": {
            "uuid": stamp.get(code) or "",
            "status": stamp.get("status"),
            "observations": stamp.get("observations") or "",
            "errors": stamp.get("errors") or "",
        },
        "mail": {"status": mail.get("status") or "not_sent", "observations": mail.get("observations") or ""},
    }


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


def set_stamp(
    state: SandboxState,
    username: str | None,
    document_id: str,
    status: str,
    errors: Iterable[dict[str, Any] | str] | None = None,
) -> dict[str, Any]:
    """Give a document DIAN's answer: ``Accepted`` (a CUFE, or a CUDE for a note), ``Rejected``
    (``errors``: messages or ``{"code", "message"}``; a FAD06 rejection when omitted) or ``Draft``
    (back to unsent).  ``username`` may be ``None`` to find the company by the document id.
    Returns the document; ``KeyError`` for an unknown one, ``ValueError`` / ``TypeError`` for an
    invalid answer."""
    entries = _stamp_errors(errors)
    with state.lock:
        found = find_anywhere(state, username, document_id)
        if found is None or stamp_code(found[1]) is None:
            raise KeyError(f"no document {document_id} that DIAN stamps")
        tenant, kind, row = found
        apply_stamp(state, tenant, kind, row, status, entries)
        return copy_document(row)


def set_stamp_delay(state: SandboxState, username: str, seconds: float) -> None:
    """Make DIAN answer ``stamp.send`` of this company's documents after ``seconds`` (0: at once)."""
    delay = real_number(seconds, "the stamp delay", "a number of seconds, 0 or more", lambda s: s >= 0)
    with state.lock:
        state.tenant(username).extra["stamp_delay"] = delay


# --- PDF and XML -------------------------------------------------------------------------------


def _pdf_text(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252", "replace") + b")"


def render_pdf(kind: Kind, row: dict[str, Any]) -> bytes:
    """A small but real one-page PDF 1.4 (catalog, page tree, page, Helvetica, content stream,
    xref table) with the document's name, date, customer, lines, total and DIAN code."""
    lines = [
        f"{kind.label} {row['name']}",
        f"Fecha: {row['date']}",
        f"Cliente: {row['customer']['identification']} (sucursal {row['customer'].get('branch_office', 0)})",
    ]
    if (row.get("invoice") or {}).get("name"):
        lines.append(f"Factura: {row['invoice']['name']}")
    lines.append("")
    for item in row.get("items") or []:
        lines.append(
            f"{item['code']}  {item.get('description') or ''}  x {item['quantity']}  = {format_amount(Decimal(str(item['total'])))}"
        )
    currency = (row.get("currency") or {}).get("code") or "COP"
    lines += ["", f"Total: {format_amount(Decimal(str(row['total'])))} {currency}"]
    if kind.dian_code is not None:
        code = row["stamp"].get(kind.dian_code)
        status = row["stamp"].get("status")
        lines.append(f"{kind.dian_code.upper()}: {code}" if code else f"Estado DIAN: {status}")
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


def render_xml(kind: Kind, row: dict[str, Any]) -> bytes:
    """A small UBL 2.1-like document (what DIAN receives, much reduced): an ``Invoice``, or a
    ``CreditNote`` referencing its invoice."""
    currency = (row.get("currency") or {}).get("code") or "COP"
    note = kind is CREDIT_NOTE
    root, line_tag, quantity_tag = (
        ("CreditNote", "CreditNoteLine", "CreditedQuantity")
        if note
        else ("Invoice", "InvoiceLine", "InvoicedQuantity")
    )
    code = kind.dian_code or "cufe"

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
            f"<cac:{line_tag}>"
            f"<cbc:ID>{n}</cbc:ID>"
            f"<cbc:{quantity_tag}>{escape(str(item['quantity']))}</cbc:{quantity_tag}>"
            + amount("LineExtensionAmount", item["total"])
            + f"<cac:Item><cbc:Description>{escape(str(item.get('description') or ''))}</cbc:Description>"
            f"<cac:SellersItemIdentification><cbc:ID>{escape(item['code'])}</cbc:ID>"
            "</cac:SellersItemIdentification></cac:Item>"
            "<cac:Price>" + amount("PriceAmount", item["price"]) + "</cac:Price>"
            f"</cac:{line_tag}>"
        )
    reference = ""
    invoice_name = (row.get("invoice") or {}).get("name")
    if note and invoice_name:
        reference = (
            "<cac:BillingReference><cac:InvoiceDocumentReference>"
            f"<cbc:ID>{escape(str(invoice_name))}</cbc:ID>"
            "</cac:InvoiceDocumentReference></cac:BillingReference>"
        )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2" '
        'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        "<cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID>"
        "<cbc:CustomizationID>10</cbc:CustomizationID>"
        f"<cbc:ID>{escape(row['name'])}</cbc:ID>"
        f'<cbc:UUID schemeName="{code.upper()}-SHA384">{escape(row["stamp"].get(code) or "")}</cbc:UUID>'
        f"<cbc:IssueDate>{escape(row['date'])}</cbc:IssueDate>"
        + (
            "<cbc:CreditNoteTypeCode>91</cbc:CreditNoteTypeCode>"
            if note
            else "<cbc:InvoiceTypeCode>01</cbc:InvoiceTypeCode>"
        )
        + f"<cbc:DocumentCurrencyCode>{currency}</cbc:DocumentCurrencyCode>"
        f"<cbc:LineCountNumeric>{len(row['items'])}</cbc:LineCountNumeric>"
        + reference
        + "<cac:AccountingCustomerParty><cac:Party><cac:PartyIdentification>"
        f"<cbc:ID>{escape(row['customer']['identification'])}</cbc:ID>"
        "</cac:PartyIdentification></cac:Party></cac:AccountingCustomerParty>"
        "<cac:LegalMonetaryTotal>"
        + amount("LineExtensionAmount", subtotal)
        + amount("TaxInclusiveAmount", row["total"])
        + amount("PayableAmount", row["total"])
        + "</cac:LegalMonetaryTotal>"
        + "".join(lines)
        + f"</{root}>\n"
    )
    return document.encode("utf-8")


# --- checks shared by every kind (§H.1 steps 9-11) ---------------------------------------------


def _err(code: str, message: str, *params: str) -> ErrorDetail:
    return ErrorDetail(code, message, tuple(params))


def check_references(tenant: Tenant, params: Any) -> list[ErrorDetail]:
    """Step 9 for what every kind's body may carry besides its third party: ``seller`` and item
    sellers exist / are active, ``cost_center`` exists (``invalid_cost_center``) / is active,
    ``currency`` is not COP (``invalid_currency``), item products exist by code / are active,
    warehouses exist / are active and the product has stock control (``product_settings``)."""
    errors: list[ErrorDetail] = []
    catalogs = tenant.catalogs

    def user(user_id: int, path: str) -> None:
        row = catalog_entry(catalogs["users"], user_id)
        if row is None:
            errors.append(
                _err("invalid_reference", f"The seller {user_id} does not exist (see /v1/users)", path)
            )
        elif row.get("active") is False:
            errors.append(_err("parameter_inactive", f"The seller {user_id} is inactive", path))

    seller = getattr(params, "seller", None)
    if seller is not None:
        user(seller, "seller")
    cost_center = getattr(params, "cost_center", None)
    if cost_center is not None:
        row = catalog_entry(catalogs["cost_centers"], cost_center)
        if row is None:
            errors.append(
                _err("invalid_cost_center", f"The cost center {cost_center} does not exist", "cost_center")
            )
        elif row.get("active") is False:
            errors.append(
                _err("parameter_inactive", f"The cost center {cost_center} is inactive", "cost_center")
            )
    currency = getattr(params, "currency", None)
    if currency is not None and currency.code == "COP":
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
    return errors


def document_type_or_refuse(tenant: Tenant, kind: Kind, document_id: int) -> dict[str, Any]:
    """The company's document type ``document_id``; 400 ``invalid_reference`` when it has none."""
    document_type = tenant.document_type(document_id)
    if document_type is None:
        raise SiigoHTTPError.from_details(
            [
                _err(
                    "invalid_reference",
                    f"The document type {document_id} does not exist "
                    f"(see GET /v1/document-types?type={kind.code})",
                    "document.id",
                )
            ]
        )
    return document_type


def check_rules(
    state: SandboxState,
    tenant: Tenant,
    kind: Kind,
    params: Any,
    document_type: dict[str, Any],
    errors: list[ErrorDetail],
    *,
    rules: Callable[..., tuple[DocumentTotals | None, list[ErrorDetail]]] = check_document,
) -> DocumentTotals:
    """Steps 9-11 with the company's catalogs and every setting of the totals reading pinned
    (the sandbox is one concrete Siigo): ``rules`` (:func:`siigo.rules.check_document`, or a
    kind's function with its signature) for ``kind``, the
    DIAN resolution of an electronic type (``document_settings``), then the payments only when
    nothing before them failed.  Raises the 400 with ``errors`` (the caller's step-9 problems)
    and the rules' problems; returns the totals."""
    settings = state.settings
    payment_kind = kind.payment_document_type
    payment_rows = tenant.catalogs["payment_types"].get(payment_kind, []) if payment_kind else []
    totals, rule_errors = rules(
        params,
        kind=kind,
        document_type=DocumentType.model_validate(document_type),
        taxes={row["id"]: Tax.model_validate(row) for row in tenant.catalogs["taxes"]},
        payment_types={row["id"]: PaymentType.model_validate(row) for row in payment_rows},
        rounding=settings.rounding_mode,
        payments_basis=settings.payments_basis,
        taxed_price_division=settings.taxed_price_division,
        price_precision=settings.price_precision,
        percentage_discount=settings.percentage_discount,
        today=state.today(),
        strict_due_date=settings.strict_due_date,
    )
    no_resolution = (
        kind.dian_code is not None
        and is_electronic(document_type)
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
            f"The {kind.name} totals cannot be computed: a tax of its items has no percentage or a type "
            "the totals math does not know",
            ["items"],
        )
    return totals


# --- rendering what every kind shares ----------------------------------------------------------


def render_items(tenant: Tenant, items: Iterable[Any], totals: DocumentTotals) -> list[dict[str, Any]]:
    """``items[]`` as Siigo answers them: the computed price, discount, taxes and total."""
    catalogs = tenant.catalogs
    products = {str(p.get("code")): p for p in tenant.products.values()}
    rendered: list[dict[str, Any]] = []
    for item, line in zip(items, totals.lines, strict=True):
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
        rendered.append(entry)
    return rendered


def render_payments(
    tenant: Tenant, kind: Kind, payments: Iterable[Any]
) -> tuple[list[dict[str, Any]], Decimal]:
    """``payments[]`` with their names, and the part paid on credit (the ``balance``)."""
    payment_kind = kind.payment_document_type
    rows_ = tenant.catalogs["payment_types"].get(payment_kind, []) if payment_kind else []
    payment_types = {row["id"]: row for row in rows_}
    rendered = []
    balance = Decimal("0")
    for payment in payments:
        entry = payment_types.get(payment.id, {})
        out: dict[str, Any] = {"id": payment.id, "name": entry.get("name"), "value": payment.value}
        if payment.due_date is not None:
            out["due_date"] = payment.due_date.isoformat()
        if entry.get("due_date"):
            balance += payment.value
        rendered.append(out)
    return rendered, balance


def mark_products(tenant: Tenant, items: Iterable[Any]) -> None:
    """Products used by a document have movements (they can no longer be deleted)."""
    from .handlers.products import mark_movement

    codes = {item.code for item in items}
    for product in list(tenant.products.values()):
        if product.get("code") in codes:
            mark_movement(tenant, product["id"])


def post_stock(
    state: SandboxState, tenant: Tenant, document_id: str, items: Iterable[Any], *, sign: int
) -> None:
    """Make the document's lines its stock movements (:func:`~siigo.sandbox.handlers.stock.post_stock`):
    each stock-controlled product leaves (``sign`` -1, a sale) or comes back to (+1, a return)
    the item's warehouse, else the company's first; no items undoes the document's movements."""
    from .handlers.products import find_by_code
    from .handlers.stock import default_warehouse
    from .handlers.stock import post_stock as post_lines

    lines = []
    for item in items:
        product = find_by_code(tenant, item.code)
        if (
            product is not None
            and product.get("stock_control")
            and product.get("type", "Product") == "Product"
        ):
            warehouse = item.warehouse if item.warehouse is not None else default_warehouse(tenant)
            lines.append((product["id"], warehouse, sign * Decimal(item.quantity)))
    post_lines(state, tenant, document_id, lines)


def render_retentions(totals: DocumentTotals) -> list[dict[str, Any]]:
    return [
        {"id": r.id, "name": r.name, "type": r.type, "percentage": r.percentage, "value": r.value}
        for r in totals.retentions
    ]
