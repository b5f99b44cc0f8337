"""Journals in the sandbox: ``/v1/journals`` (siigo-api.md §B.13, §C.12, §D.11, §H).

``POST`` replays a known ``Idempotency-Key``, validates the body with the SDK's model and then
refuses, every problem at once (§H.1 steps 9-11):

* an account not in the company's chart (:mod:`siigo.sandbox.accounts`) or inactive:
  ``invalid_account``, naming ``items[i].account.code``;
* a third party that does not exist (``invalid_reference``) or is inactive
  (``parameter_inactive``); an unknown cost center (``invalid_cost_center``), tax, fixed asset,
  product or warehouse (``invalid_reference``), or an inactive one (``parameter_inactive``);
* a line without the part its account needs (``parameter_required``): a due on receivable and
  payable accounts, a tax on tax accounts, a product on inventory accounts, a fixed asset on
  fixed-asset accounts.  A part an account does not need is kept and echoed, not refused
  (Siigo only documents the plain lines; §B.13);
* the document type (an active ``CC`` type; electronic: a date within 10 days of today) and
  the balance (``invalid_balance`` with both sums), by :mod:`siigo.rules.journals`.

An accepted journal posts one movement per line to the ledger.  A due moves the ledger only
where that is unambiguous: a line on the receivable account (debit nature) that debits a due
the books do not have opens it, one that credits an open receivable due of the same third party
pays it down (never below zero: ``invalid_amount``; the invoice's ``balance`` follows); the
payable account (credit nature) the other way round.  Any other due is only recorded on the line.  There is no PUT or DELETE.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...errors import ErrorDetail
from ...kinds import JOURNAL
from ...models.catalogs import DocumentType, Tax
from ...models.journals import JournalCreateParams, JournalItemParam
from ...rules.journals import check_journal
from ...totals import format_amount
from .. import accounts, books, documents, ledger
from ..app import Ctx, SiigoHTTPError, route
from ..state import SandboxState, Tenant, copy_document
from ._common import catalog_entry, new_guid, validate

KIND = JOURNAL

_NEEDS = {
    "receivable": ("due", "a due (prefix, consecutive, quote, date)"),
    "payable": ("due", "a due (prefix, consecutive, quote, date)"),
    "tax": ("tax", "a tax ({id})"),
    "inventory": ("product", "a product ({code, quantity})"),
    "fixed_asset": ("fixed_asset", "a fixed asset (fixed_asset {id} or fixed_assets)"),
}
# The side of the books a due on an account of this kind lives on, and the movement that opens it.
_DUE_SIDES: dict[str, tuple[ledger.Side, str]] = {
    "receivable": ("receivable", "Debit"),
    "payable": ("payable", "Credit"),
}


def _err(code: str, message: str, *params: str) -> ErrorDetail:
    return ErrorDetail(code, message, tuple(params))


def _has_part(item: JournalItemParam, part: str) -> bool:
    if part == "fixed_asset":
        return item.fixed_asset_id is not None
    return getattr(item, part) is not None


def _references(tenant: Tenant, params: JournalCreateParams) -> list[ErrorDetail]:
    """Step 9 for every line: account, third party, cost center, fixed asset, product."""
    errors: list[ErrorDetail] = []
    catalogs = tenant.catalogs
    for i, item in enumerate(params.items):
        at = f"items[{i}]"
        code = item.account.code
        account = accounts.account(code)
        if account is None:
            errors.append(
                _err(
                    "invalid_account",
                    f"The account {code} does not exist in the company's chart of accounts",
                    f"{at}.account.code",
                )
            )
        elif not account.active:
            errors.append(
                _err(
                    "invalid_account",
                    f"The account {code} ({account.name}) is inactive",
                    f"{at}.account.code",
                )
            )
        elif account.kind in _NEEDS:
            part, what = _NEEDS[account.kind]
            if not _has_part(item, part):
                errors.append(
                    _err(
                        "parameter_required",
                        f"The account {code} ({account.name}) needs {what} on its line",
                        f"{at}.{part}",
                    )
                )
        ref = item.customer
        customer = documents.customer_by_ref(tenant, ref.identification, ref.branch_office)
        label = f"{ref.identification} (branch office {ref.branch_office})"
        if customer is None:
            errors.append(
                _err(
                    "invalid_reference",
                    f"The third party {label} does not exist: create it first (POST /v1/customers)",
                    f"{at}.customer.identification",
                )
            )
        elif customer.get("active") is False:
            errors.append(
                _err("parameter_inactive", f"The third party {label} is inactive", f"{at}.customer")
            )
        if item.cost_center is not None:
            row = catalog_entry(catalogs["cost_centers"], item.cost_center)
            if row is None:
                errors.append(
                    _err(
                        "invalid_cost_center",
                        f"The cost center {item.cost_center} does not exist",
                        f"{at}.cost_center",
                    )
                )
            elif row.get("active") is False:
                errors.append(
                    _err(
                        "parameter_inactive",
                        f"The cost center {item.cost_center} is inactive",
                        f"{at}.cost_center",
                    )
                )
        asset_id = item.fixed_asset_id
        if asset_id is not None:
            path = f"{at}.fixed_asset" if item.fixed_asset is not None else f"{at}.fixed_assets"
            asset = catalog_entry(catalogs["fixed_assets"], asset_id)
            if asset is None:
                errors.append(_err("invalid_reference", f"The fixed asset {asset_id} does not exist", path))
            elif asset.get("active") is False:
                errors.append(_err("parameter_inactive", f"The fixed asset {asset_id} is inactive", path))
        if item.product is not None:
            from .products import find_by_code

            product = find_by_code(tenant, item.product.code)
            if product is None:
                errors.append(
                    _err(
                        "invalid_reference",
                        f"The product {item.product.code} does not exist",
                        f"{at}.product.code",
                    )
                )
            elif product.get("active") is False:
                errors.append(
                    _err(
                        "parameter_inactive",
                        f"The product {item.product.code} is inactive",
                        f"{at}.product.code",
                    )
                )
            warehouse_id = item.product.warehouse
            if warehouse_id is not None:
                warehouse = catalog_entry(catalogs["warehouses"], warehouse_id)
                if warehouse is None:
                    errors.append(
                        _err(
                            "invalid_reference",
                            f"The warehouse {warehouse_id} does not exist",
                            f"{at}.product.warehouse",
                        )
                    )
    return errors


def _due_moves(
    tenant: Tenant, params: JournalCreateParams
) -> tuple[list[tuple[int, str, dict[str, Any] | None]], list[ErrorDetail]]:
    """What each line's due does to the books: ``(item index, "open" | "pay", due)``, planned
    before anything changes; an overpayment is ``invalid_amount``."""
    moves: list[tuple[int, str, dict[str, Any] | None]] = []
    errors: list[ErrorDetail] = []
    paying: dict[str, Decimal] = {}
    opening: set[str] = set()
    for i, item in enumerate(params.items):
        account = accounts.account(item.account.code)
        if item.due is None or account is None or account.kind not in _DUE_SIDES:
            continue
        side, opens_with = _DUE_SIDES[account.kind]
        if account.nature != opens_with:
            continue  # e.g. customer advances: a receivable account of credit nature
        due = item.due
        key = ledger.due_key(due.prefix, due.consecutive, due.quote)
        found = ledger.due(tenant, due.prefix, due.consecutive, due.quote)
        if item.account.movement == opens_with:
            if found is None and key not in opening:
                opening.add(key)
                moves.append((i, "open", None))
            continue
        if (
            found is None
            or found["side"] != side
            or found["third_party"].get("identification") != item.customer.identification
        ):
            continue
        taken = paying.get(key, Decimal(0)) + item.value
        if taken > found["balance"]:
            errors.append(
                _err(
                    "invalid_amount",
                    f"The due {due.prefix}-{due.consecutive} installment {due.quote} has a balance of "
                    f"{format_amount(found['balance'])}; the journal pays {format_amount(taken)}",
                    f"items[{i}].value",
                )
            )
            continue
        paying[key] = taken
        moves.append((i, "pay", found))
    return moves, errors


def _render_item(tenant: Tenant, item: JournalItemParam) -> dict[str, Any]:
    catalogs = tenant.catalogs
    ref = item.customer
    customer = documents.customer_by_ref(tenant, ref.identification, ref.branch_office) or {}
    line: dict[str, Any] = {
        "account": {"code": item.account.code, "movement": item.account.movement},
        "customer": {
            "id": customer.get("id"),
            "identification": ref.identification,
            "branch_office": ref.branch_office,
        },
    }
    if item.cost_center is not None:
        line["cost_center"] = item.cost_center
    if item.due is not None:
        line["due"] = item.due.to_wire()
    if item.tax is not None:
        tax = catalog_entry(catalogs["taxes"], item.tax.id) or {}
        line["tax"] = {
            "id": item.tax.id,
            "name": item.tax.name or tax.get("name"),
            "type": item.tax.type or tax.get("type"),
            "percentage": item.tax.percentage if item.tax.percentage is not None else tax.get("percentage"),
            "value": item.value,
            "base_value": item.tax.base_value,
        }
    asset_id = item.fixed_asset_id
    if asset_id is not None:
        asset = catalog_entry(catalogs["fixed_assets"], asset_id) or {}
        line["fixed_asset"] = {"id": asset_id, "name": asset.get("name")}
    if item.product is not None:
        from .products import find_by_code

        product = find_by_code(tenant, item.product.code) or {}
        entry: dict[str, Any] = {
            "id": product.get("id"),
            "code": item.product.code,
            "name": product.get("name"),
            "quantity": item.product.quantity,
        }
        if item.product.warehouse is not None:
            warehouse = catalog_entry(catalogs["warehouses"], item.product.warehouse) or {}
            entry["warehouse"] = {"id": item.product.warehouse, "name": warehouse.get("name")}
        line["product"] = entry
    line["description"] = item.description or ""
    line["value"] = item.value
    return line


def _create(
    state: SandboxState, tenant: Tenant, params: JournalCreateParams, key: str | None
) -> tuple[int, dict[str, Any]]:
    document_type = documents.document_type_or_refuse(tenant, KIND, params.document.id)
    errors = _references(tenant, params)
    errors += check_journal(
        params,
        document_type=DocumentType.model_validate(document_type),
        taxes={row["id"]: Tax.model_validate(row) for row in tenant.catalogs["taxes"]},
        today=state.today(),
    )
    if params.currency is not None and params.currency.code == "COP":
        errors.append(
            _err(
                "invalid_currency",
                "The currency must not be sent for documents in the local currency (COP)",
                "currency.code",
            )
        )
    if errors:
        raise SiigoHTTPError.from_details(errors)
    moves, problems = _due_moves(tenant, params)
    if problems:
        raise SiigoHTTPError.from_details(problems)

    number = documents.number_for(tenant, KIND, document_type, params.number)
    journal_id = new_guid()
    row: dict[str, Any] = {
        "id": journal_id,
        "document": {"id": document_type["id"]},
        "number": number,
        "name": f"{document_type.get('prefix') or document_type.get('type')}-{number}",
        "date": params.date.isoformat(),
        "items": [_render_item(tenant, item) for item in params.items],
        "balance": params.debits() - params.credits(),
        "observations": params.observations or "",
        "metadata": {"created": state.timestamp(), "last_updated": None},
    }
    if params.currency is not None:
        row["currency"] = params.currency.to_wire()
    documents.rows(tenant, KIND)[journal_id] = row
    ledger.post(
        tenant,
        row,
        KIND.code,
        [
            ledger.line(
                item.account.code,
                debit=item.debit,
                credit=item.credit,
                third_party=item.customer.identification,
                cost_center=item.cost_center,
                description=item.description or "",
            )
            for item in params.items
        ],
    )
    for index, action, found in moves:
        item = params.items[index]
        if action == "pay":
            assert found is not None
            ledger.pay(tenant, journal_id, found, item.value)
            if found["document"] not in documents.rows(
                tenant, KIND
            ):  # a journal's balance is debits - credits
                books.refresh_balance(tenant, found["document"], state.timestamp())
            continue
        assert item.due is not None
        account = accounts.account(item.account.code)
        assert account is not None
        ledger.open_due(
            tenant,
            row,
            side=_DUE_SIDES[account.kind][0],
            prefix=item.due.prefix,
            consecutive=item.due.consecutive,
            quote=item.due.quote,
            date=item.due.date.isoformat(),
            value=item.value,
            third_party=row["items"][index]["customer"],
        )
    documents.remember(tenant, KIND, key, row)
    return 201, copy_document(row)


@route("POST", "/v1/journals")
def create_journal(ctx: Ctx) -> tuple[int, Any]:
    key = documents.idempotency_key(ctx)
    with ctx.state.lock:
        replay = documents.replay(ctx.state, ctx.tenant, KIND, key)  # before reading the body
        if replay is not None:
            return replay
        params = validate(JournalCreateParams, ctx)
        return _create(ctx.state, ctx.tenant, params, key)


@route("GET", "/v1/journals")
def list_journals(ctx: Ctx) -> tuple[int, Any]:
    return 200, documents.list_documents(ctx, KIND)


@route("GET", "/v1/journals/{id}")
def get_journal(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        return 200, copy_document(documents.find(ctx.state, ctx.tenant, KIND, ctx.params["id"]))
