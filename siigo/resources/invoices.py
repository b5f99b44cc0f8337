"""Placeholder until the invoices resource lands."""

from __future__ import annotations

from ._base import Resource


class Invoices(Resource):
    pass
