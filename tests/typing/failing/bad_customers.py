"""Customer mistakes that mypy --strict reports (each line marked with the expected message)."""

from __future__ import annotations

from siigo import Client
from siigo.models.customers import CustomerAddressDict, FiscalResponsibilityDict


def mistakes(client: Client) -> None:
    no_city: CustomerAddressDict = {
        "address": "Calle 50"
    }  # E: Missing key "city" for TypedDict "CustomerAddressDict"
    bad_code: FiscalResponsibilityDict = {
        "code": "O-99"
    }  # E: TypedDict item "code" has type "Literal['R-99-PN', 'O-13', 'O-15', 'O-23', 'O-47']"
    client.customers.create(
        person_type="Persona", id_type="13", identification="1", name=["A"], address=no_city
    )  # E: No overload variant of "create" of "Customers"
    print(bad_code)
