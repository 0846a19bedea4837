"""The templates gallery: the workflow templates under GB_TEMPLATES_DIR (refund-flow and a
template the test writes), *use this template* (a form typed by the template's config rows,
errors beside the fields), the copies it makes (every bot renamed, the dialogs naming the copies,
the config rows set, in the person's organization) and the workflow opened on the canvas."""

import json
import re
import shutil

import pytest

from designer.gallery.forms import config_text
from designer.gallery.services import renamed_source
from designer.models import DesignerDocument, DocumentState
from generalbots.bots.models import Bot, BotAccess
from generalbots.bots.selectors import bots_visible_to
from generalbots.core.services import organization_get_default
from tests import factories
from tests.bots.conftest import grant, write_package
from tests.conftest import REPO, gb
from tests.workflows.engine_helpers import drive
from workflows.choices import ExecutionStatus
from workflows.services import execution_start

pytestmark = pytest.mark.django_db

TINY = ('ORCHESTRATE WORKFLOW "tiny"\nSTEP 1: BOT "helper" "double"\nIF loud THEN\n  TALK "RESULT " + result\n'
        'ELSE\n  TALK label + " " + result\nEND IF\nEND WORKFLOW\n')


def write_templates(root):
    """refund-flow, the template ``tiny`` (a workflow bot and its helper, three typed settings)
    and a folder ``plain`` whose bot is no workflow."""
    shutil.copytree(REPO / "bottemplates" / "refund-flow", root / "refund-flow")
    tiny = root / "tiny"
    write_package(tiny, "tiny", {"start.bas": TINY}, "Title,Tiny doubler\nparam-factor,21\nparam-loud,false\n"
                                                    "# the text before the result\nparam-label,result\n")
    write_package(tiny, "helper", {"start.bas": "result = factor * 2\n"}, "param-unused,1.5\n")
    (tiny / "README.md").write_text("# tiny: a test template\n\nDoubles `factor` with a helper bot,\nthen says it.\n\n"
                                    "More text.\n")
    write_package(root / "plain", "plain", {"start.bas": 'TALK "hi"\n'})


@pytest.fixture
def templates(tmp_path, settings):
    settings.GB_TEMPLATES_DIR = tmp_path / "templates"
    settings.GB_PACKAGE_UPLOAD_DIR = tmp_path / "uploads"
    write_templates(settings.GB_TEMPLATES_DIR)
    return settings


@pytest.fixture
def operator(client):
    """A person operating one bot of the default organization (so they may install there)."""
    user = factories.UserFactory()
    grant(user, factories.BotFactory(name="existing", organization=organization_get_default()), operate=True)
    client.force_login(user)
    return user


def use(client, slug, **data):
    """Post the form as a browser does: every field with what it was prefilled with, then ``data``."""
    form = client.get(f"/designer/templates/{slug}/").context["form"]
    prefilled = {name: config_text(field.initial) for name, field in form.fields.items()
                 if field.initial is not None and field.initial is not False}  # an unticked box posts nothing
    return client.post(f"/designer/templates/{slug}/", {**prefilled, **data})


def test_the_gallery_lists_the_workflow_templates_with_their_title_and_description(client, templates, operator):
    content = client.get("/designer/").content.decode()

    assert 'data-template="refund-flow"' in content and 'data-template="tiny"' in content
    assert 'data-template="plain"' not in content  # no ORCHESTRATE WORKFLOW: not a workflow template
    assert "Tiny doubler" in content and "Doubles factor with a helper bot, then says it." in content
    assert "More text" not in content
    assert 'href="/designer/templates/tiny/"' in content


def test_the_gallery_shows_a_template_edited_added_or_removed_on_disk_at_the_next_request(client, templates, operator):
    root = templates.GB_TEMPLATES_DIR
    assert "Tiny doubler" in client.get("/designer/").content.decode()
    config = root / "tiny" / "tiny.gbai" / "tiny.gbot" / "config.csv"
    config.write_text(config.read_text().replace("Tiny doubler", "Tiny tripler, renamed"))
    shutil.rmtree(root / "refund-flow")
    shutil.copytree(root / "tiny", root / "tiny-two")

    content = client.get("/designer/").content.decode()

    assert "Tiny tripler, renamed" in content and "Tiny doubler" not in content
    assert 'data-template="refund-flow"' not in content and 'data-template="tiny-two"' in content


def test_the_form_asks_for_a_name_and_each_setting_typed_and_prefilled(client, templates, operator):
    content = client.get("/designer/templates/tiny/").content.decode()

    assert 'name="name"' in content
    assert 'type="number" name="tiny/param-factor" value="21"' in content
    assert 'type="checkbox" name="tiny/param-loud"' in content and "checked" not in content
    assert 'type="text" name="tiny/param-label" value="result"' in content
    assert 'name="helper/param-unused" value="1.5" step="any"' in content
    assert "<code>NAME-helper</code>" in content


def test_using_a_template_copies_its_bots_under_the_new_name_and_opens_the_workflow(client, templates, operator):
    response = use(client, "tiny", name="doubler", **{"tiny/param-factor": "50", "tiny/param-loud": "on",
                                                        "tiny/param-label": "r", "helper/param-unused": "2"})

    document = DesignerDocument.objects.get(bot__name="doubler")
    assert response.status_code == 302 and response["Location"] == f"/designer/{document.pk}/"
    assert document.state == DocumentState.PUBLISHED and document.script_name == "start"
    assert 'BOT "doubler-helper" "double"' in document.basic_source
    assert document.basic_source.startswith('ORCHESTRATE WORKFLOW "doubler"\n')
    bots = {b.name: b for b in Bot.objects.filter(name__startswith="doubler")}
    assert set(bots) == {"doubler", "doubler-helper"}
    assert all(b.organization == organization_get_default() for b in bots.values())
    assert bots["doubler"].config["param-factor"] == "50" and bots["doubler"].config["param-loud"] == "true"
    assert bots["doubler-helper"].config["param-unused"] == "2"
    assert set(bots_visible_to(user=operator, operate=True).filter(name__startswith="doubler")
               .values_list("name", flat=True)) == {"doubler", "doubler-helper"}
    copied = templates.GB_PACKAGE_UPLOAD_DIR / "default" / "doubler.gbai"
    assert (copied / "doubler.gbot" / "config.csv").read_text().count("# the text before the result") == 1
    assert client.get(response["Location"]).status_code == 200

    run = drive(execution_start(bot=bots["doubler"]))  # the copy runs, calling the copied helper
    assert run.status == ExecutionStatus.COMPLETED and run.output == ["RESULT 100"]


def test_refund_flow_copied_runs_its_copied_bots(client, templates, operator):
    use(client, "refund-flow", name="acme-refunds", **{"refund-flow/param-amount": "90",
                                                        "refund-flow/param-order_id": "B-7"})

    workflow = Bot.objects.get(name="acme-refunds")
    assert Bot.objects.filter(name__in=["acme-refunds-triage", "acme-refunds-payments", "acme-refunds-stock",
                                        "acme-refunds-followup"]).count() == 4
    run = drive(execution_start(bot=workflow))
    assert run.status == ExecutionStatus.WAITING  # STEP 4's DELAY 86400, after triage, refund and restock
    called = set(run.descendants.values_list("bot__name", flat=True))  # the branches are runs of the workflow bot
    assert called == {"acme-refunds", "acme-refunds-triage", "acme-refunds-payments", "acme-refunds-stock"}
    assert run.workflow_name == "acme-refunds"


def test_a_name_taken_is_an_error_beside_the_name_and_nothing_is_copied(client, templates, operator):
    factories.BotFactory(name="taken-helper")  # of another organization: taken all the same

    response = use(client, "tiny", name="taken", **{"tiny/param-factor": "1", "tiny/param-label": "x",
                                                    "helper/param-unused": "1"})

    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-name"' in content and "The name &#x27;taken-helper&#x27; is taken" in content
    assert not Bot.objects.filter(name="taken").exists()
    assert not (templates.GB_PACKAGE_UPLOAD_DIR / "default" / "taken.gbai").exists()


@pytest.mark.parametrize("field, value, message", [
    ("tiny/param-factor", "lots", "Enter a whole number."),
    ("helper/param-unused", "x", "Enter a number."),
])
def test_a_bad_value_is_an_error_beside_its_field(client, templates, operator, field, value, message):
    data = {"name": "fine", "tiny/param-factor": "1", "tiny/param-label": "x", "helper/param-unused": "1", field: value}

    response = use(client, "tiny", **data)

    assert response.status_code == 400
    assert f'id="error-{field.replace("/", "").lower()}">{message}' in response.content.decode()
    assert not Bot.objects.filter(name="fine").exists()


def test_a_name_that_is_no_bot_name_is_refused(client, templates, operator):
    response = use(client, "tiny", name="Not a name!", **{"tiny/param-factor": "1", "helper/param-unused": "1"})

    assert response.status_code == 400 and b"Use lower-case letters" in response.content


def test_someone_who_operates_no_bot_may_not_install_a_template(client, templates):
    client.force_login(factories.UserFactory())

    response = use(client, "tiny", name="mine", **{"tiny/param-factor": "1", "helper/param-unused": "1"})

    assert response.status_code == 400 and b"You may not install bots anywhere" in response.content
    assert not Bot.objects.filter(name="mine").exists()


def test_the_copies_go_to_the_persons_organization_and_stay_out_of_others(client, templates):
    acme = factories.OrganizationFactory(slug="acme", name="Acme")
    ana = factories.UserFactory()
    grant(ana, factories.BotFactory(name="acme-bot", organization=acme), operate=True)
    client.force_login(ana)

    use(client, "tiny", name="acme-doubler", **{"tiny/param-factor": "1", "helper/param-unused": "1"})

    assert set(Bot.objects.filter(name__startswith="acme-doubler").values_list("organization__slug", flat=True)) == {"acme"}
    assert (templates.GB_PACKAGE_UPLOAD_DIR / "acme" / "acme-doubler-helper.gbai").is_dir()
    other = factories.UserFactory()
    grant(other, factories.BotFactory(name="other-bot"), operate=True)
    assert not bots_visible_to(user=other).filter(name__startswith="acme-doubler").exists()
    assert BotAccess.objects.filter(user=ana, bot__name__startswith="acme-doubler", can_operate=True).count() == 2


def test_a_superuser_chooses_the_organization(client, templates, admin_user):
    factories.OrganizationFactory(slug="globex", name="Globex")
    client.force_login(admin_user)

    assert b'name="organization"' in client.get("/designer/templates/tiny/").content
    use(client, "tiny", name="gx", organization="globex", **{"tiny/param-factor": "1", "helper/param-unused": "1"})

    assert Bot.objects.get(name="gx").organization.slug == "globex"


def test_an_unknown_template_is_not_found(client, templates, operator):
    assert client.get("/designer/templates/..%2Fplain/").status_code == 404
    assert client.get("/designer/templates/plain/").status_code == 404


def test_renaming_covers_every_way_a_dialog_names_a_bot():
    names = {"triage": "x-triage", "stock": "x-stock"}
    source = ('BOT SHARE MEMORY "triage" WITH "triage"\nBOT SYNC MEMORY FROM "stock"\n'
              'r = DELEGATE "hi" TO BOT "stock"\nSTEP 1: BOT "triage" "go"\nTALK "triage"\n')

    assert renamed_source(source, names) == (
        'BOT SHARE MEMORY "triage" WITH "x-triage"\nBOT SYNC MEMORY FROM "x-stock"\n'
        'r = DELEGATE "hi" TO BOT "x-stock"\nSTEP 1: BOT "x-triage" "go"\nTALK "triage"\n')


def test_the_console_home_lists_the_templates(client, templates, operator):
    content = client.get("/").content.decode()

    assert 'id="home-templates"' in content and 'href="/designer/templates/tiny/">Tiny doubler</a>' in content


BUNDLED = sorted(p.name for p in (REPO / "bottemplates").iterdir() if p.is_dir())


@pytest.mark.parametrize("slug", BUNDLED)
def test_every_bundled_template_is_offered_and_its_copies_check_clean_and_call_only_copies(
        slug, client, settings, tmp_path, operator):
    settings.GB_TEMPLATES_DIR = REPO / "bottemplates"
    settings.GB_PACKAGE_UPLOAD_DIR = tmp_path / "uploads"
    assert f'data-template="{slug}"' in client.get("/designer/").content.decode()

    response = use(client, slug, name="acme")

    assert response.status_code == 302, response.context["form"].errors
    folder = settings.GB_PACKAGE_UPLOAD_DIR / organization_get_default().slug
    copies = sorted(p.name.removesuffix(".gbai") for p in folder.glob("*.gbai"))
    originals = sorted(p.name.removesuffix(".gbai") for p in (REPO / "bottemplates" / slug).glob("*.gbai"))
    assert copies == sorted("acme" if name == slug else f"acme-{name}" for name in originals)
    status, out = gb("check", "--json", str(folder))
    report = json.loads(out)
    assert status == 0 and [(f["path"], f["errors"], f["warnings"]) for f in report["files"]] == [
        (f["path"], [], []) for f in report["files"]]  # every BOT call names a copy that exists
    called = {m.group(1) for bas in folder.rglob("*.bas") for m in re.finditer(r'\bBOT\s+"([^"]+)"', bas.read_text())}
    assert called and called <= set(copies)
