"""The chart of accounts every sandbox company starts with: a small Colombian PUC.

Siigo's API has no endpoint that lists a company's accounts, so the chart lives in the sandbox
only: journals are refused with ``invalid_account`` when they name an account not in it, and the
trial balance is reported over it.  The codes are auxiliary accounts of the Plan Único de Cuentas
(class, group, account, sub-account and two auxiliary digits), including every account the API
reference's examples use (``11050501``, ``11100501``, ``41350501``, ``51354001``).

``kind`` marks what an account needs on a journal line (siigo-api.md §C.12): ``receivable`` and
``payable`` accounts carry dues, ``tax`` accounts a tax, ``inventory`` accounts a product and
``fixed_asset`` accounts a fixed asset.  The constants below are the accounts the sandbox's own
postings use (an invoice debits :data:`RECEIVABLES` for what is owed, credits :data:`SALES`...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

__all__ = [
    "ACCOUNTS",
    "BANK",
    "CASH",
    "CLASSES",
    "CONSUMPTION_TAX",
    "COST_OF_SALES",
    "CUSTOMER_ADVANCES",
    "DEDUCTIBLE_VAT",
    "DISCOUNTS_GRANTED",
    "DISCOUNTS_RECEIVED",
    "FIXED_ASSETS",
    "GROUPS",
    "ICA_WITHHELD_PAYABLE",
    "INVENTORY",
    "MISC_INCOME",
    "PAYABLES",
    "RECEIVABLES",
    "SALES",
    "SALES_RETURNS",
    "SUPPLIER_ADVANCES",
    "TO_WITHHOLD",
    "VAT",
    "VAT_WITHHELD_PAYABLE",
    "WITHHELD",
    "WITHHOLDING_PAYABLE",
    "Account",
    "AccountKind",
    "account",
    "parents",
]

AccountKind = Literal["plain", "receivable", "payable", "tax", "inventory", "fixed_asset"]


@dataclass(frozen=True)
class Account:
    """One auxiliary account: its PUC code, name, nature (the side that increases it) and what
    a journal line on it must carry."""

    code: str
    name: str
    nature: Literal["Debit", "Credit"]
    kind: AccountKind = "plain"
    active: bool = True

    @property
    def puc_class(self) -> str:
        """The account's class: ``"1"`` assets ... ``"6"`` cost of sales."""
        return self.code[0]


CLASSES: Mapping[str, str] = MappingProxyType(
    {
        "1": "Activo",
        "2": "Pasivo",
        "3": "Patrimonio",
        "4": "Ingresos",
        "5": "Gastos",
        "6": "Costos de ventas",
    }
)

GROUPS: Mapping[str, str] = MappingProxyType(
    {
        "11": "Disponible",
        "13": "Deudores",
        "14": "Inventarios",
        "15": "Propiedades, planta y equipo",
        "21": "Obligaciones financieras",
        "22": "Proveedores",
        "23": "Cuentas por pagar",
        "24": "Impuestos, gravámenes y tasas",
        "28": "Otros pasivos",
        "31": "Capital social",
        "36": "Resultados del ejercicio",
        "37": "Resultados de ejercicios anteriores",
        "41": "Operacionales",
        "42": "No operacionales",
        "51": "Operacionales de administración",
        "52": "Operacionales de ventas",
        "53": "No operacionales",
        "61": "Costo de ventas y de prestación de servicios",
    }
)


def _chart(*rows: Account) -> Mapping[str, Account]:
    return MappingProxyType({row.code: row for row in rows})


ACCOUNTS: Mapping[str, Account] = _chart(
    Account("11050501", "Caja general", "Debit"),
    Account("11051001", "Cajas menores", "Debit"),
    Account("11100501", "Bancos nacionales - cuenta corriente", "Debit"),
    Account("11200501", "Cuentas de ahorro", "Debit"),
    Account("13050501", "Clientes nacionales", "Debit", "receivable"),
    Account("13300501", "Anticipos a proveedores", "Debit"),
    Account("13551501", "Retención en la fuente que nos practicaron", "Debit", "tax"),
    Account("13551701", "Impuesto a las ventas retenido", "Debit", "tax"),
    Account("13551801", "Impuesto de industria y comercio retenido", "Debit", "tax"),
    Account("13802001", "Cuentas por cobrar a trabajadores", "Debit"),
    Account("14350101", "Mercancías no fabricadas por la empresa", "Debit", "inventory"),
    Account("14300101", "Productos terminados", "Debit", "inventory"),
    Account("15240501", "Muebles y enseres", "Debit", "fixed_asset"),
    Account("15281001", "Equipo de procesamiento de datos", "Debit", "fixed_asset"),
    Account("15920501", "Depreciación acumulada - maquinaria y equipo", "Credit"),
    Account("15929901", "Depreciación acumulada (cuenta en desuso)", "Credit", active=False),
    Account("21050501", "Bancos nacionales - pagarés", "Credit"),
    Account("22050501", "Proveedores nacionales", "Credit", "payable"),
    Account("23359501", "Otros costos y gastos por pagar", "Credit"),
    Account("23652501", "Retención en la fuente por pagar - servicios", "Credit", "tax"),
    Account("23654001", "Retención en la fuente por pagar - compras", "Credit", "tax"),
    Account("23670101", "Impuesto a las ventas retenido por pagar", "Credit", "tax"),
    Account("23680101", "Impuesto de industria y comercio retenido por pagar", "Credit", "tax"),
    Account("23700501", "Aportes a seguridad social por pagar", "Credit"),
    Account("24080501", "IVA generado en ventas", "Credit", "tax"),
    Account("24081001", "IVA descontable en compras", "Debit", "tax"),
    Account("24950101", "Impuesto nacional al consumo por pagar", "Credit", "tax"),
    Account("28050501", "Anticipos y avances recibidos de clientes", "Credit", "receivable"),
    Account("31050501", "Capital suscrito y pagado", "Credit"),
    Account("36050101", "Utilidad del ejercicio", "Credit"),
    Account("37050101", "Utilidades acumuladas", "Credit"),
    Account("41350501", "Comercio al por mayor y al por menor", "Credit"),
    Account("41550501", "Actividades de servicios", "Credit"),
    Account("41750101", "Devoluciones en ventas", "Debit"),
    Account("42100501", "Ingresos financieros - intereses", "Credit"),
    Account("42104001", "Descuentos comerciales condicionados obtenidos", "Credit"),
    Account("42950501", "Ingresos diversos", "Credit"),
    Account("51050601", "Sueldos", "Debit"),
    Account("51200501", "Arrendamientos - construcciones y edificaciones", "Debit"),
    Account("51350501", "Servicios de aseo y vigilancia", "Debit"),
    Account("51353001", "Servicios de energía eléctrica", "Debit"),
    Account("51353501", "Servicios de teléfono e internet", "Debit"),
    Account("51354001", "Servicios de correo, portes y transporte", "Debit"),
    Account("51959501", "Gastos diversos", "Debit"),
    Account("52350501", "Servicios de publicidad", "Debit"),
    Account("53050501", "Gastos bancarios", "Debit"),
    Account("53052001", "Intereses", "Debit"),
    Account("53053501", "Descuentos comerciales condicionados concedidos", "Debit"),
    Account("61350501", "Costo de mercancías vendidas", "Debit"),
)

CASH = "11050501"
BANK = "11100501"
RECEIVABLES = "13050501"
SUPPLIER_ADVANCES = "13300501"
INVENTORY = "14350101"
PAYABLES = "22050501"
CUSTOMER_ADVANCES = "28050501"
DISCOUNTS_GRANTED = "53053501"
DISCOUNTS_RECEIVED = "42104001"
MISC_INCOME = "42950501"
VAT = "24080501"
CONSUMPTION_TAX = "24950101"
WITHHELD: Mapping[str, str] = MappingProxyType(
    {"Retefuente": "13551501", "ReteIVA": "13551701", "ReteICA": "13551801"}
)
"""Withholdings customers practised on the company (assets), by tax type."""
SALES = "41350501"
SALES_RETURNS = "41750101"
COST_OF_SALES = "61350501"
# What a purchase posts besides INVENTORY and PAYABLES: the VAT it may deduct, a fixed asset
# bought, and the withholdings the company owes DIAN for its supplier.
DEDUCTIBLE_VAT = "24081001"
FIXED_ASSETS = "15240501"
WITHHOLDING_PAYABLE = "23654001"
VAT_WITHHELD_PAYABLE = "23670101"
ICA_WITHHELD_PAYABLE = "23680101"
TO_WITHHOLD: Mapping[str, str] = MappingProxyType(
    {"Retefuente": WITHHOLDING_PAYABLE, "ReteIVA": VAT_WITHHELD_PAYABLE, "ReteICA": ICA_WITHHELD_PAYABLE}
)
"""Withholdings the company practised on suppliers and owes DIAN (liabilities), by tax type:
what a purchase credits under the net payments basis and a payment receipt's tax adjustments."""


def account(code: str) -> Account | None:
    """The account with ``code`` (``None`` when the chart has none)."""
    return ACCOUNTS.get(code)


def parents(code: str) -> tuple[tuple[str, str], ...]:
    """The class and group of an account, as ``(code, name)`` pairs, for reports."""
    found = []
    if code[:1] in CLASSES:
        found.append((code[:1], CLASSES[code[:1]]))
    if code[:2] in GROUPS:
        found.append((code[:2], GROUPS[code[:2]]))
    return tuple(found)
