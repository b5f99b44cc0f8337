"""Placeholder for the siigo-python 0.1 methods."""


class LegacyMethods:
    pass
