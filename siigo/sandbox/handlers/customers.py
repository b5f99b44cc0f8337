"""``/v1/customers``: create, read, replace, delete and list third parties (siigo-api.md B.4,
C.2, D.4, H.2).

Bodies are validated with the SDK's own request models (which also compute and check a NIT's
check digit); then the rules that need the company's data: (identification, branch_office) is
unique, and the seller and collector are existing, active users.  Third parties are stored in
the expanded response shape of §D.4 (``id_type`` and fiscal responsibilities with their names,
cities with country, department and municipality names).  ``DELETE`` honours the
``customer_delete`` setting (``disabled``: 403 ``disabled_functionality``, as on Siigo's test
companies).

Lists answer active third parties unless ``active=false`` is asked, as Siigo documents.  Siigo
also documents ``type`` as defaulting to Customer, yet its type filter was seen mixing types; the
sandbox lists every type when no ``type`` is asked and filters exactly when one is.
"""

from __future__ import annotations

from typing import Any

from ...models.customers import (
    COLOMBIA,
    DEPARTMENTS,
    FISCAL_RESPONSIBILITIES,
    ID_TYPES,
    CustomerCreateParams,
    CustomerUpdateParams,
)
from ..app import Ctx, SiigoHTTPError, error_entry, not_found, route
from ..state import Tenant
from ._common import bool_arg, catalog_entry, date_in_range, envelope, is_guid, new_guid, validate

__all__ = ["CITY_NAMES", "COUNTRY_NAMES", "find_customer"]

CITY_NAMES = {
    "05001": "Medellín",
    "05088": "Bello",
    "05266": "Envigado",
    "05360": "Itagüí",
    "08001": "Barranquilla",
    "11001": "Bogotá, D.C.",
    "13001": "Cartagena de Indias",
    "17001": "Manizales",
    "19001": "Popayán",
    "23001": "Montería",
    "25754": "Soacha",
    "41001": "Neiva",
    "47001": "Santa Marta",
    "50001": "Villavicencio",
    "52001": "Pasto",
    "54001": "Cúcuta",
    "63001": "Armenia",
    "66001": "Pereira",
    "68001": "Bucaramanga",
    "73001": "Ibagué",
    "76001": "Cali",
}
"""Names of some DANE municipalities; other codes fall back to the code itself."""

COUNTRY_NAMES = {"CO": "Colombia", "US": "Estados Unidos", "EC": "Ecuador", "PE": "Perú", "VE": "Venezuela"}

_DEFAULT_RESPONSIBILITY = "R-99-PN"


def find_customer(tenant: Tenant, identification: str, branch_office: int = 0) -> dict[str, Any] | None:
    """The stored third party with this identification and branch office, if any."""
    return next(
        (
            c
            for c in tenant.customers.values()
            if c["identification"] == identification and c["branch_office"] == branch_office
        ),
        None,
    )


def _check_references(ctx: Ctx, params: CustomerCreateParams, own_id: str | None) -> None:
    problems: list[dict[str, Any]] = []
    branch = params.branch_office or 0
    other = find_customer(ctx.tenant, params.identification, branch)
    if other is not None and other["id"] != own_id:
        problems.append(
            error_entry(
                "already_exists",
                f"A third party with identification {params.identification} and branch office {branch} "
                "already exists",
                ["identification", "branch_office"],
            )
        )
    users = ctx.tenant.catalogs["users"]
    related = params.related_users
    for field in ("seller_id", "collector_id"):
        user_id = getattr(related, field) if related else None
        if user_id is None:
            continue
        user = catalog_entry(users, user_id)
        where = f"related_users.{field}"
        if user is None:
            problems.append(error_entry("invalid_reference", f"The user {user_id} does not exist", [where]))
        elif not user.get("active", True):
            problems.append(error_entry("parameter_inactive", f"The user {user_id} is inactive", [where]))
    if problems:
        raise SiigoHTTPError(400, problems)


def _city(params: CustomerCreateParams) -> dict[str, Any]:
    city = params.address.city
    country = city.country_code.upper()
    colombian = country == COLOMBIA
    return {
        "country_code": city.country_code,
        "country_name": COUNTRY_NAMES.get(country, country),
        "state_code": city.state_code,
        "state_name": DEPARTMENTS.get(city.state_code, city.state_code) if colombian else city.state_code,
        "city_code": city.city_code,
        "city_name": CITY_NAMES.get(city.city_code, city.city_code) if colombian else city.city_code,
    }


def _phone(phone: Any) -> dict[str, str]:
    return {
        "indicative": phone.indicative or "",
        "number": phone.number,
        "extension": phone.extension or "",
    }


def expand_customer(params: CustomerCreateParams, id: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """The stored (and answered) third party, in Siigo's response shape."""
    responsibilities = [r.code for r in params.fiscal_responsibilities or ()] or [_DEFAULT_RESPONSIBILITY]
    related = params.related_users
    return {
        "id": id,
        "type": params.type or "Customer",
        "person_type": params.person_type,
        "id_type": {"code": params.id_type, "name": ID_TYPES[params.id_type]},
        "identification": params.identification,
        "check_digit": params.check_digit or "",
        "name": list(params.name),
        "commercial_name": params.commercial_name or "",
        "branch_office": params.branch_office or 0,
        "active": True if params.active is None else params.active,
        "vat_responsible": bool(params.vat_responsible),
        "fiscal_responsibilities": [
            {"code": code, "name": FISCAL_RESPONSIBILITIES[code]} for code in responsibilities
        ],
        "address": {
            "address": params.address.address,
            "city": _city(params),
            "postal_code": params.address.postal_code or "",
        },
        "phones": [_phone(p) for p in params.phones or ()],
        "contacts": [
            {
                "first_name": c.first_name,
                "last_name": c.last_name or "",
                "email": c.email or "",
                "phone": _phone(c.phone) if c.phone else {"indicative": "", "number": "", "extension": ""},
            }
            for c in params.contacts or ()
        ],
        "comments": params.comments or "",
        "related_users": {
            "seller_id": related.seller_id if related else None,
            "collector_id": related.collector_id if related else None,
        },
        "custom_fields": [{"key": f.key, "value": f.value} for f in params.custom_fields or ()],
        "metadata": metadata,
    }


def _stored(ctx: Ctx) -> dict[str, Any]:
    customer_id = ctx.params["id"]
    customer = ctx.tenant.customers.get(customer_id) if is_guid(customer_id) else None
    if customer is None:
        raise not_found("customer")
    return customer


@route("POST", "/v1/customers")
def create_customer(ctx: Ctx) -> tuple[int, Any]:
    params = validate(CustomerCreateParams, ctx)
    with ctx.state.lock:
        _check_references(ctx, params, None)
        customer_id = new_guid()
        customer = expand_customer(
            params, customer_id, {"created": ctx.state.timestamp(), "last_updated": None}
        )
        ctx.tenant.customers[customer_id] = customer
    return 201, customer


@route("GET", "/v1/customers/{id}")
def get_customer(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        return 200, _stored(ctx)


@route("PUT", "/v1/customers/{id}")
def update_customer(ctx: Ctx) -> tuple[int, Any]:
    params = validate(CustomerUpdateParams, ctx)  # Siigo validates the body before the id
    with ctx.state.lock:
        current = _stored(ctx)
        _check_references(ctx, params, current["id"])
        metadata = dict(current["metadata"], last_updated=ctx.state.timestamp())
        customer = expand_customer(params, current["id"], metadata)
        ctx.tenant.customers[current["id"]] = customer
    return ctx.settings.put_status, customer


@route("DELETE", "/v1/customers/{id}")
def delete_customer(ctx: Ctx) -> tuple[int, Any]:
    if ctx.settings.customer_delete == "disabled":
        raise SiigoHTTPError.one(
            403, "disabled_functionality", "This functionality is temporarily disabled.", detail=False
        )
    with ctx.state.lock:
        customer = _stored(ctx)
        del ctx.tenant.customers[customer["id"]]
    return 200, {"id": customer["id"], "deleted": True}


@route("GET", "/v1/customers")
def list_customers(ctx: Ctx) -> tuple[int, Any]:
    args = ctx.args
    identification = args.get("identification")
    wanted_type = args.get("type")  # no default: every type unless asked (module notes)
    person_type = args.get("person_type")
    active = bool_arg(ctx, "active")
    active = True if active is None else active  # Siigo lists active third parties unless asked
    branch: int | None = None
    if args.get("branch_office"):
        try:
            branch = int(args["branch_office"])
        except ValueError:
            raise SiigoHTTPError.one(
                400, "invalid_type", "The field branch_office must be an integer", ["branch_office"]
            ) from None
    created = date_in_range(ctx, "created", lambda c: c["metadata"]["created"])
    updated = date_in_range(ctx, "updated", lambda c: c["metadata"]["last_updated"])
    # Third parties have no document date: date_start/date_end apply to the creation date.
    dated = date_in_range(ctx, "date", lambda c: c["metadata"]["created"])
    with ctx.state.lock:
        rows = [
            c
            for c in ctx.tenant.customers.values()
            if (identification is None or c["identification"] == identification)
            and (branch is None or c["branch_office"] == branch)
            and (wanted_type is None or c["type"] == wanted_type)
            and (person_type is None or c["person_type"] == person_type)
            and c["active"] == active
            and created(c)
            and updated(c)
            and dated(c)
        ]
    return 200, envelope(ctx, rows, "/v1/customers")
