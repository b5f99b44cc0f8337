"""Reports in the sandbox (siigo-api.md §B.14, §C.13, §D.12): the trial balance (general and by
third party) and the accounts payable.

``POST /v1/test-balance-report`` and ``POST /v1/test-balance-report-by-thirdparty`` check the body
(the range rules of :mod:`siigo.rules.reports`; an account not in the chart is
``invalid_reference``), compute the trial balance of the period from every movement the ledger
holds (:func:`siigo.sandbox.ledger.trial_balance`; months 1-12 of ``year``, 13 read as December:
the sandbox posts no separate closing period) and answer ``201 {file_id, file_url}``; the
spreadsheet is served at ``file_url`` (:mod:`siigo.sandbox.reports`).

``GET /v1/accounts-payable`` lists the open payable dues of the ledger (filters ``due_date_start``,
``due_date_end``, ``provider_identification``, ``provider_branch_office``), paginated.  With
``tenant.extra["accounts_payable_envelope"] = "value"`` it wraps the page as one schema of [MCP]
shows (``{"value": {pagination, results}, "_links"}``, ⚠️ §B.14), for clients to be tested on both.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from typing import Any

from ...errors import ErrorDetail
from ...models.reports import TrialBalanceByThirdPartyParams, TrialBalanceParams
from ...rules.reports import CLOSING_MONTH, check_accounts_payable_filters, check_trial_balance
from .. import accounts, documents, ledger
from ..app import Ctx, SiigoHTTPError, route
from ..reports import report_url, store_report
from ._common import envelope, new_guid, validate


def _err(code: str, message: str, *params: str) -> ErrorDetail:
    return ErrorDetail(code, message, tuple(params))


def _period(params: TrialBalanceParams) -> tuple[str, str]:
    start = min(params.month_start, 12)
    end = min(params.month_end, 12)
    last = calendar.monthrange(params.year, end)[1]
    return f"{params.year:04d}-{start:02d}-01", f"{params.year:04d}-{end:02d}-{last:02d}"


def _shown_name(name: Any) -> str:
    return " ".join(str(part) for part in name) if isinstance(name, list) else str(name or "")


def _third_party_name(ctx: Ctx, identification: str) -> str:
    for customer in ctx.tenant.customers.values():
        if str(customer.get("identification")) == identification:
            return _shown_name(customer.get("name"))
    return ""


def _trial_balance(ctx: Ctx, params: TrialBalanceParams, *, by_third_party: bool) -> tuple[int, Any]:
    errors = check_trial_balance(params)
    for name in ("account_start", "account_end"):
        code = getattr(params, name)
        if code is not None and accounts.account(code) is None:
            errors.append(
                _err("invalid_reference", f"The account {code} does not exist in the chart of accounts", name)
            )
    customer = getattr(params, "customer", None)
    if customer is not None and (
        documents.customer_by_ref(ctx.tenant, customer.identification, customer.branch_office) is None
    ):
        errors.append(
            _err(
                "invalid_reference",
                f"The third party {customer.identification} (branch office {customer.branch_office}) "
                "does not exist",
                "customer.identification",
            )
        )
    if errors:
        raise SiigoHTTPError.from_details(errors)
    date_start, date_end = _period(params)
    with ctx.state.lock:
        computed = ledger.trial_balance(
            ctx.tenant,
            date_start=date_start,
            date_end=date_end,
            account_start=params.account_start,
            account_end=params.account_end,
            third_party=customer.identification if customer is not None else None,
            by_third_party=by_third_party,
        )
        for line in computed["lines"]:
            if line["third_party"]:
                line["third_party_name"] = _third_party_name(ctx, line["third_party"])
        now = ctx.state.now_datetime() - _dt.timedelta(hours=5)  # Colombian time, as Siigo names files
        title = "Balance de prueba por tercero" if by_third_party else "Balance de prueba general"
        file_name = f"{title}-{now:%Y%m%d%H%M%S}.xlsx"
        file_id = new_guid()
        months = (
            f"{params.month_start}"
            if params.month_start == params.month_end
            else (f"{params.month_start} a {params.month_end}")
        )
        closing = " (13: cierre)" if CLOSING_MONTH in (params.month_start, params.month_end) else ""
        store_report(
            ctx.tenant,
            file_id,
            {
                "title": title,
                "file_name": file_name,
                "company": ctx.tenant.username,
                "period": f"{params.year}, meses {months}{closing} ({date_start} a {date_end})",
                "created": ctx.state.timestamp(),
                "by_third_party": by_third_party,
                "request": params.to_wire(),
                **computed,
            },
        )
    base = ctx.settings.links_base or f"http://{ctx.headers.get('Host', '127.0.0.1')}"
    return 201, {"file_id": file_id, "file_url": report_url(base, file_id, file_name)}


@route("POST", "/v1/test-balance-report")
def trial_balance(ctx: Ctx) -> tuple[int, Any]:
    return _trial_balance(ctx, validate(TrialBalanceParams, ctx), by_third_party=False)


@route("POST", "/v1/test-balance-report-by-thirdparty")
def trial_balance_by_third_party(ctx: Ctx) -> tuple[int, Any]:
    return _trial_balance(ctx, validate(TrialBalanceByThirdPartyParams, ctx), by_third_party=True)


def _date_arg(ctx: Ctx, name: str) -> str | None:
    raw = ctx.args.get(name)
    if not raw:
        return None
    try:
        _dt.date.fromisoformat(raw[:10])
    except ValueError:
        raise SiigoHTTPError.one(
            400, "invalid_date", f"The field {name} must be yyyy-MM-dd", [name]
        ) from None
    return raw[:10]


@route("GET", "/v1/accounts-payable")
def accounts_payable(ctx: Ctx) -> tuple[int, Any]:
    identification = ctx.args.get("provider_identification") or None
    raw_branch = ctx.args.get("provider_branch_office")
    branch: int | None = None
    if raw_branch not in (None, ""):
        try:
            branch = int(raw_branch)
        except ValueError:
            raise SiigoHTTPError.one(
                400,
                "invalid_type",
                "The field provider_branch_office must be an integer",
                ["provider_branch_office"],
            ) from None
    start, end = _date_arg(ctx, "due_date_start"), _date_arg(ctx, "due_date_end")
    problems = check_accounts_payable_filters(
        provider_identification=identification,
        provider_branch_office=branch,
        due_date_start=start,
        due_date_end=end,
    )
    if problems:
        raise SiigoHTTPError.from_details(problems)
    rows = []
    with ctx.state.lock:
        for due in ledger.dues(ctx.tenant, "payable", identification=identification):
            provider = due["third_party"]
            if branch is not None and int(provider.get("branch_office") or 0) != branch:
                continue
            day = due["date"][:10]
            if (start is not None and day < start) or (end is not None and day > end):
                continue
            entry: dict[str, Any] = {
                "due": {
                    "prefix": due["prefix"],
                    "consecutive": due["consecutive"],
                    "quote": due["quote"],
                    "date": day,
                    "balance": due["balance"],
                },
                "provider": {
                    "id": provider.get("id"),
                    "identification": provider.get("identification"),
                    "branch_office": int(provider.get("branch_office") or 0),
                    "name": _shown_name(provider.get("name"))
                    or _third_party_name(ctx, str(provider.get("identification"))),
                },
            }
            if due.get("cost_center"):
                entry["cost_center"] = due["cost_center"]
            if due.get("currency"):
                entry["currency"] = due["currency"]
            rows.append(entry)
        page = envelope(ctx, rows, "/v1/accounts-payable")
        if ctx.tenant.extra.get("accounts_payable_envelope") == "value":
            links = page.pop(ctx.settings.links_key)
            return 200, {"value": page, "_links": links}
    return 200, page
