"""Round trips of ``.bas`` files, for ``gb roundtrip`` and the designer's import: read a file,
build its graph, write it back and compare. A file is read as it is on disk (its line endings
and byte-order mark kept), so ``identical`` means byte for byte."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from generalbots.basic.checking import iter_bas_files

from .build import graph_from_basic
from .render import basic_from_graph

MAX_SOURCE_BYTES = 512 * 1024


class SourceError(ValueError):
    """A file or upload that is not a BASIC program the designer can open (too big, not text)."""


def decode_source(data: bytes) -> str:
    """The text of an uploaded or read program; ``SourceError`` says why it cannot be opened."""
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(f"the file is {len(data):,} bytes; the designer opens programs up to "
                          f"{MAX_SOURCE_BYTES:,} bytes")
    if b"\x00" in data:
        raise SourceError("the file is not BASIC text (it holds binary data)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def roundtrip_source(source: str) -> tuple[bool, str | None]:
    """``(identical, error)`` for one program's text; ``error`` is its syntax error, if any."""
    graph = graph_from_basic(source)
    error = graph["error"]
    message = f"line {error['line']}: {error['message']}" if error else None
    return basic_from_graph(graph) == source, message


def roundtrip_paths(paths: Iterable[str | Path]) -> list[dict]:
    """One report per ``.bas`` file under ``paths``: ``{"path", "identical", "error"?}``."""
    reports = []
    for path in iter_bas_files(paths):
        report: dict = {"path": str(path)}
        try:
            identical, error = roundtrip_source(decode_source(path.read_bytes()))
        except (OSError, SourceError) as exc:
            identical, error = False, getattr(exc, "strerror", None) or str(exc)
        report["identical"] = identical
        if error:
            report["error"] = error
        reports.append(report)
    return reports
