"""Demo data for a sandbox company, created through the SDK like any application would.

``python -m siigo sandbox --seed 40`` fills the default company with a few customers and
products and 40 sales invoices spread over the last 60 days (non-electronic document type 28451)
plus, when there are at least two, electronic invoices of today sent to DIAN (28453).
"""

from __future__ import annotations

import datetime as _dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..client import Client

__all__ = ["seed_demo"]

_ADDRESS = {
    "address": "Calle 50 # 45-20",
    "city": {"country_code": "CO", "state_code": "05", "city_code": "05001"},
}
_CUSTOMERS: list[tuple[str, str, str, list[str], str]] = [
    ("Company", "31", "900123456", ["Ferretería El Tornillo S.A.S."], "compras@eltornillo.example.com"),
    ("Company", "31", "901555777", ["Panadería La Espiga S.A.S."], "pagos@laespiga.example.com"),
    ("Person", "13", "1036654321", ["Laura", "Gómez Duque"], "laura@example.com"),
]
_PRODUCTS: list[tuple[str, str, int, str, Decimal]] = [
    ("SKU-1", "Servicio de instalación", 1822, "Service", Decimal("100.00")),
    ("TAL-750-001", "Taladro percutor", 1821, "Product", Decimal("289900.00")),
    ("SERV-INST-CER", "Instalación de cerradura", 1822, "Service", Decimal("45000.00")),
    ("CAB-3M", "Cable eléctrico 3 m", 1821, "Product", Decimal("12500.50")),
]


def _today() -> _dt.date:
    return (_dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(hours=5)).date()


def seed_demo(client: Client, invoices: int = 20, *, seed: int = 13) -> dict[str, int]:
    """Create the demo customers and products and ``invoices`` invoices in the client's
    company; the counts created."""
    rng = random.Random(seed)
    for person_type, id_type, identification, name, email in _CUSTOMERS:
        contact = {"first_name": name[0].split()[0], "last_name": "Contacto", "email": email}
        client.customers.create(
            {
                "person_type": person_type,
                "id_type": id_type,
                "identification": identification,
                "name": name,
                "address": _ADDRESS,
                "contacts": [contact],
            }
        )
    for code, title, group, kind, price in _PRODUCTS:
        client.products.create(
            {
                "code": code,
                "name": title,
                "account_group": group,
                "type": kind,
                "prices": [{"currency_code": "COP", "price_list": [{"position": 1, "value": price}]}],
            }
        )
    today = _today()
    electronic = 2 if invoices >= 2 else 0
    for n in range(invoices):
        customer = _CUSTOMERS[n % len(_CUSTOMERS)]
        lines = []
        for _ in range(rng.randint(1, 3)):
            code, _name, _group, _kind, price = rng.choice(_PRODUCTS)
            lines.append(
                {
                    "code": code,
                    "quantity": rng.randint(1, 5),
                    "price": price,
                    "taxes": [{"id": 18401}],
                }
            )
        is_electronic = n >= invoices - electronic
        day = today if is_electronic else today - _dt.timedelta(days=rng.randint(0, 60))
        body: dict[str, Any] = {
            "document": {"id": 28453 if is_electronic else 28451},
            "date": day.isoformat(),
            "customer": {"identification": customer[2], "branch_office": 0},
            "seller": 4120,
            "items": lines,
            "observations": f"Factura de demostración {n + 1}",
        }
        totals = client.invoices.compute_totals(body)
        body["payments"] = [{"id": 6101, "value": totals.amount_due, "due_date": day.isoformat()}]
        if is_electronic:
            body["stamp"] = {"send": True}
        client.invoices.create(body)
    return {"customers": len(_CUSTOMERS), "products": len(_PRODUCTS), "invoices": invoices}
