"""The range rules of the reports (siigo-api.md §B.1, §C.13, §E.3), shared by the SDK (checked
before anything is sent) and the sandbox (the same refusals, with Siigo's codes):

* the trial balance: ``year`` has 4 digits (``invalid_range``); ``month_start`` and
  ``month_end`` are 1-13 and in order (``invalid_range``); ``account_start`` is not after
  ``account_end`` (``invalid_account``).  Whether an account exists (``invalid_reference``) is
  the server's to say: Siigo's API has no endpoint that lists accounts;
* the accounts payable: ``provider_branch_office`` only with ``provider_identification``
  (``parameter_required``) and within 0-999 (``invalid_range``); ``due_date_start`` not after
  ``due_date_end`` (``invalid_date_range``).
"""

from __future__ import annotations

from .._refusals import detail
from ..errors import ErrorDetail
from ..models.reports import TrialBalanceParams

__all__ = ["CLOSING_MONTH", "check_accounts_payable_filters", "check_trial_balance"]

CLOSING_MONTH = 13
"""The closing period: the month after December that Siigo's trial balance can include."""


_err = detail  # _err(code, message_id, *field_paths, **message_args)


def check_trial_balance(params: TrialBalanceParams) -> list[ErrorDetail]:
    """Every range problem of a trial-balance body (both variants)."""
    errors: list[ErrorDetail] = []
    if not 1000 <= params.year <= 9999:
        errors.append(_err("invalid_range", "reports.year_digits", "year", year=params.year))
    months_valid = True
    for name in ("month_start", "month_end"):
        month = getattr(params, name)
        if not 1 <= month <= CLOSING_MONTH:
            months_valid = False
            errors.append(
                _err("invalid_range", "reports.month_range", name, name=name, most=CLOSING_MONTH, month=month)
            )
    if months_valid and params.month_start > params.month_end:
        errors.append(
            _err(
                "invalid_range",
                "reports.months_order",
                "month_start",
                start=params.month_start,
                end=params.month_end,
            )
        )
    start, end = params.account_start, params.account_end
    if start is not None and end is not None and start > end:
        errors.append(
            _err("invalid_account", "reports.accounts_order", "account_start", start=start, end=end)
        )
    return errors


def check_accounts_payable_filters(
    *,
    provider_identification: str | None,
    provider_branch_office: int | None,
    due_date_start: str | None,
    due_date_end: str | None,
) -> list[ErrorDetail]:
    """The filters of ``GET /v1/accounts-payable`` (dates as ``yyyy-MM-dd`` strings)."""
    errors: list[ErrorDetail] = []
    if provider_branch_office is not None:
        if provider_identification is None:
            errors.append(
                _err("parameter_required", "reports.branch_needs_provider", "provider_identification")
            )
        if not 0 <= provider_branch_office <= 999:
            errors.append(
                _err(
                    "invalid_range",
                    "reports.branch_range",
                    "provider_branch_office",
                    value=provider_branch_office,
                )
            )
    if due_date_start is not None and due_date_end is not None and due_date_start[:10] > due_date_end[:10]:
        errors.append(
            _err(
                "invalid_date_range",
                "reports.due_dates_order",
                "due_date_start",
                start=due_date_start,
                end=due_date_end,
            )
        )
    return errors
