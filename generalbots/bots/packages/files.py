"""``.gbai`` packages on disk: where they are, what they say, which version they are.

A package is a folder ``NAME.gbai`` holding ``NAME.gbot/config.csv``, dialogs in
``NAME.gbdialog``, knowledge bases in ``NAME.gbkb/<kb>/`` and web chat styles in
``NAME.gbtheme``. Nothing here touches the database: ``packages.services.packages_load`` turns
packages into Bot and BotScript rows.

Real packages are irregular (BASIC.md §6): every ``*.bas`` below the package is a dialog,
wherever it sits (directly under ``NAME.gbai/``, in ``X.gbdialog``, in sub-folders), except
inside the data folders (``.gbkb``, ``.gbdrive``, ``.gbtheme``). What is odd is reported as a
note; what cannot be read as an error; nothing odd stops the package from loading. Two dialogs
with the same file stem: the one in ``NAME.gbdialog/`` (else the first by path) wins.
"""

import csv
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.text import slugify

SUFFIX = ".gbai"


MAX_DIALOG_BYTES = 1_000_000
DATA_FOLDERS = (".gbkb", ".gbdrive", ".gbtheme")


@dataclass(frozen=True)
class Problem:
    """Something odd or broken in a package file; shown as ``path:line: message``."""

    path: str
    message: str
    severity: str = "note"  # error, warning or note
    line: int = 0
    col: int = 0

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "col": self.col, "severity": self.severity,
                "message": self.message}


@dataclass(frozen=True)
class Dialog:
    """One ``.bas`` file of a package: ``name`` is its stem in lower case."""

    name: str
    path: str  # relative to the package, POSIX separators
    source: str


@dataclass(frozen=True)
class Package:
    name: str
    path: Path
    config: dict[str, str] = field(default_factory=dict)
    version_hash: str = ""
    dialogs: tuple[Dialog, ...] = ()
    problems: tuple[Problem, ...] = ()
    knowledge_bases: tuple[dict, ...] = ()
    theme_css: str = ""

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


# What a bot may be called: it names the bot's storage folder, its URLs and its memory, so
# it must be a real name, never empty, "." or "..", nor anything slugify could not make.
BOT_NAME = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,98}[a-z0-9])?\Z")


def package_name(path: Path) -> str:
    return slugify(path.name.removesuffix(SUFFIX))


def package_name_problem(folder: str) -> str | None:
    """Why the package folder ``folder`` (``NAME.gbai``, no path) cannot name a bot, or None."""
    name = slugify(folder.removesuffix(SUFFIX))
    if BOT_NAME.match(name):
        return None
    if not name:
        return (f"The package folder {folder!r} does not name a bot: the part before {SUFFIX} needs letters or "
                f"digits (a-z, 0-9, '-', '_'), e.g. 'sales-bot{SUFFIX}'.")
    return f"The package folder {folder!r} gives the bot name {name!r}, which is longer than 100 characters."


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


def _visible_files(path: Path) -> list[Path]:
    return sorted(
        p for p in path.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )


def read_dialogs(path: Path) -> tuple[list[Dialog], list[Problem]]:
    """Every dialog of the package and the problems found reading them (see module doc)."""
    stem = path.name.removesuffix(SUFFIX)
    home = f"{stem}.gbdialog".lower()
    dialogs: dict[str, Dialog] = {}
    problems: list[Problem] = []
    noted_folders: set[str] = set()
    files = [p for p in _visible_files(path) if p.suffix.lower() == ".bas"]
    # The package's own dialog folder first, so its files win over stray copies.
    files.sort(key=lambda p: (p.relative_to(path).parts[0].lower() != home, p.relative_to(path).as_posix()))
    for file in files:
        relative = file.relative_to(path)
        rel = relative.as_posix()
        folders = [part.lower() for part in relative.parts[:-1]]
        if any(folder.endswith(DATA_FOLDERS) for folder in folders):
            continue
        dialog_folders = [part for part in relative.parts[:-1] if part.lower().endswith(".gbdialog")]
        if not dialog_folders:
            problems.append(Problem(rel, f"dialog outside {stem}.gbdialog/: loaded anyway"))
        elif dialog_folders[0].lower() != home and dialog_folders[0] not in noted_folders:
            noted_folders.add(dialog_folders[0])
            problems.append(Problem(rel, f"dialog folder {dialog_folders[0]} is not {stem}.gbdialog: loaded anyway"))
        name = file.stem.lower()
        if name in dialogs:
            problems.append(Problem(
                rel, f"a dialog named {name!r} is already loaded from {dialogs[name].path}: this one is ignored",
                "warning"))
            continue
        if file.stat().st_size > MAX_DIALOG_BYTES:
            problems.append(Problem(rel, f"larger than {MAX_DIALOG_BYTES} bytes: not loaded", "error"))
            continue
        try:
            source = file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(Problem(rel, f"not UTF-8 text ({exc.reason}): not loaded", "error"))
            continue
        dialogs[name] = Dialog(name=name, path=rel, source=source)
    return list(dialogs.values()), problems


def read_knowledge_bases(path: Path) -> list[dict]:
    """``NAME.gbkb/<kb>/...``: one entry per knowledge base with its file count."""
    bases = []
    for kb_root in sorted(p for p in path.iterdir() if p.is_dir() and p.name.lower().endswith(".gbkb")):
        for kb in sorted(p for p in kb_root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            bases.append({"name": kb.name, "path": kb.relative_to(path).as_posix(), "files": len(_visible_files(kb))})
    return bases


def read_theme_css(path: Path) -> str:
    """The ``.css`` files of the package's ``.gbtheme`` folders, concatenated in path order."""
    parts = []
    for theme in sorted(p for p in path.iterdir() if p.is_dir() and p.name.lower().endswith(".gbtheme")):
        for css in _visible_files(theme):
            if css.suffix.lower() == ".css":
                parts.append(f"/* {css.relative_to(path).as_posix()} */\n" + css.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


def read_package(path: Path) -> Package:
    """Everything the platform needs from a package folder; never raises for odd contents."""
    path = Path(path).resolve()
    dialogs, problems = read_dialogs(path)
    try:
        config = read_config(path)
    except (UnicodeDecodeError, csv.Error) as exc:
        config = {}
        stem = path.name.removesuffix(SUFFIX)
        problems.append(Problem(f"{stem}.gbot/config.csv", f"cannot be read ({exc}): the bot has no config", "error"))
    return Package(
        name=package_name(path), path=path, config=config, version_hash=version_hash(path),
        dialogs=tuple(dialogs), problems=tuple(problems), knowledge_bases=tuple(read_knowledge_bases(path)),
        theme_css=read_theme_css(path),
    )

