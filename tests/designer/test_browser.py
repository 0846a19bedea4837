"""The designer in a real browser (Debian's Chromium) against Daphne: what a person does —
import a .bas and save it unchanged, add each node type from the palette, connect nodes, see
the preview change, undo and redo, see problems, type BASIC, publish. Screenshots go to
docs/guides/img/ for the guide (with GB_REFRESH_SCREENSHOTS=1, `make screenshots`)."""

import re

import pytest

from designer.models import DesignerDocument
from generalbots.bots.models import BotScript
from tests import factories
from tests.bots.conftest import grant
from tests.browser import CHROMIUM, CHROMIUM_ARGS, daphne_server, in_thread, log_in, screenshots
from tests.workflows.engine_helpers import drive
from workflows.models import WorkflowExecution

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHOTS = screenshots("docs/guides/img")
WORKFLOW = ('ORCHESTRATE WORKFLOW "greet"\nSTEP 1: HUMAN APPROVAL FROM "boss@example.com"\n'
            'TALK "approved"\nEND WORKFLOW\n')
PROGRAM = "' greet\r\nTALK \"Hello\"   \r\n\r\nIF x > 1 THEN\r\n    TALK \"big\"\r\nEND IF\r\n"


def drag(page, source, target):
    """Press on ``source``, move in steps (drawflow draws the connection as the mouse moves),
    release on ``target``."""
    source.scroll_into_view_if_needed()
    a, b = source.bounding_box(), target.bounding_box()
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=12)
    page.mouse.up()


@pytest.fixture
def asgi_server(tmp_path):
    with daphne_server(tmp_path) as url:
        yield url


def test_designing_a_workflow_in_the_browser(tmp_path, asgi_server):
    from playwright.sync_api import expect, sync_playwright

    user = factories.UserFactory(username="dora", password="s3cret-pass")
    grant(user, factories.BotFactory(name="shop"), operate=True)
    bas = tmp_path / "greet.bas"
    bas.write_bytes(PROGRAM.encode())

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 950})
            page.set_default_timeout(15_000)
            log_in(page, f"{asgi_server}/designer/", "dora")
            expect(page.locator("h1")).to_have_text("Designer")
            page.screenshot(path=str(SHOTS / "designer-index.png"))

            # Import a .bas and save it unchanged: the same bytes.
            page.set_input_files("#import-bas input[type=file]", str(bas))
            page.select_option("#import-bas select[name=bot]", "shop")
            page.click("#import-bas button[type=submit]")
            expect(page.locator(".drawflow-node")).to_have_count(3)
            page.click("#save")
            expect(page.locator("#save-status")).to_have_text("Saved revision 2 (draft).")
            saved = in_thread(lambda: DesignerDocument.objects.get(name="greet").basic_source)
            assert saved.encode() == PROGRAM.encode()

            # Every node type from the palette: each adds its node and its line to the preview.
            preview = page.locator("#basic-preview li")
            for kind in ["talk", "hear", "bot", "approval", "wait_event", "publish", "delay", "condition",
                         "loop", "parallel", "on_event", "routine", "code"]:
                before = page.locator(".drawflow-node").count()
                page.locator(f".dz-palette-item[data-kind={kind}]").drag_to(page.locator("#canvas"))
                expect(page.locator(".drawflow-node")).to_have_count(before + 1)
            expect(preview.filter(has_text="PUBLISH EVENT \"done\"")).to_have_count(1)
            assert "END PARALLEL" in page.locator("#source").input_value()
            # The BOT step names no bot yet: a problem on its node and in the list.
            expect(page.locator("#problems")).to_contain_text("there is no bot named ''")
            expect(page.locator(".drawflow-node.dz-has-error")).not_to_have_count(0)
            page.screenshot(path=str(SHOTS / "designer-editor.png"))

            # Undo and redo the last addition (the code node).
            page.click("#undo")
            expect(page.locator(".drawflow-node")).to_have_count(15)
            page.click("#redo")
            expect(page.locator(".drawflow-node")).to_have_count(16)

            # Connect: the IF's first lane to the last TALK moves that TALK inside the IF.
            condition = page.locator(".drawflow-node.dz-kind-condition").first
            talk = page.locator(".drawflow-node.dz-kind-talk").last
            drag(page, condition.locator(".output_2"), talk.locator(".input_1"))
            expect(page.locator("#source")).to_have_value(re.compile(r'THEN\n    TALK "Hello"\n    TALK "big"\n'))

            # Edit a field in the inspector: the preview follows.
            page.locator(".drawflow-node.dz-kind-delay").click()
            page.fill("#inspector input[name=seconds]", "42")
            page.click("#inspector button[type=submit]")
            expect(preview.filter(has_text="WAIT 42")).to_have_count(1)

            # Typing BASIC updates the canvas; a syntax error is shown on its line and the canvas stays.
            page.fill("#source", 'TALK "one"\nTALK "two"\n')
            expect(page.locator(".drawflow-node")).to_have_count(2)
            page.fill("#source", 'TALK "one"\nFOR EACH x IN y\n')
            expect(page.locator("#basic-preview li.dz-line-error")).to_have_attribute("data-line", "2")
            expect(page.locator(".drawflow-node")).to_have_count(2)
            page.screenshot(path=str(SHOTS / "designer-syntax-error.png"))

            # Publish a program without errors: a new version of the bot's script.
            page.fill("#source", WORKFLOW)
            expect(page.locator(".drawflow-node")).to_have_count(4)
            page.click("#save")
            expect(page.locator("#save-status")).to_have_text("Saved revision 3 (draft).")
            page.click("#publish")
            expect(page.locator("#publish-status")).to_contain_text("Published as version")
            assert in_thread(lambda: BotScript.objects.get(bot__name="shop", name="greet").source) == WORKFLOW
            page.screenshot(path=str(SHOTS / "designer-published.png"))

            # Run it: the form asks for nothing, the run waits at its approval step, and the
            # step's node turns "waiting" as the run's messages arrive over the websocket (the test
            # runs the engine's slice itself, as the other browser tests do).
            page.click("#run")
            page.click("#run-form button[type=submit]")
            expect(page.locator("#run-status .dz-run-state")).to_have_text("pending")
            in_thread(lambda: drive(WorkflowExecution.objects.get()))  # the engine's slice, as a worker runs it
            expect(page.locator("#run-status .dz-run-state")).to_have_text("waiting")
            expect(page.locator(".drawflow-node.dz-kind-approval")).to_have_class(re.compile("dz-status-waiting"))
            page.screenshot(path=str(SHOTS / "designer-run.png"))
        finally:
            browser.close()
