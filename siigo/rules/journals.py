"""What is a journal's own (siigo-api.md §B.13, §C.12, §E.3), shared by the SDK's preflight and
the sandbox:

* the balance: Σ ``value`` of the ``Debit`` lines equals Σ of the ``Credit`` lines, else
  ``invalid_balance`` with both sums (:func:`check_balance`);
* the document type is an active ``CC`` type (``invalid_document``, ``parameter_inactive``);
  an electronic journal type takes a date within 10 days of today (``invalid_date``,
  :func:`check_journal_type`);
* item taxes exist (``invalid_reference``) and are active (``parameter_inactive``)
  (:func:`check_taxes`).

What needs the company's chart of accounts (accounts that exist and are active, the parts an
account needs) is the server's: Siigo's API has no endpoint that lists the accounts.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

from .._refusals import detail
from ..errors import ErrorDetail
from ..kinds import JOURNAL
from ..models.catalogs import DocumentType, Tax
from ..models.journals import JournalCreateParams
from ..totals import format_amount

__all__ = ["ELECTRONIC_DATE_DAYS", "check_balance", "check_journal", "check_journal_type", "check_taxes"]

ELECTRONIC_DATE_DAYS = 10
"""An electronic journal type takes a date at most this many days from today (§C.12)."""


_err = detail  # _err(code, message_id, *field_paths, **message_args)


def check_balance(journal: JournalCreateParams) -> list[ErrorDetail]:
    """``invalid_balance`` when the debits and the credits differ, naming both sums."""
    debits, credits = journal.debits(), journal.credits()
    if debits == credits:
        return []
    return [
        _err(
            "invalid_balance",
            "journals.unbalanced",
            "items",
            debits=format_amount(debits),
            credits=format_amount(credits),
            difference=format_amount(abs(debits - credits)),
        )
    ]


def check_journal_type(
    journal: JournalCreateParams, document_type: DocumentType, today: _dt.date
) -> list[ErrorDetail]:
    """The document type is an active journal type; an electronic one takes a date within
    :data:`ELECTRONIC_DATE_DAYS` days of ``today`` (before or after: §C.12 does not say which
    side, so only dates further than that either way are refused)."""
    errors: list[ErrorDetail] = []
    if document_type.type is not None and document_type.type != JOURNAL.code:
        errors.append(
            _err(
                "invalid_document",
                "journals.document_type_other_kind",
                "document.id",
                id=document_type.id,
                type=document_type.type,
                code=JOURNAL.code,
            )
        )
    if document_type.active is False:
        errors.append(
            _err("parameter_inactive", "rules.document_type_inactive", "document.id", id=document_type.id)
        )
    if document_type.is_electronic and abs((journal.date - today).days) > ELECTRONIC_DATE_DAYS:
        errors.append(
            _err(
                "invalid_date",
                "journals.date_too_far",
                "date",
                date=journal.date.isoformat(),
                days=ELECTRONIC_DATE_DAYS,
                today=today.isoformat(),
            )
        )
    return errors


def check_taxes(journal: JournalCreateParams, taxes: Mapping[int, Tax]) -> list[ErrorDetail]:
    """Every ``items[].tax.id`` is a tax of the company, and an active one."""
    errors: list[ErrorDetail] = []
    for i, item in enumerate(journal.items):
        if item.tax is None:
            continue
        path = f"items[{i}].tax.id"
        tax = taxes.get(item.tax.id)
        if tax is None:
            errors.append(_err("invalid_reference", "rules.tax_unknown", path, id=item.tax.id))
        elif tax.active is False:
            errors.append(_err("parameter_inactive", "rules.tax_inactive", path, tax=tax.name or tax.id))
    return errors


def check_journal(
    journal: JournalCreateParams,
    *,
    document_type: DocumentType,
    taxes: Mapping[int, Tax],
    today: _dt.date,
) -> list[ErrorDetail]:
    """Every rule above, in Siigo's order (references and settings, then the balance)."""
    return (
        check_journal_type(journal, document_type, today)
        + check_taxes(journal, taxes)
        + check_balance(journal)
    )
