"""Background processing and cross-organization leaks (an audit, 2026-12-08).

Code that handles rows of many organizations together, or keeps state between runs in one
process: one batch of slices (``engine.batches``: the shared ``targets`` cache of BOT steps,
the one-statement mailbox take), the per-process caches of programs and pinned scripts, the
LLM router's model registry.

The first test reproduced a leak and failed while it was there (a package's ``llm-key,env:NAME``
read any server variable; an organization's bots now read only the variables a superuser allows
it, ``Organization.llm_key_variables``); the others pin the riskiest edges found sound (each
would fail if a cache key or a batch's context lost its organization).
"""

import pytest

from tests.workflows.engine_helpers import add_script, make_bot
from workflows import engine, events
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowEventConsumption, WorkflowExecution
from workflows.services import execution_start

pytestmark = pytest.mark.django_db


def _fetched(runs):
    return [WorkflowExecution.objects.get(pk=run.pk) for run in runs]


# --------------------------------------------------------------------------- env:NAME keys (was a leak)
# A bot's config.csv (written by the people of its organization: the router "guards" its URLs
# for that reason) may say ``llm-key,env:NAME``: ``llmrouter.services._api_key`` then reads the
# server's environment variable NAME, whatever it is, and sends it as ``Authorization: Bearer``
# to the config's own ``llm-url``. So organization B names the variable that holds the key an
# operator gave organization A's model (or the platform's global key, or DJANGO_SECRET_KEY) and
# points its url at a host of its own: the secret leaves with B's first LLM call.

def test_a_packages_llm_key_cannot_read_another_organizations_key_from_the_server_environment(
        org_a, org_b, llm_server, settings, monkeypatch):
    from llmrouter.services import models_sync_from_bot_config
    from tests.llmrouter.factories import LLMModelFactory

    settings.GB_MODEL_ALLOWED_NETWORKS = ["127.0.0.0/8"]  # the test server stands for B's own host
    llm_server.configure("m", reply="ok")
    # the operator gives A's bot a model whose key lives in the server's environment
    monkeypatch.setenv("ORG_A_LLM_KEY", "a-secret-key")
    a_bot = make_bot("a-assistant", 'TALK "hi"\n', organization=org_a)
    LLMModelFactory(bot=a_bot, alias="default", provider_url="https://api.example.com/v1", model_id="m",
                    api_key_env="ORG_A_LLM_KEY")
    # B's package: its config.csv names A's variable and B's own endpoint
    b_bot = make_bot("b-thief", 'x = LLM "hello" WITH TASK "chat"\nTALK x\n', organization=org_b)
    b_bot.config = {"llm-url": llm_server.url + "/v1", "llm-model": "m", "llm-key": "env:ORG_A_LLM_KEY"}
    b_bot.save(update_fields=["config"])
    models_sync_from_bot_config(bot=b_bot)

    run = execution_start(bot=b_bot)
    engine.slice_run(run.pk)
    run.refresh_from_db()

    sent = [r["headers"].get("Authorization", "") for r in llm_server.requests if r["body"]]
    assert not any("a-secret-key" in header for header in sent), (run.status, run.error, sent)


# --------------------------------------------------------------------------- sound: one batch, two organizations

# the name is computed: a literal one is checked at start (``services._bot_check``), in the batch
# only the slice's lookup stands between B and A's bot
CALLER_AFTER_EVENT = ('d = WAIT FOR EVENT "go" TIMEOUT 600\n'
                      'b = "hel" + "per"\n'
                      'answer = DELEGATE "go" TO BOT b\n'
                      'TALK "helper said " + answer\n')


def test_one_batch_of_runs_of_two_organizations_gives_each_bot_step_its_own_organizations_bot(org_a, org_b):
    """A batch shares one cache of the bots BOT steps name (``SliceContext.targets``): keyed by
    organization and name, so A's and B's ``BOT "helper"`` in one batch each run their own."""
    make_bot("helper", 'TALK "A secret"\n', organization=org_a)
    callers = []
    for org, suffix in ((org_a, "a"), (org_b, "b")):
        callers.append(make_bot(f"caller-{suffix}", CALLER_AFTER_EVENT, organization=org))
    # bot names are unique platform-wide: B has no "helper", so B's DELEGATE must fail as an
    # unknown bot, never run A's (which the batch's cache holds by then)
    runs = [execution_start(bot=bot) for bot in callers]
    for run in runs:
        engine.slice_run(run.pk)
    assert [r.status for r in _fetched(runs)] == [ExecutionStatus.WAITING] * 2
    for org in (org_a, org_b):
        events.event_publish(organization=org, name="go", data={})

    # A's run first: its lookup of "helper" (found in A) is what the batch's cache holds next
    engine.slice_runs([runs[0].pk, runs[1].pk])

    a_run, b_run = _fetched(runs)
    assert (a_run.status, a_run.output) == (ExecutionStatus.COMPLETED, ["helper said A secret"]), a_run.error
    assert b_run.status == ExecutionStatus.FAILED and "helper" in b_run.error, (b_run.status, b_run.output)
    assert "A secret" not in " ".join(b_run.output or [])
    assert not WorkflowExecution.objects.filter(parent=b_run).exists()


def test_one_batch_takes_each_waiting_runs_event_from_its_own_organizations_mailbox(org_a, org_b):
    """The batch's one-statement take (``batches._TAKE_MANY_SQL``) reads each run's mailbox with
    that run's organization: B's run in the same batch, waiting for the same name, is not woken
    by A's event and consumes nothing."""
    waiter = 'd = WAIT FOR EVENT "go" TIMEOUT 600\nTALK "got " + d.secret\n'
    a_bot = make_bot("waiter-a", waiter, organization=org_a)
    b_bot = make_bot("waiter-b", waiter, organization=org_b)
    runs = [execution_start(bot=bot) for bot in (a_bot, b_bot, a_bot, b_bot)]
    for run in runs:
        engine.slice_run(run.pk)
    event = events.event_publish(organization=org_a, name="go", data={"secret": "A's"})

    engine.slice_runs([run.pk for run in runs])

    statuses = [(r.status, r.output) for r in _fetched(runs)]
    assert statuses[0] == statuses[2] == (ExecutionStatus.COMPLETED, ["got A's"])
    assert statuses[1][0] == statuses[3][0] == ExecutionStatus.WAITING and not statuses[1][1]
    assert set(WorkflowEventConsumption.objects.filter(event=event).values_list("execution_id", flat=True)) == {
        runs[0].pk, runs[2].pk}


def test_the_same_source_in_two_organizations_runs_on_each_bots_own_data(org_a, org_b):
    """Programs are compiled once per (source hash, path) and pinned scripts kept per process
    (``programs._cache``, ``core._SCRIPTS``): a template installed in two organizations shares
    the compiled program, never the data a run reads (memory by bot, config by bot)."""
    source = 'SET BOT MEMORY "seen", NVL(GET BOT MEMORY "seen", "") + who\nTALK GET BOT MEMORY "seen"\n'
    bots = []
    for org, who in ((org_a, "A"), (org_b, "B")):
        bot = make_bot(f"tpl-{who.lower()}", "TALK 1\n", organization=org)
        bot.config = {"param-who": who}
        bot.save(update_fields=["config"])
        script = add_script(bot, "shared", source)
        script.path = "template.gbdialog/shared.bas"  # the same path and source: one cached program
        script.save(update_fields=["path"])
        bots.append(bot)

    outputs = []
    for _ in range(2):
        runs = [execution_start(bot=bot, script="shared") for bot in bots]
        engine.slice_runs([run.pk for run in runs])  # both organizations in one batch
        outputs.append([r.output for r in _fetched(runs)])

    assert outputs == [[["A"], ["B"]], [["AA"], ["BB"]]]
