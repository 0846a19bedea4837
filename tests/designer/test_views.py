"""The designer's pages and partials: login, per-bot access, import, preview, save with the
revision check, publish into a new BotScript version, versions and restore, bad input."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from designer.graph import graph_from_basic
from designer.graph.files import MAX_SOURCE_BYTES
from designer.models import DesignerDocument, DocumentState
from generalbots.bots.models import BotScript
from workflows.models import WorkflowExecution
from tests import factories
from tests.bots.conftest import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = factories.UserFactory()
    bot = factories.BotFactory(name="shop")
    grant(user, bot, operate=True)
    client.force_login(user)
    return user, bot


def test_the_designer_needs_a_login(client):
    response = client.get("/designer/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_index_lists_only_documents_and_scripts_of_visible_bots(client, operator):
    _, bot = operator
    factories.DesignerDocumentFactory(bot=bot, name="mine")
    factories.DesignerDocumentFactory(name="theirs")
    factories.BotScriptFactory(bot=bot, name="start")

    content = client.get("/designer/").content.decode()

    assert "mine" in content and "theirs" not in content
    assert "shop / start" in content


def test_a_document_of_another_bot_is_not_found(client, operator):
    other = factories.DesignerDocumentFactory(name="theirs")

    response = client.get(f"/designer/{other.pk}/")

    assert response.status_code == 404 and b"No such designer document" in response.content


def test_a_read_only_grant_may_open_but_not_save(client):
    user = factories.UserFactory()
    document = factories.DesignerDocumentFactory()
    grant(user, document.bot)
    client.force_login(user)

    assert client.get(f"/designer/{document.pk}/").status_code == 200
    response = client.post(f"/designer/{document.pk}/save/", {"source": "TALK 1\n", "revision": 1})
    assert response.status_code == 403 and b"not operate it" in response.content


def test_import_keeps_the_file_byte_for_byte_and_opens_the_editor(client, operator):
    data = b"' hello\r\nTALK \"hi\"   \r\n\r\nHEAR name"
    response = client.post("/designer/import/", {"bot": "shop", "file": SimpleUploadedFile("greet.bas", data)})

    document = DesignerDocument.objects.get(name="greet")
    assert response.status_code == 302 and response["Location"] == f"/designer/{document.pk}/"
    assert document.basic_source.encode() == data
    page = client.get(response["Location"]).content.decode()
    assert 'id="canvas"' in page and "designer-initial-graph" in page


@pytest.mark.parametrize("data, message", [
    (b"TALK 1\n" * (MAX_SOURCE_BYTES // 7 + 1), "the designer opens programs up to"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not BASIC text"),
    (b"TALK \"\xff\"\n", "not UTF-8 text"),
])
def test_import_of_a_file_that_is_not_a_program_says_why(client, operator, data, message):
    response = client.post("/designer/import/", {"bot": "shop", "file": SimpleUploadedFile("x.bas", data)})

    assert response.status_code == 400 and message in response.content.decode()
    assert not DesignerDocument.objects.exists()


def test_a_file_with_syntax_errors_opens_as_code_with_the_problem_on_its_line(client, operator):
    client.post("/designer/import/", {"bot": "shop", "file": SimpleUploadedFile("b.bas", b"TALK 1\nFOR EACH x IN y\n")})
    document = DesignerDocument.objects.get()

    page = client.get(f"/designer/{document.pk}/").content.decode()

    assert 'data-line="2" class="dz-line-error"' in page
    assert "line 2: FOR without NEXT" in page


def test_preview_of_typed_basic_returns_the_graph_and_problems(client, operator):
    document = factories.DesignerDocumentFactory(bot=operator[1])

    response = client.post(f"/designer/{document.pk}/preview/", {"source": 'STEP 1: BOT "ghost" "go"\n'})

    content = response.content.decode()
    assert response.status_code == 200
    assert "there is no bot named &#x27;ghost&#x27;" in content
    assert '"kind": "bot"' in content


def test_preview_of_basic_that_does_not_parse_keeps_the_canvas(client, operator):
    document = factories.DesignerDocumentFactory(bot=operator[1])

    content = client.post(f"/designer/{document.pk}/preview/", {"source": "IF x THEN\n"}).content.decode()

    assert '<script id="designer-graph" type="application/json">null</script>' in content
    assert "line 1: IF without END IF" in content


def test_preview_of_a_canvas_graph_renders_the_basic(client, operator):
    document = factories.DesignerDocumentFactory(bot=operator[1])
    graph = graph_from_basic('TALK "a"\n')
    graph["body"].append({"id": "x1", "kind": "delay", "fields": {"seconds": "3"}})

    content = client.post(f"/designer/{document.pk}/preview/", {"graph": json.dumps(graph)}).content.decode()

    assert '<li data-line="2">WAIT 3</li>' in content


def test_a_graph_basic_cannot_express_is_a_400_naming_the_node(client, operator):
    document = factories.DesignerDocumentFactory(bot=operator[1])
    graph = {"body": [{"id": "weird", "kind": "loop", "fields": {"header": "TALK 1"}, "slots": [{"body": []}]}]}

    response = client.post(f"/designer/{document.pk}/preview/", {"graph": json.dumps(graph)})

    assert response.status_code == 400 and "node &#x27;weird&#x27;" in response.content.decode()
    assert client.post(f"/designer/{document.pk}/preview/", {"graph": "{nope"}).status_code == 400


def test_save_from_an_old_revision_is_a_conflict_and_loses_nothing(client, operator):
    document = factories.DesignerDocumentFactory(bot=operator[1])
    url = f"/designer/{document.pk}/save/"

    first = client.post(url, {"source": "TALK 1\n", "revision": 1, "positions": '{"n1": [5, 6]}'})
    second = client.post(url, {"source": "TALK 2\n", "revision": 1})

    document.refresh_from_db()
    assert first.status_code == 200 and b"Saved revision 2" in first.content
    assert second.status_code == 409 and b"Someone saved this workflow (revision 2)" in second.content
    assert document.basic_source == "TALK 1\n" and document.revision == 2
    assert document.graph == {"positions": {"n1": [5, 6]}}


def test_publish_is_refused_with_errors_and_makes_a_new_version_without(client, operator):
    bot = operator[1]
    document = factories.DesignerDocumentFactory(bot=bot, name="flow", basic_source="IF x THEN\n")
    url = f"/designer/{document.pk}/publish/"
    refused = client.post(url)
    assert refused.status_code == 400 and b"Fix the 1 error(s) first" in refused.content

    client.post(f"/designer/{document.pk}/save/", {"source": 'TALK "v1"\n', "revision": 1})
    client.post(url)
    client.post(f"/designer/{document.pk}/save/", {"source": 'TALK "v2"\n', "revision": 2})
    published = client.post(url)

    versions = BotScript.objects.filter(bot=bot, name="flow").order_by("created_at")
    assert [v.source for v in versions] == ['TALK "v1"\n', 'TALK "v2"\n']
    assert [v.is_current for v in versions] == [False, True]
    assert b"Published as version" in published.content and b'TALK &quot;v1&quot;' in published.content
    document.refresh_from_db()
    assert document.state == DocumentState.PUBLISHED


def test_restore_brings_an_old_version_back_as_the_next_revision(client, operator):
    bot = operator[1]
    document = factories.DesignerDocumentFactory(bot=bot, name="flow", basic_source="TALK 2\n", revision=3)
    old = factories.BotScriptFactory(bot=bot, name="flow", source="TALK 1\n")

    response = client.post(f"/designer/{document.pk}/versions/{old.pk}/restore/", {"revision": 3})

    document.refresh_from_db()
    assert response.status_code == 200 and response["HX-Redirect"] == f"/designer/{document.pk}/"
    assert document.basic_source == "TALK 1\n" and document.revision == 4
    listing = client.get(f"/designer/{document.pk}/versions/").content.decode()
    assert "Restore" in listing


def test_new_workflow_and_open_a_bots_script(client, operator):
    _, bot = operator
    script = factories.BotScriptFactory(bot=bot, name="start", source='TALK "hi"\n')

    created = client.post("/designer/new/", {"name": "fresh", "bot": "shop"})
    opened = client.post("/designer/open/", {"script": script.pk})

    assert created.status_code == 302 and opened.status_code == 302
    assert DesignerDocument.objects.get(name="start").basic_source == 'TALK "hi"\n'
    assert client.post("/designer/new/", {"name": " ", "bot": "shop"}).status_code == 400


def test_run_form_lists_the_inputs_and_starts_a_run_of_the_published_version(client, operator, monkeypatch):
    bot = operator[1]
    source = "PARAM amount AS number\nTALK amount & note\n"
    document = factories.DesignerDocumentFactory(bot=bot, name="flow", basic_source=source)
    form = client.get(f"/designer/{document.pk}/run/").content.decode()
    assert 'name="input-amount"' in form and 'name="input-note"' in form

    refused = client.post(f"/designer/{document.pk}/run/", {"input-amount": "3"})
    assert refused.status_code == 400 and b"Publish this version first" in refused.content

    client.post(f"/designer/{document.pk}/publish/")
    started = client.post(f"/designer/{document.pk}/run/", {"input-amount": "3", "input-note": "!"})

    execution = WorkflowExecution.objects.get()
    assert started.status_code == 200 and f'data-run="{execution.pk}"' in started.content.decode()
    assert execution.input == {"amount": "3", "note": "!"} and execution.script_hash
