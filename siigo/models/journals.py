"""Journals (comprobantes contables, kind ``CC``): ``/v1/journals`` (siigo-api.md §B.13, §C.12, §D.11).

A journal is a list of ledger lines: each names an account and whether it is debited or credited,
the third party, the amount and, for accounts that need them, a due (receivable and payable
accounts), a tax (tax accounts), a fixed asset or a product (inventory accounts).  Its debits must
equal its credits (``invalid_balance``; checked by :func:`siigo.rules.journals.check_balance`
before anything is sent).

The fixed asset of a line is spelled two ways in Siigo's references (⚠️ §C.12): ``fixed_asset:
{"id": 9101}`` ([JS], [MCP]) and ``fixed_assets: 9101`` ([APIB]).  Both are accepted and sent as
written; both at once is ``parameters_exclusive``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from typing_extensions import Required, TypedDict

from ._base import Amount, DateParam, Money, Quantity, RequestModel, ResponseModel, rule_error
from .common import (
    CustomerRef,
    CustomerRefDict,
    DateInput,
    IdName,
    IdRef,
    IdRefDict,
    Metadata,
    MoneyInput,
    to_int,
)
from .documents import (
    CatalogId,
    Currency,
    CurrencyParam,
    DocumentCustomer,
    ItemTax,
    OptionalDate,
    OptionalDecimal,
    OptionalInt,
    OptionalRef,
)

__all__ = [
    "MOVEMENTS",
    "Journal",
    "JournalAccount",
    "JournalAccountDict",
    "JournalAccountParam",
    "JournalCreateParams",
    "JournalDue",
    "JournalDueDict",
    "JournalDueParam",
    "JournalItem",
    "JournalItemDict",
    "JournalItemParam",
    "JournalProduct",
    "JournalProductDict",
    "JournalProductParam",
    "JournalTaxDict",
    "JournalTaxParam",
    "Movement",
]

Movement = Literal["Debit", "Credit"]
"""The side of a journal line: ``Debit`` or ``Credit``."""
MOVEMENTS: tuple[Movement, ...] = ("Debit", "Credit")

MAX_JOURNAL_ITEMS = 500
"""The most lines a journal takes here (Siigo documents no limit for journals; 500 is the
limit of its other documents' ``items``)."""


def _account_code(value: str) -> str:
    if not value.isascii() or not value.isdigit():
        raise rule_error("invalid_account", "models.account_code", value=repr(value))
    return value


def _to_str(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class JournalAccountParam(RequestModel):
    """``items[].account``: the auxiliary account (an existing, active account of the company's
    chart) and the side of the line."""

    code: Annotated[
        str, BeforeValidator(_to_str), Field(min_length=1, max_length=20), AfterValidator(_account_code)
    ]
    movement: Movement


class JournalDueParam(RequestModel):
    """``items[].due``: the installment a line on a receivable or payable account moves: the
    document prefix (``"FV-1"``), its number, the installment number and its date."""

    prefix: Annotated[str, Field(min_length=1, max_length=20)]
    consecutive: Annotated[int, BeforeValidator(to_int), Field(gt=0)]
    quote: Annotated[int, BeforeValidator(to_int), Field(gt=0)]
    date: DateParam


class JournalTaxParam(RequestModel):
    """``items[].tax``: the tax a line on a tax account records (``base_value`` at most 2
    decimals)."""

    id: CatalogId
    name: str | None = None
    type: str | None = None
    percentage: Annotated[Decimal, Field(ge=0, le=100)] | None = None
    base_value: Money | None = None


class JournalProductParam(RequestModel):
    """``items[].product``: the product a line on an inventory account moves."""

    code: Annotated[str, BeforeValidator(_to_str), Field(min_length=1)]
    quantity: Quantity
    warehouse: CatalogId | None = None


class JournalItemParam(RequestModel):
    """One line of a journal (§C.12): ``value`` is positive with at most 2 decimals."""

    account: JournalAccountParam
    customer: CustomerRef
    cost_center: CatalogId | None = None
    value: Amount
    description: str | None = None
    due: JournalDueParam | None = None
    tax: JournalTaxParam | None = None
    fixed_asset: IdRef | None = None
    fixed_assets: CatalogId | None = None
    product: JournalProductParam | None = None

    @model_validator(mode="after")
    def _one_fixed_asset_spelling(self) -> JournalItemParam:
        if self.fixed_asset is not None and self.fixed_assets is not None:
            raise rule_error("parameters_exclusive", "models.fixed_asset_twice")
        return self

    @property
    def fixed_asset_id(self) -> int | None:
        """The fixed asset of the line, whichever way it was spelled."""
        if self.fixed_asset is not None:
            return self.fixed_asset.id
        return self.fixed_assets

    @property
    def debit(self) -> Decimal:
        """The line's debit (0 for a credit line)."""
        return self.value if self.account.movement == "Debit" else Decimal(0)

    @property
    def credit(self) -> Decimal:
        """The line's credit (0 for a debit line)."""
        return self.value if self.account.movement == "Credit" else Decimal(0)


def _items_count(value: list[JournalItemParam]) -> list[JournalItemParam]:
    if not value:
        raise rule_error("invalid_array", "models.journal_items_none")
    if len(value) > MAX_JOURNAL_ITEMS:
        raise rule_error(
            "invalid_array", "models.journal_items_count", most=MAX_JOURNAL_ITEMS, count=len(value)
        )
    return value


class JournalCreateParams(RequestModel):
    """Body of ``POST /v1/journals`` (§C.12).  ``number`` only for a document type with manual
    numbering."""

    document: IdRef
    date: DateParam
    number: Annotated[int, Field(gt=0)] | None = None
    currency: CurrencyParam | None = None
    observations: Annotated[str, Field(max_length=4000)] | None = None
    items: Annotated[list[JournalItemParam], AfterValidator(_items_count)]

    def debits(self) -> Decimal:
        """Σ ``value`` of the ``Debit`` lines."""
        return sum((item.debit for item in self.items), Decimal(0))

    def credits(self) -> Decimal:
        """Σ ``value`` of the ``Credit`` lines."""
        return sum((item.credit for item in self.items), Decimal(0))


# --- typed dicts (keyword arguments of client.journals.create) ---------------------------------


class JournalAccountDict(TypedDict):
    """:class:`JournalAccountParam` as a dict."""

    code: str
    movement: Movement


class JournalDueDict(TypedDict):
    """:class:`JournalDueParam` as a dict."""

    prefix: str
    consecutive: int
    quote: int
    date: DateInput


class JournalTaxDict(TypedDict, total=False):
    """:class:`JournalTaxParam` as a dict."""

    id: Required[int]
    name: str
    type: str
    percentage: MoneyInput
    base_value: MoneyInput


class JournalProductDict(TypedDict, total=False):
    """:class:`JournalProductParam` as a dict."""

    code: Required[str]
    quantity: Required[MoneyInput]
    warehouse: int


class JournalItemDict(TypedDict, total=False):
    """:class:`JournalItemParam` as a dict."""

    account: Required[JournalAccountParam | JournalAccountDict]
    customer: Required[CustomerRef | CustomerRefDict]
    cost_center: int
    value: Required[MoneyInput]
    description: str
    due: JournalDueParam | JournalDueDict
    tax: JournalTaxParam | JournalTaxDict
    fixed_asset: IdRef | IdRefDict
    fixed_assets: int
    product: JournalProductParam | JournalProductDict


# --- responses ---------------------------------------------------------------------------------


def _fixed_asset_object(value: Any) -> Any:
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        return {"id": value}
    return value


class JournalAccount(ResponseModel):
    code: str | None = None
    movement: Movement | str | None = None


class JournalDue(ResponseModel):
    prefix: str | None = None
    consecutive: OptionalInt = None
    quote: OptionalInt = None
    date: OptionalDate = None


class JournalProduct(ResponseModel):
    id: str | None = None
    code: str | None = None
    name: str | None = None
    warehouse: OptionalRef = None
    quantity: OptionalDecimal = None


class JournalItem(ResponseModel):
    """A journal line as Siigo returns it; ``fixed_asset`` is read from either spelling."""

    account: JournalAccount | None = None
    customer: DocumentCustomer | None = None
    cost_center: OptionalRef = None
    due: JournalDue | None = None
    tax: ItemTax | None = None
    fixed_asset: Annotated[IdName | None, BeforeValidator(_fixed_asset_object)] = None
    fixed_assets: Annotated[IdName | None, BeforeValidator(_fixed_asset_object)] = None
    product: JournalProduct | None = None
    description: str | None = None
    value: OptionalDecimal = None


class Journal(ResponseModel):
    """A journal as Siigo returns it (§D.11); ``balance`` is 0 for a balanced journal ([APIB])."""

    id: str
    document: IdName | None = None
    number: OptionalInt = None
    name: str | None = None
    date: OptionalDate = None
    currency: Currency | None = None
    items: list[JournalItem] | None = None
    balance: OptionalDecimal = None
    observations: str | None = None
    metadata: Metadata | None = None

    def lines(self, movement: Movement) -> Sequence[JournalItem]:
        """The lines on one side."""
        return [item for item in self.items or () if item.account and item.account.movement == movement]

    @property
    def debits(self) -> Decimal:
        """Σ of the debit lines."""
        return sum((item.value or Decimal(0) for item in self.lines("Debit")), Decimal(0))

    @property
    def credits(self) -> Decimal:
        """Σ of the credit lines."""
        return sum((item.value or Decimal(0) for item in self.lines("Credit")), Decimal(0))
