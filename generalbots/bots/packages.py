"""``.gbai`` packages on disk: where they are, what they say, which version they are.

A package is a folder ``NAME.gbai`` holding ``NAME.gbot/config.csv`` (and, read by later
parts of the platform, ``NAME.gbdialog``, ``NAME.gbkb``, ``NAME.gbtheme``). Nothing here
touches the database: ``bots.services.packages_load`` turns packages into Bot rows.
"""

import csv
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.text import slugify

SUFFIX = ".gbai"


@dataclass(frozen=True)
class Package:
    name: str
    path: Path
    config: dict[str, str] = field(default_factory=dict)
    version_hash: str = ""

    @property
    def title(self) -> str:
        return self.config.get("Title") or self.name.replace("-", " ").replace("_", " ").title()


def package_roots() -> list[Path]:
    """Folders searched for packages: the shipped templates, then ``GB_BOTS_DIRS``."""
    return [Path(settings.GB_TEMPLATES_DIR), *settings.GB_BOTS_DIRS]


def discover(roots: Iterable[Path]) -> Iterator[Path]:
    """Every ``*.gbai`` folder at or below each root (a root may itself be a package)."""
    for root in roots:
        root = Path(root)
        if root.is_dir() and root.name.endswith(SUFFIX):
            yield root.resolve()
        elif root.is_dir():
            yield from (p.resolve() for p in sorted(root.rglob(f"*{SUFFIX}")) if p.is_dir())


def package_name(path: Path) -> str:
    return slugify(path.name.removesuffix(SUFFIX))


def read_config(path: Path) -> dict[str, str]:
    """``NAME.gbot/config.csv`` as a dict: ``name,value`` rows, ``#`` comments, blank rows.

    A leading ``name,value`` header is skipped; an unquoted value holding commas keeps them.
    A package without the file has an empty config.
    """
    stem = path.name.removesuffix(SUFFIX)
    config_file = path / f"{stem}.gbot" / "config.csv"
    if not config_file.is_file():
        return {}
    config: dict[str, str] = {}
    with config_file.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.reader(handle):
            if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
                continue
            key, value = row[0].strip(), ",".join(row[1:]).strip()
            if not config and (key.lower(), value.lower()) == ("name", "value"):
                continue
            config[key] = value
    return config


def version_hash(path: Path) -> str:
    """SHA-256 over the relative path and content of every file, hidden files excepted."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        relative = file.relative_to(path)
        if any(part.startswith(".") for part in relative.parts):
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def read_package(path: Path) -> Package:
    path = Path(path).resolve()
    return Package(name=package_name(path), path=path, config=read_config(path), version_hash=version_hash(path))
