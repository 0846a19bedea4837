"""Bot tables in bot runs: SAVE upserts on id, INSERT adds, FIND filters, UPDATE and DELETE
change the matching rows, values round-trip, each bot sees only its own tables, bad filters name themselves."""

import pytest
from django.urls import reverse

from memory.models import BotTableRow
from tests import factories
from tests.memory.conftest import make_bot, run_script

pytestmark = pytest.mark.django_db

SCRIPT = '''SAVE "tickets", {"id": "T-1", "status": "open", "opened": DATEADD("2026-11-01", 1, "day")}
SAVE "tickets", {"id": "T-2", "status": "open", "priority": 2}
SAVE "tickets", {"id": "T-1", "status": "closed"}
INSERT "tickets", {"id": "T-1", "status": "duplicate"}
open = FIND "tickets", "status=open"
TALK COUNT(open) + " open: " + open[0].id + " priority " + open[0].priority
first = FIND "tickets" WHERE id = "T-1"
TALK first[0].status + " since " + FORMAT(first[0].opened, "YYYY-MM-DD") + "; " + COUNT(first) + " rows"
both = FIND "tickets", "status=open AND priority=2"
TALK "filtered: " + COUNT(both)
UPDATE "tickets", "status=open", {"status": "waiting"}
TALK "waiting " + COUNT(FIND "tickets", "status=waiting")
DELETE "tickets", "status=duplicate"
TALK COUNT(FIND "tickets")
'''


def test_save_upserts_on_id_insert_adds_and_find_update_delete_filter(org, user):
    bot = make_bot("desk", org)

    said, run = run_script(bot, SCRIPT, user=user)

    assert run.status == "completed", run.error
    assert said == ["1 open: T-2 priority 2", "closed since 2026-11-02; 2 rows", "filtered: 1", "waiting 1", "2"]
    rows = [row.data for row in BotTableRow.objects.filter(bot=bot, table="tickets").order_by("id")]
    assert [(r["id"], r["status"]) for r in rows] == [("T-1", "closed"), ("T-2", "waiting")]


def test_a_bot_finds_only_its_own_rows(org, user):
    writer, reader = make_bot("writer", org), make_bot("reader", org)
    run_script(writer, 'SAVE "notes", {"id": 1, "text": "mine"}\n', user=user)

    said, run = run_script(reader, 'TALK COUNT(FIND "notes")\n', user=user)

    assert said == ["0"] and run.status == "completed"
    assert BotTableRow.objects.filter(bot=writer).count() == 1


def test_a_filter_without_a_column_is_an_error_naming_it_and_the_line(org, user):
    bot = make_bot("desk", org)

    _said, run = run_script(bot, 'x = 1\nrows = FIND "tickets", "open"\n', user=user)

    assert run.status == "failed"
    assert ".bas:2: FIND: Cannot read the filter 'open': write column=value" in run.error


def test_save_by_variables_names_the_columns_and_update_needs_an_object(org, user):
    bot = make_bot("desk", org)

    said, run = run_script(bot, 'id = "T-9"\nstatus = "new"\nSAVE "tickets", id, status\n'
                                'TALK TOJSON(FIND "tickets")\nUPDATE "tickets", "id=T-9", "closed"\n', user=user)

    assert said == ['[{"id":"T-9","status":"new"}]']
    assert run.status == "failed" and ".bas:5: UPDATE: UPDATE needs an object of columns, not str" in run.error


def test_the_admin_lists_table_rows_without_a_query_per_row(admin_client, org, user, django_assert_max_num_queries):
    bot = make_bot("desk", org)
    run_script(bot, 'FOR i = 1 TO 8\n  SAVE "tickets", {"id": i, "status": "open"}\nNEXT\n', user=user)

    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:memory_bottablerow_changelist"), {"table": "tickets"})

    assert response.status_code == 200
    assert [row.data["id"] for row in response.context["cl"].result_list] == list(range(1, 9))


def test_merge_updates_rows_whose_key_matches_and_adds_the_others(org, user):
    bot = make_bot("crm", org)
    script = ('SAVE "contacts", {"email": "ana@x.org", "name": "Ana", "city": "Recife"}\n'
              'r = MERGE "contacts", [#{email: "ana@x.org", name: "Ana Lima"}, '
              '#{email: "bob@x.org", name: "Bob"}], "email"\n'
              'TALK r.inserted + " added, " + r.updated + " updated"\n'
              'MERGE "contacts" WITH #{email: "bob@x.org", city: "Natal"} BY "email"\n'
              'rows = FIND "contacts" WHERE email = "ana@x.org"\n'
              'TALK COUNT(FIND "contacts") + " rows; " + rows[0].name + " of " + rows[0].city\n')

    said, run = run_script(bot, script, user=user)

    assert run.status == "completed", run.error
    assert said == ["1 added, 1 updated", "2 rows; Ana Lima of Recife"]
    bob = BotTableRow.objects.get(bot=bot, table="contacts", data__email="bob@x.org")
    assert bob.data == {"email": "bob@x.org", "name": "Bob", "city": "Natal"}


def test_save_by_position_fills_the_columns_tables_bas_declares(org, user):
    bot = make_bot("leads", org)
    factories.BotScriptFactory(bot=bot, name="tables", problems=[], source=(
        "TABLE leads\n  name AS STRING(80)\n  email AS STRING(120)\n  score AS INTEGER\nEND TABLE\n"))
    script = ('who = "Ana"\nscore = 90\nSAVE "leads", who, "ana@x.org", score\n'
              'SAVE "notes", who, 1\nSAVE "leads", 1, 2, 3, 4\n')

    _said, run = run_script(bot, script, user=user)

    assert run.status == "failed"
    assert run.error.endswith(":5: SAVE leads: 4 values for 3 columns (name, email, score)")
    rows = {row.table: row.data for row in BotTableRow.objects.filter(bot=bot)}
    assert rows == {"leads": {"name": "Ana", "email": "ana@x.org", "score": 90},
                    "notes": {"who": "Ana", "field2": 1}}
