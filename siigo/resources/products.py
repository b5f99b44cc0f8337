"""Placeholder until the products resource lands."""

from __future__ import annotations

from ._base import Resource


class Products(Resource):
    pass
