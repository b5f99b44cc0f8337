"""Placeholder until the customers resource lands."""

from __future__ import annotations

from ._base import Resource


class Customers(Resource):
    pass
