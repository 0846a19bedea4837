"""The workflow REST API: authentication, visibility per bot, filters, bad input, decisions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from workflows.choices import ApprovalStatus, ExecutionStatus
from workflows.models import WorkflowExecution

pytestmark = pytest.mark.django_db


def run(**kwargs) -> WorkflowExecution:
    kwargs.setdefault("is_workflow", True)
    return factories.WorkflowExecutionFactory(**kwargs)


def test_anonymous_requests_are_refused(client):
    response = client.get("/api/workflows/")

    assert response.status_code in (401, 403)
    assert response.json()["error"]["message"]


def test_the_schema_lists_every_workflow_endpoint(admin_client):
    schema = admin_client.get("/api/schema/", {"format": "json"}).json()

    assert {"/api/workflows/", "/api/workflows/{id}/", "/api/workflows/{id}/cancel", "/api/workflows/{id}/retry",
            "/api/approvals/", "/api/approvals/{id}/approve", "/api/approvals/{id}/reject"} <= set(schema["paths"])


def test_a_user_lists_only_runs_of_bots_granted_to_them(api, operator):
    mine = run(bot=operator.bot_access.get().bot)
    run()  # another bot's run

    response = api(operator).get("/api/workflows/")

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(mine.pk)]


def test_a_group_grant_gives_access(api):
    user = factories.UserFactory()
    group = user.groups.create(name="support")
    bot = factories.BotFactory()
    factories.BotAccessFactory(bot=bot, user=None, group=group, can_operate=False)
    visible = run(bot=bot)

    response = api(user).get("/api/workflows/")

    assert [r["id"] for r in response.json()["results"]] == [str(visible.pk)]


def test_superusers_list_every_run_and_conversation_runs_are_left_out(api, admin_user):
    runs = [run(), run()]
    factories.WorkflowExecutionFactory(is_workflow=False)

    response = api(admin_user).get("/api/workflows/")

    assert {r["id"] for r in response.json()["results"]} == {str(r.pk) for r in runs}


def test_the_list_filters_by_bot_status_name_and_dates(api, admin_user):
    bot = factories.BotFactory(name="payments")
    wanted = run(bot=bot, workflow_name="refund-flow", status=ExecutionStatus.FAILED)
    run(bot=bot, workflow_name="refund-flow", status=ExecutionStatus.COMPLETED)
    run(workflow_name="refund-flow", status=ExecutionStatus.FAILED)
    old = run(bot=bot, workflow_name="refund-flow", status=ExecutionStatus.FAILED)
    WorkflowExecution.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    today = timezone.now().date().isoformat()

    response = api(admin_user).get("/api/workflows/", {"bot": "payments", "status": "failed", "name": "refund",
                                                        "created_after": today, "created_before": today})

    assert [r["id"] for r in response.json()["results"]] == [str(wanted.pk)]


@pytest.mark.parametrize(("params", "field"), [({"status": "sleeping"}, "status"),
                                               ({"created_after": "last tuesday"}, "created_after")])
def test_bad_filters_are_refused_naming_the_parameter(api, admin_user, params, field):
    response = api(admin_user).get("/api/workflows/", params)

    assert response.status_code == 400
    assert field in response.json()["error"]["extra"]["fields"]


def test_the_list_is_paginated_within_a_fixed_number_of_queries(api, admin_user, django_assert_max_num_queries):
    for _ in range(8):
        run(started_by=admin_user)
    client = api(admin_user)

    with django_assert_max_num_queries(4):  # token + user, count, page
        response = client.get("/api/workflows/", {"limit": 5})

    body = response.json()
    assert body["count"] == 8 and len(body["results"]) == 5 and body["next"]


def test_a_run_shows_steps_variables_events_children_and_approvals(api, admin_user):
    parent = run(state={"globals": {"amount": 700, "customer": "ana"}})
    factories.WorkflowStepFactory(execution=parent, label="1", kind="bot", input={"bot": "triage"})
    child = factories.WorkflowExecutionFactory(parent=parent, root=parent, kind="child", status="completed")
    factories.WorkflowEventFactory(workflow=parent, event_name="refund_done")
    factories.WorkflowApprovalFactory(execution=parent)

    body = api(admin_user).get(f"/api/workflows/{parent.pk}/").json()

    assert body["variables"] == {"amount": 700, "customer": "ana"}
    assert [(s["label"], s["kind"]) for s in body["steps"]] == [("1", "bot")]
    assert [c["id"] for c in body["children"]] == [str(child.pk)]
    assert [e["event_name"] for e in body["events"]] == ["refund_done"]
    assert [a["approver"] for a in body["approvals"]] == ["lead@corp.example"]
    assert body["failure"] is None


def test_a_runs_four_lists_come_in_one_round_trip_as_the_orm_gives_them(api, admin_user, settings,
                                                                         django_assert_num_queries):
    from workflows.api.runs import run_detail
    from workflows.selectors import run_approvals, run_children, run_events, run_records, run_steps

    settings.GB_ENGINE_FAST_SQL = True  # both positions here, whatever the environment says
    parent = run(state={"globals": {"amount": 700}})
    now = timezone.now()
    for minutes, label in ((2, "2"), (1, "1"), (2, "2b")):
        factories.WorkflowStepFactory(execution=parent, label=label, started_at=now - timedelta(minutes=minutes))
    children = [factories.WorkflowExecutionFactory(parent=parent, root=parent, kind="child", status=status)
                for status in ("completed", "failed")]
    for n in range(102):  # the detail lists the last 100, oldest first
        factories.WorkflowEventFactory(workflow=parent, event_name=f"e{n}", source_bot=None if n % 2 else parent.bot,
                                       organization=parent.bot.organization)
    factories.WorkflowEventFactory(event_name="someone_else")  # another run's
    factories.WorkflowApprovalFactory(execution=parent, status=ApprovalStatus.APPROVED, decided_by=admin_user,
                                      decided_at=now)
    factories.WorkflowApprovalFactory(execution=parent)
    factories.WorkflowApprovalFactory()  # another run's

    with django_assert_num_queries(1):
        steps, events, found_children, approvals = run_records(parent)
    assert [step.pk for step in steps] == [step.pk for step in run_steps(parent)]
    assert [event.event_name for event in events] == [f"e{n}" for n in range(2, 102)]
    assert [event.pk for event in events] == [event.pk for event in run_events(parent)]
    assert [child.pk for child in found_children] == [child.pk for child in run_children(parent)] != []
    assert [child.bot.name for child in found_children] == [child.bot.name for child in children]
    assert [approval.pk for approval in approvals] == [approval.pk for approval in run_approvals(parent)]
    assert [approval.decided_by for approval in approvals] == [admin_user, None]

    with django_assert_num_queries(1):
        fast = run_detail(parent)
    body = api(admin_user).get(f"/api/workflows/{parent.pk}/").json()
    settings.GB_ENGINE_FAST_SQL = False
    with django_assert_num_queries(4):
        plain = run_detail(parent)
    assert fast == plain
    assert api(admin_user).get(f"/api/workflows/{parent.pk}/").json() == body
    assert [step["label"] for step in body["steps"]] == ["2", "2b", "1"]
    assert [event["source_bot"] for event in body["events"][:2]] == [parent.bot.name, None]


def test_a_failed_run_says_at_which_step_and_line(api, admin_user):
    failed = run(status=ExecutionStatus.FAILED, error="line 7: division by zero", error_step="3", error_line=7)

    body = api(admin_user).get(f"/api/workflows/{failed.pk}/").json()

    assert body["failure"] == {"step": "3", "line": 7, "message": "line 7: division by zero"}


@pytest.mark.parametrize("run_id", ["not-a-uuid", "5b0e9a52-8a9f-4a57-9a5e-7d0c1b0f0c11"])
def test_an_unknown_run_is_404_naming_it(api, admin_user, run_id):
    response = api(admin_user).get(f"/api/workflows/{run_id}/")

    assert response.status_code == 404
    assert run_id in response.json()["error"]["message"]


def test_another_bots_run_is_404_like_a_missing_one(api, operator):
    hidden = run()

    response = api(operator).get(f"/api/workflows/{hidden.pk}/")

    assert response.status_code == 404


def test_cancel_cancels_a_running_run(api, operator):
    running = run(bot=operator.bot_access.get().bot, status=ExecutionStatus.RUNNING)

    response = api(operator).post(f"/api/workflows/{running.pk}/cancel")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    running.refresh_from_db()
    assert running.status == ExecutionStatus.CANCELLED


def test_cancelling_a_finished_run_is_a_conflict(api, admin_user):
    done = run(status=ExecutionStatus.COMPLETED)

    response = api(admin_user).post(f"/api/workflows/{done.pk}/cancel")

    assert response.status_code == 409
    assert "cannot become cancelled" in response.json()["error"]["message"]


def test_a_read_only_grant_cannot_cancel(api):
    user = factories.UserFactory()
    grant = factories.BotAccessFactory(user=user, can_operate=False)
    running = run(bot=grant.bot, status=ExecutionStatus.RUNNING)

    response = api(user).post(f"/api/workflows/{running.pk}/cancel")

    assert response.status_code == 403
    assert "not operate" in response.json()["error"]["message"]
    running.refresh_from_db()
    assert running.status == ExecutionStatus.RUNNING


def test_a_start_answers_the_new_run_as_its_page_shows_it_within_three_queries(api, operator,
                                                                                 django_assert_num_queries):
    bot = operator.bot_access.get().bot
    factories.BotScriptFactory(bot=bot, name="start", source="x = 1\n", problems=[])
    client = api(operator)
    client.post("/api/workflows/", {"bot": bot.name}, format="json")  # warms the caches (prepared statements)

    # token + user, bot with its operator grant, the run's INSERT (which checks that the script
    # started before is still the current one: workflows.services._STARTABLE): nothing read back
    with django_assert_num_queries(3):
        started = client.post("/api/workflows/", {"bot": bot.name, "variables": {"amount": 7}}, format="json")

    assert started.status_code == 201
    body = started.json()
    # the answer is what the run's page says of it (no worker has run it: on_commit waits here)
    assert body == client.get(f"/api/workflows/{body['id']}/").json()
    assert body["variables"] == {"amount": 7} and body["started_by"] == "olga" and body["status"] == "pending"


def test_a_start_of_a_workflow_naming_bots_checks_them_in_its_insert(api, operator, django_assert_num_queries):
    bot = operator.bot_access.get().bot
    factories.BotScriptFactory(bot=bot, name="start", source='STEP 1: BOT "payments" "pay"\n', problems=[])
    factories.BotScriptFactory(bot=factories.BotFactory(name="payments", organization=bot.organization),
                               name="start", source="x = 1\n", problems=[])
    client = api(operator)
    client.post("/api/workflows/", {"bot": bot.name}, format="json")  # names parsed, statements compiled

    with django_assert_num_queries(3):  # the three above: the INSERT checks the named bots too
        started = client.post("/api/workflows/", {"bot": bot.name}, format="json")

    assert started.status_code == 201


def test_a_workflow_naming_a_bot_of_another_organization_does_not_start(api, operator):
    bot = operator.bot_access.get().bot
    factories.BotScriptFactory(bot=bot, name="start", source='STEP 1: BOT "payments" "pay"\n', problems=[])
    factories.BotScriptFactory(bot=factories.BotFactory(name="payments"), name="start", source="x = 1\n",
                               problems=[])  # another organization's bot of that name

    response = api(operator).post("/api/workflows/", {"bot": bot.name}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "workflows.unknown_bot"
    assert response.json()["error"]["extra"]["bots"] == ["payments"]
    assert not WorkflowExecution.objects.exists()


def test_an_operator_cannot_start_another_organizations_bot_nor_learn_it_exists(api, operator):
    other = factories.BotFactory(name="payroll")  # another organization, no grant
    factories.BotScriptFactory(bot=other, name="start", source="x = 1\n", problems=[])

    response = api(operator).post("/api/workflows/", {"bot": "payroll"}, format="json")
    missing = api(operator).post("/api/workflows/", {"bot": "nobody"}, format="json")

    assert response.status_code == missing.status_code == 404
    assert response.json()["error"]["code"] == missing.json()["error"]["code"] == "bots.not_found"
    assert not WorkflowExecution.objects.exists()


def test_a_group_operator_grant_starts_and_a_group_read_grant_does_not(api):
    user = factories.UserFactory()
    operators, readers = user.groups.create(name="operators"), user.groups.create(name="readers")
    started, watched = factories.BotFactory(name="started"), factories.BotFactory(name="watched")
    for bot in (started, watched):
        factories.BotScriptFactory(bot=bot, name="start", source="x = 1\n", problems=[])
    factories.BotAccessFactory(bot=started, user=None, group=operators, can_operate=True)
    factories.BotAccessFactory(bot=watched, user=None, group=readers, can_operate=False)

    assert api(user).post("/api/workflows/", {"bot": "started"}, format="json").status_code == 201
    refused = api(user).post("/api/workflows/", {"bot": "watched"}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "bots.not_operator"


def test_a_superuser_starts_any_bot(api, admin_user):
    bot = factories.BotFactory(name="anywhere")
    factories.BotScriptFactory(bot=bot, name="start", source="x = 1\n", problems=[])

    assert api(admin_user).post("/api/workflows/", {"bot": "anywhere"}, format="json").status_code == 201


def test_a_deleted_token_or_a_deactivated_user_is_refused_at_once(api, operator):
    bot = operator.bot_access.get().bot
    factories.BotScriptFactory(bot=bot, name="start", source="x = 1\n", problems=[])
    client = api(operator)
    assert client.post("/api/workflows/", {"bot": bot.name}, format="json").status_code == 201

    operator.is_active = False
    operator.save()
    inactive = client.post("/api/workflows/", {"bot": bot.name}, format="json")
    operator.auth_token.delete()
    deleted = client.post("/api/workflows/", {"bot": bot.name}, format="json")

    assert inactive.status_code == deleted.status_code == 401
    assert "inactive" in inactive.json()["error"]["message"] and "Invalid token" in deleted.json()["error"]["message"]
    assert WorkflowExecution.objects.count() == 1


def test_a_token_with_a_nul_character_is_refused_not_sent_to_the_database(client):
    response = client.get("/api/workflows/", HTTP_AUTHORIZATION="Token abc\x00def")

    assert response.status_code == 401


@pytest.mark.parametrize(("variables", "problem"), [
    (["amount", 5], "JSON object"),
    ({"my amount": 5}, "'my amount' is not a variable name"),
    ({"Amount": 1, "amount": 2}, "'amount' is given more than once"),
])
def test_start_refuses_invalid_variables_naming_the_problem(api, admin_user, variables, problem):
    factories.BotFactory(name="refunds")

    response = api(admin_user).post("/api/workflows/", {"bot": "refunds", "variables": variables}, format="json")

    assert response.status_code == 400
    assert problem in str(response.json()["error"]["extra"]["fields"]["variables"])
    assert not WorkflowExecution.objects.exists()


def test_start_with_an_unknown_bot_is_404_naming_it(api, admin_user):
    response = api(admin_user).post("/api/workflows/", {"bot": "nobody"}, format="json")

    assert response.status_code == 404
    assert "'nobody'" in response.json()["error"]["message"]


def test_start_needs_an_operator_grant(api):
    user = factories.UserFactory()
    grant = factories.BotAccessFactory(user=user, can_operate=False)

    response = api(user).post("/api/workflows/", {"bot": grant.bot.name}, format="json")

    assert response.status_code == 403


def test_approvals_list_pending_ones_of_visible_bots(api, operator, django_assert_max_num_queries):
    bot = operator.bot_access.get().bot
    pending = factories.WorkflowApprovalFactory.create_batch(3, execution__bot=bot)
    factories.WorkflowApprovalFactory(execution__bot=bot, status=ApprovalStatus.APPROVED)
    factories.WorkflowApprovalFactory()  # another bot's
    client = api(operator)

    with django_assert_max_num_queries(5):
        response = client.get("/api/approvals/", {"status": "pending"})

    assert {a["id"] for a in response.json()["results"]} == {str(a.pk) for a in pending}
    assert {a["bot"] for a in response.json()["results"]} == {"refunds"}


def test_a_read_only_grant_cannot_decide_an_approval(api):
    user = factories.UserFactory()
    grant = factories.BotAccessFactory(user=user, can_operate=False)
    approval = factories.WorkflowApprovalFactory(execution__bot=grant.bot)

    response = api(user).post(f"/api/approvals/{approval.pk}/approve", format="json")

    assert response.status_code == 403
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING


def test_a_second_decision_is_a_conflict_naming_the_first(api, operator):
    approval = factories.WorkflowApprovalFactory(execution__bot=operator.bot_access.get().bot)
    client = api(operator)

    first = client.post(f"/api/approvals/{approval.pk}/reject", {"comment": "too much"}, format="json")
    second = client.post(f"/api/approvals/{approval.pk}/approve", format="json")

    assert first.status_code == 200 and first.json()["status"] == "rejected" and first.json()["comment"] == "too much"
    assert second.status_code == 409
    assert second.json()["error"]["message"] == "This approval request is already rejected."


def test_a_variable_name_with_a_trailing_newline_is_refused_by_the_service_too():
    from django.core.exceptions import ValidationError

    from tests.workflows.engine_helpers import make_bot
    from workflows.services import execution_start

    with pytest.raises(ValidationError, match="Not a variable name"):
        execution_start(bot=make_bot("orchestrator", "TALK 1\n"), variables={"order\n": 1})
