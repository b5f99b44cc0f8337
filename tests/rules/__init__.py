"""Siigo's totals math and the catalog rules every document kind is checked with."""
