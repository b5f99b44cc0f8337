"""Reports: the trial balance (general and by third party) and the accounts payable
(siigo-api.md §B.14, §C.13, §D.12).

The trial-balance bodies carry only their types here; the range rules (months 1-13 in order,
the first account not after the last, a 4-digit year) are :func:`siigo.rules.reports.check_trial_balance`,
shared by the client and the sandbox.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, field_validator

from ._base import RequestModel, ResponseModel
from .common import CustomerRef, to_int
from .documents import OptionalDate, OptionalDecimal, OptionalInt

__all__ = [
    "AccountPayable",
    "AccountPayableCostCenter",
    "AccountPayableCurrency",
    "AccountPayableDue",
    "AccountPayableProvider",
    "ReportFile",
    "TrialBalanceByThirdPartyParams",
    "TrialBalanceParams",
]


def _account_text(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


_Int = Annotated[int, BeforeValidator(to_int)]


class TrialBalanceParams(RequestModel):
    """Body of ``POST /v1/test-balance-report`` (§C.13).  An empty or missing ``account_start``
    means the first account, ``account_end`` the last; month 13 is the closing period."""

    account_start: Annotated[str, BeforeValidator(_account_text), Field(max_length=20)] | None = None
    account_end: Annotated[str, BeforeValidator(_account_text), Field(max_length=20)] | None = None
    year: _Int
    month_start: _Int
    month_end: _Int
    includes_tax_difference: bool

    @field_validator("account_start", "account_end")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class TrialBalanceByThirdPartyParams(TrialBalanceParams):
    """Body of ``POST /v1/test-balance-report-by-thirdparty``: the trial balance with one line
    per account and third party; ``customer`` (identification without check digit) narrows it to
    one third party."""

    customer: CustomerRef | None = None


class ReportFile(ResponseModel):
    """A generated report: ``file_url`` is the spreadsheet (``.xlsx``) to download
    (``client.reports.download(report)``); Siigo does not say how long it stays there."""

    file_id: str | None = None
    file_url: str | None = None


class AccountPayableDue(ResponseModel):
    prefix: str | None = None
    consecutive: OptionalInt = None
    quote: OptionalInt = None
    date: OptionalDate = None
    balance: OptionalDecimal = None


class AccountPayableProvider(ResponseModel):
    id: str | None = None
    identification: str | None = None
    branch_office: OptionalInt = None
    name: str | None = None


class AccountPayableCostCenter(ResponseModel):
    code: str | None = None
    name: str | None = None


class AccountPayableCurrency(ResponseModel):
    """The due in a foreign currency: the code comes as ``code`` ([APIB] example) or
    ``money_code`` ([APIB] table) ⚠️; :attr:`currency_code` reads either."""

    code: str | None = None
    money_code: str | None = None
    balance: OptionalDecimal = None

    @property
    def currency_code(self) -> str | None:
        return self.money_code or self.code


class AccountPayable(ResponseModel):
    """One open installment owed to a supplier (``GET /v1/accounts-payable``, §D.12)."""

    due: AccountPayableDue | None = None
    provider: AccountPayableProvider | None = None
    cost_center: AccountPayableCostCenter | None = None
    currency: AccountPayableCurrency | None = None
