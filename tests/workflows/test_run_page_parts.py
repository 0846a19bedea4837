"""The run page's parts around its steps (workflows.views.run_parts): the events the run
published and consumed on one timeline with their steps, and child runs expanded in place
(HTMX partial), recursively, in a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from generalbots.bots.models import Bot
from tests.workflows.engine_helpers import add_script, drive, make_bot
from workflows import events
from workflows.models import WorkflowExecution
from workflows.services import execution_start

pytestmark = pytest.mark.django_db(transaction=True)

PAID = '''ORCHESTRATE WORKFLOW "paid-flow"
ON EVENT "order_flagged" DO
  flagged = "yes"
END ON
STEP 1: BOT "notifier" "announce"
STEP 2: paid = WAIT FOR EVENT "payment_confirmed" TIMEOUT 600
STEP 3: DELEGATE "check " + order_id TO BOT "checker"
PUBLISH EVENT "order_closed" WITH {"order_id": order_id, "paid": paid.amount}
TALK "closed"
END WORKFLOW
'''


def entries(content: str) -> list[tuple[str, str, str, str]]:
    """(direction, what, event name, where) of each timeline entry, in page order."""
    found = re.findall(r'<li class="gb-tl" data-direction="(\w+)".*?<span class="gb-tl-dir">([^<]+)</span>.*?'
                       r'class="gb-tl-name"[^>]*>([\w.]+) #\d+</a>\s*<span class="gb-tl-step">([^<]+)</span>',
                       content, re.S)
    return [tuple(item.strip() for item in entry) for entry in found]


@pytest.fixture
def paid_run(db):
    make_bot("notifier", 'TALK "seen " + order_id\n')
    make_bot("checker", 'TALK "checked the order"\n')
    bot = make_bot("paid", PAID)
    run = drive(execution_start(bot=bot, variables={"order_id": "A-1"}))
    assert run.waiting_for == "event:payment_confirmed"
    events.event_publish(organization=bot.organization, name="order_flagged", data={"why": "big"})
    drive(run)
    events.event_publish(organization=bot.organization, name="payment_confirmed", data={"amount": 5, "ok": True})
    return drive(run)


def test_the_timeline_shows_consumed_and_published_events_with_their_steps(client, admin_user, paid_run):
    client.force_login(admin_user)
    content = client.get(f"/dashboard/runs/{paid_run.pk}/").content.decode()

    assert paid_run.status == "completed"
    assert entries(content) == [
        ("consumed", "consumed by ON EVENT handler", "order_flagged", "in STEP 2"),
        ("consumed", "consumed by WAIT FOR EVENT", "payment_confirmed", "in STEP 2"),
        ("published", "published", "order_closed", "after STEP 3"),
    ]
    paid = paid_run.event_consumptions.get(event__event_name="payment_confirmed").event
    assert f'href="/dashboard/events/?name=payment_confirmed&amp;event={paid.pk}#event-{paid.pk}"' in content
    item = re.search(rf'data-event="{paid.pk}">(.*?)</li>', content, re.S).group(1)
    assert '<span class="nt">"amount"</span><span class="p">:</span><span class="w"> </span><span class="mi">5</span>' \
        in item and '<span class="kc">true</span>' in item  # pretty and highlighted
    # the events page holds the anchor the link goes to
    listed = client.get(f"/dashboard/events/?name=payment_confirmed&event={paid.pk}").content.decode()
    assert f'<tr id="event-{paid.pk}">' in listed and '<span class="kc">true</span>' in listed


def test_a_consumed_event_links_to_the_run_that_published_it(client, admin_user):
    publisher = drive(execution_start(bot=make_bot("shop", 'PUBLISH EVENT "paid" WITH {"n": 1}\n'), variables={}))
    waiter = make_bot("waiter", 'WAIT FOR EVENT "paid" TIMEOUT 60\n', organization=publisher.bot.organization)
    run = drive(execution_start(bot=waiter, variables={}))
    drive(execution_start(bot=publisher.bot, variables={}))
    client.force_login(admin_user)

    content = client.get(f"/dashboard/runs/{drive(run).pk}/").content.decode()

    item = re.search(r'<li class="gb-tl" data-direction="consumed".*?</li>', content, re.S).group(0)
    assert "from shop" in item and "/dashboard/runs/" in item and "no STEP" in item


LAYERS = '''ORCHESTRATE WORKFLOW "layers"
STEP 1: BOT "middle" "do the middle part"
STEP 2: PARALLEL
  BRANCH A: BOT "leaf" "first"
  BRANCH B: BOT "leaf" "second"
END PARALLEL
TALK "all done"
END WORKFLOW
'''


def layered(middle_steps: int, prefix: str = "") -> WorkflowExecution:
    """A workflow whose STEP 1 calls bot ``middle`` (``middle_steps`` BOT steps calling ``leaf``)
    and whose STEP 2 runs two branches calling ``leaf``; bot names start with ``prefix``."""
    make_bot(f"{prefix}leaf", 'TALK "leaf says hi to " + order_id\n')
    make_bot(f"{prefix}middle", "".join(f'STEP {n}: BOT "{prefix}leaf" "part {n}"\n' for n in range(1, middle_steps + 1))
             + 'TALK "middle done"\n')
    source = LAYERS.replace('"middle"', f'"{prefix}middle"').replace('"leaf"', f'"{prefix}leaf"')
    return drive(execution_start(bot=make_bot(f"{prefix}layers", source), variables={"order_id": "A-9"}))


def expanders(content: str) -> dict[str, str]:
    """bot name -> inline URL of each child-run expander in ``content``."""
    return {bot: url for url, bot in re.findall(
        r'<details class="gb-expand"[^>]*hx-get="([^"]+)"[^>]*>\s*<summary>.*?<b class="gb-child-bot">(\w+)</b>',
        content, re.S)}


def test_a_bot_step_expands_in_place_to_the_childs_steps_and_outputs_recursively(client, admin_user):
    run = layered(middle_steps=2)
    client.force_login(admin_user)
    page = client.get(f"/dashboard/runs/{run.pk}/").content.decode()
    middle = run.children.get(bot__name="middle")
    assert expanders(page)["middle"] == f"/dashboard/runs/{middle.pk}/inline/"
    assert page.count('class="gb-expand"') == 3  # the BOT step's child and the two branches

    inline = client.get(expanders(page)["middle"], HTTP_HX_REQUEST="true").content.decode()

    assert "<html" not in inline  # a partial
    assert re.search(r'<b>middle</b> ran <i>start</i>:\s*<span class="gb-badge gb-completed">Completed</span>', inline)
    assert '<pre class="gb-said">middle done</pre>' in inline
    assert inline.count('class="gb-step"') == 2
    assert "<b>leaf</b>: <span class=\"gb-output\">leaf says hi to A-9</span>" in inline
    # and a grandchild expands in turn
    grandchild = client.get(expanders(inline)["leaf"], HTTP_HX_REQUEST="true").content.decode()
    assert '<b>leaf</b> ran' in grandchild and '<pre class="gb-said">leaf says hi to A-9</pre>' in grandchild


def test_an_expanded_branch_shows_its_bot_call(client, admin_user):
    run = layered(middle_steps=1)
    client.force_login(admin_user)
    branch = run.children.get(branch_label="B")
    inline = client.get(f"/dashboard/runs/{branch.pk}/inline/").content.decode()
    assert "(branch B)" in inline and '<b class="gb-child-bot">leaf</b>' in inline


def test_an_inline_child_costs_the_same_queries_whatever_its_steps_and_children(client, admin_user,
                                                                                django_assert_max_num_queries):
    client.force_login(admin_user)
    counts = []
    for n, prefix in ((1, "small-"), (6, "big-")):
        middle = layered(middle_steps=n, prefix=prefix).children.get(bot__name=f"{prefix}middle")
        client.get(f"/dashboard/runs/{middle.pk}/inline/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/dashboard/runs/{middle.pk}/inline/").status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(8):
        client.get(f"/dashboard/runs/{middle.pk}/inline/")


def test_the_run_page_costs_the_same_queries_whatever_its_children(client, admin_user):
    client.force_login(admin_user)
    counts = []
    for n, prefix in ((1, "small-"), (6, "big-")):
        run = layered(middle_steps=n, prefix=prefix)
        client.get(f"/dashboard/runs/{run.pk}/")
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/dashboard/runs/{run.pk}/")
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts


def test_a_child_of_a_bot_not_granted_does_not_expand(client, operator):
    """Expanding goes through the run selectors: a child run of a bot the user was not granted
    is not found, like on its own page."""
    refunds = Bot.objects.get(name="refunds")
    make_bot("payments", 'TALK "paid"\n', organization=refunds.organization)
    add_script(refunds, "start", 'ORCHESTRATE WORKFLOW "r"\nSTEP 1: BOT "payments" "pay"\n')
    run = drive(execution_start(bot=refunds, variables={}))
    client.force_login(operator)

    response = client.get(f"/dashboard/runs/{run.children.get().pk}/inline/")

    assert response.status_code == 404 and "No workflow run" in response.content.decode()


def step_cell(content: str, label: str) -> str:
    return re.search(rf'<tr class="gb-step" data-status="\w+" data-step="{label}">(.*?)</tr>', content, re.S).group(1)


def test_each_step_kind_reads_well_in_place(client, admin_user, paid_run):
    """A DELEGATE step shows what its bot said, a WAIT step the event it took; a branch with no
    BOT call what it set."""
    flow = make_bot("setter", 'ORCHESTRATE WORKFLOW "sets"\nSTEP 1: PARALLEL\n  BRANCH A\n    note = "from A"\n'
                              '  END BRANCH\n  BRANCH B\n    TALK "B speaks"\n  END BRANCH\nEND PARALLEL\n')
    branches = drive(execution_start(bot=flow, variables={}))
    client.force_login(admin_user)

    content = client.get(f"/dashboard/runs/{paid_run.pk}/").content.decode()
    assert "<b>checker</b>: <span class=\"gb-output\">checked the order</span>" in step_cell(content, "3")
    assert re.search(r'took event <a href="[^"]+">payment_confirmed</a>', step_cell(content, "2"))
    content = client.get(f"/dashboard/runs/{branches.pk}/").content.decode()
    cell = step_cell(content, "1")
    assert re.search(r'data-branch="A">.*set <code>note</code> = from A', cell, re.S)
    assert re.search(r'data-branch="B">.*said: <span class="gb-said-line">B speaks</span>', cell, re.S)
