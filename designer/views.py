"""The designer's pages (``/designer/``): the list of documents and bots, the editor, and the
HTMX partials the editor asks for (preview, save, publish, versions, restore).

Every view needs a login and goes through the designer's selectors and services, so the
per-bot access rule is the one of the rest of the site. Domain errors render the message
partial with their status (400, 403, 404, 409)."""

from __future__ import annotations

import difflib
import json

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from designer.gallery.selectors import templates_list
from designer.graph import CONTAINERS, LEAVES, GraphError
from designer.graph.kinds import line_of
from designer.models import DesignerDocument
from designer.preview import preview_of_graph, preview_of_source
from designer.selectors import (bot_names_in_organization, bot_scripts_for_user, document_get_for_user,
                                document_versions, documents_visible_to)
from designer.inputs import workflow_inputs
from designer.services import (document_create, document_import, document_publish, document_restore,
                               document_run, document_save, graph_of_document, step_rerun)
from generalbots.bots.models import BotScript
from generalbots.bots.selectors import bot_get_for_user, bots_visible_to
from generalbots.core.exceptions import ApplicationError, NotFoundError
from workflows.selectors import execution_get_for_user

def _message(request, exc: ApplicationError):
    return render(request, "designer/_message.html", {"message": exc.message, "level": "error"}, status=exc.http_status)


def _palette() -> list[dict]:
    """The node types the palette offers, with the BASIC a new one starts as."""
    items = [{"kind": k.name, "label": k.label, "fields": dict(k.defaults), "line": line_of(k.name, k.defaults)}
             for k in LEAVES.values()]
    items += [{"kind": k.name, "label": k.label, "fields": {"header": k.new_header}, "line": k.new_header,
               "dividers": list(k.new_dividers)} for k in CONTAINERS.values() if k.name != "select"]
    items.append({"kind": "code", "label": "Code", "fields": {"code": "x = 1\n"}, "line": "x = 1"})
    return items


@require_GET
@login_required
def index(request):
    """Documents, *New workflow*, *Open a bot's script*, *Import .bas*, the templates gallery."""
    return render(request, "designer/index.html", {
        "templates": templates_list(),
        "documents": documents_visible_to(user=request.user)[:200],
        "bots": bots_visible_to(user=request.user, operate=True).order_by("name"),
        "scripts": bot_scripts_for_user(user=request.user)[:500],
    })


def _bot_of(request):
    name = request.POST.get("bot", "")
    return bot_get_for_user(name=name, user=request.user, operate=True) if name else None


@require_POST
@login_required
def document_new(request):
    try:
        document = document_create(user=request.user, name=request.POST.get("name", ""), bot=_bot_of(request))
    except ApplicationError as exc:
        return _message(request, exc)
    return redirect("designer:editor", document.pk)


@require_POST
@login_required
def document_open_script(request):
    """A new document holding the current version of a bot's script."""
    script = bot_scripts_for_user(user=request.user).filter(pk=request.POST.get("script") or 0).first()
    try:
        if script is None:
            raise NotFoundError("No such script.", code="not_found")
        document = document_create(user=request.user, name=script.name, bot=script.bot, source=script.source,
                                   script_name=script.name)
    except ApplicationError as exc:
        return _message(request, exc)
    return redirect("designer:editor", document.pk)


@require_POST
@login_required
def document_upload(request):
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ApplicationError("Choose a .bas file to import.", code="designer.no_file")
        name = request.POST.get("name") or upload.name.rsplit("/", 1)[-1].removesuffix(".bas")
        document = document_import(user=request.user, name=name, bot=_bot_of(request),
                                   data=upload.read(upload.size if upload.size is not None else -1))
    except ApplicationError as exc:
        return _message(request, exc)
    return redirect("designer:editor", document.pk)


def _document(request, document_id, operate: bool = False) -> DesignerDocument:
    return document_get_for_user(document_id=document_id, user=request.user, operate=operate)


@require_GET
@login_required
def editor(request, document_id):
    try:
        document = _document(request, document_id)
    except ApplicationError as exc:
        return _message(request, exc)
    preview = preview_of_source(document.basic_source, bot_names=bot_names_in_organization(bot=document.bot))
    return render(request, "designer/editor.html", {
        **_preview_context(preview, from_graph=False), "document": document, "graph": preview.graph or graph_of_document(document),
        "positions": (document.graph or {}).get("positions", {}), "palette": _palette(),
        "bots": sorted(bot_names_in_organization(bot=document.bot)) if document.bot else [],
        "urls": {name: reverse(f"designer:{name}", args=[document.pk])
                 for name in ("preview", "save", "publish", "versions", "run")},
    })


@require_POST
@login_required
def preview(request, document_id):
    """One edit in, the preview partial out: ``source`` (BASIC typed) or ``graph`` (JSON from
    the canvas). A graph BASIC cannot express is a 400 naming its node."""
    try:
        document = _document(request, document_id)
        bot_names = bot_names_in_organization(bot=document.bot)
        if "graph" in request.POST:
            try:
                graph = json.loads(request.POST["graph"])
            except ValueError as exc:
                raise ApplicationError(f"the graph is not JSON ({exc})", code="designer.bad_graph") from None
            result = preview_of_graph(graph, bot_names=bot_names)
        else:
            result = preview_of_source(request.POST.get("source", ""), bot_names=bot_names)
    except GraphError as exc:
        return _message(request, exc)
    except ApplicationError as exc:
        return _message(request, exc)
    return render(request, "designer/_preview.html", _preview_context(result, from_graph="graph" in request.POST))


def _preview_context(result, *, from_graph: bool) -> dict:
    """The preview with its numbered lines, each with its first problem (errors before warnings)."""
    first: dict[int, dict] = {}
    for problem in sorted(result.problems, key=lambda p: p["severity"] != "error"):
        first.setdefault(problem["line"], problem)
    lines = [(n, text, first.get(n)) for n, text in enumerate(result.source.splitlines(), start=1)]
    return {"preview": result, "lines": lines, "from_graph": from_graph}


@require_POST
@login_required
def save(request, document_id):
    try:
        document = _document(request, document_id, operate=True)
        positions = json.loads(request.POST.get("positions") or "{}")
        if not isinstance(positions, dict):
            raise ApplicationError("positions must be an object", code="designer.bad_positions")
        document = document_save(user=request.user, document=document, source=request.POST.get("source", ""),
                                 revision=int(request.POST.get("revision") or 0), positions=positions)
    except (ValueError, TypeError):
        return _message(request, ApplicationError("revision and positions must be numbers and JSON",
                                                  code="designer.bad_request"))
    except ApplicationError as exc:
        return _message(request, exc)
    return render(request, "designer/_saved.html", {"document": document})


@require_POST
@login_required
def publish(request, document_id):
    try:
        document = _document(request, document_id, operate=True)
        script = document_publish(user=request.user, document=document)
    except ApplicationError as exc:
        return _message(request, exc)
    return render(request, "designer/_versions.html", _versions_context(document, published=script))


def _versions_context(document: DesignerDocument, published: BotScript | None = None) -> dict:
    versions = list(document_versions(document=document)[:50])
    rows = []
    for k, version in enumerate(versions):
        older = versions[k + 1].source if k + 1 < len(versions) else ""
        diff = list(difflib.unified_diff(older.splitlines(), version.source.splitlines(), lineterm="", n=1))[2:]
        rows.append({"version": version, "diff": diff})
    return {"document": document, "rows": rows, "published": published}


@require_GET
@login_required
def versions(request, document_id):
    try:
        document = _document(request, document_id)
    except ApplicationError as exc:
        return _message(request, exc)
    return render(request, "designer/_versions.html", _versions_context(document))


@require_POST
@login_required
def restore(request, document_id, script_id):
    try:
        document = _document(request, document_id, operate=True)
        document = document_restore(user=request.user, document=document, script_id=script_id,
                                    revision=int(request.POST.get("revision") or 0))
    except ValueError:
        return _message(request, ApplicationError("revision must be a number", code="designer.bad_request"))
    except ApplicationError as exc:
        return _message(request, exc)
    response = render(request, "designer/_saved.html", {"document": document, "restored": True})
    response["HX-Redirect"] = reverse("designer:editor", args=[document.pk])
    return response


@login_required
def run(request, document_id):
    """GET: the Run form (the workflow's inputs); POST: start a run of the published version
    with them. The answer carries the run's id: the canvas then follows it over
    ``ws/workflows/runs/<id>/`` and colours each STEP node by the status of its own step."""
    try:
        document = _document(request, document_id, operate=request.method == "POST")
        inputs = workflow_inputs(document.basic_source)
        if request.method != "POST":
            return render(request, "designer/_run.html", {"document": document, "inputs": inputs})
        variables = {name: request.POST.get(f"input-{name}", "") for name in inputs}
        execution = document_run(user=request.user, document=document, variables=variables)
    except ApplicationError as exc:
        return _message(request, exc)
    return _run_started(request, document, execution, inputs=inputs)


def _run_started(request, document: DesignerDocument, execution, *, inputs=()):
    return render(request, "designer/_run.html", {"document": document, "inputs": inputs, "execution": execution,
                                                  "run_url": reverse("workflows:run", args=[execution.pk])})


def _run_of(request, document: DesignerDocument, run_id, operate: bool = False):
    """A run of the document's bot that the user may see (operate: and start)."""
    execution = execution_get_for_user(user=request.user, execution_id=run_id, operate=operate)
    if execution.bot_id != document.bot_id:
        raise NotFoundError(f"No workflow run {run_id}.", code="workflows.not_found", extra={"id": str(run_id)})
    return execution


@require_GET
@login_required
def run_steps(request, document_id, run_id):
    """The steps of a run started from the designer (every attempt, oldest first): what the
    canvas colours its nodes by when it opens the run's socket, and, once the run has
    finished, a *Re-run* button per step for people who may operate the bot."""
    try:
        document = _document(request, document_id)
        execution = _run_of(request, document, run_id)
    except ApplicationError as exc:
        return _message(request, exc)
    may_operate = bots_visible_to(user=request.user, operate=True).filter(pk=execution.bot_id).exists()
    return render(request, "designer/_run_steps.html", {
        "document": document, "execution": execution, "steps": execution.steps.order_by("started_at", "id"),
        "may_rerun": execution.is_finished and (request.user.is_superuser or may_operate)})


@require_POST
@login_required
def rerun(request, document_id, run_id, step_id):
    """Re-run one step of a finished run with the variables it began with (``step_rerun``);
    the answer is the run panel of the new run, which the canvas then follows."""
    try:
        document = _document(request, document_id)
        _run_of(request, document, run_id)
        execution = step_rerun(user=request.user, execution_id=run_id, step_id=step_id)
    except ApplicationError as exc:
        return _message(request, exc)
    return _run_started(request, document, execution)
