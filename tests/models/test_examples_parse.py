"""Every example payload of Siigo's published API for the endpoints the SDK covers parses into
its model: answers into the response models (with the fields typed as always present really
present), request bodies into the request models.

The examples are the repository's copies in ``tests/data/examples``; when the shared folder they
were copied from sits beside the repository (``../shared/siigo-examples``) its files are read too,
so a new example there is checked without copying it first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pydantic
import pytest

from siigo.models import (
    AccountGroup,
    AccountGroupParams,
    AccountPayable,
    CostCenter,
    CreditNote,
    CreditNoteCreateParams,
    CreditNotePdf,
    Customer,
    CustomerCreateParams,
    CustomerUpdateParams,
    DeleteResult,
    DocumentType,
    FixedAsset,
    Invoice,
    InvoiceAnnulResult,
    InvoiceBatchParams,
    InvoiceBatchReceipt,
    InvoiceCreateParams,
    InvoiceMailParams,
    InvoiceMailResult,
    InvoicePdf,
    InvoiceStampErrors,
    InvoiceUpdateParams,
    InvoiceXml,
    Journal,
    JournalCreateParams,
    PaymentReceipt,
    PaymentReceiptCreateParams,
    PaymentType,
    PriceList,
    Product,
    ProductCreateParams,
    ProductUpdateParams,
    Purchase,
    PurchaseCreateParams,
    PurchaseUpdateParams,
    Quotation,
    QuotationCreateParams,
    QuotationUpdateParams,
    ReportFile,
    Tax,
    TrialBalanceByThirdPartyParams,
    TrialBalanceParams,
    User,
    Voucher,
    VoucherCreateParams,
    Warehouse,
)
from siigo.models.webhooks import Webhook, WebhookCreateParams, WebhookUpdateParams
from siigo.pagination import Envelope

from ..conftest import EXAMPLES

SHARED = Path(__file__).resolve().parents[3] / "shared" / "siigo-examples"

# File name prefix (method and path as Siigo's examples name them) → the type it parses as.
MODELS: dict[str, Any] = {
    "get_products__response": Envelope[Product],
    "get_products-id__response": Product,
    "post_products__response": Product,
    "put_products-id__response": Product,
    "delete_products-id__response": DeleteResult,
    "post_products__request": ProductCreateParams,
    "put_products-id__request": ProductUpdateParams,
    "get_customers__response": Envelope[Customer],
    "get_customers-id__response": Customer,
    "post_customers__response": Customer,
    "put_customers-id__response": Customer,
    "post_customers__request": CustomerCreateParams,
    "put_customers-id__request": CustomerUpdateParams,
    "get_invoices__response": Envelope[Invoice],
    "get_invoices-id__response": Invoice,
    "post_invoices__response": Invoice,
    "put_invoices-id__response": Invoice,
    "delete_invoices-id__response": DeleteResult,
    "get_invoices-id-pdf__response": InvoicePdf,
    "get_invoices-id-xml__response": InvoiceXml,
    "get_invoices-id-stamp-errors__response": InvoiceStampErrors,
    "post_invoices-id-annul__response": InvoiceAnnulResult,
    "post_invoices-id-mail__response": InvoiceMailResult,
    "post_invoices-batch__response": InvoiceBatchReceipt,
    "post_invoices__request": InvoiceCreateParams,
    "put_invoices-id__request": InvoiceUpdateParams,
    "post_invoices-id-mail__request": InvoiceMailParams,
    "post_invoices-batch__request": InvoiceBatchParams,
    "get_taxes__response": list[Tax],
    "get_document-types-type-": list[DocumentType],
    "get_payment-types-document-type-fv__response": list[PaymentType],
    "get_users__response": Envelope[User] | list[User],  # documented as a bare list; it pages
    "get_account-groups__response": list[AccountGroup],
    "post_account-groups__response": AccountGroup,
    "put_account-groups-id__response": AccountGroup,
    "post_account-groups__request": AccountGroupParams,
    "put_account-groups-id__request": AccountGroupParams,
    "get_price-lists__response": list[PriceList],
    "get_warehouses__response": list[Warehouse],
    "get_cost-centers__response": list[CostCenter],
    "get_fixed-assets__response": list[FixedAsset],
    "get_credit-notes__response": Envelope[CreditNote],
    "get_credit-notes-id__response": CreditNote,
    "get_credit-notes-id-pdf__response": CreditNotePdf,
    "post_credit-notes__response": CreditNote,
    "post_credit-notes__request": CreditNoteCreateParams,
    "get_quotations__response": Envelope[Quotation],
    "get_quotations-id__response": Quotation,
    "post_quotations__response": Quotation,
    "put_quotations-id__response": Quotation,
    "post_quotations__request": QuotationCreateParams,
    "put_quotations-id__request": QuotationUpdateParams,
    "get_purchases-id__response": Purchase,
    "post_purchases__response": Purchase,
    "put_purchases-id__response": Purchase,
    "delete_pruchases-id__response": DeleteResult,  # Siigo's docs spell the path "pruchases"
    "post_purchases__request": PurchaseCreateParams,
    "put_purchases-id__request": PurchaseUpdateParams,
    "get_webhooks__response": Envelope[Webhook],
    "post_webhooks__response": Webhook,
    "put_webhooks__response": Webhook,
    "delete_webhooks-id__response": DeleteResult,
    "post_webhooks__request": WebhookCreateParams,
    "put_webhooks__request": WebhookUpdateParams,
    "get_journals__response": Envelope[Journal] | Journal,  # the example shows one journal
    "post_journals__response": Journal,
    "post_journals__request": JournalCreateParams,
    "get_journals__request": JournalCreateParams,  # the example repeats the creation body
    "post_test-balance-report__response": ReportFile,
    "post_test-balance-report__request": TrialBalanceParams,
    "post_test-balance-report-by-thirdparty__response": ReportFile,
    "post_test-balance-report-by-thirdparty__request": TrialBalanceByThirdPartyParams,
    "get_accounts-payable__response": Envelope[AccountPayable],
    "get_vouchers__response": Envelope[Voucher],
    "get_vouchers-id__response": Voucher,
    "post_vouchers__response": Voucher,
    "post_vouchers__request": VoucherCreateParams,
    "get_payment-receipts__response": Envelope[PaymentReceipt],
    "get_payment-receipts-id__response": PaymentReceipt,
    "post_payment-receipts__response": PaymentReceipt,
    "delete_payment-receipts-id__response": DeleteResult,
    "post_payment-receipts__request": PaymentReceiptCreateParams,
}

# The endpoints of these resources (and their actions) that the SDK has no method for.
NOT_COVERED: tuple[str, ...] = ()


def _model_for(name: str) -> Any:
    for prefix, model in MODELS.items():
        if name.startswith(prefix):
            return model
    return None


def _folders() -> list[Path]:
    return [EXAMPLES] + ([SHARED] if SHARED.is_dir() else [])


def _files() -> list[Path]:
    return [p for folder in _folders() for p in sorted(folder.glob("*.json")) if _model_for(p.name)]


FILES = _files()
COVERED_RESOURCES = (
    "products",
    "customers",
    "invoices",
    "credit-notes",
    "quotations",
    "webhooks",
    "journals",
    "test-balance-report",
    "accounts-payable",
    "vouchers",
    "payment-receipts",
    "purchases",
    "pruchases",
    "purchase-support-documents",
)


def test_every_example_of_the_covered_endpoints_is_checked() -> None:
    unchecked = [
        path.name
        for folder in _folders()
        for path in folder.glob("*.json")
        if any(f"_{resource}" in path.name for resource in COVERED_RESOURCES)
        and _model_for(path.name) is None
        and not path.name.startswith(NOT_COVERED)
    ]
    assert unchecked == []
    assert {path.name for path in FILES} >= {path.name for path in EXAMPLES.glob("*.json")} - {
        "post_auth__response-201.json"
    }


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_the_example_parses(path: Path) -> None:
    model = _model_for(path.name)
    data = json.loads(path.read_text(encoding="utf-8"))
    parsed = pydantic.TypeAdapter(model).validate_python(data)
    rows = parsed.results if isinstance(parsed, Envelope) else parsed
    for row in rows if isinstance(rows, list) else [rows]:
        assert isinstance(row, pydantic.BaseModel)
        if isinstance(row, Invoice):
            assert row.name and row.total >= 0 and row.date.year > 2000
        elif isinstance(row, Purchase):
            assert row.id and row.name and row.total is not None and row.supplier is not None
            assert row.provider_invoice is not None and row.items and row.items[0].type
        elif isinstance(row, Product):
            assert row.id and row.code and row.name
        elif isinstance(row, (Voucher, PaymentReceipt)):
            assert row.id and row.name and row.type and row.items
        elif isinstance(row, Customer):
            assert row.id and row.identification and row.name and row.person_type in ("Person", "Company")
        elif isinstance(row, Journal):
            assert row.id and row.name and row.items and row.debits == row.credits > 0
        elif isinstance(row, JournalCreateParams):
            assert row.debits() == row.credits() > 0
        elif isinstance(row, ReportFile):
            assert row.file_id and row.file_url and row.file_url.endswith(".xlsx")
        elif isinstance(row, AccountPayable):
            assert (
                row.due
                and row.due.prefix
                and row.due.consecutive
                and row.provider
                and row.provider.identification
            )
            assert row.currency and row.currency.currency_code == "USD" and row.currency.balance
