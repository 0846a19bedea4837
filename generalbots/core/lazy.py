"""Modules imported when first used, so that a process that never uses them never pays for them.

Worker processes run workflow slices; only a few of their tasks index documents or search a
vector store, yet ``django.setup()`` reaches the modules that would (admin, services, the BASIC
runtime). ``lazy_module("qdrant_client.models")`` stands for the module and imports it on the
first attribute read, so ``qm.Filter(...)`` reads as before. ``tests/test_lean_imports.py`` keeps
the heavy libraries out of a worker's start.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class lazy_module:  # noqa: N801 — used like the module it stands for
    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str):
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}{'' if self._module is None else ' (imported)'}>"
