"""The resource commands of :class:`siigo.Client`, as :func:`siigo.cli.registry.command_index`
finds them: ``siigo --help`` and ``siigo <resource> --help`` read them from here, so that they
import no resource.  Written by ``python -m siigo.cli.registry``; a test holds it to the
registry."""

from __future__ import annotations

from typing import Literal

VerbKind = Literal["list", "body", "action"]
"""How a command is made: a list, a command that reads a body, or any other action."""

IndexEntry = tuple[str, tuple[tuple[str, str, VerbKind], ...], bool]

RESOURCES: dict[str, IndexEntry] = {
    "account-groups": (
        "account_groups",
        (
            ("create", "create", "body"),
            ("list", "list", "list"),
            ("update", "update", "body"),
        ),
        False,
    ),
    "accounts-payable": (
        "accounts_payable",
        (("list", "list", "list"),),
        False,
    ),
    "asset-groups": (
        "asset_groups",
        (("list", "list", "list"),),
        False,
    ),
    "available-documents": (
        "available_documents",
        (("list", "list", "list"),),
        False,
    ),
    "cost-centers": (
        "cost_centers",
        (("list", "list", "list"),),
        False,
    ),
    "credit-notes": (
        "credit_notes",
        (
            ("create", "create", "body"),
            ("list", "list", "list"),
            ("pdf", "pdf", "action"),
            ("get", "retrieve", "action"),
        ),
        True,
    ),
    "customers": (
        "customers",
        (
            ("create", "create", "body"),
            ("delete", "delete", "action"),
            ("list", "list", "list"),
            ("get", "retrieve", "action"),
            ("update", "update", "body"),
        ),
        False,
    ),
    "document-types": (
        "document_types",
        (("list", "list", "list"),),
        False,
    ),
    "expenses": (
        "expenses",
        (("list", "list", "list"),),
        False,
    ),
    "fixed-assets": (
        "fixed_assets",
        (("list", "list", "list"),),
        False,
    ),
    "invoices": (
        "invoices",
        (
            ("annul", "annul", "action"),
            ("create", "create", "body"),
            ("delete", "delete", "action"),
            ("list", "list", "list"),
            ("pdf", "pdf", "action"),
            ("get", "retrieve", "action"),
            ("mail", "send_email", "action"),
            ("stamp", "stamp", "action"),
            ("stamp-errors", "stamp_errors", "action"),
            ("update", "update", "body"),
            ("wait", "wait_for_stamp", "action"),
            ("xml", "xml", "action"),
        ),
        True,
    ),
    "journals": (
        "journals",
        (
            ("create", "create", "body"),
            ("list", "list", "list"),
            ("get", "retrieve", "action"),
        ),
        False,
    ),
    "misc-incomes": (
        "misc_incomes",
        (("list", "list", "list"),),
        False,
    ),
    "payment-receipts": (
        "payment_receipts",
        (
            ("create", "create", "body"),
            ("delete", "delete", "action"),
            ("list", "list", "list"),
            ("get", "retrieve", "action"),
            ("update", "update", "body"),
        ),
        False,
    ),
    "payment-types": (
        "payment_types",
        (("list", "list", "list"),),
        False,
    ),
    "price-lists": (
        "price_lists",
        (("list", "list", "list"),),
        False,
    ),
    "products": (
        "products",
        (
            ("create", "create", "body"),
            ("delete", "delete", "action"),
            ("list", "list", "list"),
            ("get", "retrieve", "action"),
            ("update", "update", "body"),
        ),
        False,
    ),
    "purchase-support-documents": (
        "purchase_support_documents",
        (
            ("create", "create", "body"),
            ("delete", "delete", "action"),
            ("get", "retrieve", "action"),
            ("update", "update", "body"),
        ),
        True,
    ),
    "purchases": (
        "purchases",
        (
            ("create", "create", "body"),
            ("delete", "delete", "action"),
            ("list", "list", "list"),
            ("get", "retrieve", "action"),
            ("update", "update", "body"),
        ),
        True,
    ),
    "quotations": (
        "quotations",
        (
            ("create", "create", "body"),
            ("delete", "delete", "action"),
            ("list", "list", "list"),
            ("get", "retrieve", "action"),
            ("update", "update", "body"),
        ),
        True,
    ),
    "reports": (
        "reports",
        (
            ("trial-balance", "trial_balance", "action"),
            ("trial-balance-by-third-party", "trial_balance_by_third_party", "action"),
        ),
        False,
    ),
    "taxes": (
        "taxes",
        (("list", "list", "list"),),
        False,
    ),
    "users": (
        "users",
        (("list", "list", "list"),),
        False,
    ),
    "vouchers": (
        "vouchers",
        (
            ("create", "create", "body"),
            ("list", "list", "list"),
            ("get", "retrieve", "action"),
            ("mail", "send_email", "action"),
            ("stamp", "stamp", "action"),
        ),
        False,
    ),
    "warehouses": (
        "warehouses",
        (("list", "list", "list"),),
        False,
    ),
    "webhooks": (
        "webhooks",
        (
            ("create", "create", "body"),
            ("delete", "delete", "action"),
            ("list", "list", "list"),
            ("update", "update", "body"),
        ),
        False,
    ),
}
