"""Cash receipts in the sandbox: ``/v1/vouchers`` (siigo-api.md §B.11, §C.10, §D.11, §H), and the
pipeline payment receipts share (:mod:`siigo.sandbox.handlers.payment_receipts`).

``POST`` replays a known ``Idempotency-Key`` (cash receipts only), validates the body with the
SDK's request model (the type rules of :func:`siigo.rules.receipts.check_shape`), then:

* references: the document type exists (``invalid_reference``); the customer (or supplier)
  exists by identification and branch office (``invalid_reference``) and is active
  (``parameter_inactive``); the cost center exists (``invalid_cost_center``); no ``currency``
  for COP (``invalid_currency``); ``income`` and item ``discounts`` exist in the company's
  misc-income and expense catalogs when it has them (``invalid_reference``);
* the catalog rules of :func:`siigo.rules.receipts.check_receipt` (document type of the kind,
  numbering, cost center, payment type of the kind's side and not a credit type, item taxes);
* each ``DebtPayment`` line against the installment it names (:func:`~siigo.rules.receipts.check_due`:
  an unknown due or one of another third party → ``invalid_value``, more than its balance →
  ``invalid_amount``); what the receipt received must settle what it applied: ``payment.value``
  + Σ discounts + Σ tax adjustments (base × rate) = Σ values (``invalid_total_payments``, ❓
  Siigo's code for it is undocumented);
* a ``Detailed`` receipt's lines name accounts of the chart (``invalid_account``) and balance
  (``invalid_balance``).

Then the receipt is numbered and kept, pays its dues (the invoices' ``balance`` follows) and posts
its movements: a ``DebtPayment`` debits the payment's account (cash or bank), the discounts
granted and the withholdings practised and credits the receivables; an ``AdvancePayment``
credits customer advances; a ``MiscIncome`` credits the income account named by its concept
(the leading account code of its name, else miscellaneous income); a ``Detailed`` receipt posts
its lines.  Siigo has no PUT or DELETE for cash receipts.  ``POST /{id}/mail`` sends the receipt
to the company's outbox (``GET /_sandbox/outbox``); ``POST /{id}/stamp`` sends one of an
electronic type to DIAN (it has a ``stamp`` from then on) and mails it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ...errors import ErrorDetail
from ...kinds import RECEIPT, Kind
from ...models.catalogs import DocumentType, PaymentType, Tax
from ...models.documents import MailParams
from ...models.receipts import VoucherCreateParams
from ...rules.receipts import check_due, check_receipt
from ...totals import format_amount, round2
from .. import accounts, books, documents, ledger
from ..app import Ctx, SiigoHTTPError, route
from ..state import SandboxState, Tenant, copy_document
from ._common import catalog_entry, new_guid, validate

__all__ = ["create_receipt"]

KIND = RECEIPT
ZERO = Decimal(0)


def _err(code: str, message: str, *params: str) -> ErrorDetail:
    return ErrorDetail(code, message, tuple(params))


def _references(tenant: Tenant, kind: Kind, params: Any) -> tuple[dict[str, Any] | None, list[ErrorDetail]]:
    errors: list[ErrorDetail] = []
    field = kind.third_party
    ref = params.third_party()
    party = documents.customer_by_ref(tenant, ref.identification, ref.branch_office)
    label = f"{ref.identification} (branch office {ref.branch_office})"
    if party is None:
        errors.append(
            _err("invalid_reference", f"The {field} {label} does not exist", f"{field}.identification")
        )
    elif party.get("active") is False:
        errors.append(_err("parameter_inactive", f"The {field} {label} is inactive", field))
    catalogs = tenant.catalogs
    if params.cost_center is not None:
        center = catalog_entry(catalogs["cost_centers"], params.cost_center)
        if center is None:
            errors.append(
                _err(
                    "invalid_cost_center",
                    f"The cost center {params.cost_center} does not exist",
                    "cost_center",
                )
            )
        elif center.get("active") is False:
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
    income = getattr(params, "income", None)
    incomes = catalogs.get("misc_incomes")
    if income is not None and incomes is not None:
        entry = catalog_entry(incomes, income.id)
        if entry is None:
            errors.append(
                _err(
                    "invalid_reference",
                    f"The income {income.id} does not exist (see GET /v1/misc-incomes)",
                    "income.id",
                )
            )
        elif entry.get("active") is False:
            errors.append(_err("parameter_inactive", f"The income {income.id} is inactive", "income.id"))
    expenses = catalogs.get("expenses")
    for i, item in enumerate(params.items or ()):
        for j, discount in enumerate(item.discounts or ()):
            if expenses is not None and catalog_entry(expenses, discount.id) is None:
                errors.append(
                    _err(
                        "invalid_reference",
                        f"The discount concept {discount.id} does not exist (see GET /v1/expenses)",
                        f"items[{i}].discounts[{j}].id",
                    )
                )
    return party, errors


def _tax_values(state: SandboxState, tenant: Tenant, item: Any) -> list[tuple[dict[str, Any], Decimal]]:
    """The tax adjustments of a line with their values (base × rate, 2 decimals)."""
    found = []
    for ref in item.taxes or ():
        tax = catalog_entry(tenant.catalogs["taxes"], ref.id) or {}
        rate = Decimal(str(tax.get("percentage") or 0))
        found.append((tax, round2(ref.base * rate / 100, state.settings.rounding_mode)))
    return found


def _account_of(entry: Mapping[str, Any] | None, default: str) -> str:
    """The account a concept (misc income, expense) names: its name's leading code (Siigo's
    names read ``"53052001 - ..."``) when the chart has it, else ``default``."""
    name = str((entry or {}).get("name") or "")
    code = name.split(" ", 1)[0]
    return code if accounts.account(code) is not None else default


def _check(
    state: SandboxState, tenant: Tenant, kind: Kind, params: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every refusal of the module docstring, in Siigo's order; the document type and the third
    party when the receipt passes."""
    document_type = documents.document_type_or_refuse(tenant, kind, params.document.id)
    party, errors = _references(tenant, kind, params)
    payment_rows = books.payment_types(tenant, kind)
    errors += check_receipt(
        params,
        kind=kind,
        document_type=DocumentType.model_validate(document_type),
        payment_types={k: PaymentType.model_validate(v) for k, v in payment_rows.items()},
        taxes={row["id"]: Tax.model_validate(row) for row in tenant.catalogs["taxes"]},
    )
    if errors:
        raise SiigoHTTPError.from_details(errors)
    assert party is not None
    if params.type == "DebtPayment":
        for i, item in enumerate(params.items):
            found = ledger.due(tenant, item.due.prefix, item.due.consecutive, item.due.quote)
            errors += check_due(
                i, item, found, kind=kind, side=books.side_of(kind), third_party=params.third_party()
            )
        if not errors:
            taxes = sum((v for item in params.items for _, v in _tax_values(state, tenant, item)), ZERO)
            settled = params.payments_total() + params.discounts_total() + taxes
            if settled != params.items_total():
                errors.append(
                    _err(
                        "invalid_total_payments",
                        f"The payment must be {format_amount(params.items_total() - params.discounts_total() - taxes)}: "
                        f"the items pay {format_amount(params.items_total())}, less "
                        f"{format_amount(params.discounts_total())} of discounts and {format_amount(taxes)} of "
                        "tax adjustments",
                        "payment.value",
                    )
                )
    if params.type == "Detailed":
        errors += _detailed_rules(params)
    if errors:
        raise SiigoHTTPError.from_details(errors)
    return document_type, party


def _detailed_rules(params: Any) -> list[ErrorDetail]:
    errors: list[ErrorDetail] = []
    debits = credits = ZERO
    for i, item in enumerate(params.items):
        account = accounts.account(item.account.code)
        if account is None or not account.active:
            state = "does not exist in the chart of accounts" if account is None else "is inactive"
            errors.append(
                _err(
                    "invalid_account", f"The account {item.account.code} {state}", f"items[{i}].account.code"
                )
            )
        if item.account.movement == "Debit":
            debits += item.value
        else:
            credits += item.value
    if debits != credits:
        errors.append(
            _err(
                "invalid_balance",
                f"The debits ({format_amount(debits)}) and credits ({format_amount(credits)}) of the lines differ",
                "items",
            )
        )
    return errors


def _lines(state: SandboxState, tenant: Tenant, kind: Kind, params: Any) -> list[dict[str, Any] | None]:
    """The receipt's movements (see the module docstring)."""
    party = params.third_party().identification
    side = books.side_of(kind)
    receipts = side == "receivable"
    money_in, money_out = ("debit", "credit") if receipts else ("credit", "debit")
    types = books.payment_types(tenant, kind)
    payments = list(getattr(params, "payments", None) or ([params.payment] if params.payment else []))
    lines: list[dict[str, Any] | None] = [
        books.entry(ledger.payment_account(types.get(p.id), side), p.value, money_in) for p in payments
    ]
    received = params.payments_total()
    if params.type == "DebtPayment":
        discounts = accounts.DISCOUNTS_GRANTED if receipts else accounts.DISCOUNTS_RECEIVED
        lines.append(books.entry(discounts, params.discounts_total(), money_in))
        withheld = accounts.WITHHELD if receipts else accounts.TO_WITHHOLD
        for item in params.items:
            for tax, value in _tax_values(state, tenant, item):
                account = withheld.get(str(tax.get("type")), withheld["Retefuente"])
                lines.append(books.entry(account, value, money_in, party))
        owed = accounts.RECEIVABLES if receipts else accounts.PAYABLES
        lines.append(books.entry(owed, params.items_total(), money_out, party))
    elif params.type == "AdvancePayment":
        advances = accounts.CUSTOMER_ADVANCES if receipts else accounts.SUPPLIER_ADVANCES
        lines.append(books.entry(advances, received, money_out, party))
    elif params.type == "MiscIncome":
        concept = catalog_entry(tenant.catalogs.get("misc_incomes") or [], params.income.id)
        lines.append(books.entry(_account_of(concept, accounts.MISC_INCOME), received, "credit", party))
    else:  # Detailed
        for item in params.items:
            lines.append(books.entry(item.account.code, item.value, item.account.movement.lower(), party))
    return lines


def _render_items(state: SandboxState, tenant: Tenant, params: Any) -> list[dict[str, Any]]:
    expenses = tenant.catalogs.get("expenses") or []
    rendered = []
    for item in params.items or ():
        entry: dict[str, Any] = {}
        if item.account is not None:
            entry["account"] = item.account.to_wire()
        if item.due is not None:
            entry["due"] = item.due.to_wire()
        if item.taxes:
            entry["taxes"] = [
                {
                    "id": ref.id,
                    "name": tax.get("name"),
                    "type": tax.get("type"),
                    "percentage": tax.get("percentage"),
                    "base": ref.base,
                    "value": value,
                }
                for ref, (tax, value) in zip(item.taxes, _tax_values(state, tenant, item), strict=True)
            ]
        if item.discounts:
            entry["discounts"] = [
                {"id": d.id, "name": (catalog_entry(expenses, d.id) or {}).get("name"), "value": d.value}
                for d in item.discounts
            ]
        for name in ("tax", "fixed_asset", "product", "customer"):
            part = getattr(item, name)
            if part is not None:
                entry[name] = part.to_wire()
        if item.cost_center is not None:
            entry["cost_center"] = item.cost_center
        if item.description is not None:
            entry["description"] = item.description
        entry["value"] = item.value
        rendered.append(entry)
    return rendered


def create_receipt(
    state: SandboxState,
    tenant: Tenant,
    kind: Kind,
    params: Any,
    key: str | None,
    *,
    existing: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Check, number, keep and post a receipt of ``kind`` (``existing``: the receipt a PUT
    replaces, whose id, number and creation it keeps); the caller holds ``state.lock`` and,
    for a PUT, has withdrawn what ``existing`` posted."""
    document_type, party = _check(state, tenant, kind, params)
    if existing is None:
        number = documents.number_for(tenant, kind, document_type, params.number)
        receipt_id = new_guid()
        metadata = {"created": state.timestamp(), "last_updated": None}
    else:
        number = existing["number"]
        receipt_id = existing["id"]
        metadata = {"created": existing["metadata"]["created"], "last_updated": state.timestamp()}
    ref = params.third_party()
    types = books.payment_types(tenant, kind)
    row: dict[str, Any] = {
        "id": receipt_id,
        "document": {"id": document_type["id"]},
        "number": number,
        "name": f"{document_type.get('prefix') or document_type.get('type')}-{number}",
        "date": params.date.isoformat(),
        "type": params.type,
        kind.third_party: {
            "id": party.get("id"),
            "identification": ref.identification,
            "branch_office": ref.branch_office,
        },
        "items": _render_items(state, tenant, params),
    }
    if params.currency is not None:
        row["currency"] = params.currency.to_wire()
    if params.cost_center is not None:
        row["cost_center"] = params.cost_center
    if params.payment is not None:
        row["payment"] = {
            "id": params.payment.id,
            "name": (types.get(params.payment.id) or {}).get("name"),
            "value": params.payment.value,
        }
    if getattr(params, "payments", None):
        row["payments"] = [
            {"id": p.id, "name": (types.get(p.id) or {}).get("name"), "value": p.value}
            for p in params.payments
        ]
    income = getattr(params, "income", None)
    if income is not None:
        concept = catalog_entry(tenant.catalogs.get("misc_incomes") or [], income.id) or {}
        row["income"] = {"id": income.id, "name": concept.get("name")}
    row["balance"] = ZERO
    row["observations"] = params.observations or ""
    row["metadata"] = metadata
    documents.rows(tenant, kind)[receipt_id] = row
    ledger.post(
        tenant, row, kind.code, [line for line in _lines(state, tenant, kind, params) if line is not None]
    )
    if params.type == "DebtPayment":
        for item in params.items:
            due = ledger.due(tenant, item.due.prefix, item.due.consecutive, item.due.quote)
            assert due is not None  # checked above
            books.pay(tenant, receipt_id, due, item.value, state.timestamp())
    documents.remember(tenant, kind, key, row)
    return row


# --- routes ------------------------------------------------------------------------------------


@route("POST", "/v1/vouchers")
def create_voucher(ctx: Ctx) -> tuple[int, Any]:
    key = documents.idempotency_key(ctx)
    with ctx.state.lock:
        replay = documents.replay(ctx.state, ctx.tenant, KIND, key)  # before reading the body
        if replay is not None:
            return replay
        params = validate(VoucherCreateParams, ctx)
        named = ctx.args.get("type")
        if named is not None and named != params.type:
            # ``?type=`` (how Siigo's own client sends MiscIncome) must agree with the body.
            raise SiigoHTTPError.one(
                400,
                "invalid_parameter",
                f"The type in the address ({named}) is not the receipt's type ({params.type})",
                ["type"],
            )
        return 201, copy_document(create_receipt(ctx.state, ctx.tenant, KIND, params, key))


@route("GET", "/v1/vouchers")
def list_vouchers(ctx: Ctx) -> tuple[int, Any]:
    return 200, documents.list_documents(ctx, KIND)


@route("GET", "/v1/vouchers/{id}")
def get_voucher(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        return 200, copy_document(documents.find(ctx.state, ctx.tenant, KIND, ctx.params["id"]))


@route("POST", "/v1/vouchers/{id}/mail")
def mail_voucher(ctx: Ctx) -> tuple[int, Any]:
    """Only Siigo's JavaScript SDK lists this endpoint (§B.0 row 61 ❓): it is answered as the
    invoices' one (the receipt goes to the company's outbox, 201 ``{status, observations}``)."""
    params = validate(MailParams, ctx)
    with ctx.state.lock:
        row = documents.find(ctx.state, ctx.tenant, KIND, ctx.params["id"])
        mail = documents.send_mail(
            ctx.state, ctx.tenant, KIND, row, params.mail_to, params.copy_to, reason="mail"
        )
        row["metadata"]["last_updated"] = ctx.state.timestamp()
    return 201, {"status": mail["status"], "observations": mail["observations"]}


@route("POST", "/v1/vouchers/{id}/stamp")
def stamp_voucher(ctx: Ctx) -> tuple[int, Any]:
    """The electronic send of a cash receipt (:func:`documents.send_stamp`; only Siigo's
    JavaScript SDK lists it, §B.0 row 61 ❓): one of an electronic type (28471 in the fixtures)
    gets a ``stamp`` with a CUDE and is mailed; one of another type is refused with
    ``document_settings``."""
    with ctx.state.lock:
        row = documents.find(ctx.state, ctx.tenant, KIND, ctx.params["id"])
        return 200, documents.send_stamp(ctx.state, ctx.tenant, KIND, row)
