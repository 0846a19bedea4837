"""*Use this template*: copy a template's bots under a new name into an organization, set its
config rows, and open its workflow in the designer.

Choices:

- Every bot of the template is copied, none shared: the workflow bot becomes ``NAME`` and each
  bot it calls ``NAME-<bot>`` (bot names are unique across organizations, so a shared
  ``triage`` could serve only one tenant; a copy per use keeps tenants and uses apart, and each
  copy's settings its own). The copies' dialogs name the copies: ``BOT "triage"`` becomes
  ``BOT "NAME-triage"`` (also in ``DELEGATE ... TO BOT``, ``BOT SHARE MEMORY ... WITH`` and
  ``BOT SYNC MEMORY FROM``), and the workflow's ``ORCHESTRATE WORKFLOW`` names ``NAME``.
- The copies are package folders on disk, ``GB_PACKAGE_UPLOAD_DIR/<organization>/<bot>.gbai``
  (where uploaded packages go), loaded by ``bot_upsert_from_package`` into the organization:
  reloading one reads the copy, never the template.
- The person needs the right to install packages into the organization
  (``organizations_for_package_upload``); someone who is not a superuser gets the operator
  grant of every bot made, as an upload gives.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction

from designer.gallery.selectors import WorkflowTemplate
from designer.models import DesignerDocument, DocumentState
from designer.services import document_create
from generalbots.bots.models import Bot, BotAccess
from generalbots.bots.packages.files import BOT_NAME, SUFFIX, read_package
from generalbots.bots.packages.services import bot_upsert_from_package
from generalbots.bots.selectors import organizations_for_package_upload
from generalbots.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from generalbots.core.models import Organization


def template_names(template: WorkflowTemplate, name: str) -> dict[str, str]:
    """The name each package of ``template`` gets when it is used as ``name``."""
    return {p.name: name if p is template.workflow else f"{name}-{p.name}" for p in template.packages}


def _bot_pattern(names) -> re.Pattern:
    quoted = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r'(\bBOT\s+(?:SHARE\s+MEMORY\b[^\r\n"]*(?:"[^"\r\n]*"[^\r\n"]*)*?\bWITH\s+|SYNC\s+MEMORY\s+FROM\s+)?)'
                      rf'"({quoted})"', re.IGNORECASE)


def renamed_source(source: str, names: dict[str, str], *, workflow: str | None = None) -> str:
    """``source`` naming the copies: every bot of ``names`` a BOT step, DELEGATE, or BOT SHARE /
    SYNC MEMORY names, and (``workflow``) the name of its ``ORCHESTRATE WORKFLOW``."""
    if names:
        source = _bot_pattern(names).sub(lambda m: f'{m.group(1)}"{names.get(m.group(2), m.group(2))}"', source)
    if workflow is not None:
        source = re.sub(r'(^\s*ORCHESTRATE\s+WORKFLOW\s+)"[^"\r\n]*"', lambda m: f'{m.group(1)}"{workflow}"', source,
                        count=1, flags=re.IGNORECASE | re.MULTILINE)
    return source


def _config_with(text: str, rows: dict[str, str]) -> str:
    """``config.csv`` text with the values of ``rows`` (comments, order and other rows kept)."""
    out, seen = [], set()
    for line in text.splitlines(keepends=True):
        row = next(csv.reader([line]), [])
        key = row[0].strip() if row else ""
        if key in rows and not key.startswith("#"):
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerow([key, rows[key]])
            out.append(buffer.getvalue())
            seen.add(key)
        else:
            out.append(line)
    if out and not out[-1].endswith("\n"):
        out[-1] += "\n"
    for key in rows.keys() - seen:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([key, rows[key]])
        out.append(buffer.getvalue())
    return "".join(out)


def _copy(package_path: Path, old: str, new: str, target: Path) -> None:
    """Copy the package folder to ``target`` (``new.gbai``), its ``old.*`` folders renamed."""
    if target.exists():
        shutil.rmtree(target)  # a copy no bot uses any more (the names were checked free)
    shutil.copytree(package_path, target)
    for child in list(target.iterdir()):
        if child.is_dir() and child.name.lower().startswith(f"{old}."):
            child.rename(target / f"{new}{child.name[len(old):]}")


def _check_names(names: list[str]) -> None:
    bad = [n for n in names if not BOT_NAME.match(n)]
    if bad:
        raise ApplicationError(f"The name would make the bot name {bad[0]!r}, which is too long or not a bot name.",
                               code="designer.bad_name", extra={"field": "name"})
    taken = sorted(Bot.objects.filter(name__in=names).values_list("name", flat=True))
    if taken:
        raise ConflictError(f"The name {taken[0]!r} is taken: choose another name.", code="designer.name_taken",
                            extra={"field": "name", "taken": taken})


def template_use(*, user, template: WorkflowTemplate, name: str, organization: Organization,
                 config: dict[str, dict[str, str]]) -> DesignerDocument:
    """Copy ``template``'s bots as ``name`` into ``organization`` with the ``config`` rows set
    (``{package: {param-key: text}}``, see module docstring); returns the designer document of
    the new workflow, which is the current version of its bot's dialog (published). Refused,
    with nothing written, for a name taken or not a bot name (``extra["field"] == "name"``) and
    for an organization the person may not install into."""
    if not organizations_for_package_upload(user=user).filter(pk=organization.pk).exists():
        raise PermissionDeniedError(f"You may not install bots into {organization.name}.",
                                    code="designer.organization_denied")
    names = template_names(template, name)
    _check_names(list(names.values()))
    root = Path(settings.GB_PACKAGE_UPLOAD_DIR) / organization.slug
    root.mkdir(parents=True, exist_ok=True)
    copied: list[Path] = []
    try:
        for package in template.packages:
            target = root / f"{names[package.name]}{SUFFIX}"
            _copy(package.path, package.name, names[package.name], target)
            copied.append(target)
            is_workflow = package is template.workflow
            for bas in target.rglob("*.bas"):
                text = bas.read_text(encoding="utf-8-sig")
                bas.write_text(renamed_source(text, names, workflow=name if is_workflow else None), encoding="utf-8")
            rows = config.get(package.name)
            if rows:
                csv_path = target / f"{names[package.name]}.gbot" / "config.csv"
                csv_path.parent.mkdir(exist_ok=True)
                csv_path.write_text(_config_with(csv_path.read_text(encoding="utf-8-sig") if csv_path.exists()
                                                 else "name,value\n", rows), encoding="utf-8")
        with transaction.atomic():
            bots = {}
            for target in copied:
                bot, _status = bot_upsert_from_package(package=read_package(target), organization=organization)
                bots[bot.name] = bot
                if not user.is_superuser:
                    BotAccess.objects.get_or_create(bot=bot, user=user, defaults={"can_operate": True})
            dialog = template.dialog.name
            source = bots[name].scripts.get(name=dialog, is_current=True).source
            document = document_create(user=user, name=name, bot=bots[name], source=source, script_name=dialog)
            DesignerDocument.objects.filter(pk=document.pk).update(state=DocumentState.PUBLISHED)
            document.state = DocumentState.PUBLISHED
            return document
    except BaseException:
        for target in copied:
            shutil.rmtree(target, ignore_errors=True)
        raise
