"""Writing answers: a table on a terminal, JSON, JSON lines or CSV for pipes.

Rows are written as they come (an iterator of pages is never collected), so exporting thousands
of documents holds one page in memory.  Amounts stay exact: a ``Decimal`` is written as a JSON
number with its digits, and as its digits in CSV and tables.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from pydantic import BaseModel

from .formats import FORMATS, Format

__all__ = ["FORMATS", "Format", "dumps", "flatten", "plain", "write_one", "write_rows"]

_PREFERRED = (
    "id",
    "name",
    "code",
    "date",
    "type",
    "identification",
    "customer.identification",
    "document.id",
    "description",
    "total",
    "balance",
    "stamp.status",
    "percentage",
    "active",
)
_TABLE_COLUMNS = 8
_TABLE_WIDTH = 40
_TABLE_BATCH = 100


# Types that ``plain`` and ``_scalar`` meet most (every cell of an export), checked by exact type
# before the general checks: none of them is a model, a dataclass, a dict, a list or a tuple.
_AS_IS = frozenset({str, int, float, bool, type(None), Decimal, _dt.date, _dt.datetime})


def plain(value: Any) -> Any:
    """``value`` as plain dicts, lists and scalars (models with their wire names)."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is dict:
        return {str(k): v if type(v) in _AS_IS else plain(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _AS_IS else plain(v) for v in value]
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python", by_alias=True, exclude_none=True)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


_MARK = "\u0000num:"
_MARKED = re.compile(r'"\\u0000num:([^"\\]+)"')
_MARK_WRITTEN = '"\\u0000num:'  # _MARK as json.dumps writes it, opening a string


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        if value.is_finite():
            return _MARK + format(value, "f")
        return str(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, BaseModel) or dataclasses.is_dataclass(value):
        return plain(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


# What ``json.dumps(value, default=_default, ensure_ascii=False)`` builds on each call, built once.
_ENCODER = json.JSONEncoder(default=_default, ensure_ascii=False)


def dumps(value: Any, *, indent: int | None = None) -> str:
    """JSON text; a ``Decimal`` becomes a number with its exact digits."""
    if indent is None:
        text = _ENCODER.encode(plain(value))
    else:
        text = json.dumps(plain(value), default=_default, ensure_ascii=False, indent=indent)
    if _MARK_WRITTEN not in text:  # no Decimal in it: nothing to unquote
        return text
    return _MARKED.sub(lambda m: m.group(1), text)


def _scalar(value: Any) -> str:
    if type(value) is str:
        return value
    kind = type(value)
    if kind is Decimal:
        return format(value, "f")
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return dumps(value)
    return str(value)


def flatten(row: Any, prefix: str = "") -> dict[str, Any]:
    """A row with nested objects as dotted keys (lists kept whole)."""
    out: dict[str, Any] = {}
    if not isinstance(row, dict):
        return {prefix or "value": row}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _choose_columns(first: dict[str, Any], wanted: Sequence[str] | None, limit: int | None) -> list[str]:
    if wanted:
        return list(wanted)
    keys = list(first)
    if limit is None:
        return keys
    chosen = [k for k in _PREFERRED if k in first]
    for key in keys:
        if len(chosen) >= limit:
            break
        if key not in chosen and not isinstance(first[key], list):
            chosen.append(key)
    return chosen[:limit] or keys[:limit]


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def write_rows(
    rows: Iterable[Any],
    fmt: Format,
    out: IO[str],
    *,
    columns: Sequence[str] | None = None,
    empty: str = "",
) -> int:
    """Write ``rows`` (consumed lazily) as ``fmt``; the number of rows written."""
    iterator: Iterator[Any] = iter(rows)
    count = 0
    if fmt == "jsonl":
        for row in iterator:
            out.write(dumps(row) + "\n")
            count += 1
        return count
    if fmt == "json":
        out.write("[")
        for row in iterator:
            out.write(("," if count else "") + "\n  " + dumps(row))
            count += 1
        out.write("\n]\n" if count else "]\n")
        return count
    first = next(iterator, None)
    if first is None:
        if fmt == "table" and empty:
            out.write(empty + "\n")
        return 0
    flat_first = flatten(plain(first))
    if fmt == "csv":
        names = _choose_columns(flat_first, columns, None)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        for row in itertools.chain([first], iterator):
            flat = flat_first if count == 0 else flatten(plain(row))
            writer.writerow([_scalar(flat.get(name)) for name in names])
            count += 1
        return count
    names = _choose_columns(flat_first, columns, _TABLE_COLUMNS)
    batch = [flat_first, *(flatten(plain(r)) for r in itertools.islice(iterator, _TABLE_BATCH - 1))]
    widths = [
        min(_TABLE_WIDTH, max(len(name), *(len(_scalar(r.get(name))) for r in batch))) for name in names
    ]
    out.write("  ".join(_clip(n, w).ljust(w) for n, w in zip(names, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    while batch:
        for row in batch:
            cells = [_clip(_scalar(row.get(n)), w).ljust(w) for n, w in zip(names, widths, strict=True)]
            out.write("  ".join(cells).rstrip() + "\n")
            count += 1
        batch = [flatten(plain(r)) for r in itertools.islice(iterator, _TABLE_BATCH)]
    return count


def write_one(value: Any, fmt: Format, out: IO[str], *, columns: Sequence[str] | None = None) -> None:
    """Write one answer: a record as ``key  value`` lines in a table, else like one row."""
    data = plain(value)
    if fmt == "table":
        flat = flatten(data)
        names = list(columns) if columns else list(flat)
        width = min(_TABLE_WIDTH, max((len(n) for n in names), default=0))
        for name in names:
            out.write(f"{name.ljust(width)}  {_scalar(flat.get(name))}\n")
        return
    if fmt == "json":
        out.write(dumps(data, indent=2) + "\n")
        return
    write_rows([data], fmt, out, columns=columns)
