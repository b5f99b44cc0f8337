"""The ``siigo`` command: one group per resource of :class:`siigo.Client`, made from what the
registry (:mod:`siigo.cli.registry`) finds in the resources, with every text from
:mod:`siigo.messages`.

Start-up imports only what the command line uses: the commands, their helps, arguments and
options are made from :mod:`siigo.cli._index` (no client, no resource, no model), so that a help
or a usage error imports none; the client, its resource and the writers are imported by the
command when it runs."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from .. import messages
from ..errors import (
    APIConnectionError,
    APIError,
    ConfigurationError,
    SiigoError,
    ValidationError,
)
from ..messages import Language
from . import _index, profiles
from ._entries import IdKind, IndexEntry, OptionEntry, VerbEntry
from .formats import FORMATS, Format

if TYPE_CHECKING:
    from ..client import Client
    from ..resources import DocumentCheck
    from .registry import ResourceSpec

__all__ = [
    "EXIT_API",
    "EXIT_CONNECTION",
    "EXIT_FAILURE",
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_USAGE",
    "run",
]

EXIT_OK = 0
EXIT_FAILURE = 1
"""A file could not be read or written, or an unexpected error."""
EXIT_USAGE = 2
"""Wrong options or arguments, or a configuration that cannot work."""
EXIT_REFUSED = 3
"""Refused locally (nothing sent), or ``check`` found problems."""
EXIT_API = 4
"""Siigo answered with an error."""
EXIT_CONNECTION = 5
"""No usable answer (connection refused, timeout)."""
EXIT_INTERRUPTED = 130


class Failure(Exception):
    """A problem of the command line itself: one line, and an exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


class Env:
    """What every command shares: the language, the chosen company and the client."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.verbose = False
        self.profile: str | None = None
        self.use_sandbox = False
        self._client: Client | None = None
        self._sandbox: Any = None

    def t(self, key: str, **params: object) -> str:
        return messages.text(key, self.language, **params)

    def configured(self) -> bool:
        if self.use_sandbox or self.profile or os.environ.get("SIIGO_PROFILE"):
            return True
        return bool(os.environ.get("SIIGO_USERNAME") and os.environ.get("SIIGO_ACCESS_KEY"))

    def client(self, *, offline: bool = False) -> Client:
        """The client of the chosen company; with ``offline`` and nothing configured, one of an
        embedded sandbox (its demo catalogs)."""
        if self._client is not None:
            return self._client
        if self.use_sandbox or (offline and not self.configured()):
            if offline and not self.use_sandbox:
                click.echo(self.t("cli.offline"), err=True)
            self._client = self._sandbox_client(seed=self.use_sandbox)
            return self._client
        name = self.profile or os.environ.get("SIIGO_PROFILE") or None
        if not name and not (os.environ.get("SIIGO_USERNAME") or os.environ.get("SIIGO_ACCESS_KEY")):
            raise Failure(self.t("cli.no_company"), EXIT_USAGE)
        options: dict[str, Any] = {}
        if name:
            path = profiles.config_path()
            try:
                known = profiles.load(path)
            except (OSError, ValueError) as exc:
                raise Failure(self.t("cli.profiles.bad_file", path=path, reason=exc), EXIT_USAGE) from None
            profile = known.get(name)
            if profile is None:
                raise Failure(self.t("cli.profiles.unknown", name=name, path=path), EXIT_USAGE)
            key = profile.access_key
            if profile.access_key_env:
                key = os.environ.get(profile.access_key_env) or None
                if key is None:
                    raise Failure(
                        self.t("cli.profiles.env_missing", name=name, var=profile.access_key_env), EXIT_USAGE
                    )
            options = {
                "username": profile.username,
                "access_key": key,
                "partner_id": profile.partner_id,
                "base_url": profile.base_url,
            }
        from ..client import Client

        self._client = Client(**options, language=self.language)
        return self._client

    def _sandbox_client(self, *, seed: bool) -> Client:
        try:
            from ..sandbox import Sandbox
            from ..sandbox.demo import seed_demo
        except ImportError:
            raise Failure(self.t("cli.needs_sandbox"), EXIT_USAGE) from None
        self._sandbox = Sandbox().start()
        client: Client = self._sandbox.client(language=self.language)
        if seed:
            seed_demo(client, 12)
        return client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._sandbox is not None:
            self._sandbox.stop()


def _env() -> Env:
    env = click.get_current_context().find_object(Env)
    assert env is not None
    return env


# --- input and output ----------------------------------------------------------------------------


def read_json(env: Env, source: str) -> Any:
    """A JSON document from a file, or stdin for ``-``; amounts read as exact decimals."""
    try:
        if source == "-":
            raw = sys.stdin.read()
        else:
            raw = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise Failure(env.t("cli.cannot_read", path=source, reason=reason)) from None
    try:
        return json.loads(raw, parse_float=Decimal)
    except ValueError as exc:
        raise Failure(env.t("cli.bad_json", path=source, reason=exc), EXIT_USAGE) from None


def read_object(env: Env, source: str) -> dict[str, Any]:
    data = read_json(env, source)
    if not isinstance(data, dict):
        raise Failure(env.t("cli.not_object", path=source), EXIT_USAGE)
    return data


@contextlib.contextmanager
def output(env: Env, path: str | None) -> Iterator[IO[str]]:
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise Failure(env.t("cli.cannot_write", path=path, reason=exc.strerror or exc)) from None
    with handle:
        yield handle


def default_format(fmt: str | None) -> Format:
    for known in FORMATS:  # --format admits only these (click.Choice)
        if fmt == known:
            return known
    if fmt:
        raise ValueError(f"unknown output format {fmt!r}")  # click.Choice refuses it first
    return "table" if sys.stdout.isatty() else "json"


_BAR = 24


class Progress:
    """Pages walked, on stderr: one line rewritten on a terminal, one line per page elsewhere."""

    def __init__(self, env: Env, resource: str, *, enabled: bool) -> None:
        self.env = env
        self.resource = resource
        self.enabled = enabled
        self.tty = sys.stderr.isatty()

    def page(self, done: int, total: int, page: int) -> None:
        if not self.enabled:
            return
        line = self.env.t("cli.progress", resource=self.resource, done=done, total=total, page=page)
        if self.tty:
            filled = min(_BAR, _BAR * done // total) if total else _BAR
            sys.stderr.write("\r[" + "#" * filled + "." * (_BAR - filled) + "] " + line.ljust(50))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def finish(self, done: int, pages: int) -> None:
        if not self.enabled:
            return
        line = self.env.t("cli.progress_done", resource=self.resource, done=done, pages=pages)
        sys.stderr.write(("\r[" + "#" * _BAR + "] " + line.ljust(50) if self.tty else line) + "\n")
        sys.stderr.flush()


def walk(result: Any, *, every_page: bool, progress: Progress) -> Iterator[Any]:
    """The rows of a list answer: a plain list, one page, or every page (lazily)."""
    if isinstance(result, list):
        yield from result
        return
    if not every_page:
        yield from result.items
        return
    done = pages = 0
    for page in result.iter_pages():
        done += len(page.items)
        pages += 1
        progress.page(done, max(page.total_results, done), page.page)
        yield from page.items
    progress.finish(done, pages)


# --- commands ---------------------------------------------------------------------------------------


def _click_option(env: Env, option: OptionEntry, help_key: str = "cli.opt.param") -> click.Option:
    name, kind, required, choices = option
    help_text = env.t(help_key, name=name)
    flag = "--" + name.replace("_", "-")
    if kind == "bool":
        return click.Option([f"{flag}/--no-{flag[2:]}", name], default=None, help=help_text)
    types: dict[str, Any] = {"str": click.STRING, "int": click.INT, "float": click.FLOAT}
    value_type: Any = click.Choice(choices) if kind == "choice" else types.get(kind, click.STRING)
    return click.Option(
        [flag, name],
        type=value_type,
        required=required,
        multiple=kind == "many",
        help=help_text,
    )


def _call_kwargs(options: Sequence[OptionEntry], values: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of a call from the parsed options (unset options left out)."""
    out: dict[str, Any] = {}
    for name, kind, _, _ in options:
        value = values.get(name)
        if value is None or (kind == "many" and not value):
            continue
        if kind == "many":
            value = [part.strip() for v in value for part in str(v).split(",") if part.strip()]
        out[name] = value
    return out


def _format_options(env: Env) -> list[click.Option]:
    return [
        click.Option(["--format", "fmt"], type=click.Choice(FORMATS), help=env.t("cli.opt.format")),
        click.Option(["--columns"], help=env.t("cli.opt.columns")),
        click.Option(["-o", "--output"], help=env.t("cli.opt.output")),
    ]


def _columns(value: str | None) -> list[str] | None:
    return [c.strip() for c in value.split(",") if c.strip()] if value else None


def _id_argument(id_kind: IdKind) -> click.Argument:
    return click.Argument(["id"], type=click.INT if id_kind == "int" else click.STRING)


def _list_command(env: Env, attr: str, verb: VerbEntry) -> click.Command:
    command, method, kind, _, options, _, _ = verb

    def callback(**values: Any) -> int:
        from .output import write_rows

        resource = getattr(_env().client(), attr)
        every = bool(values.pop("all") or values.get("limit"))
        limit = values.pop("limit")
        progress = Progress(env, attr.replace("_", "-"), enabled=not values.pop("quiet"))
        result = getattr(resource, method)(**_call_kwargs(options, values))
        rows: Iterator[Any] = walk(result, every_page=every, progress=progress)
        if limit is not None:
            rows = itertools.islice(rows, limit)
        with output(env, values["output"]) as out:
            write_rows(
                rows,
                default_format(values["fmt"]),
                out,
                columns=_columns(values["columns"]),
                empty=env.t("cli.no_rows"),
            )
        return EXIT_OK

    params: list[click.Parameter] = [_click_option(env, o, "cli.opt.filter") for o in options]
    params += [
        click.Option(["--all", "all"], is_flag=True, help=env.t("cli.opt.all")),
        click.Option(["--limit"], type=click.IntRange(min=1), help=env.t("cli.opt.limit")),
        click.Option(["--quiet", "-q"], is_flag=True, help=env.t("cli.opt.quiet")),
        *_format_options(env),
    ]
    return click.Command(
        command, callback=callback, params=params, help=_verb_help(env, attr, command, method, kind)
    )


def _show(env: Env, result: Any, values: dict[str, Any]) -> None:
    from .output import write_one

    with output(env, values.get("output")) as out:
        write_one(result, default_format(values.get("fmt")), out, columns=_columns(values.get("columns")))


def _body_command(env: Env, attr: str, verb: VerbEntry) -> click.Command:
    command, method, kind, id_kind, options, body_positional, _ = verb

    def callback(**values: Any) -> int:
        body = read_object(env, values.pop("file"))
        call = getattr(getattr(_env().client(), attr), method)
        kwargs = _call_kwargs(options, values)
        args: list[Any] = [values.pop("id")] if id_kind else []
        result = call(*args, body, **kwargs) if body_positional else call(*args, **body, **kwargs)
        _show(env, result, values)
        return EXIT_OK

    params: list[click.Parameter] = [_id_argument(id_kind)] if id_kind else []
    params.append(click.Argument(["file"], default="-", required=False))
    params += [_click_option(env, o) for o in options]
    params += _format_options(env)
    return click.Command(
        command, callback=callback, params=params, help=_verb_help(env, attr, command, method, kind)
    )


class _Waiting:
    """Seconds waited, on stderr, while a long call runs."""

    def __init__(self, env: Env) -> None:
        self.env = env
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        start = time.monotonic()
        tty = sys.stderr.isatty()
        while not self.stop.wait(1.0):
            line = self.env.t("cli.waiting", seconds=int(time.monotonic() - start))
            sys.stderr.write(("\r" + line) if tty else line + "\n")
            sys.stderr.flush()
        if tty:
            sys.stderr.write("\n")

    def __enter__(self) -> _Waiting:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=2)


def _action_command(env: Env, attr: str, verb: VerbEntry) -> click.Command:
    command, method, kind, id_kind, options, _, returns_bytes = verb

    def callback(**values: Any) -> int:
        call = getattr(getattr(_env().client(), attr), method)
        args = [values["id"]] if id_kind else []
        kwargs = _call_kwargs(options, values)
        if method.startswith("wait"):
            with _Waiting(env):
                result = call(*args, **kwargs)
        else:
            result = call(*args, **kwargs)
        if isinstance(result, bytes):
            _write_bytes(env, result, values.get("output"))
        elif method == "delete" and values.get("fmt") is None and sys.stdout.isatty():
            click.echo(env.t("cli.deleted", id=values["id"]))
        else:
            _show(env, result, values)
        return EXIT_OK

    params: list[click.Parameter] = [_id_argument(id_kind)] if id_kind else []
    params += [_click_option(env, o) for o in options]
    if returns_bytes:
        params.append(click.Option(["-o", "--output"], help=env.t("cli.opt.output")))
    else:
        params += _format_options(env)
    return click.Command(
        command, callback=callback, params=params, help=_verb_help(env, attr, command, method, kind)
    )


def _verb_help(env: Env, attr: str, command: str, method: str, kind: str) -> str:
    """The help of a resource's command, from the first fields of its entry in the index."""
    resource = attr.replace("_", "-")
    if kind == "list":
        return env.t("cli.list.help", resource=resource)
    if kind == "body":
        return env.t(f"cli.{method}.help", resource=resource)
    known = {"retrieve": "cli.get.help", "delete": "cli.delete.help"}
    key = known.get(method, f"cli.action.{method}.help")
    if key in messages.TEXTS:
        return env.t(key, resource=resource)
    # an action added to the SDK after this catalog: named after its method
    return env.t("cli.action.help", action=command, resource=resource, attr=attr, method=method)


def _write_bytes(env: Env, data: bytes, path: str | None) -> None:
    if path and path != "-":
        try:
            Path(path).write_bytes(data)
        except OSError as exc:
            raise Failure(env.t("cli.cannot_write", path=path, reason=exc.strerror or exc)) from None
        click.echo(env.t("cli.saved_file", size=len(data), path=path), err=True)
        return
    if sys.stdout.isatty():
        raise Failure(env.t("cli.binary_to_terminal"), EXIT_USAGE)
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


# --- check ------------------------------------------------------------------------------------------


def _money(value: Any) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _check_command(env: Env, attr: str) -> click.Command:
    def callback(file: str, fmt: str | None) -> int:
        from .output import dumps

        doc = read_object(env, file)
        result = getattr(_env().client(offline=True), attr).check(doc)
        problems = result.problems
        if fmt == "json":
            click.echo(
                dumps(
                    {
                        "ok": result.ok,
                        "totals": result.totals,
                        "payments_total": result.payments_total,
                        "problems": [
                            {
                                "code": p.code,
                                "params": list(p.params),
                                "message": p.message,
                                "message_id": p.message_id,
                                "hint": messages.hint(p.code, env.language),
                            }
                            for p in problems
                        ],
                    },
                    indent=2,
                )
            )
        else:
            _print_totals(env, doc, result)
            if problems:
                click.echo(env.t("cli.check.refused", count=len(problems)))
                for p in problems:
                    field = ", ".join(p.params)
                    advice = messages.hint(p.code, env.language) or ""
                    click.echo(env.t("cli.check.problem", code=p.code, field=field, hint=advice))
                    click.echo("      " + env.t("error.detail", message=p.message))
            else:
                click.echo(env.t("cli.check.ok"))
        return EXIT_REFUSED if problems else EXIT_OK

    return click.Command(
        "check",
        callback=callback,
        params=[
            click.Argument(["file"], default="-", required=False),
            click.Option(
                ["--format", "fmt"], type=click.Choice(("text", "json")), help=env.t("cli.opt.format")
            ),
        ],
        help=env.t("cli.check.help"),
    )


def _print_totals(env: Env, doc: dict[str, Any], result: DocumentCheck) -> None:
    totals = result.totals
    if totals is None:
        return
    items = doc.get("items") or []
    for n, line in enumerate(totals.lines, 1):
        item = items[n - 1] if n - 1 < len(items) and isinstance(items[n - 1], dict) else {}
        taxes = sum((t.value for t in line.taxes), Decimal(0))
        click.echo(
            env.t(
                "cli.check.line",
                n=n,
                code=item.get("code", ""),
                base=_money(line.base),
                taxes=_money(taxes),
                total=_money(line.total),
            )
        )
        for tax in line.taxes:
            click.echo(
                env.t(
                    "cli.check.tax",
                    name=tax.name or tax.type,
                    percentage=_money(tax.percentage),
                    base=_money(tax.base_value),
                    value=_money(tax.value),
                )
            )
    click.echo(env.t("cli.check.subtotal", value=_money(totals.subtotal)))
    click.echo(env.t("cli.check.tax_total", value=_money(totals.tax_total)))
    click.echo(env.t("cli.check.total", value=_money(totals.total)))
    for retention in totals.retentions:
        click.echo(
            env.t(
                "cli.check.retention",
                name=retention.name or retention.type,
                percentage=_money(retention.percentage),
                base=_money(retention.base_value),
                value=_money(retention.value),
            )
        )
    if result.takes_payments:
        click.echo(env.t("cli.check.amount_due", value=_money(totals.amount_due)))
        click.echo(env.t("cli.check.payments", value=_money(result.payments_total)))
    if totals.undocumented:
        click.echo(env.t("cli.check.undocumented", parts=", ".join(totals.undocumented)))


# --- profiles ---------------------------------------------------------------------------------------


def _profiles_group(env: Env) -> click.Group:
    group = click.Group("profiles", help=env.t("cli.profiles.help"))

    def list_profiles() -> int:
        path = profiles.config_path()
        try:
            found = profiles.load(path)
        except (OSError, ValueError) as exc:
            raise Failure(env.t("cli.profiles.bad_file", path=path, reason=exc), EXIT_USAGE) from None
        if not found:
            click.echo(env.t("cli.profiles.none", path=path))
        for profile in found.values():
            if profile.access_key_env:
                key = env.t("cli.profiles.key_env", var=profile.access_key_env)
            elif profile.access_key:
                key = env.t("cli.profiles.key_stored")
            else:
                key = env.t("cli.profiles.key_none")
            parts = [profile.name, profile.username or "-", profile.partner_id or "-", key]
            if profile.base_url:
                parts.append(profile.base_url)
            click.echo("  ".join(parts))
        return EXIT_OK

    def add(
        name: str,
        username: str,
        partner_id: str,
        base_url: str | None,
        access_key_env: str | None,
        store_access_key: bool,
    ) -> int:
        path = profiles.config_path()
        key = None
        if store_access_key:
            key = click.prompt(env.t("cli.prompt.access_key"), hide_input=True, err=True)
            click.echo(env.t("cli.profiles.plain_text_warning", path=path), err=True)
        profile = profiles.Profile(name, username, partner_id, base_url, access_key_env, key)
        try:
            profiles.save(path, profile)
        except (OSError, ValueError) as exc:
            raise Failure(env.t("cli.cannot_write", path=path, reason=exc)) from None
        click.echo(env.t("cli.profiles.saved", name=name, path=path))
        return EXIT_OK

    def remove(name: str) -> int:
        path = profiles.config_path()
        if not profiles.remove(path, name):
            raise Failure(env.t("cli.profiles.unknown", name=name, path=path), EXIT_USAGE)
        click.echo(env.t("cli.profiles.removed", name=name))
        return EXIT_OK

    def where() -> int:
        click.echo(str(profiles.config_path()))
        return EXIT_OK

    group.add_command(click.Command("list", callback=list_profiles, help=env.t("cli.profiles.list.help")))
    group.add_command(
        click.Command(
            "add",
            callback=add,
            help=env.t("cli.profiles.add.help"),
            params=[
                click.Argument(["name"]),
                click.Option(["--username"], required=True, help=env.t("cli.opt.username")),
                click.Option(["--partner-id"], required=True, help=env.t("cli.opt.partner_id")),
                click.Option(["--base-url"], help=env.t("cli.opt.base_url")),
                click.Option(["--access-key-env"], help=env.t("cli.opt.access_key_env")),
                click.Option(["--store-access-key"], is_flag=True, help=env.t("cli.opt.store_access_key")),
            ],
        )
    )
    group.add_command(
        click.Command(
            "remove",
            callback=remove,
            params=[click.Argument(["name"])],
            help=env.t("cli.profiles.remove.help"),
        )
    )
    group.add_command(click.Command("path", callback=where, help=env.t("cli.profiles.path.help")))
    return group


# --- the group --------------------------------------------------------------------------------------


def _resource_help(env: Env, command: str, names: list[str]) -> str:
    return env.t("cli.resource.help", resource=command, verbs=", ".join(names))


def _sandbox_command(env: Env) -> click.Command:
    def callback(args: tuple[str, ...]) -> int:
        from ..__main__ import sandbox_main

        return sandbox_main(list(args), env.language)

    return click.Command(
        "sandbox",
        callback=callback,
        params=[click.Argument(["args"], nargs=-1, type=click.UNPROCESSED)],
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
        help=env.t("cli.sandbox.help"),
    )


class _ResourceGroup(click.Group):
    """A resource's group, made from its entry in :mod:`siigo.cli._index` (or the registry's,
    found in the resource itself): a command is made when it is named; it imports the client and
    the resource when it runs, not for its help or a usage error."""

    def __init__(self, env: Env, command: str, entry: IndexEntry) -> None:
        attr, verbs, check = entry
        names = sorted(verb[0] for verb in verbs) + (["check"] if check else [])
        super().__init__(command, help=_resource_help(env, command, names))
        self._env = env
        self._attr = attr
        self._verbs = {verb[0]: verb for verb in verbs}
        self._check = check

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self._verbs) | ({"check"} if self._check else set()))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is not None:
            return command
        if cmd_name == "check" and self._check:
            command = _check_command(self._env, self._attr)
        elif cmd_name in self._verbs:
            verb = self._verbs[cmd_name]
            make = {"list": _list_command, "body": _body_command, "action": _action_command}[verb[2]]
            command = make(self._env, self._attr, verb)
        else:
            # No such command: click suggests the closest of the commands made, so all are.
            for name in self.list_commands(ctx):
                self.get_command(ctx, name)
            return None
        self.add_command(command)
        return command


class _Root(click.Group):
    """The ``siigo`` group: a resource's group is made when it is named, from the index, or from
    ``specs`` when given (:class:`_ResourceGroup`); ``siigo products list`` imports the products
    resource only, when it runs; ``siigo --help`` and ``siigo products list --help`` none."""

    def __init__(self, env: Env, specs: dict[str, ResourceSpec] | None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._env = env
        self._specs = specs

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(_index.RESOURCES if self._specs is None else self._specs) | set(self.commands)
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        if self._specs is not None:
            spec = self._specs.get(cmd_name)
            entry = None if spec is None else spec.entry()
        else:
            entry = _index.RESOURCES.get(cmd_name)
        if entry is None:
            return None
        command = _ResourceGroup(self._env, cmd_name, entry)
        self.add_command(command)
        return command


def build(env: Env, specs: dict[str, ResourceSpec] | None = None) -> click.Group:
    def root(profile: str | None, sandbox: bool, lang: str | None, verbose: bool) -> None:
        ctx = click.get_current_context()
        ctx.obj = env
        env.profile = profile
        env.use_sandbox = sandbox
        env.verbose = verbose
        ctx.call_on_close(env.close)

    group = _Root(
        env,
        specs,
        "siigo",
        callback=root,
        help=env.t("cli.help"),
        params=[
            click.Option(["--profile", "-p"], help=env.t("cli.opt.profile")),
            click.Option(["--sandbox"], is_flag=True, help=env.t("cli.opt.sandbox")),
            click.Option(["--lang"], type=click.Choice(messages.LANGUAGES), help=env.t("cli.opt.lang")),
            click.Option(["--verbose", "-v"], is_flag=True, help=env.t("cli.opt.verbose")),
        ],
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    group.add_command(_profiles_group(env))
    group.add_command(_sandbox_command(env))
    return group


def _language_from(argv: Sequence[str]) -> Language:
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is not None:
            try:
                return messages.check_language(value)
            except ConfigurationError:
                break
    try:
        return messages.resolve_language(system_default=True)
    except ConfigurationError:
        return "en"


def _error_code(error: SiigoError) -> int:
    if isinstance(error, ValidationError):
        return EXIT_REFUSED
    if isinstance(error, ConfigurationError):
        return EXIT_USAGE
    if isinstance(error, APIConnectionError):
        return EXIT_CONNECTION
    if isinstance(error, APIError):
        return EXIT_API
    return EXIT_FAILURE


def run(argv: Sequence[str] | None = None) -> int:
    """Run the ``siigo`` command; returns the exit code (never raises)."""
    args = list(sys.argv[1:] if argv is None else argv)
    env = Env(_language_from(args))
    group = build(env)
    verbose = "--verbose" in args or "-v" in args
    report: Callable[[str], None] = lambda line: click.echo(line, err=True)  # noqa: E731
    try:
        result = group.main(args=args, prog_name="siigo", standalone_mode=False)
        return result if isinstance(result, int) else EXIT_OK
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        report(env.t("cli.interrupted"))
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        report(env.t("cli.interrupted"))
        return EXIT_INTERRUPTED
    except Failure as exc:
        report(str(exc))
        return exc.code
    except SiigoError as exc:
        lines = messages.explain(exc, env.language) if verbose else [messages.describe(exc, env.language)]
        for line in lines:
            report(line)
        return _error_code(exc)
    except BrokenPipeError:
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK
    except Exception as exc:
        report(env.t("cli.unexpected", kind=type(exc).__name__, reason=exc))
        return EXIT_FAILURE
