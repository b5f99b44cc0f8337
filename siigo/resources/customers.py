"""``client.customers``: third parties — customers, suppliers and others (``/v1/customers``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, overload

from typing_extensions import Required, TypedDict, Unpack

from ..models._base import build
from ..models.common import DeleteResult, IdTypeCode
from ..models.customers import (
    ContactDict,
    ContactParam,
    Customer,
    CustomerAddressDict,
    CustomerAddressParam,
    CustomerCreateParams,
    CustomerType,
    CustomerUpdateParams,
    CustomFieldDict,
    CustomFieldParam,
    FiscalResponsibilityDict,
    FiscalResponsibilityParam,
    PersonType,
    PhoneDict,
    PhoneParam,
    RelatedUsersDict,
    RelatedUsersParam,
)
from ..pagination import Envelope, Page
from ._base import DateFilter, RequestTimeout, Resource, bad_filter, body_source, guid_path, query, shown

__all__ = ["CustomerFields", "Customers"]

log = logging.getLogger("siigo")

_CUSTOMER_TYPES = ("Customer", "Supplier", "Other")
_PERSON_TYPES = ("Person", "Company")


class _TypeFilteredPage(Page[Customer]):
    """A page whose rows are filtered again on our side by ``type``.

    Siigo was seen answering ``type=Supplier`` with a mix of suppliers and customers, so rows of
    another type are dropped here.  ``total_results`` stays Siigo's count; paging follows Siigo's
    page numbers, so a page may hold fewer rows than ``page_size`` (even none) without ending
    the walk.
    """

    __slots__ = ("_raw_count",)

    def __init__(
        self,
        envelope: Envelope[Customer],
        *,
        wanted: str,
        fetch: Callable[[int, int | None], Page[Customer]] | None,
        same_origin: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(envelope, fetch=fetch, same_origin=same_origin)
        self._raw_count = len(self.items)
        dropped = [row for row in self.items if row.type != wanted]
        if dropped:
            log.warning(
                "GET /v1/customers?type=%s answered %d row(s) of another type; dropped on the client side",
                wanted,
                len(dropped),
            )
            self.items = [row for row in self.items if row.type == wanted]

    def has_next_page(self) -> bool:
        if not self._raw_count or self._fetch is None:
            return False
        if self._next_hint is not None and self._next_hint > self.page:
            return True
        return self.page * self.page_size < self.total_results


def _warn_without_contacts(params: CustomerCreateParams) -> None:
    if not params.contacts:
        log.warning(
            "customer %s-%s has no contacts: Siigo refuses documents for it (customer_settings) "
            "until a contact is added",
            params.identification,
            params.branch_office or 0,
        )


class CustomerFields(TypedDict, total=False):
    """The fields of a customer body with their wire names (siigo-api.md §C.2), as keyword
    arguments of :meth:`Customers.create` and :meth:`Customers.update`.  Nested parts take the
    ``...Param`` models or dicts of the matching ``...Dict`` shape; ``name`` is one string for a
    company, two (first names, last names) for a person."""

    person_type: Required[PersonType]
    id_type: Required[IdTypeCode]
    identification: Required[str]
    name: Required[list[str] | tuple[str, ...]]
    address: Required[CustomerAddressParam | CustomerAddressDict]
    type: CustomerType
    check_digit: str
    commercial_name: str
    branch_office: int
    active: bool
    vat_responsible: bool
    fiscal_responsibilities: Sequence[FiscalResponsibilityParam | FiscalResponsibilityDict]
    phones: Sequence[PhoneParam | PhoneDict]
    contacts: Sequence[ContactParam | ContactDict]
    comments: str
    related_users: RelatedUsersParam | RelatedUsersDict
    custom_fields: Sequence[CustomFieldParam | CustomFieldDict]


class Customers(Resource):
    """``/v1/customers``: create, read, replace, delete and list third parties.

    Body methods take the fields as keyword arguments with Siigo's names, or one ready
    :class:`CustomerCreateParams` / :class:`CustomerUpdateParams` (or a dict with wire names)
    as the only positional argument.  Bodies are validated locally before anything is sent;
    a NIT's ``check_digit`` is computed when left out.
    """

    @overload
    def create(
        self,
        params: CustomerCreateParams | Mapping[str, Any],
        /,
        *,
        timeout: RequestTimeout = None,
        **fields: Any,
    ) -> Customer: ...

    @overload
    def create(self, *, timeout: RequestTimeout = None, **fields: Unpack[CustomerFields]) -> Customer: ...

    def create(self, *args: Any, timeout: RequestTimeout = None, **fields: Any) -> Customer:  # type: ignore[misc]
        """Create a third party (``POST /v1/customers``); the answer is the stored record."""
        built = build(CustomerCreateParams, body_source(args, fields, "customers.create"))
        _warn_without_contacts(built)
        body = self._body(CustomerCreateParams, built)
        return self._send("POST", "/v1/customers", Customer, body, timeout=timeout)

    def retrieve(self, id: str, *, timeout: RequestTimeout = None) -> Customer:
        """One third party by its GUID (``NotFoundError`` when it does not exist)."""
        return self._get(f"/v1/customers/{guid_path(id)}", Customer, timeout=timeout)

    @overload
    def update(
        self,
        id: str,
        params: CustomerUpdateParams | Mapping[str, Any],
        /,
        *,
        timeout: RequestTimeout = None,
        **fields: Any,
    ) -> Customer: ...

    @overload
    def update(
        self, id: str, /, *, timeout: RequestTimeout = None, **fields: Unpack[CustomerFields]
    ) -> Customer: ...

    def update(self, id: str, *args: Any, timeout: RequestTimeout = None, **fields: Any) -> Customer:  # type: ignore[misc]
        """Replace a third party (``PUT /v1/customers/{id}``).

        Siigo replaces the whole record: fields left out become empty.  To change a few fields,
        start from ``client.customers.retrieve(id).to_update_params()``.
        """
        path = f"/v1/customers/{guid_path(id)}"
        built = build(CustomerUpdateParams, body_source(args, fields, "customers.update"))
        _warn_without_contacts(built)
        return self._send("PUT", path, Customer, self._body(CustomerUpdateParams, built), timeout=timeout)

    def delete(self, id: str, *, timeout: RequestTimeout = None) -> DeleteResult:
        """Delete a third party.  Siigo's test companies answer ``PermissionDeniedError``
        (403 ``disabled_functionality``): deleting customers is often switched off."""
        return self._send("DELETE", f"/v1/customers/{guid_path(id)}", DeleteResult, timeout=timeout)

    def list(
        self,
        *,
        identification: str | None = None,
        branch_office: int | None = None,
        active: bool | None = None,
        type: CustomerType | None = None,
        person_type: PersonType | None = None,
        created_start: DateFilter | None = None,
        created_end: DateFilter | None = None,
        updated_start: DateFilter | None = None,
        updated_end: DateFilter | None = None,
        date_start: DateFilter | None = None,
        date_end: DateFilter | None = None,
        page: int | None = None,
        page_size: int | None = None,
        timeout: RequestTimeout = None,
    ) -> Page[Customer]:
        """Third parties; iterating the page walks every following page.

        ``active`` defaults to true on Siigo's side.  With ``type``, rows of another type are
        also dropped here, because Siigo was seen mixing them in.
        """
        if type is not None and type not in _CUSTOMER_TYPES:
            raise bad_filter(
                "type", "resources.filter_one_of", choices=", ".join(_CUSTOMER_TYPES), value=shown(type)
            )
        if person_type is not None and person_type not in _PERSON_TYPES:
            raise bad_filter(
                "person_type", "resources.filter_one_of", choices="Person, Company", value=shown(person_type)
            )
        if branch_office is not None and (
            isinstance(branch_office, bool)
            or not isinstance(branch_office, int)
            or not 0 <= branch_office <= 999
        ):
            raise bad_filter("branch_office", "resources.filter_branch_office", value=shown(branch_office))
        params = query(
            identification=identification,
            branch_office=branch_office,
            active=active,
            type=type,
            person_type=person_type,
            created_start=created_start,
            created_end=created_end,
            updated_start=updated_start,
            updated_end=updated_end,
            date_start=date_start,
            date_end=date_end,
            page=page,
            page_size=page_size,
        )
        if type is None:
            return self._list("/v1/customers", Customer, params, timeout=timeout)
        wanted: str = type

        def filtered(
            envelope: Envelope[Customer],
            fetch: Callable[[int, int | None], Page[Customer]],
            same_origin: Callable[[str], bool],
        ) -> Page[Customer]:
            return _TypeFilteredPage(envelope, wanted=wanted, fetch=fetch, same_origin=same_origin)

        return self._list("/v1/customers", Customer, params, filtered, timeout=timeout)
