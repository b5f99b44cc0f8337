"""Reports: ``client.reports`` (the trial balance) and ``client.accounts_payable``
(siigo-api.md §B.14, §C.13, §D.12).

>>> report = client.reports.trial_balance(year=2026, month_start=3, month_end=3)
>>> Path("balance-marzo.xlsx").write_bytes(client.reports.download(report))
>>> for due in client.accounts_payable.list(provider_identification="830117028"):
...     print(due.due.prefix, due.due.consecutive, due.due.balance)

The range rules (months 1-13 in order, the first account not after the last, a 4-digit year)
are checked before anything is sent (:mod:`siigo.rules.reports`); whether an account exists only
Siigo can tell (``invalid_reference``).  :meth:`Reports.download` fetches the spreadsheet through
the client's transport (timeouts, retries, ``max_response_bytes``) **without** the Siigo token:
the link is on Siigo's blob storage, another host.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from .. import _json
from .._refusals import detail, term
from ..models._base import build, refused
from ..models.common import CustomerRef, CustomerRefDict
from ..models.reports import AccountPayable, ReportFile, TrialBalanceByThirdPartyParams, TrialBalanceParams
from ..pagination import Page
from ..rules.reports import check_accounts_payable_filters, check_trial_balance
from ._base import DateFilter, RequestTimeout, Resource, call_timeout, date_filter, plain, query, shown

__all__ = ["AccountsPayable", "Reports"]

TRIAL_BALANCE_PATH = "/v1/test-balance-report"
TRIAL_BALANCE_BY_THIRD_PARTY_PATH = "/v1/test-balance-report-by-thirdparty"
ACCOUNTS_PAYABLE_PATH = "/v1/accounts-payable"


_err = detail  # _err(code, message_id, *field_paths, **message_args)


class Reports(Resource):
    """The trial balance (general and by third party) as a spreadsheet, and its download."""

    def _report(
        self, model: type[TrialBalanceParams], path: str, fields: Mapping[str, Any], timeout: RequestTimeout
    ) -> ReportFile:
        call_timeout(timeout)
        body = build(
            model, plain({k: v for k, v in fields.items() if v is not None}, model.__name__, dump_models=True)
        )
        errors = check_trial_balance(body)
        if errors:
            raise refused(model.__name__, errors)
        return self._send("POST", path, ReportFile, _json.dumps(body.to_wire()), timeout=timeout)

    def trial_balance(
        self,
        *,
        year: int,
        month_start: int,
        month_end: int,
        includes_tax_difference: bool = False,
        account_start: str | None = None,
        account_end: str | None = None,
        timeout: RequestTimeout = None,
    ) -> ReportFile:
        """``POST /v1/test-balance-report``: the trial balance of ``year`` from ``month_start`` to
        ``month_end`` (1-13; 13 is the closing period) between two accounts (default: all)."""
        return self._report(
            TrialBalanceParams,
            TRIAL_BALANCE_PATH,
            {
                "account_start": account_start,
                "account_end": account_end,
                "year": year,
                "month_start": month_start,
                "month_end": month_end,
                "includes_tax_difference": includes_tax_difference,
            },
            timeout,
        )

    def trial_balance_by_third_party(
        self,
        *,
        year: int,
        month_start: int,
        month_end: int,
        includes_tax_difference: bool = False,
        account_start: str | None = None,
        account_end: str | None = None,
        customer: CustomerRef | CustomerRefDict | None = None,
        timeout: RequestTimeout = None,
    ) -> ReportFile:
        """``POST /v1/test-balance-report-by-thirdparty``: the trial balance with a line per
        account and third party; ``customer`` (identification without check digit) narrows it
        to one."""
        return self._report(
            TrialBalanceByThirdPartyParams,
            TRIAL_BALANCE_BY_THIRD_PARTY_PATH,
            {
                "account_start": account_start,
                "account_end": account_end,
                "year": year,
                "month_start": month_start,
                "month_end": month_end,
                "includes_tax_difference": includes_tax_difference,
                "customer": customer,
            },
            timeout,
        )

    def download(self, report: ReportFile | str, *, timeout: RequestTimeout = None) -> bytes:
        """The report's file (an ``.xlsx`` workbook) as bytes: ``report`` is what
        :meth:`trial_balance` returned, or its ``file_url``.  The Siigo token is never sent."""
        url = report.file_url if isinstance(report, ReportFile) else report
        if not isinstance(url, str) or not url:
            raise refused(
                "download",
                [_err("parameter_required", "reports.download_no_url", "file_url", value=shown(url))],
            )
        parts = urlsplit(url)
        secure = parts.scheme == "https" and bool(parts.hostname)
        if not secure and not (parts.scheme == "http" and self._transport.same_origin(url)):
            where = f"://{parts.hostname or ''}"
            host = term(f"{parts.scheme or 'no scheme'}{where}", f"{parts.scheme or 'sin esquema'}{where}")
            raise refused(
                "download", [_err("invalid_url", "reports.download_insecure", "file_url", host=host)]
            )
        response = self._transport.download(url, timeout=call_timeout(timeout))
        return response.content


def _unwrap(data: Any) -> Any:
    """``{"value": {pagination, results}, "_links": ...}`` (one schema of §B.14 ⚠️) as the plain
    envelope; the plain envelope as it is."""
    if isinstance(data, dict) and "results" not in data and isinstance(data.get("value"), dict):
        inner = dict(data["value"])
        for key in ("_links", "__links", "links"):
            if key in data and not any(k in inner for k in ("_links", "__links", "links")):
                inner[key] = data[key]
        return inner
    return data


class AccountsPayable(Resource):
    """``/v1/accounts-payable``: the open installments owed to suppliers."""

    def list(
        self,
        *,
        due_date_start: DateFilter | None = None,
        due_date_end: DateFilter | None = None,
        provider_identification: str | None = None,
        provider_branch_office: int | None = None,
        page: int | None = None,
        page_size: int | None = None,
        timeout: RequestTimeout = None,
    ) -> Page[AccountPayable]:
        """``GET /v1/accounts-payable``: iterate the result to walk every page.
        ``provider_branch_office`` (0-999) only together with ``provider_identification``."""
        start = date_filter("due_date_start", due_date_start) if due_date_start is not None else None
        end = date_filter("due_date_end", due_date_end) if due_date_end is not None else None
        errors = check_accounts_payable_filters(
            provider_identification=provider_identification,
            provider_branch_office=provider_branch_office,
            due_date_start=start,
            due_date_end=end,
        )
        if errors:
            raise refused("accounts_payable.list", errors)
        params = query(
            due_date_start=due_date_start,
            due_date_end=due_date_end,
            provider_identification=provider_identification,
            provider_branch_office=provider_branch_office,
            page=page,
            page_size=page_size,
        )
        return self._list(ACCOUNTS_PAYABLE_PATH, AccountPayable, params, timeout=timeout, unwrap=_unwrap)
