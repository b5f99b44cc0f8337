"""Customers: addresses, contacts, phones and closed codes."""

from __future__ import annotations

from siigo import Client
from siigo.models.customers import ContactDict, CustomerAddressDict


def create(client: Client) -> str:
    address: CustomerAddressDict = {
        "address": "Calle 50 # 45-20",
        "city": {"country_code": "CO", "state_code": "05", "city_code": "05001"},
    }
    contact: ContactDict = {
        "first_name": "Carolina",
        "email": "c@example.com",
        "phone": {"number": "3001234567"},
    }
    customer = client.customers.create(
        person_type="Company",
        id_type="31",
        identification="900123456",
        name=["Ferretería El Tornillo S.A.S."],
        address=address,
        contacts=[contact],
        phones=[{"indicative": "57", "number": "6041234567"}],
        fiscal_responsibilities=[{"code": "R-99-PN"}],
        related_users={"seller_id": 629},
    )
    kind: str = customer.person_type  # "Person", "Company" or a value Siigo adds later
    return customer.identification + " " + " ".join(customer.name) + kind
