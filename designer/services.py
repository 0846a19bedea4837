"""Writes of the designer: create, import, save (with the revision check), publish, restore,
run, re-run one step of a finished run.

Every change is checked against the per-bot access of ``generalbots.bots.selectors`` (the
operator grant of the document's bot). Publishing writes the program as a new version of the
bot's BotScript through ``bot_script_upsert`` (the packages' own path): earlier versions stay
for the runs pinned to them (DESIGN.md section 4.7). Nothing is written to the package folder a
bot was loaded from, so reloading that folder makes its file current again.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from designer.graph import graph_from_basic
from designer.graph.files import MAX_SOURCE_BYTES, SourceError, decode_source
from designer.models import DesignerDocument, DocumentState
from designer.selectors import bot_names_in_organization, document_versions
from designer.preview import preview_of_source
from designer.rerun import step_program
from generalbots.bots.models import Bot, BotScript
from generalbots.bots.packages.services import bot_script_upsert
from generalbots.bots.programs import analyse_script, source_hash
from generalbots.bots.selectors import bot_access_check
from generalbots.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from workflows.models import WorkflowExecution, WorkflowStep
from workflows.selectors import execution_get_for_user
from workflows.services import execution_start


def _source_checked(source: str) -> str:
    if len(source.encode("utf-8")) > MAX_SOURCE_BYTES:
        raise ApplicationError(f"the program is over {MAX_SOURCE_BYTES:,} bytes, the designer's limit",
                               code="designer.too_large")
    return source


def _may_change(*, user, bot: Bot | None) -> None:
    if bot is None:
        if not user.is_superuser:
            raise PermissionDeniedError("Choose one of your bots for the workflow.", code="designer.no_bot")
        return
    bot_access_check(user=user, bot=bot, operate=True)


def document_create(*, user, name: str, bot: Bot | None, source: str = "", script_name: str = "") -> DesignerDocument:
    """A new draft document (a new workflow, an imported file, a bot's script opened)."""
    _may_change(user=user, bot=bot)
    name = name.strip()
    if not name:
        raise ApplicationError("Give the workflow a name.", code="designer.no_name")
    return DesignerDocument.objects.create(name=name, bot=bot, script_name=script_name.strip(),
                                           basic_source=_source_checked(source))


def document_import(*, user, name: str, bot: Bot | None, data: bytes) -> DesignerDocument:
    """A document from an uploaded ``.bas`` (kept byte for byte; a file with syntax errors
    opens as code nodes with its problems). Raises ApplicationError for a file over the size
    limit or one that is not text."""
    try:
        source = decode_source(data)
    except SourceError as exc:
        raise ApplicationError(str(exc), code="designer.bad_file") from None
    return document_create(user=user, name=name, bot=bot, source=source)


def document_save(*, user, document: DesignerDocument, source: str, revision: int,
                  positions: dict | None = None) -> DesignerDocument:
    """Save the program as the document's next revision. ``revision`` is the one the editor
    started from: when someone saved in between, ConflictError, and nothing is overwritten
    (the editor keeps the person's text to copy or to merge)."""
    _may_change(user=user, bot=document.bot)
    fields = {"basic_source": _source_checked(source), "revision": F("revision") + 1,
              "state": DocumentState.DRAFT}
    if positions is not None:
        fields["graph"] = {"positions": positions}
    updated = DesignerDocument.objects.filter(pk=document.pk, revision=revision).update(**fields)
    if not updated:
        current = DesignerDocument.objects.filter(pk=document.pk).values_list("revision", flat=True).first()
        raise ConflictError(
            f"Someone saved this workflow (revision {current}) after you opened revision {revision}. "
            "Your text is kept in the editor: reload to see theirs, then apply your change again.",
            code="designer.conflict", extra={"revision": current})
    document.refresh_from_db()
    return document


@transaction.atomic
def document_publish(*, user, document: DesignerDocument) -> BotScript:
    """Publish the saved program as a new current version of the bot's script; refused while
    the program has errors (of ``gb check`` or of the graph checks)."""
    if document.bot is None:
        raise ApplicationError("Choose the bot to publish into first.", code="designer.no_bot")
    _may_change(user=user, bot=document.bot)
    preview = preview_of_source(document.basic_source, bot_names=bot_names_in_organization(bot=document.bot))
    errors = [p for p in preview.problems if p["severity"] == "error"]
    if errors:
        first = errors[0]
        raise ApplicationError(f"Fix the {len(errors)} error(s) first; line {first['line']}: {first['message']}",
                               code="designer.has_errors", extra={"problems": errors})
    name = document.script_name or document.name
    script = bot_script_upsert(bot=document.bot, name=name, path=f"{document.bot.name}.gbdialog/{name}.bas",
                               source=document.basic_source)
    DesignerDocument.objects.filter(pk=document.pk).update(state=DocumentState.PUBLISHED, script_name=name)
    document.refresh_from_db()
    return script


def document_restore(*, user, document: DesignerDocument, script_id: int, revision: int) -> DesignerDocument:
    """Bring a published version back into the editor as the next revision (publish it to
    make it current again)."""
    version = document_versions(document=document).filter(pk=script_id).first()
    if version is None:
        raise ApplicationError("No such version of this workflow.", code="designer.no_version")
    return document_save(user=user, document=document, source=version.source, revision=revision)


def graph_of_document(document: DesignerDocument) -> dict:
    """The canvas graph of the document's program."""
    return graph_from_basic(document.basic_source)


def document_run(*, user, document: DesignerDocument, variables: dict) -> WorkflowExecution:
    """Start a run of the document's published version with ``variables`` (the Run form).
    A run uses a published BotScript version, pinned for its whole life (DESIGN.md section
    4.7), so a document whose saved program is not the current version is refused: publish it
    first."""
    if document.bot is None:
        raise ApplicationError("Choose the bot to run the workflow in first.", code="designer.no_bot")
    _may_change(user=user, bot=document.bot)
    name = document.script_name or document.name
    script = BotScript.objects.current().filter(bot=document.bot, name=name,
                                                 source_hash=source_hash(document.basic_source)).first()
    if script is None:
        raise ApplicationError("Publish this version first: runs start from a published version, which "
                               "they keep while you edit.", code="designer.not_published")
    return execution_start(bot=document.bot, variables=variables, started_by=user, script=script)


def step_rerun(*, user, execution_id, step_id: int) -> WorkflowExecution:
    """Run one STEP of a finished run again with the variables it had when it began.

    The re-run is a new top-level run of the same bot, linked to the original (``rerun_of``):
    its program is the STEP's statement cut from the original's pinned script
    (``designer.rerun.step_program``, kept as a version of its own that is never current) and
    its input is the step row's ``variables``. It needs the operator grant of the run's bot,
    like any start; a run still going, a step of another run, and a step recorded without its
    variables are refused with a message."""
    execution = execution_get_for_user(user=user, execution_id=execution_id, operate=True)
    if not execution.is_finished:
        raise ConflictError("The run is still going: re-run a step once it has finished.",
                            code="designer.run_not_finished", extra={"status": execution.status})
    step = WorkflowStep.objects.filter(execution=execution, pk=step_id).first()
    if step is None:
        raise ApplicationError("No such step in this run.", code="designer.no_step", extra={"step": step_id})
    if step.variables is None:
        raise ApplicationError(f"STEP {step.label} was recorded without the variables it began with, so it "
                               "cannot be re-run with them.", code="designer.no_step_variables")
    original = execution.script or BotScript.objects.filter(bot=execution.bot, source_hash=execution.script_hash).first()
    if original is None:
        raise ApplicationError("The script version this run used is gone.", code="designer.no_script")
    source = step_program(original.source, line=step.line, label=step.label, workflow_name=execution.workflow_name)
    name = f"{original.name}-step-{step.label}".lower()[:200]
    path = f"{execution.bot.name}.gbdialog/{name}.bas"
    analysis = analyse_script(name=name, source=source, path=path)
    script, _ = BotScript.objects.get_or_create(
        bot=execution.bot, name=name, source_hash=source_hash(source),
        defaults={"path": path, "source": source, "is_current": False, "is_tool": False,
                  "problems": analysis.problems})
    return execution_start(bot=execution.bot, variables=step.variables, started_by=user, script=script,
                           rerun_of=execution)
