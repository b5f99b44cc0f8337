"""Synthetic catalogs every sandbox company starts with.

The ids follow the examples of siigo-api.md so documentation snippets run as written.  Each
catalog has at least one inactive entry, so code that forgets to check ``active`` is caught.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

__all__ = ["catalogs", "electronic_resolutions"]

D = Decimal


def _doc_type(
    id: int,
    type: str,
    code: str,
    name: str,
    *,
    active: bool = True,
    discount_type: str = "Value",
    electronic_type: str = "NoElectronic",
    consecutive: int = 1,
    automatic_number: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": id,
        "code": code,
        "name": name,
        "description": name,
        "type": type,
        "active": active,
        "seller_by_item": False,
        "cost_center": True,
        "cost_center_mandatory": False,
        "cost_center_default": None,
        "automatic_number": automatic_number,
        "consecutive": consecutive,
        "discount_type": discount_type,
        "decimals": True,
        "advance_payment": False,
        "reteiva": True,
        "reteica": True,
        "self_withholding": False,
        "self_withholding_limit": 0,
        "electronic_type": electronic_type,
        "official_book": "0",
        "document_support": False,
        "prefix": f"{type}-{code}",
        "cargo_transportation": False,
        "healthcare_company": False,
        "customer_by_item": False,
        "global_discounts": [],
        "global_charges": [],
    }
    entry.update(extra)
    return entry


def catalogs() -> dict[str, Any]:
    """A fresh copy of the catalogs of a new sandbox company."""
    return {
        "users": [
            {
                "id": 4120,
                "username": "aramirez@empresa.example.com",
                "first_name": "Andrés Felipe",
                "last_name": "Ramírez Ortiz",
                "email": "aramirez@empresa.example.com",
                "active": True,
                "identification": "1017234567",
            },
            {
                "id": 4121,
                "username": "lgomez@empresa.example.com",
                "first_name": "Laura",
                "last_name": "Gómez Duque",
                "email": "lgomez@empresa.example.com",
                "active": True,
                "identification": "43876512",
            },
            {
                "id": 4122,
                "username": "cmejia@empresa.example.com",
                "first_name": "Carlos",
                "last_name": "Mejía Restrepo",
                "email": "cmejia@empresa.example.com",
                "active": True,
                "identification": "71654321",
            },
            {
                "id": 4129,
                "username": "retirado@empresa.example.com",
                "first_name": "Pedro",
                "last_name": "Retirado",
                "email": "retirado@empresa.example.com",
                "active": False,
                "identification": "98765432",
            },
        ],
        "account_groups": [
            {"id": 1821, "code": "MERC", "name": "Mercancía no fabricada por la empresa", "active": True},
            {"id": 1822, "code": "SERV", "name": "Servicios", "active": True},
            {"id": 1823, "code": "PT", "name": "Productos terminados", "active": True},
            {"id": 1829, "code": "OLD", "name": "Clasificación antigua", "active": False},
        ],
        "taxes": [
            {"id": 18401, "name": "IVA 19%", "type": "IVA", "percentage": D("19"), "active": True},
            {"id": 18402, "name": "IVA 5%", "type": "IVA", "percentage": D("5"), "active": True},
            {"id": 18403, "name": "IVA 0%", "type": "IVA", "percentage": D("0"), "active": True},
            {
                "id": 18404,
                "name": "Impoconsumo 8%",
                "type": "Impoconsumo",
                "percentage": D("8"),
                "active": True,
            },
            {
                "id": 18405,
                "name": "Retefuente 2,5%",
                "type": "Retefuente",
                "percentage": D("2.5"),
                "active": True,
            },
            {
                "id": 18406,
                "name": "Retefuente 4%",
                "type": "Retefuente",
                "percentage": D("4"),
                "active": True,
            },
            {
                "id": 18407,
                "name": "Retefuente 11%",
                "type": "Retefuente",
                "percentage": D("11"),
                "active": True,
            },
            {"id": 18410, "name": "ReteIVA 15%", "type": "ReteIVA", "percentage": D("15"), "active": True},
            {
                "id": 18411,
                "name": "ReteICA 9,66 x mil",
                "type": "ReteICA",
                "percentage": D("0.966"),
                "active": True,
            },
            {
                "id": 18412,
                "name": "Autorretención 0,4%",
                "type": "Autorretencion",
                "percentage": D("0.4"),
                "active": True,
            },
            {
                "id": 18413,
                "name": "AdValorem 20%",
                "type": "AdValorem",
                "percentage": D("20"),
                "active": True,
            },
            {
                "id": 18499,
                "name": "IVA 16% (derogado)",
                "type": "IVA",
                "percentage": D("16"),
                "active": False,
            },
        ],
        "price_lists": [
            {"id": 2901, "name": "Precio al detal", "active": True, "position": 1},
            {"id": 2902, "name": "Precio mayorista", "active": True, "position": 2},
            {"id": 2903, "name": "Precio distribuidor", "active": True, "position": 3},
            {"id": 2909, "name": "Lista 2019", "active": False, "position": 4},
        ],
        "warehouses": [
            {"id": 3301, "name": "Bodega Principal Medellín", "active": True, "has_movements": False},
            {"id": 3302, "name": "Punto de venta Envigado", "active": True, "has_movements": False},
            {"id": 3309, "name": "Bodega cerrada Itagüí", "active": False, "has_movements": True},
        ],
        "cost_centers": [
            {"id": 7701, "code": "100", "name": "Administración", "active": True},
            {"id": 7702, "code": "200", "name": "Ventas", "active": True},
            {"id": 7703, "code": "13-1", "name": "Proyecto obra norte", "active": True},
            {"id": 7709, "code": "900", "name": "Sede cerrada", "active": False},
        ],
        "fixed_assets": [
            {
                "id": 9101,
                "name": "Camioneta de reparto",
                "group": "Flota y equipo de transporte",
                "active": True,
            },
            {"id": 9102, "name": "Servidor contable", "group": "Equipo de cómputo", "active": True},
            {"id": 9109, "name": "Montacargas vendido", "group": "Maquinaria", "active": False},
        ],
        # Concept names start with the account they post to (accounts.py's chart).
        "expenses": [
            {"id": 5301, "name": "53053501 - Descuentos comerciales condicionados", "active": True},
            {"id": 5302, "name": "53050501 - Gastos bancarios", "active": True},
            {"id": 5303, "name": "53052001 - Intereses por pronto pago", "active": True},
            {"id": 5309, "name": "53059501 - Descuento campaña 2019 (retirado)", "active": False},
        ],
        "misc_incomes": [
            {"id": 4201, "name": "42100501 - Intereses financieros", "active": True},
            {"id": 4202, "name": "42950501 - Aprovechamientos y otros ingresos", "active": True},
            {"id": 4203, "name": "Reintegro de gastos", "active": True},
            {"id": 4209, "name": "42109501 - Arrendamientos de bodega (retirado)", "active": False},
        ],
        "asset_groups": [
            {"id": 1501, "name": "Flota y equipo de transporte", "active": True},
            {"id": 1502, "name": "Equipo de cómputo", "active": True},
            {"id": 1503, "name": "Muebles y enseres", "active": True},
            {"id": 1504, "name": "Maquinaria", "active": True},
            {"id": 1509, "name": "Construcciones en curso (cerrado)", "active": False},
        ],
        "available_documents": {"FV": 500, "NC": 100, "DS": 50},
        "document_types": [
            _doc_type(
                28451,
                "FV",
                "1",
                "Factura de venta",
                consecutive=1001,
                global_discounts=[
                    {"id": 551, "name": "Descuento pronto pago", "percentage": D("3"), "active": True}
                ],
                global_charges=[
                    {"id": 552, "name": "Cargo por domicilio", "percentage": D("2"), "active": True}
                ],
            ),
            _doc_type(
                28452,
                "FV",
                "2",
                "Factura de venta descuento porcentual",
                discount_type="Percentage",
                consecutive=1,
            ),
            _doc_type(
                28453,
                "FV",
                "3",
                "Factura electrónica de venta",
                electronic_type="Electronicvoice",
                consecutive=5001,
                prefix="FV-3",
            ),
            _doc_type(
                28454,
                "FV",
                "4",
                "Factura electrónica sin resolución",
                electronic_type="Electronicvoice",
                consecutive=1,
            ),
            _doc_type(28455, "FV", "5", "Factura numeración manual", automatic_number=False, consecutive=300),
            _doc_type(
                28456,
                "FV",
                "6",
                "Factura vendedor por ítem",
                seller_by_item=True,
                cost_center_mandatory=True,
                consecutive=1,
            ),
            _doc_type(28459, "FV", "9", "Factura antigua", active=False, consecutive=77),
            _doc_type(28460, "NC", "1", "Nota crédito", consecutive=87, official_book="1"),
            _doc_type(
                28461,
                "NC",
                "2",
                "Nota crédito electrónica",
                electronic_type="ElectronicCreditNote",
                consecutive=1,
                official_book="1",
            ),
            _doc_type(28470, "RC", "1", "Recibo de caja", consecutive=45),
            _doc_type(
                28471,
                "RC",
                "2",
                "Recibo de caja electrónico",
                electronic_type="ElectronicReceipt",
                consecutive=1,
            ),
            _doc_type(28480, "CC", "1", "Comprobante contable", consecutive=12),
            _doc_type(
                28490,
                "FC",
                "1",
                "Factura de compra",
                consecutive=310,
                official_book="2",
                consumption_tax=False,
            ),
            _doc_type(28491, "RP", "1", "Recibo de pago", consecutive=15),
            _doc_type(28492, "C", "1", "Cotización", consecutive=22),
            _doc_type(28493, "DS", "1", "Documento soporte", consecutive=8, document_support=True),
            _doc_type(
                28494,
                "DS",
                "2",
                "Documento soporte electrónico",
                electronic_type="SupportDocument",
                consecutive=1,
                document_support=True,
            ),
        ],
        "payment_types": {
            "FV": [
                {"id": 6101, "name": "Efectivo", "type": "Cartera", "active": True, "due_date": False},
                {"id": 6102, "name": "Crédito 30 días", "type": "Cartera", "active": True, "due_date": True},
                {
                    "id": 6103,
                    "name": "Transferencia Bancolombia",
                    "type": "CarteraProveedor",
                    "active": True,
                    "due_date": False,
                },
                {"id": 6104, "name": "Tarjeta débito", "type": "Cartera", "active": True, "due_date": False},
                {
                    "id": 6109,
                    "name": "Cheque (ya no se usa)",
                    "type": "Cartera",
                    "active": False,
                    "due_date": False,
                },
                {
                    "id": 6201,
                    "name": "Pago a proveedor",
                    "type": "Proveedor",
                    "active": True,
                    "due_date": False,
                },
            ],
            "NC": [
                {"id": 6101, "name": "Efectivo", "type": "Cartera", "active": True, "due_date": False},
                {"id": 6102, "name": "Crédito 30 días", "type": "Cartera", "active": True, "due_date": True},
            ],
            "RC": [
                {"id": 6101, "name": "Efectivo", "type": "Cartera", "active": True, "due_date": False},
                {
                    "id": 6103,
                    "name": "Transferencia Bancolombia",
                    "type": "CarteraProveedor",
                    "active": True,
                    "due_date": False,
                },
            ],
            "FC": [
                {
                    "id": 6201,
                    "name": "Pago a proveedor",
                    "type": "Proveedor",
                    "active": True,
                    "due_date": False,
                },
                {
                    "id": 6202,
                    "name": "Crédito proveedor",
                    "type": "Proveedor",
                    "active": True,
                    "due_date": True,
                },
                {
                    "id": 6103,
                    "name": "Transferencia Bancolombia",
                    "type": "CarteraProveedor",
                    "active": True,
                    "due_date": False,
                },
            ],
        },
    }


def electronic_resolutions() -> set[int]:
    """Electronic document types that have a DIAN numbering resolution (others get
    ``document_settings``)."""
    return {28453, 28461, 28471, 28494}
