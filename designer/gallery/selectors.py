"""The workflow templates the gallery offers: every folder of ``GB_TEMPLATES_DIR`` holding a
workflow bot (a ``.gbai`` package with a dialog that runs ``ORCHESTRATE WORKFLOW``), with the
bots it calls beside it. A folder is read and parsed again only when a file in it changed
(its names, sizes and modification times; one ``stat`` per file), so a template edited on disk
shows at the next request; nothing here touches the database."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from generalbots.bots.packages.files import Dialog, Package, discover, read_package
from generalbots.core.exceptions import NotFoundError

_WORKFLOW = re.compile(r"^\s*ORCHESTRATE\s+WORKFLOW\b", re.IGNORECASE | re.MULTILINE)
DESCRIPTION_CHARS = 400


@dataclass(frozen=True)
class Param:
    """One ``param-*`` config row of a package of a template."""

    package: str
    key: str
    value: str

    @property
    def field_name(self) -> str:
        return f"{self.package}/{self.key}"


@dataclass(frozen=True)
class WorkflowTemplate:
    slug: str
    path: Path
    title: str
    description: str
    workflow: Package  # the workflow bot's package
    dialog: Dialog  # its workflow dialog
    packages: tuple[Package, ...]  # every package of the template, the workflow's first

    @property
    def params(self) -> list[Param]:
        return [Param(p.name, key, value) for p in self.packages for key, value in p.config.items()
                if key.lower().startswith("param-") and len(key) > 6]


def _workflow_dialog(package: Package) -> Dialog | None:
    found = [d for d in package.dialogs if _WORKFLOW.search(d.source)]
    return next((d for d in found if d.name == "start"), found[0] if found else None)


def _readme(folder: Path) -> tuple[str, str]:
    """The first heading and the first paragraph of ``README.md`` (empty when there is none)."""
    readme = folder / "README.md"
    if not readme.is_file():
        return "", ""
    heading, paragraph = "", []
    for line in readme.read_text(encoding="utf-8", errors="replace").splitlines():
        text = line.strip()
        if text.startswith("#"):
            if paragraph:
                break
            heading = heading or text.lstrip("#").strip()
        elif text.startswith(("```", "|", "![")):
            if paragraph:
                break
        elif text:
            paragraph.append(text)
        elif paragraph:
            break
    description = " ".join(paragraph).replace("`", "")
    if len(description) > DESCRIPTION_CHARS:
        description = description[:DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return heading, description


def _template(folder: Path) -> WorkflowTemplate | None:
    packages = [read_package(path) for path in discover([folder])]
    workflows = [(p, d) for p in packages if (d := _workflow_dialog(p)) is not None]
    if not workflows:
        return None
    workflow, dialog = next(((p, d) for p, d in workflows if p.name == folder.name), workflows[0])
    heading, description = _readme(folder)
    title = workflow.config.get("Title") or heading.split(":")[0].strip() or folder.name
    others = tuple(p for p in packages if p.name != workflow.name)
    return WorkflowTemplate(slug=folder.name, path=folder, title=title, description=description,
                            workflow=workflow, dialog=dialog, packages=(workflow, *others))


def _signature(folder: Path) -> tuple:
    """What changes when a file under ``folder`` is added, removed, resized or rewritten."""
    entries = []
    for directory, _dirs, files in os.walk(folder):
        for name in files:
            try:
                info = os.stat(os.path.join(directory, name))
            except OSError:
                continue
            entries.append((directory, name, info.st_size, info.st_mtime_ns))
    return tuple(sorted(entries))


# folder -> (signature, template); bounded by the folders of GB_TEMPLATES_DIR (stale keys dropped)
_parsed: dict[Path, tuple[tuple, WorkflowTemplate | None]] = {}


def _cached_template(folder: Path) -> WorkflowTemplate | None:
    signature = _signature(folder)
    known = _parsed.get(folder)
    if known is None or known[0] != signature:
        known = _parsed[folder] = (signature, _template(folder))
    return known[1]


def templates_list() -> list[WorkflowTemplate]:
    """The workflow templates, by folder name."""
    root = Path(settings.GB_TEMPLATES_DIR)
    if not root.is_dir():
        return []
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for stale in set(_parsed) - set(folders):
        del _parsed[stale]
    return [t for t in map(_cached_template, folders) if t is not None]


def template_get(*, slug: str) -> WorkflowTemplate:
    """The template of folder ``slug`` (only folders the gallery lists: a name is never a path)."""
    for template in templates_list():
        if template.slug == slug:
            return template
    raise NotFoundError(f"No workflow template {slug!r}.", code="designer.no_template", extra={"slug": slug})
