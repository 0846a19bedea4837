"""Checking ``.bas`` files: what ``python manage.py gb check`` reports.

``check_paths`` walks files and folders (recursively over ``*.bas``), parses each file and runs
the checker pass. A syntax error or a checker error makes the file "with errors"; statements the
platform parses but does not implement are warnings. A file that cannot be read (missing,
not UTF-8) is reported as an error on line 0 rather than stopping the whole check.

Every problem of a file is reported: parsing recovers at the next statement (``parse_all``).
A ``BOT``/``DELEGATE`` naming a bot is a warning unless the bot is known: a ``NAME.gbai``
folder in the same folder tree (below the folder holding the file's package) or, when the
caller passes ``bot_exists``, a bot of the database. A ``CALL name`` with no such SUB is a
warning unless the package has ``name.bas``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .checker import check
from .parser import parse_all


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    col: int
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "col": self.col, "message": self.message}


@dataclass(slots=True)
class FileReport:
    path: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
        }


def iter_bas_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders to the ``*.bas`` files below them (sorted); keep files as given."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".bas"))
        else:
            found.append(path)
    return found


def bots_in_tree(path: Path) -> set[str]:
    """Lower-case names of the ``NAME.gbai`` packages in the folder tree of ``path``: below
    the folder that holds the file's own package (or the file's folder outside a package)."""
    folder = path.resolve().parent
    root = next((p.parent for p in (folder, *folder.parents) if p.suffix.lower() == ".gbai"),
                folder)
    return {p.name[:-5].lower() for p in root.rglob("*") if p.is_dir()
            and p.name.lower().endswith(".gbai")}


def scripts_in_package(path: Path) -> set[str]:
    """Lower-case names of the ``.bas`` files of the package holding ``path`` (below its
    ``NAME.gbai`` folder, or in the file's own folder outside a package)."""
    folder = path.resolve().parent
    root = next((p for p in (folder, *folder.parents) if p.suffix.lower() == ".gbai"), None)
    found = root.rglob("*") if root is not None else folder.iterdir()
    return {p.stem.lower() for p in found if p.suffix.lower() == ".bas" and p.is_file()}


def check_source(source: str, path: str,
                 bot_known: Callable[[str], bool] | None = None,
                 script_known: Callable[[str], bool] | None = None) -> FileReport:
    """Parse (with recovery: every syntax error, see ``parse_all``) and check one script's
    text; the problems of each kind are in line order."""
    report = FileReport(path=path)
    program, syntax_errors = parse_all(source, path)
    report.errors.extend(Problem(e.line, e.col, e.message) for e in syntax_errors)
    for diagnostic in check(program, bot_known, script_known):
        problem = Problem(diagnostic.line, diagnostic.col, diagnostic.message)
        if diagnostic.severity == "error":
            report.errors.append(problem)
        else:
            report.warnings.append(problem)
    if not program.body and not syntax_errors and any(
            line.strip() and not line.lstrip().startswith(("'", "#", "REM ", "rem ")) for line in source.splitlines()):
        report.warnings.insert(0, Problem(1, 1, "no statement here: the file reads as notes or a prompt (prose), "
                                                "not BASIC, and runs as nothing"))
    report.errors.sort(key=lambda p: (p.line, p.col))
    return report


def check_file(path: Path, bot_exists: Callable[[str], bool] | None = None) -> FileReport:
    try:
        source = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return FileReport(path=str(path), errors=[Problem(0, 0, "no such file")])
    except UnicodeDecodeError as exc:
        return FileReport(path=str(path), errors=[Problem(0, 0, f"not UTF-8 text ({exc.reason})")])
    except OSError as exc:
        return FileReport(path=str(path), errors=[Problem(0, 0, f"cannot read: {exc.strerror}")])
    tree = bots_in_tree(path)
    scripts = scripts_in_package(path)

    def bot_known(name: str) -> bool:
        return name.lower() in tree or (bot_exists is not None and bot_exists(name))
    return check_source(source, str(path), bot_known,
                        lambda name: name.lower().removesuffix(".bas") in scripts)


def check_paths(paths: Iterable[str | Path],
                bot_exists: Callable[[str], bool] | None = None) -> list[FileReport]:
    """Reports of every ``.bas`` file under ``paths``; ``bot_exists(name)`` (the database)
    is asked about the bots a script calls that are not in its folder tree."""
    return [check_file(path, bot_exists) for path in iter_bas_files(paths)]


def format_text(reports: list[FileReport]) -> str:
    """One line per problem (``path:line:col: message``), then the summary line."""
    lines: list[str] = []
    for report in reports:
        for problem in report.errors:
            lines.append(f"{report.path}:{problem.line}:{problem.col}: error: {problem.message}")
        for problem in report.warnings:
            lines.append(f"{report.path}:{problem.line}:{problem.col}: warning: {problem.message}")
    ok = sum(1 for r in reports if r.ok)
    lines.append(f"checked {len(reports)} files: {ok} ok, {len(reports) - ok} with errors")
    return "\n".join(lines)


def format_json(reports: list[FileReport]) -> str:
    return json.dumps({"files": [r.as_dict() for r in reports]}, ensure_ascii=False, indent=2)
