"""The layers of DESIGN.md §1 that import-linter (``make test``) also checks."""

import ast
from pathlib import Path

from generalbots.bots.signals import package_loaded
from llmrouter.services import models_sync_on_package_loaded

ROOT = Path(__file__).resolve().parent.parent


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_bots_does_not_import_llmrouter():
    # given every module of the bots layer
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _imported_modules(path) if m.split(".")[0] == "llmrouter")
        for path in (ROOT / "generalbots" / "bots").rglob("*.py")
    }
    # then none of them imports llmrouter (layer 3)
    assert {path: names for path, names in offenders.items() if names} == {}


def test_llmrouter_receiver_is_connected_once():
    # given the apps are ready (llmrouter connected its receiver in ready())
    uid = "llmrouter.models_sync_on_package_loaded"
    # when ready() connects it again, as a second import of the app would
    package_loaded.connect(models_sync_on_package_loaded, dispatch_uid=uid)
    # then the signal still holds it once
    lookups = [entry[0] for entry in package_loaded.receivers if entry[0][0] == uid]
    assert len(lookups) == 1
    assert package_loaded.has_listeners()
