"""The output formats of the ``siigo`` command, apart from their writers (:mod:`siigo.cli.output`):
a command's help names them without importing those."""

from __future__ import annotations

from typing import Literal

__all__ = ["FORMATS", "Format"]

Format = Literal["table", "json", "jsonl", "csv"]
FORMATS: tuple[Format, ...] = ("table", "json", "jsonl", "csv")
