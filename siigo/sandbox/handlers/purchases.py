"""Purchases in the sandbox: ``/v1/purchases`` (siigo-api.md §B.9, §C.8, §D.11, §H), and the
pipeline purchase support documents share (:mod:`siigo.sandbox.handlers.support_documents`).

``POST`` checks the body (:class:`~siigo.models.purchases.PurchaseCreateParams`), then (§H.1
steps 9-11):

* the document type is one of the kind (``invalid_reference`` / ``invalid_document``);
* the supplier exists by identification + branch office (``invalid_reference``) and is active
  (``parameter_inactive``); so does each item's ``supplier`` (``supplier_by_item``);
* each item by its ``type``: ``Product`` an existing, active product (warehouse rules as on
  invoices); ``FixedAsset`` an entry of ``GET /v1/fixed-assets`` (its id as the code); ``Account``
  an account of the company's chart (:mod:`siigo.sandbox.accounts`) — unknown accounts and
  accounts tied to inventory, fixed assets or taxes are ``invalid_account``;
* :func:`siigo.rules.purchases.check_purchase` (``exact``): the shared rules with the purchase
  payment types, the numbering formats, item suppliers, and Σ payments against the totals
  (``tax_included`` prices split by :mod:`siigo.totals`).

Then it numbers the document, stores it in the one document store, raises the stock of its
``Product`` items (their warehouse, else the company's first) and posts it to the books
(:mod:`siigo.sandbox.ledger`):

* debits: each line's base (plus its Impoconsumo / AdValorem, which are cost) to
  :data:`~siigo.sandbox.accounts.INVENTORY` (products), :data:`~siigo.sandbox.accounts.FIXED_ASSETS`
  (fixed assets) or the item's own account; the IVA to
  :data:`~siigo.sandbox.accounts.DEDUCTIBLE_VAT`;
* credits: the withholdings the company keeps for DIAN (item Retefuente, ReteIVA, ReteICA — under
  the net payments basis; Autorretención never); each payment to the account its payment type
  moves (:func:`~siigo.sandbox.ledger.payment_account`, as a payment receipt's):
  :data:`~siigo.sandbox.accounts.PAYABLES` for a credit type (``due_date: true``), else the cash
  box (a type named "efectivo" or "caja") or the bank;
* each credit payment opens a payable due (:func:`siigo.sandbox.books.open_dues`): the document
  type's ``prefix``, the document's number, installments 1..n in payments order, dated
  ``due_date`` (or the document's date), for the payment's value, with the supplier as third
  party.

The ``balance`` is what the dues still hold, kept by :func:`siigo.sandbox.books.refresh_balance`
as for invoices: payment receipts (:mod:`siigo.sandbox.handlers.payment_receipts`) pay the dues
down and their deletion makes them owed again.  ``PUT`` replaces the document (stock, movements
and dues posted again) and refuses changed ``document.id``, ``supplier.identification``,
``currency.code`` or ``number`` (``non_editable``), and a document whose dues another document
paid (``non_editable``, :func:`siigo.sandbox.documents.lock_reason`).  ``DELETE`` refuses such a
document (``delete_not_allowed``), otherwise takes its stock, movements and dues back out.  No
``Idempotency-Key`` (Siigo takes none here).

Choices where Siigo is silent (❓): items echo the unit price before VAT (back-computed when
``tax_included``) and ``tax_included`` itself is not echoed, so a purchase read back and sent
again keeps its total; ``discount_type`` is echoed as sent, else the document type's; a
``FixedAsset`` code is the asset's id.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Any

from ...errors import ErrorDetail
from ...kinds import PURCHASE, Kind
from ...models.purchases import PurchaseCreateParams, PurchaseItemParam, PurchaseUpdateParams
from ...rules.purchases import check_purchase, check_unchanged
from ...totals import DocumentTotals
from .. import accounts, books, documents, ledger
from ..app import Ctx, SiigoHTTPError, route
from ..state import SandboxState, Tenant, copy_document
from ._common import catalog_entry, new_guid, validate

__all__ = ["create", "delete", "render", "update"]

KIND = PURCHASE
_NOT_EXPENSES = frozenset({"inventory", "fixed_asset", "tax"})
_ITEM_PATH = re.compile(r"items\[(\d+)\]")


def _err(code: str, message: str, *params: str) -> ErrorDetail:
    return ErrorDetail(code, message, tuple(params))


# --- steps 9-11 --------------------------------------------------------------------------------


class _Header:
    """The parts of the body :func:`documents.check_references` reads, without the items."""

    seller = None
    items: tuple[Any, ...] = ()

    def __init__(self, params: Any) -> None:
        self.cost_center = params.cost_center
        self.currency = params.currency


class _Products:
    """The ``Product`` items alone, for :func:`documents.check_references`."""

    seller = None
    cost_center = None
    currency = None

    def __init__(self, items: list[PurchaseItemParam]) -> None:
        self.items = items


def _third_party(tenant: Tenant, ref: Any, path: str, errors: list[ErrorDetail]) -> dict[str, Any] | None:
    found: dict[str, Any] | None = documents.customer_by_ref(tenant, ref.identification, ref.branch_office)
    label = f"{ref.identification} (branch office {ref.branch_office})"
    if found is None:
        errors.append(
            _err(
                "invalid_reference",
                f"The supplier {label} does not exist: create it first (POST /v1/customers)",
                f"{path}.identification",
            )
        )
    elif found.get("active") is False:
        errors.append(_err("parameter_inactive", f"The supplier {label} is inactive", path))
    return found


def _fixed_asset(tenant: Tenant, code: str) -> dict[str, Any] | None:
    rows: list[dict[str, Any]] = tenant.catalogs["fixed_assets"]
    for row in rows:
        if str(row.get("code") or row.get("id")) == code:
            return row
    return None


def _item_references(tenant: Tenant, params: Any) -> list[ErrorDetail]:
    errors: list[ErrorDetail] = []
    products: list[tuple[int, PurchaseItemParam]] = []
    for i, item in enumerate(params.items):
        path = f"items[{i}].code"
        if item.type == "Product":
            products.append((i, item))
        elif item.type == "FixedAsset":
            asset = _fixed_asset(tenant, item.code)
            if asset is None:
                errors.append(
                    _err(
                        "invalid_reference",
                        f"The fixed asset {item.code} does not exist (see GET /v1/fixed-assets)",
                        path,
                    )
                )
            elif asset.get("active") is False:
                errors.append(_err("parameter_inactive", f"The fixed asset {item.code} is inactive", path))
        else:
            account = accounts.account(item.code)
            if account is None:
                errors.append(
                    _err("invalid_account", f"The account {item.code} does not exist in the chart", path)
                )
            elif account.kind in _NOT_EXPENSES:
                errors.append(
                    _err(
                        "invalid_account",
                        f"The account {item.code} ({account.name}) is tied to "
                        f"{account.kind.replace('_', ' ')}: an Account item cannot use it "
                        "(buy the product or the fixed asset instead)",
                        path,
                    )
                )
            elif not account.active:
                errors.append(_err("parameter_inactive", f"The account {item.code} is inactive", path))
        if item.supplier is not None:
            _third_party(tenant, item.supplier, f"items[{i}].supplier", errors)
    if products:
        # The shared product and warehouse checks, their paths turned back to the body's items.
        at = [i for i, _ in products]

        def back(text: str) -> str:
            return _ITEM_PATH.sub(lambda m: f"items[{at[int(m.group(1))]}]", text)

        for detail in documents.check_references(tenant, _Products([item for _, item in products])):
            errors.append(
                ErrorDetail(detail.code, back(detail.message), tuple(back(p) for p in detail.params))
            )
    return errors


class _Checked:
    def __init__(
        self, document_type: dict[str, Any], supplier: dict[str, Any] | None, totals: DocumentTotals
    ) -> None:
        self.document_type = document_type
        self.supplier = supplier
        self.totals = totals


def check(
    state: SandboxState, tenant: Tenant, kind: Kind, params: Any, existing: dict[str, Any] | None = None
) -> _Checked:
    """Steps 9-11 of a purchase or support document (``existing``: the stored one, on PUT)."""
    document_type = documents.document_type_or_refuse(tenant, kind, params.document.id)
    if existing is not None:
        problems = check_unchanged(params, existing)
        if problems:
            raise SiigoHTTPError.from_details(problems)
    errors: list[ErrorDetail] = []
    supplier = _third_party(tenant, params.supplier, "supplier", errors)
    errors += documents.check_references(tenant, _Header(params))
    errors += _item_references(tenant, params)
    totals = documents.check_rules(
        state,
        tenant,
        kind,
        params,
        document_type,
        errors,
        rules=functools.partial(check_purchase, exact=True),
    )
    return _Checked(document_type, supplier, totals)


# --- the stored document -----------------------------------------------------------------------


def _description(tenant: Tenant, item: PurchaseItemParam) -> str:
    if item.description is not None:
        return item.description
    if item.type == "Product":
        from .products import find_by_code

        return str((find_by_code(tenant, item.code) or {}).get("name") or "")
    if item.type == "FixedAsset":
        return str((_fixed_asset(tenant, item.code) or {}).get("name") or "")
    account = accounts.account(item.code)
    return account.name if account is not None else ""


def _items(tenant: Tenant, params: Any, totals: DocumentTotals) -> list[dict[str, Any]]:
    rendered = []
    for item, line in zip(params.items, totals.lines, strict=True):
        entry: dict[str, Any] = {
            "id": new_guid(),
            "type": item.type,
            "code": item.code,
            "description": _description(tenant, item),
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
        if item.warehouse is not None:
            warehouse = catalog_entry(tenant.catalogs["warehouses"], item.warehouse) or {}
            entry["warehouse"] = {"id": item.warehouse, "name": warehouse.get("name")}
        if item.supplier is not None:
            supplier = documents.customer_by_ref(
                tenant, item.supplier.identification, item.supplier.branch_office
            )
            entry["supplier"] = {"id": (supplier or {}).get("id"), **item.supplier.to_wire()}
        entry["total"] = line.total
        rendered.append(entry)
    return rendered


def render(
    state: SandboxState,
    tenant: Tenant,
    kind: Kind,
    params: Any,
    checked: _Checked,
    *,
    document_id: str,
    number: int,
    created: str,
    last_updated: str | None,
) -> dict[str, Any]:
    """The document as the wire shows it (§D.11)."""
    doc = checked.document_type
    totals = checked.totals
    payments, _ = documents.render_payments(tenant, kind, params.payments)
    row: dict[str, Any] = {
        "id": document_id,
        "document": {"id": doc["id"]},
        "number": number,
        "name": f"{doc.get('prefix') or doc.get('type')}-{number}",
        "date": params.date.isoformat(),
        "supplier": {
            "id": (checked.supplier or {}).get("id"),
            "identification": params.supplier.identification,
            "branch_office": params.supplier.branch_office,
        },
        "discount_type": params.discount_type or doc.get("discount_type") or "Value",
        "total": totals.total,
        "balance": Decimal("0"),
        "observations": params.observations or "",
        "items": _items(tenant, params, totals),
        "retentions": documents.render_retentions(totals),
        "payments": payments,
        "metadata": {"created": created, "last_updated": last_updated},
    }
    if params.cost_center is not None:
        row["cost_center"] = params.cost_center
    if params.currency is not None:
        row["currency"] = params.currency.to_wire()
    if params.supplier_by_item is not None:
        row["supplier_by_item"] = params.supplier_by_item
    for field in ("provider_invoice", "supplier_receipt_number"):
        value = getattr(params, field, None)
        if value is not None:
            row[field] = value.to_wire()
    return row


def _third_party_of(supplier: dict[str, Any] | None, row: dict[str, Any]) -> dict[str, Any]:
    name = (supplier or {}).get("name")
    if isinstance(name, list):
        name = " ".join(str(part) for part in name if part)
    return {**row["supplier"], "name": name}


def _post(tenant: Tenant, kind: Kind, row: dict[str, Any], params: Any, checked: _Checked) -> None:
    """The document's movements and the payable dues its credit payments open (any earlier ones
    replaced)."""
    totals = checked.totals
    ledger.withdraw(tenant, row["id"])
    party = row["supplier"]["identification"]
    center = params.cost_center
    lines = []
    iva = Decimal("0")
    for item, line in zip(params.items, totals.lines, strict=True):
        if item.type == "Product":
            target = accounts.INVENTORY
        elif item.type == "FixedAsset":
            target = accounts.FIXED_ASSETS
        else:
            target = item.code
        cost = line.base
        for tax in line.taxes:
            if tax.type == "IVA":
                iva += tax.value
            elif tax.type in ("Impoconsumo", "AdValorem"):
                cost += tax.value
        if cost:  # a line worth 0.00 moves nothing
            lines.append(
                ledger.line(target, debit=cost, third_party=party, cost_center=center, description=item.code)
            )
    if iva:
        lines.append(ledger.line(accounts.DEDUCTIBLE_VAT, debit=iva, third_party=party, cost_center=center))
    if totals.payments_basis == "net_of_withholdings":
        withheld: dict[str, Decimal] = {}
        for line in totals.lines:
            for tax in line.taxes:
                if tax.is_withholding:
                    account = accounts.TO_WITHHOLD[tax.type]
                    withheld[account] = withheld.get(account, Decimal("0")) + tax.value
        for retention in totals.retentions:
            if retention.reduces_amount_due:
                account = accounts.TO_WITHHOLD[retention.type]
                withheld[account] = withheld.get(account, Decimal("0")) + retention.value
        for account, value in withheld.items():
            if value:
                lines.append(ledger.line(account, credit=value, third_party=party, cost_center=center))
    types = books.payment_types(tenant, kind)
    for payment in params.payments:
        account = ledger.payment_account(types.get(payment.id), "payable")
        lines.append(ledger.line(account, credit=payment.value, third_party=party, cost_center=center))
    ledger.post(tenant, row, kind.code, lines)
    prefix = str(checked.document_type.get("prefix") or checked.document_type.get("type"))
    third_party = _third_party_of(checked.supplier, row)
    for opened in books.open_dues(tenant, row, kind, prefix, params.payments, third_party=third_party):
        # What a report of payables shows beside the due (the ledger keeps them as given).
        opened["cost_center"] = params.cost_center
        opened["currency"] = params.currency.code if params.currency is not None else None
    books.refresh_balance(tenant, row["id"])


def _stock(state: SandboxState, tenant: Tenant, document_id: str, params: Any | None) -> None:
    items = [i for i in params.items if i.type == "Product"] if params is not None else []
    if items:
        documents.mark_products(tenant, items)
    documents.post_stock(state, tenant, document_id, items, sign=1)


def create(
    state: SandboxState, tenant: Tenant, kind: Kind, params: Any, *, stamp: bool = False
) -> dict[str, Any]:
    """Steps 9-12 of a creation (the caller holds ``state.lock``); the stored row."""
    checked = check(state, tenant, kind, params)
    number = documents.number_for(tenant, kind, checked.document_type, params.number)
    row = render(
        state,
        tenant,
        kind,
        params,
        checked,
        document_id=new_guid(),
        number=number,
        created=state.timestamp(),
        last_updated=None,
    )
    if kind.dian_code is not None:
        row["stamp"] = {"status": "Draft", kind.dian_code: "", "observations": "", "errors": ""}
    documents.rows(tenant, kind)[row["id"]] = row
    _stock(state, tenant, row["id"], params)
    _post(tenant, kind, row, params, checked)
    if kind.dian_code is not None:
        documents.stamp_and_mail(state, tenant, kind, row, stamp=stamp, mail=False)
    return row


def update(
    state: SandboxState, tenant: Tenant, kind: Kind, document_id: str, params: Any, *, stamp: bool = False
) -> dict[str, Any]:
    """A ``PUT`` (the caller holds ``state.lock``); the stored row."""
    existing = documents.find(state, tenant, kind, document_id)
    reason = documents.lock_reason(tenant, kind, existing)
    if reason is not None:
        raise SiigoHTTPError.one(400, "non_editable", f"The {kind.name} cannot be edited: {reason}")
    checked = check(state, tenant, kind, params, existing)
    row = render(
        state,
        tenant,
        kind,
        params,
        checked,
        document_id=existing["id"],
        number=existing["number"],
        created=existing["metadata"]["created"],
        last_updated=state.timestamp(),
    )
    if kind.dian_code is not None:
        row["stamp"] = existing.get("stamp") or {"status": "Draft", kind.dian_code: ""}
    documents.rows(tenant, kind)[row["id"]] = row
    _stock(state, tenant, row["id"], params)
    _post(tenant, kind, row, params, checked)
    if kind.dian_code is not None:
        documents.meta(tenant, row["id"]).update(stamp_errors=[], pending=None, mail_pending=False)
        documents.stamp_and_mail(state, tenant, kind, row, stamp=stamp, mail=False)
    return row


def delete(state: SandboxState, tenant: Tenant, kind: Kind, document_id: str) -> dict[str, Any]:
    """A ``DELETE`` (the caller holds ``state.lock``): ``{id, deleted: true}``."""
    row = documents.find(state, tenant, kind, document_id)
    reason = documents.lock_reason(tenant, kind, row)
    if reason is not None:
        raise SiigoHTTPError.one(400, "delete_not_allowed", f"The {kind.name} cannot be deleted: {reason}")
    books.withdraw(tenant, row["id"])
    _stock(state, tenant, row["id"], None)
    del documents.rows(tenant, kind)[row["id"]]
    tenant.extra.get("document_meta", {}).pop(row["id"], None)
    return {"id": row["id"], "deleted": True}


def read(state: SandboxState, tenant: Tenant, kind: Kind, document_id: str) -> dict[str, Any]:
    """A ``GET`` of one document (its balance kept as the dues hold it)."""
    return copy_document(documents.find(state, tenant, kind, document_id))


# --- routes ------------------------------------------------------------------------------------


@route("POST", "/v1/purchases")
def create_purchase(ctx: Ctx) -> tuple[int, Any]:
    params = validate(PurchaseCreateParams, ctx)
    with ctx.state.lock:
        return 201, copy_document(create(ctx.state, ctx.tenant, KIND, params))


@route("GET", "/v1/purchases")
def list_purchases(ctx: Ctx) -> tuple[int, Any]:
    return 200, documents.list_documents(ctx, KIND)


@route("GET", "/v1/purchases/{id}")
def get_purchase(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        return 200, read(ctx.state, ctx.tenant, KIND, ctx.params["id"])


@route("PUT", "/v1/purchases/{id}")
def update_purchase(ctx: Ctx) -> tuple[int, Any]:
    params = validate(PurchaseUpdateParams, ctx)
    with ctx.state.lock:
        row = update(ctx.state, ctx.tenant, KIND, ctx.params["id"], params)
        return ctx.state.settings.put_status, copy_document(row)


@route("DELETE", "/v1/purchases/{id}")
def delete_purchase(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        return 200, delete(ctx.state, ctx.tenant, KIND, ctx.params["id"])
