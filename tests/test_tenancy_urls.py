"""Every id-taking URL (an audit, 2026-12-08): organization B's people against organization A's objects.

The sweep found no endpoint that lets B's user (an operator grant on B's bot), or B's staff
member (the same grant, staff, every model permission), read, change or confirm one of A's
runs, steps, approvals, events, designer documents, script versions, conversations, memories,
knowledge bases or bots. So this file holds the walk itself: each endpoint asked with A's
object must answer exactly as it answers for an object that does not exist (same status, same
body once the id is set aside), never show what A's object holds, and change nothing of A's.
"""

import json
import re
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from memory.models import BotMemory
from tests import factories
from workflows.models import WorkflowApproval, WorkflowExecution

pytestmark = pytest.mark.django_db

SECRET = "A-SECRET-MARK"
MISSING_ID = "00000000-0000-4000-8000-000000000000"
MISSING_INT = "999999"


@pytest.fixture
def a_world(org_a, org_b):
    """A's objects, each holding SECRET; B's bot and document; B's two people."""
    a_bot = factories.BotFactory(name="a-payroll", organization=org_a, theme_css=f"/*{SECRET}*/")
    b_bot = factories.BotFactory(name="b-desk", organization=org_b)
    a_script = factories.BotScriptFactory(bot=a_bot, name="start", source=f'TALK "{SECRET}"\n')
    factories.BotScriptFactory(bot=b_bot, name="start", source='TALK "hi"\n')
    a_run = factories.WorkflowExecutionFactory(bot=a_bot, is_workflow=True, status="failed", output=[SECRET],
                                               input={"k": SECRET}, script=a_script)
    a_step = factories.WorkflowStepFactory(execution=a_run, variables={"k": SECRET}, output=SECRET)
    a_approval = factories.WorkflowApprovalFactory(execution=factories.WorkflowExecutionFactory(
        bot=a_bot, is_workflow=True, status="waiting", waiting_for="approval"), approver="boss@a.example")
    a_event = factories.WorkflowEventFactory(workflow=a_run, event_data={"s": SECRET})
    a_doc = factories.DesignerDocumentFactory(bot=a_bot, name="start", basic_source=f'TALK "{SECRET}"\n')
    b_doc = factories.DesignerDocumentFactory(bot=b_bot, name="start")
    a_conversation = factories.ConversationFactory(bot=a_bot, user=factories.UserFactory(username="alice"))
    factories.MessageFactory(conversation=a_conversation, text=SECRET)
    factories.BotMemoryFactory(bot=a_bot, key="plans", value=SECRET)
    factories.KnowledgeBaseFactory(bot=a_bot, name="handbook")
    bob = factories.UserFactory(username="bob")
    factories.BotAccessFactory(bot=b_bot, user=bob, can_operate=True)
    staff = factories.UserFactory(username="bstaff", is_staff=True)
    factories.BotAccessFactory(bot=b_bot, user=staff, can_operate=True)
    staff.user_permissions.set(Permission.objects.all())
    return {"run": str(a_run.pk), "step": str(a_step.pk), "approval": str(a_approval.pk), "event": str(a_event.pk),
            "doc": str(a_doc.pk), "b_doc": str(b_doc.pk), "script": str(a_script.pk), "bot": a_bot.name,
            "bot_pk": str(a_bot.pk), "conversation": str(a_conversation.pk), "org": org_a.slug, "org_pk": str(org_a.pk),
            "people": {"member": bob, "staff": staff}}


def missing(kind: str) -> str:
    return {"bot": "zz-missing", "org": "zz-missing", "step": MISSING_INT, "event": MISSING_INT,
            "script": MISSING_INT}.get(kind, MISSING_ID)


# (method, path, data, htmx): ``{kind}`` is A's object, or one that does not exist.
ENDPOINTS = [
    ("get", "/dashboard/runs/{run}/", None, False),
    ("get", "/dashboard/runs/{run}/", None, True),
    ("get", "/dashboard/runs/{run}/inline/", None, True),
    ("post", "/dashboard/runs/{run}/retry", {}, False),
    ("post", "/dashboard/runs/{run}/cancel", {}, False),
    ("post", "/dashboard/runs/{run}/retry", {}, True),  # answered 500 (an uncaught NotFoundError) until 2026-12-08
    ("post", "/dashboard/approvals/{approval}/decide", {"decision": "approve"}, False),
    ("post", "/dashboard/approvals/{approval}/decide", {"decision": "approve"}, True),
    ("get", "/dashboard/start/{bot}/", None, False),
    ("post", "/dashboard/start/{bot}/", {}, False),
    ("get", "/dashboard/?bot={bot}", None, True),
    ("get", "/dashboard/events/?event={event}", None, False),
    ("get", "/dashboard/events/?bot={bot}", None, True),
    ("get", "/chat/{bot}/", None, False),
    ("get", "/chat/{bot}/theme.css", None, False),
    ("get", "/designer/{doc}/", None, False),
    ("post", "/designer/{doc}/preview/", {"source": 'BOT "b-desk" "x"\n'}, True),
    ("post", "/designer/{doc}/save/", {"source": "x = 1\n", "revision": "1"}, True),
    ("post", "/designer/{doc}/publish/", {}, True),
    ("get", "/designer/{doc}/run/", None, True),
    ("post", "/designer/{doc}/run/", {}, True),
    ("get", "/designer/{doc}/versions/", None, True),
    ("post", "/designer/{doc}/versions/{script}/restore/", {"revision": "1"}, True),
    ("post", "/designer/{b_doc}/versions/{script}/restore/", {"revision": "1"}, True),
    ("get", "/designer/{b_doc}/runs/{run}/steps/", None, True),
    ("post", "/designer/{b_doc}/runs/{run}/steps/{step}/rerun/", {}, True),
    ("post", "/designer/open/", {"script": "{script}"}, False),
    ("post", "/designer/new/", {"name": "x", "bot": "{bot}"}, False),
    ("get", "/api/workflows/{run}/", None, False),
    ("post", "/api/workflows/{run}/retry", None, False),
    ("post", "/api/workflows/{run}/cancel", None, False),
    ("post", "/api/workflows/", {"bot": "{bot}"}, False),
    ("get", "/api/workflows/?bot={bot}", None, False),
    ("get", "/api/approvals/?bot={bot}", None, False),
    ("post", "/api/approvals/{approval}/approve", {}, False),
    ("post", "/api/approvals/{approval}/reject", {}, False),
    ("get", "/api/events/?organization={org}", None, False),
    ("get", "/api/events/?workflow={run}", None, False),
    ("post", "/api/events/", {"name": "probe", "organization": "{org}"}, False),
    ("get", "/api/bots/{bot}/messages", None, False),
    ("post", "/api/bots/{bot}/messages", {"text": "hi"}, False),
    ("get", "/api/bots/b-desk/messages?conversation={conversation}", None, False),
    ("post", "/api/bots/b-desk/messages", {"text": "hi", "conversation": "{conversation}"}, False),
    ("post", "/api/bots/{bot}/forms/signup", {}, False),
    ("get", "/api/bots/{bot}/memory/", None, False),
    ("get", "/api/bots/{bot}/memory/plans", None, False),
    ("put", "/api/bots/{bot}/memory/plans", {"value": 1}, False),
    ("delete", "/api/bots/{bot}/memory/plans", None, False),
    ("get", "/api/bots/{bot}/memory-shares/", None, False),
    ("get", "/api/bots/{bot}/kb/", None, False),
    ("get", "/api/bots/{bot}/kb/search?q=pay", None, False),
    ("get", "/api/llm/models?bot={bot}", None, False),
    ("get", "/admin/workflows/workflowexecution/{run}/change/", None, False),
    ("get", "/admin/workflows/workflowexecution/{run}/history/", None, False),
    ("get", "/admin/workflows/workflowstep/{step}/change/", None, False),
    ("get", "/admin/workflows/workflowapproval/{approval}/change/", None, False),
    ("get", "/admin/workflows/workflowevent/{event}/change/", None, False),
    ("get", "/admin/bots/bot/{bot_pk}/change/", None, False),
    ("get", "/admin/bots/botscript/{script}/change/", None, False),
    ("get", "/admin/bots/conversation/{conversation}/change/", None, False),
    ("get", "/admin/designer/designerdocument/{doc}/change/", None, False),
    ("get", "/admin/core/organization/{org_pk}/change/", None, False),
]


def _fill(value, ids: dict):
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, str):
        return value.format(**ids)
    return value


def _ask(client: Client, method: str, path: str, data, htmx: bool):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    call = getattr(client, method)
    if path.startswith("/api/") and method in ("post", "put"):
        response = call(path, data=json.dumps(data or {}), content_type="application/json", **extra)
    elif data is not None:
        response = call(path, data=data, **extra)
    else:
        response = call(path, **extra)
    return response.status_code, response.content.decode(errors="replace"), response.get("Location", "")


def _plain(text: str, ids: dict, fakes: dict) -> str:
    """``text`` without what is meant to differ: the ids and names asked for, the CSRF tokens."""
    values = sorted({v for k, v in ids.items() if k != "people"} | set(fakes.values()), key=len, reverse=True)
    text = re.sub("|".join(rf"(?<![\w-]){re.escape(v)}(?![\w-])" for v in values), "<id>", text)
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", text)


@pytest.mark.parametrize("who", ["member", "staff"])
@pytest.mark.parametrize(("method", "path", "data", "htmx"), ENDPOINTS,
                         ids=[f"{m} {p}{' htmx' if h else ''}" for m, p, _d, h in ENDPOINTS])
def test_b_cannot_reach_a_object(a_world, who, method, path, data, htmx):
    ids = {k: v for k, v in a_world.items() if k != "people"}
    fakes = {kind: missing(kind) for kind in ids}
    fakes["b_doc"] = ids["b_doc"]  # B's own document stays; only A's object is swapped for a missing one
    client = Client()
    client.force_login(a_world["people"][who])
    runs_before = list(WorkflowExecution.objects.order_by("pk").values_list("pk", "status"))

    status, body, location = _ask(client, method, _fill(path, ids), _fill(data, ids), htmx)
    assert SECRET not in body and "boss@a.example" not in body and "alice" not in body
    assert status in (200, 302, 400, 403, 404), body[:300]
    if status == 200 and "{bot}" not in path + json.dumps(data):  # A's bot not asked for: not named either
        assert "a-payroll" not in body

    missing_status, missing_body, missing_location = _ask(client, method, _fill(path, fakes), _fill(data, fakes), htmx)
    assert (status, _plain(location, ids, fakes)) == (missing_status, _plain(missing_location, ids, fakes))
    if status != 302:
        assert _plain(body, ids, fakes) == _plain(missing_body, ids, fakes)

    # nothing of A's changed: no run started, retried or cancelled; the approval waits; the memory stays
    assert list(WorkflowExecution.objects.order_by("pk").values_list("pk", "status")) == runs_before
    assert WorkflowApproval.objects.get(pk=ids["approval"]).status == "pending"
    assert BotMemory.objects.get(bot__name="a-payroll", key="plans").value == SECRET


def test_a_link_token_decides_only_its_own_request_once(a_world):
    """The signed approve link is the credential (no login): it names one request, works once,
    and a token of A's request cannot be turned into a decision of another request."""
    from workflows.services import approval_link_token

    approval = WorkflowApproval.objects.get(pk=a_world["approval"])
    other = factories.WorkflowApprovalFactory()
    token = approval_link_token(approval=approval, decision="approve")
    forged = token.replace(str(approval.pk), str(other.pk))
    client = Client()
    client.force_login(a_world["people"]["member"])
    assert client.post(f"/dashboard/approvals/link/{forged}/").status_code == 400
    assert client.post(f"/dashboard/approvals/link/{token}/").status_code == 200
    assert client.post(f"/dashboard/approvals/link/{token}/").status_code == 400  # used: "already used"
    other.refresh_from_db()
    assert other.status == "pending"
