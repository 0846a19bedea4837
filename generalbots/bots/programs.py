"""Scripts as programs: compiling (cached by source hash), checking, tool schemas.

A tool is a script with PARAM or DESCRIPTION lines (BASIC.md §4). Its OpenAI function schema
maps each PARAM: INTEGER -> integer; NUMBER, FLOAT, MONEY, CURRENCY -> number; BOOLEAN ->
boolean; DATE -> string with format date; anything else -> string. ENUM gives ``enum``,
DESCRIPTION the description (LIKE examples are appended to it), and a PARAM that is neither
OPTIONAL nor has a DEFAULT is required.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from generalbots.basic import BasicError, Program, compile_source
from generalbots.basic.checking import check_source
from generalbots.basic.values import to_text

TYPE_SCHEMAS: dict[str, dict] = {
    "INTEGER": {"type": "integer"},
    "NUMBER": {"type": "number"},
    "FLOAT": {"type": "number"},
    "MONEY": {"type": "number"},
    "CURRENCY": {"type": "number"},
    "BOOLEAN": {"type": "boolean"},
    "DATE": {"type": "string", "format": "date"},
}
_TOOL_NAME = re.compile(r"[^A-Za-z0-9_-]")
_CACHE_SIZE = 256
_cache: OrderedDict[tuple[str, str], Program] = OrderedDict()
_lock = threading.Lock()


def source_hash(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def program_for(*, source: str, path: str, digest: str | None = None) -> Program:
    """The compiled program of ``source`` (raises BasicError); compiled once per process."""
    key = (digest or source_hash(source), path)
    with _lock:
        program = _cache.get(key)
        if program is not None:
            _cache.move_to_end(key)
            return program
    program = compile_source(source, path)
    with _lock:
        _cache[key] = program
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return program


def tool_name(name: str) -> str:
    """A function name the OpenAI API accepts (letters, digits, ``_``, ``-``; 64 at most)."""
    return _TOOL_NAME.sub("_", name)[:64] or "tool"


def tool_schema(name: str, program: Program) -> dict:
    """The OpenAI function schema of a tool script (see module docstring)."""
    properties: dict[str, dict] = {}
    required: list[str] = []
    for param in program.params:
        prop = dict(TYPE_SCHEMAS.get((param.type_name or "").upper(), {"type": "string"}))
        description = param.description or ""
        if param.example is not None:
            description = (description + " " if description else "") + f"(e.g. {to_text(param.example)})"
        if description:
            prop["description"] = description
        if param.enum:
            prop["enum"] = list(param.enum)
        properties[param.display] = prop
        if not param.optional and not param.has_default:
            required.append(param.display)
    return {
        "type": "function",
        "function": {
            "name": tool_name(name),
            "description": program.description or f"Runs the {name} script.",
            "parameters": {"type": "object", "properties": properties, "required": required},
        },
    }


@dataclass
class ScriptAnalysis:
    problems: list[dict] = field(default_factory=list)
    is_tool: bool = False
    schema: dict | None = None


def analyse_script(*, name: str, source: str, path: str) -> ScriptAnalysis:
    """Parse and check a script: its problems, and its tool schema when it is a tool."""
    analysis = ScriptAnalysis()
    report = check_source(source, path)
    for severity, found in (("error", report.errors), ("warning", report.warnings)):
        for problem in found:
            analysis.problems.append({"path": path, "line": problem.line, "col": problem.col,
                                      "severity": severity, "message": problem.message})
    if report.errors:
        return analysis
    try:
        program = program_for(source=source, path=path)
    except BasicError as exc:
        analysis.problems.append({"path": path, "line": exc.line, "col": exc.col, "severity": "error",
                                  "message": exc.message})
        return analysis
    if program.params or program.description:
        analysis.is_tool = True
        analysis.schema = tool_schema(name, program)
    return analysis
