"""Named profiles in the user's config file (an INI file in the platform's config folder).

::

    [empresa]
    username = api@empresa.com
    partner_id = MiIntegracion
    access_key_env = SIIGO_EMPRESA_KEY     ; the key is read from this variable

The access key is stored in the file only when asked for with ``--store-access-key``, and the
command says that it is plain text; the file is then readable by its owner only.
"""

from __future__ import annotations

import configparser
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import click

__all__ = ["KEYS", "Profile", "config_path", "load", "remove", "save"]

KEYS = ("username", "partner_id", "base_url", "access_key_env", "access_key")


@dataclass(frozen=True)
class Profile:
    name: str
    username: str | None = None
    partner_id: str | None = None
    base_url: str | None = None
    access_key_env: str | None = None
    access_key: str | None = None


def config_path() -> Path:
    """``SIIGO_CONFIG``, else ``config.ini`` in the platform's folder for the ``siigo`` app."""
    override = os.environ.get("SIIGO_CONFIG")
    if override:
        return Path(override)
    return Path(click.get_app_dir("siigo")) / "config.ini"


def _parser(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    return parser


def load(path: Path) -> dict[str, Profile]:
    """Every profile of the file (``configparser.Error`` or ``OSError`` when unreadable)."""
    parser = _parser(path)
    return {
        name: Profile(name, **{k: parser[name].get(k) or None for k in KEYS}) for name in parser.sections()
    }


def save(path: Path, profile: Profile) -> None:
    parser = _parser(path)
    parser[profile.name] = {k: v for k in KEYS if (v := getattr(profile, k))}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        parser.write(handle)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def remove(path: Path, name: str) -> bool:
    parser = _parser(path)
    if not parser.remove_section(name):
        return False
    with path.open("w", encoding="utf-8") as handle:
        parser.write(handle)
    return True
