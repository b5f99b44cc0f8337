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

from ..errors import ErrorDetail
from ..models.reports import TrialBalanceParams

__all__ = ["CLOSING_MONTH", "check_accounts_payable_filters", "check_trial_balance"]

CLOSING_MONTH = 13
"""The closing period: the month after December that Siigo's trial balance can include."""


def _err(code: str, message: str, *params: str) -> ErrorDetail:
    return ErrorDetail(code, message, tuple(params))


def check_trial_balance(params: TrialBalanceParams) -> list[ErrorDetail]:
    """Every range problem of a trial-balance body (both variants)."""
    errors: list[ErrorDetail] = []
    if not 1000 <= params.year <= 9999:
        errors.append(_err("invalid_range", f"The year must have 4 digits, got {params.year}", "year"))
    months_valid = True
    for name in ("month_start", "month_end"):
        month = getattr(params, name)
        if not 1 <= month <= CLOSING_MONTH:
            months_valid = False
            errors.append(
                _err(
                    "invalid_range",
                    f"The {name} must be between 1 and {CLOSING_MONTH} (13 is the closing period), got {month}",
                    name,
                )
            )
    if months_valid and params.month_start > params.month_end:
        errors.append(
            _err(
                "invalid_range",
                f"The month_start {params.month_start} is after the month_end {params.month_end}",
                "month_start",
            )
        )
    start, end = params.account_start, params.account_end
    if start is not None and end is not None and start > end:
        errors.append(
            _err(
                "invalid_account",
                f"The account_start {start} is after the account_end {end}",
                "account_start",
            )
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
                _err(
                    "parameter_required",
                    "The provider_branch_office filter needs provider_identification",
                    "provider_identification",
                )
            )
        if not 0 <= provider_branch_office <= 999:
            errors.append(
                _err(
                    "invalid_range",
                    f"The provider_branch_office must be 0-999, got {provider_branch_office}",
                    "provider_branch_office",
                )
            )
    if due_date_start is not None and due_date_end is not None and due_date_start[:10] > due_date_end[:10]:
        errors.append(
            _err(
                "invalid_date_range",
                f"The due_date_start {due_date_start} is after the due_date_end {due_date_end}",
                "due_date_start",
            )
        )
    return errors
