"""The resources the command line offers, discovered from :class:`siigo.Client`.

Every ``client.<name>`` cached property is a resource; its public methods become commands, their
keyword-only parameters options.  A new resource of the SDK shows up here with no code: only the
names of a few commands differ from the method names (:data:`COMMAND_NAMES`).  ``check`` exists
for every document resource whose ``create`` body has totals (its ``draft_model()``): a new
kind's resource gets it with no change here.

The command line reads none of this when it runs: every command, its arguments and options are
written down in :mod:`siigo.cli._index` by :func:`command_index` (``python -m siigo.cli.registry``,
after a resource, a command or a parameter is added or changed; a test fails until then), so that
the helps (``siigo --help``, ``siigo products --help``, ``siigo products list --help``) and the
usage errors import no resource; ``siigo products list`` imports the client, the products
resource and its models when it calls the API, not the others'.
"""

from __future__ import annotations

import datetime as _dt
import inspect
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel

from ..client import Client
from ._entries import IdKind, IndexEntry, OptionEntry, OptionKind, VerbEntry, VerbKind

__all__ = [
    "COMMAND_NAMES",
    "HIDDEN",
    "Option",
    "ResourceSpec",
    "Verb",
    "command_index",
    "index_source",
    "resource",
    "resource_attributes",
    "resources",
]

COMMAND_NAMES = {"retrieve": "get", "send_email": "mail", "wait_for_stamp": "wait"}
"""CLI names of methods whose SDK name reads badly on a command line."""

HIDDEN = frozenset({"new_idempotency_key", "parse_batch_notification", "batch", "compute_totals", "check"})
"""Methods that are not commands (``compute_totals`` and ``check`` are behind the ``check``
command)."""

BODY_VERBS = frozenset({"create", "update"})


@dataclass(frozen=True)
class Option:
    """One keyword-only parameter of a method, as a command-line option."""

    name: str
    kind: OptionKind
    required: bool
    choices: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def entry(self) -> OptionEntry:
        """The option as :mod:`siigo.cli._index` writes it down."""
        return (self.name, self.kind, self.required, self.choices)


@dataclass(frozen=True)
class Verb:
    """A method of a resource, as a command."""

    command: str
    method: str
    id_kind: IdKind
    options: tuple[Option, ...]
    returns: Any
    takes_body: bool
    body_positional: bool
    doc: str

    @property
    def returns_bytes(self) -> bool:
        return self.returns is bytes

    @property
    def kind(self) -> VerbKind:
        """How the command is made: a list, a command that reads a body, or any other action."""
        if self.method == "list":
            return "list"
        return "body" if self.takes_body else "action"

    def entry(self) -> VerbEntry:
        """The command as :mod:`siigo.cli._index` writes it down: all the command line needs to
        make it, show its help and parse its arguments."""
        return (
            self.command,
            self.method,
            self.kind,
            self.id_kind,
            tuple(option.entry() for option in self.options),
            self.body_positional,
            self.returns_bytes,
        )


@dataclass(frozen=True)
class ResourceSpec:
    attr: str
    cls: type
    verbs: dict[str, Verb]
    doc: str

    @property
    def command(self) -> str:
        return self.attr.replace("_", "-")

    def resource(self, client: Client) -> Any:
        return getattr(client, self.attr)

    @property
    def paged(self) -> bool:
        verb = self.verbs.get("list")
        return verb is not None and any(o.name == "page" for o in verb.options)

    @property
    def has_totals(self) -> bool:
        """True for a document resource whose drafts have totals to check (``check``)."""
        draft_model = getattr(self.cls, "draft_model", None)
        return (
            callable(draft_model) and callable(getattr(self.cls, "check", None)) and draft_model() is not None
        )

    def entry(self) -> IndexEntry:
        """The resource as :mod:`siigo.cli._index` writes it down."""
        return (self.attr, tuple(verb.entry() for verb in self.verbs.values()), self.has_totals)

    def create_model(self) -> type[BaseModel] | None:
        """The request model the ``create`` method validates (found in its signature)."""
        method = getattr(self.cls, "create", None)
        if method is None:
            return None
        for name, hint in _hints(method).items():
            if name == "return":
                continue
            for part in _flatten(hint):
                if isinstance(part, type) and issubclass(part, BaseModel):
                    return part
        return None


def _hints(func: Callable[..., Any]) -> dict[str, Any]:
    try:
        return get_type_hints(func, include_extras=False)
    except Exception:
        return {}


def _flatten(hint: Any) -> list[Any]:
    origin = get_origin(hint)
    if origin is Union or origin is types.UnionType:
        out: list[Any] = []
        for arg in get_args(hint):
            out.extend(_flatten(arg))
        return out
    return [hint]


_SCALARS: dict[Any, Literal["str", "int", "float", "bool"]] = {
    str: "str",
    int: "int",
    float: "float",
    bool: "bool",
}


def _option(name: str, hint: Any, required: bool) -> Option | None:
    """``hint`` as an option kind; ``None`` when a command line cannot give such a value."""
    parts = [p for p in _flatten(hint) if p is not type(None)]
    kinds: set[OptionKind] = set()
    choices: list[str] = []
    for part in parts:
        origin = get_origin(part)
        if origin is Literal:
            choices.extend(str(a) for a in get_args(part))
            kinds.add("choice")
        elif part in _SCALARS:
            kinds.add(_SCALARS[part])
        elif part in (_dt.date, _dt.datetime):
            kinds.add("str")
        elif origin in (Sequence, list, tuple, typing.Sequence) or (
            isinstance(origin, type) and issubclass(origin, Sequence) and not issubclass(origin, str)
        ):
            items = get_args(part)
            if items and items[0] is str:
                kinds.add("many")
            else:
                return None
        else:
            return None
    if "many" in kinds:
        return Option(name, "many", required)
    if kinds == {"choice"}:
        return Option(name, "choice", required, tuple(choices))
    if "choice" in kinds and "str" in kinds:
        return Option(name, "str", required)
    if len(kinds) == 1:
        only = next(iter(kinds))
        return Option(name, only, required)
    if kinds <= {"str", "int", "float", "bool"} and "str" in kinds:
        return Option(name, "str", required)
    return None


def _verb(name: str, func: Callable[..., Any]) -> Verb | None:
    signature = inspect.signature(func)
    hints = _hints(func)
    params = list(signature.parameters.values())[1:]  # self
    id_kind: IdKind = None
    options: list[Option] = []
    takes_body = name in BODY_VERBS
    body_positional = False
    for param in params:
        if param.kind is param.VAR_KEYWORD:
            continue
        if param.kind is param.VAR_POSITIONAL:
            body_positional = True
            continue
        if param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            if param.name == "id" and id_kind is None:
                id_kind = "int" if hints.get("id") is int else "str"
                continue
            if takes_body:
                body_positional = True
                continue
            if param.default is param.empty:
                return None
            continue
        hint = hints.get(param.name, str)
        option = _option(param.name, hint, param.default is param.empty)
        if option is None:
            if param.default is param.empty and not takes_body:
                return None
            continue
        if takes_body and param.default is param.empty:
            continue  # a required body field (``AccountGroups.create(*, code, name)``): from the file
        options.append(option)
    doc = inspect.getdoc(func) or ""
    return Verb(
        command=COMMAND_NAMES.get(name, name.replace("_", "-")),
        method=name,
        id_kind=id_kind,
        options=tuple(options),
        returns=hints.get("return"),
        takes_body=takes_body,
        body_positional=body_positional,
        doc=doc.split("\n\n")[0].replace("\n", " "),
    )


def _spec(attr: str, cls: type) -> ResourceSpec:
    verbs: dict[str, Verb] = {}
    for name, func in inspect.getmembers(cls, inspect.isfunction):
        if name.startswith("_") or name in HIDDEN:
            continue
        if isinstance(inspect.getattr_static(cls, name), staticmethod):
            continue
        verb = _verb(name, func)
        if verb is not None:
            verbs[verb.command] = verb
    doc = (inspect.getdoc(cls) or "").split("\n\n")[0].replace("\n", " ")
    return ResourceSpec(attr=attr, cls=cls, verbs=verbs, doc=doc)


def resource_attributes(client_class: type[Client] = Client) -> dict[str, str]:
    """The attribute of every ``client_class.<name>`` cached property, by command name, in a
    stable order; nothing is imported (a resource may still turn out to have no command)."""
    return {
        attr.replace("_", "-"): attr
        for attr, member in sorted(vars(client_class).items())
        if isinstance(member, cached_property) and not attr.startswith("_")
    }


def resource(attr: str, client_class: type[Client] = Client) -> ResourceSpec | None:
    """The resource ``client_class.<attr>``, or ``None`` when it has no command (``reports``
    has no list or get).  Only its own module (and the models it uses) is imported."""
    member = inspect.getattr_static(client_class, attr, None)
    if not isinstance(member, cached_property):
        return None
    cls = _resource_class(client_class, member)
    if cls is None:
        return None
    spec = _spec(attr, cls)
    return spec if spec.verbs else None


def resources(client_class: type[Client] = Client) -> dict[str, ResourceSpec]:
    """Every resource of ``client_class``, by command name, in a stable order."""
    found: dict[str, ResourceSpec] = {}
    for command, attr in resource_attributes(client_class).items():
        spec = resource(attr, client_class)
        if spec is not None:
            found[command] = spec
    return found


def command_index(client_class: type[Client] = Client) -> dict[str, IndexEntry]:
    """Every resource as the command line makes it, by command name: its attribute, its commands
    (:meth:`Verb.entry`) and whether it has ``check``.  :mod:`siigo.cli._index` holds it written
    down, so that the command line imports no resource to make its commands."""
    return {command: spec.entry() for command, spec in resources(client_class).items()}


_PREAMBLE = '''"""The resource commands of :class:`siigo.Client`, as :func:`siigo.cli.registry.command_index`
finds them in the resources' signatures: the command line makes its commands from here (their
helps, arguments and options), so that a help or a usage error imports no resource.  Written by
``python -m siigo.cli.registry``; a test holds it to the registry.  The shapes of the entries
are in :mod:`siigo.cli._entries`."""

from __future__ import annotations

from ._entries import IndexEntry

RESOURCES: dict[str, IndexEntry] = {'''

_WIDTH = 110
"""The line length of ``ruff format`` (pyproject.toml)."""


def _literal(value: object) -> str:
    """``value`` (a string, bool, ``None`` or a tuple of those) as Python, on one line."""
    if isinstance(value, tuple):
        inner = ", ".join(_literal(item) for item in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    text = repr(value)
    if isinstance(value, str) and text.startswith("'") and '"' not in value:
        text = '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


def _lines(value: object, indent: int, head: str = "", *, split: bool = False) -> list[str]:
    """``value`` and a comma as ``ruff format`` leaves them: on one line when it fits (and
    ``split`` is false), else one item a line (which their trailing comma keeps so)."""
    pad = " " * indent
    flat = f"{pad}{head}{_literal(value)},"
    if not isinstance(value, tuple) or not value or (len(flat) <= _WIDTH and not split):
        return [flat]
    out = [f"{pad}{head}("]
    for item in value:
        out.extend(_lines(item, indent + 4))
    return [*out, f"{pad}),"]


def index_source(client_class: type[Client] = Client) -> str:
    """The text of :mod:`siigo.cli._index` for :func:`command_index` (formatted as ``ruff
    format`` leaves it)."""
    lines = [_PREAMBLE]
    for command, (attr, verbs, check) in command_index(client_class).items():
        lines.append(f"    {_literal(command)}: (")
        lines.extend(_lines(attr, 8))
        lines.extend(_lines(verbs, 8, split=len(verbs) > 1))
        lines.extend(_lines(check, 8))
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _resource_class(client_class: type[Client], member: cached_property[Any]) -> type | None:
    """The class a resource property returns: its return annotation.  :class:`Client` imports
    each resource module on first use (its annotations name classes imported only for type
    checkers), so an annotation that does not resolve here is read from the property itself,
    on a client that is not connected: resources only keep the client they are given."""
    cls = _hints(member.func).get("return")
    if isinstance(cls, type):
        return cls
    try:
        made = member.func(client_class.__new__(client_class))
    except Exception:
        return None
    return type(made)


if __name__ == "__main__":
    from pathlib import Path

    Path(__file__).with_name("_index.py").write_text(index_source(), encoding="utf-8")
