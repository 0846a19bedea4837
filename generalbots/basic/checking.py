"""Checking ``.bas`` files: what ``python manage.py gb check`` reports.

``check_paths`` walks files and folders (recursively over ``*.bas``), parses each file and runs
the checker pass. A syntax error or a checker error makes the file "with errors"; statements the
platform parses but does not implement are warnings. A file that cannot be read (missing,
not UTF-8) is reported as an error on line 0 rather than stopping the whole check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .checker import check
from .errors import BasicError
from .parser import parse


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


def check_source(source: str, path: str) -> FileReport:
    """Parse and check one script's text."""
    report = FileReport(path=path)
    try:
        program = parse(source, path)
    except BasicError as exc:
        report.errors.append(Problem(exc.line, exc.col, exc.message))
        return report
    for diagnostic in check(program):
        problem = Problem(diagnostic.line, diagnostic.col, diagnostic.message)
        if diagnostic.severity == "error":
            report.errors.append(problem)
        else:
            report.warnings.append(problem)
    return report


def check_file(path: Path) -> FileReport:
    try:
        source = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return FileReport(path=str(path), errors=[Problem(0, 0, "no such file")])
    except UnicodeDecodeError as exc:
        return FileReport(path=str(path), errors=[Problem(0, 0, f"not UTF-8 text ({exc.reason})")])
    except OSError as exc:
        return FileReport(path=str(path), errors=[Problem(0, 0, f"cannot read: {exc.strerror}")])
    return check_source(source, str(path))


def check_paths(paths: Iterable[str | Path]) -> list[FileReport]:
    return [check_file(path) for path in iter_bas_files(paths)]


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
