"""The calls of siigo-python 0.1, kept so its users can upgrade without rewriting.

Each method keeps the original positional order and keyword names and returns the same JSON
(plain dicts and lists), but goes through the typed models' validation and the client's
transport (token renewal, retries, rate limiting, typed errors).  Each emits a
``DeprecationWarning`` naming the typed replacement.

The answers keep 0.1's plain JSON types: non-integer numbers are ``float``, as
``response.json()`` gave them, so code that serialises them with :mod:`json` or mixes them with
floats keeps working.  Every amount Siigo accepts has at most 15 significant digits (payments
up to 9 999 999 999 999.99), so ``Decimal(str(value))`` recovers it exactly; the typed calls
return ``Decimal`` amounts read straight from the JSON text.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from . import _json
from ._auth import strip_bearer
from ._checks import configuration_error
from ._refusals import refusal

if TYPE_CHECKING:
    from ._transport import Transport
    from .client import Client

__all__ = ["LegacyMethods"]

JSON = Any


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f"Client.{old}() is the siigo-python 0.1 API; use {new} instead",
        DeprecationWarning,
        stacklevel=3,
    )


def _given(**values: Any) -> dict[str, Any]:
    """The arguments that were given (not ``None``)."""
    return {k: v for k, v in values.items() if v is not None}


def _fields(**values: Any) -> dict[str, Any]:
    """The arguments that were given, copied with bounded nesting (see ``resources._base.plain``)."""
    from .resources._base import plain

    given: dict[str, Any] = plain(_given(**values), "arguments")
    return given


class LegacyMethods:
    """Mixed into :class:`siigo.Client`."""

    if TYPE_CHECKING:
        _transport: Transport

        def _login(self) -> tuple[str, float]: ...

    @property
    def _client(self) -> Client:
        """This object as the :class:`~siigo.Client` it is mixed into."""
        return cast("Client", self)

    # The resources' helpers (and the models they need) are imported on the first 0.1 call.
    def _legacy_get(self, path: str, params: Mapping[str, Any] | None = None) -> JSON:
        from .resources._base import plain_json, query

        response = self._transport.request("GET", path, params=query(**(params or {})))
        return plain_json(response, "GET", path)

    def _legacy_post(self, path: str, body: bytes) -> JSON:
        from .resources._base import plain_json

        response = self._transport.request("POST", path, body=body)
        return plain_json(response, "POST", path)

    # -- authentication -------------------------------------------------------------------------

    def generate_token(self) -> JSON:
        """``POST /auth``; returns Siigo's answer (``access_token``, ``expires_in``...)."""
        _deprecated(
            "generate_token", "client.authenticate() (tokens are also fetched and renewed on their own)"
        )
        client = self._client
        if client.username is None or client._access_key is None:
            raise configuration_error(refusal("config.generate_token"))
        token, expires_in, answer = client._transport.login(
            client.username, client._access_key.get_secret_value()
        )
        client._tokens.set_token(token, expires_in)
        return answer

    def set_token(self, access_token: str) -> None:
        """Use ``access_token`` (with or without ``Bearer``) for the following calls."""
        _deprecated("set_token", "Client(token=...)")
        client = self._client
        token = strip_bearer(access_token) if isinstance(access_token, str) else ""
        if not token:
            raise configuration_error(refusal("config.set_token"))
        client._tokens.set_token(token)

    # -- catalogs -------------------------------------------------------------------------------

    def list_users(self, page_size: int | None = None, page: int | None = None) -> JSON:
        _deprecated("list_users", "client.users.list()")
        return self._legacy_get("/v1/users", _fields(page_size=page_size, page=page))

    def list_group_accounts(self) -> JSON:
        _deprecated("list_group_accounts", "client.account_groups.list()")
        return self._legacy_get("/v1/account-groups")

    def list_taxes(self) -> JSON:
        _deprecated("list_taxes", "client.taxes.list()")
        return self._legacy_get("/v1/taxes")

    def list_price_lists(self) -> JSON:
        _deprecated("list_price_lists", "client.price_lists.list()")
        return self._legacy_get("/v1/price-lists")

    def list_cost_centers(self) -> JSON:
        _deprecated("list_cost_centers", "client.cost_centers.list()")
        return self._legacy_get("/v1/cost-centers")

    def list_document_types(self, doc_type: str) -> JSON:
        _deprecated("list_document_types", "client.document_types.list(type=...)")
        from .resources.catalogs import DOCUMENT_TYPES, choice

        return self._legacy_get("/v1/document-types", {"type": choice("doc_type", doc_type, DOCUMENT_TYPES)})

    def list_payment_types(self, doc_type: str) -> JSON:
        _deprecated("list_payment_types", "client.payment_types.list(document_type=...)")
        from .resources.catalogs import PAYMENT_DOCUMENT_TYPES, choice

        params = {"document_type": choice("doc_type", doc_type, PAYMENT_DOCUMENT_TYPES)}
        return self._legacy_get("/v1/payment-types", params)

    # -- products -------------------------------------------------------------------------------

    def list_products(
        self,
        code: str | None = None,
        created_start: str | None = None,
        created_end: str | None = None,
        updated_start: str | None = None,
        updated_end: str | None = None,
        id: str | Sequence[str] | None = None,
        page_size: int | None = None,
        page: int | None = None,
    ) -> JSON:
        """``id``: one GUID, several separated by commas, or a list."""
        _deprecated("list_products", "client.products.list()")
        id_filter = None
        if id is not None:
            from .resources._base import guid_list

            id_filter = guid_list([v.strip() for v in id.split(",")] if isinstance(id, str) else id, "id")
        params = _fields(
            code=code,
            created_start=created_start,
            created_end=created_end,
            updated_start=updated_start,
            updated_end=updated_end,
            ids=id_filter,
            page_size=page_size,
            page=page,
        )
        return self._legacy_get("/v1/products", params)

    def create_product(
        self,
        code: str,
        name: str,
        account_group: int,
        type: str,
        stock_control: bool | None = None,
        active: bool | None = None,
        tax_classification: str | None = None,
        tax_included: bool | None = None,
        tax_consumption_value: Any = None,
        taxes: list[Any] | None = None,
        prices: list[Any] | None = None,
        unit: str | None = None,
        unit_label: str | None = None,
        reference: str | None = None,
        description: str | None = None,
        additional_fields: dict[str, Any] | None = None,
    ) -> JSON:
        _deprecated("create_product", "client.products.create(...)")
        from .models._base import build
        from .models.products import ProductCreateParams

        params = build(
            ProductCreateParams,
            _fields(
                code=code,
                name=name,
                account_group=account_group,
                type=type,
                stock_control=stock_control,
                active=active,
                tax_classification=tax_classification,
                tax_included=tax_included,
                tax_consumption_value=tax_consumption_value,
                taxes=taxes,
                prices=prices,
                unit=unit,
                unit_label=unit_label,
                reference=reference,
                description=description,
                additional_fields=additional_fields,
            ),
        )
        return self._legacy_post("/v1/products", _json.dumps(params.to_wire()))

    # -- customers ------------------------------------------------------------------------------

    def list_customers(
        self,
        identification: str | None = None,
        branch_office: int | None = None,
        created_start: str | None = None,
        created_end: str | None = None,
        updated_start: str | None = None,
        updated_end: str | None = None,
        page_size: int | None = None,
        page: int | None = None,
    ) -> JSON:
        _deprecated("list_customers", "client.customers.list()")
        params = _fields(
            identification=identification,
            branch_office=branch_office,
            created_start=created_start,
            created_end=created_end,
            updated_start=updated_start,
            updated_end=updated_end,
            page_size=page_size,
            page=page,
        )
        return self._legacy_get("/v1/customers", params)

    def create_customer(
        self,
        person_type: str,
        id_type: str,
        name: list[str],
        contacts: list[Any],
        phones: list[Any],
        address: dict[str, Any],
        identification: str,
        check_digit: str | None = None,
        type: str | None = None,
        commercial_name: str | None = None,
        branch_office: int | None = None,
        active: bool | None = None,
        vat_responsible: bool | None = None,
        fiscal_responsibilities: list[Any] | None = None,
        comments: str | None = None,
        related_users: dict[str, Any] | None = None,
    ) -> JSON:
        _deprecated("create_customer", "client.customers.create(...)")
        from .models._base import build
        from .models.customers import CustomerCreateParams

        params = build(
            CustomerCreateParams,
            _fields(
                person_type=person_type,
                id_type=id_type,
                name=name,
                contacts=contacts,
                phones=phones,
                address=address,
                identification=identification,
                check_digit=check_digit,
                type=type,
                commercial_name=commercial_name,
                branch_office=branch_office,
                active=active,
                vat_responsible=vat_responsible,
                fiscal_responsibilities=fiscal_responsibilities,
                comments=comments,
                related_users=related_users,
            ),
        )
        return self._legacy_post("/v1/customers", _json.dumps(params.to_wire()))

    # -- invoices -------------------------------------------------------------------------------

    def list_invoices(
        self,
        identification: str | None = None,
        branch_office: int | None = None,
        created_start: str | None = None,
        created_end: str | None = None,
        updated_start: str | None = None,
        updated_end: str | None = None,
        page_size: int | None = None,
        page: int | None = None,
    ) -> JSON:
        """``identification``/``branch_office`` filter by customer (Siigo's
        ``customer_identification``/``customer_branch_office``)."""
        _deprecated("list_invoices", "client.invoices.list()")
        params = _fields(
            customer_identification=identification,
            customer_branch_office=branch_office,
            created_start=created_start,
            created_end=created_end,
            updated_start=updated_start,
            updated_end=updated_end,
            page_size=page_size,
            page=page,
        )
        return self._legacy_get("/v1/invoices", params)

    def create_invoice(
        self,
        document: dict[str, Any],
        date: str,
        customer: dict[str, Any],
        seller: int,
        items: list[Any],
        payments: list[Any],
        cost_center: int | None = None,
        currency: dict[str, Any] | None = None,
        observations: str | None = None,
        additional_fields: dict[str, Any] | None = None,
    ) -> JSON:
        """Validated and checked like ``client.invoices.create`` (totals included), sent with
        an idempotency key so a retry never creates a second invoice."""
        _deprecated("create_invoice", "client.invoices.create(...)")
        client = self._client
        fields = _given(
            document=document,
            date=date,
            customer=customer,
            seller=seller,
            items=items,
            payments=payments,
            cost_center=cost_center,
            currency=currency,
            observations=observations,
            additional_fields=additional_fields,
        )
        return client.invoices._create_json(fields)
