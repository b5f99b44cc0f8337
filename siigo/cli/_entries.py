"""The shapes of :mod:`siigo.cli._index`: how the command line's commands are written down (plain
tuples, so that reading them imports nothing).  :mod:`siigo.cli.registry` builds them from the
resources' signatures; :mod:`siigo.cli.app` makes the click commands from them."""

from __future__ import annotations

from typing import Literal

__all__ = ["IdKind", "IndexEntry", "OptionEntry", "OptionKind", "VerbEntry", "VerbKind"]

VerbKind = Literal["list", "body", "action"]
"""How a command is made: a list, a command that reads a body, or any other action."""

OptionKind = Literal["str", "int", "float", "bool", "choice", "many"]
"""What an option takes: one value of a type, one of its choices, or many strings."""

IdKind = Literal["str", "int"] | None
"""The type of a command's ``ID`` argument; ``None`` when it has none."""

OptionEntry = tuple[str, OptionKind, bool, tuple[str, ...]]
"""An option: the name of its parameter, its kind, whether it is required, its choices."""

VerbEntry = tuple[str, str, VerbKind, IdKind, tuple[OptionEntry, ...], bool, bool]
"""A command: its name, its method, how it is made, its ``ID``, its options, whether the body is
passed as one argument (rather than as keywords) and whether it answers with bytes."""

IndexEntry = tuple[str, tuple[VerbEntry, ...], bool]
"""A resource: its attribute of the client, its commands, whether it has ``check``."""
