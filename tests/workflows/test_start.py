"""Starting a workflow from the console: the inputs read from its script, the form built from
them, the errors beside the fields, and the run it starts."""

import pytest

from tests import factories
from tests.workflows.engine_helpers import add_script, make_bot
from workflows.models import WorkflowExecution
from workflows.selectors import startable_scripts, workflow_inputs

REFUND = '''ORCHESTRATE WORKFLOW "refund-flow"
STEP 1: BOT "payments" "issue refund"
approved = TRUE
IF amount > 500 THEN
  STEP 2: HUMAN APPROVAL FROM "lead@corp.example"
END IF
FOR EACH item IN items
  TALK item
NEXT
TALK "Refund " + refund_id + " for " + order_id + " " + approval_comment
END WORKFLOW
'''
PAYMENTS = 'refund_id = "RF-" + order_id\nTALK "Refunded " + amount\n'
TOOL = '''PARAM count AS integer DESCRIPTION "how many"
PARAM mode AS string ENUM ["fast", "slow"] OPTIONAL
PARAM due AS date OPTIONAL
TALK count + mode + due + extra
'''


@pytest.fixture
def refunds(db):
    make_bot("payments", PAYMENTS)
    bot = make_bot("refunds", REFUND)
    bot.config = {"param-amount": "120"}
    bot.save()
    return bot


@pytest.mark.django_db
def test_the_inputs_are_the_variables_read_before_they_are_set_less_what_bots_and_the_engine_set(refunds):
    # given a workflow reading amount, items, order_id; its BOT payments setting refund_id; the
    # engine setting approval_comment; and a param-amount config row
    script = startable_scripts(bots=[refunds]).get()
    # when its inputs are read
    inputs = workflow_inputs(bot=refunds, script=script)
    # then they are the variables a caller must give, in the order read, with the config default
    assert [(i.name, i.default, i.declared) for i in inputs] == [
        ("amount", "120", False), ("items", "", False), ("order_id", "", False)]
    assert script.is_workflow


@pytest.mark.django_db
def test_param_lines_come_first_with_their_type_description_and_choices():
    bot = make_bot("tooly", TOOL)
    inputs = workflow_inputs(bot=bot, script=startable_scripts(bots=[bot]).get())
    assert [(i.name, i.type_name, i.required, i.choices) for i in inputs] == [
        ("count", "integer", True, ()), ("mode", "string", False, ("fast", "slow")), ("due", "date", False, ()),
        ("extra", "", False, ())]
    assert inputs[0].description == "how many"


@pytest.mark.django_db
def test_a_script_that_does_not_parse_has_no_inputs():
    bot = make_bot("broken", 'IF x THEN\nTALK "no END IF"\n')
    assert workflow_inputs(bot=bot, script=startable_scripts(bots=[bot]).get()) == []


@pytest.mark.django_db
def test_the_form_shows_one_field_per_input_with_its_default(client, admin_user, refunds):
    client.force_login(admin_user)
    content = client.get("/dashboard/start/refunds/").content.decode()
    assert 'name="amount"' in content and 'value="120"' in content
    assert 'name="order_id"' in content and 'name="items"' in content
    assert "refunds.gbdialog/start.bas" in content


@pytest.mark.django_db
def test_a_valid_form_starts_the_run_with_typed_values_and_opens_its_page(client, admin_user, refunds):
    client.force_login(admin_user)
    response = client.post("/dashboard/start/refunds/", {"amount": "700", "order_id": "A-17", "items": ""})
    run = WorkflowExecution.objects.get(bot=refunds)
    assert response.status_code == 302 and response["Location"] == f"/dashboard/runs/{run.pk}/"
    assert run.input == {"amount": 700, "order_id": "A-17"}  # the empty field left unset
    assert run.started_by == admin_user and run.is_workflow


@pytest.mark.django_db
def test_a_bad_value_is_shown_beside_its_field_and_starts_nothing(client, admin_user):
    bot = make_bot("tooly", TOOL)
    client.force_login(admin_user)
    response = client.post("/dashboard/start/tooly/", {"count": "many", "mode": "medium"})
    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_count-error"' in content and "Enter a whole number." in content
    assert 'id="id_mode-error"' in content and "medium is not one of the available choices" in content
    assert not WorkflowExecution.objects.filter(bot=bot).exists()


@pytest.mark.django_db
def test_a_run_the_service_refuses_shows_why_above_the_fields(client, admin_user):
    bot = make_bot("calls-nobody", 'ORCHESTRATE WORKFLOW "x"\nSTEP 1: BOT "ghost" "do it"\nEND WORKFLOW\n')
    client.force_login(admin_user)
    response = client.post("/dashboard/start/calls-nobody/", {})
    assert response.status_code == 400
    assert 'id="start-error"' in response.content.decode() and "unknown bot: ghost" in response.content.decode()
    assert not WorkflowExecution.objects.filter(bot=bot).exists()


@pytest.mark.django_db
def test_a_watcher_may_not_start_runs_and_the_list_shows_only_bots_they_operate(client):
    user = factories.UserFactory()
    watched, operated = make_bot("watched", REFUND), make_bot("operated", 'TALK "hi"\n')
    factories.BotAccessFactory(user=user, bot=watched, can_operate=False)
    factories.BotAccessFactory(user=user, bot=operated, can_operate=True)
    client.force_login(user)
    listing = client.get("/dashboard/start/").content.decode()
    assert "/dashboard/start/operated/" in listing and "/dashboard/start/watched/" not in listing
    assert client.post("/dashboard/start/watched/", {"amount": "1"}).status_code == 403
    assert not WorkflowExecution.objects.exists()


@pytest.mark.django_db
def test_the_start_list_is_one_query_whatever_the_number_of_bots(client, admin_user, django_assert_num_queries):
    for n in range(5):
        add_script(make_bot(f"bot{n}", 'TALK "hi"\n'), "other", 'TALK "x"\n')
    client.force_login(admin_user)
    client.get("/dashboard/start/")  # the session and user are read once per request
    with django_assert_num_queries(3):  # session, user, scripts with their bots
        content = client.get("/dashboard/start/").content.decode()
    assert content.count("/dashboard/start/bot") == 5
