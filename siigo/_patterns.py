"""Wire-format patterns shared by the client and the sandbox, defined once so the two never disagree."""

from __future__ import annotations

import re

__all__ = ["GUID", "IDEMPOTENCY_KEY", "PARTNER_ID", "PARTNER_ID_RULE", "SANDBOX_HEADER"]

#: ``Partner-Id`` header: 3-100 letters and digits, nothing else (siigo-api.md §A.2).
PARTNER_ID = re.compile(r"^[A-Za-z0-9]{3,100}$")

#: What to tell a caller whose ``Partner-Id`` is missing or malformed.
PARTNER_ID_RULE = (
    "Siigo requires a Partner-Id header on every call: the name of your integration, 3 to 100 "
    "letters and digits with nothing else (no spaces, hyphens or underscores), the same for all "
    "the companies you serve, e.g. 'MiTiendaERP'. Pass partner_id=... or set SIIGO_PARTNER_ID."
)

#: Siigo's record ids (products, customers, invoices): a canonical GUID.
GUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")

#: ``Idempotency-Key`` header: letters and digits, at most 30 characters (siigo-api.md §A.4).
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9]{1,30}$")

#: The header with which the sandbox marks every answer it sends (value ``1``), whatever the host
#: name it is reached by; Siigo's own headers (``Partner-Id``, ``Idempotency-Key``,
#: ``Retry-After``) have no such name.  A client never reads ahead by default from an API that
#: sends it (:func:`siigo._config.reads_ahead`).
SANDBOX_HEADER = "X-Siigo-Sandbox"
