"""The designer's canvas in a real browser (Debian's Chromium) against Daphne, beyond drawing
(test_browser.py): keyboard shortcuts, zoom and pan, the minimap, auto-layout, a connection
BASIC cannot express refused with a message, notes becoming comments, node colours following
the run's steps and a step re-run; the templates gallery from the index to the canvas.
Screenshots go to docs/guides/img/ for the guide."""

import re
from contextlib import contextmanager

import pytest

from generalbots.core.services import organization_get_default
from tests import factories
from tests.bots.conftest import grant
from tests.browser import CHROMIUM, CHROMIUM_ARGS, daphne_server, in_thread, log_in
from tests.designer.test_browser import SHOTS, drag
from tests.workflows.engine_helpers import drive, make_bot
from workflows.models import WorkflowApproval, WorkflowExecution
from workflows.services import approval_decide

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PROGRAM = 'TALK "one"\nIF x > 1 THEN\n    TALK "two"\nEND IF\nTALK "three"\n'
WORKFLOW = ('ORCHESTRATE WORKFLOW "colours"\nSTEP 1: TALK "begin"\nSTEP 2: HUMAN APPROVAL FROM "boss@example.com"\n'
            'STEP 3: x = 1 / zero\nEND WORKFLOW\n')


@pytest.fixture
def server(tmp_path):
    with daphne_server(tmp_path, env={"GB_PACKAGE_UPLOAD_DIR": str(tmp_path / "uploads")}) as url:
        yield url


@contextmanager
def chromium():
    """A page of Chromium (open it after the test's rows are written: Playwright's event loop
    keeps the ORM out of this thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 950})
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


def node(page, text):
    return page.locator(".drawflow-node", has=page.locator("code", has_text=text))


def shove(page, element) -> None:
    """Drag a node by its title 250 px right and 60 px down."""
    box = element.locator("b").bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + 255, box["y"] + 65, steps=8)
    page.mouse.up()


def canvas(page) -> dict:
    return page.evaluate("({x: designer.editor.canvas_x, y: designer.editor.canvas_y, zoom: designer.editor.zoom})")


def test_shortcuts_zoom_pan_minimap_layout_refusal_and_notes(server):
    user = factories.UserFactory(username="dora", password="s3cret-pass")
    document = factories.DesignerDocumentFactory(bot=factories.BotFactory(name="shop"), name="keys",
                                                 basic_source=PROGRAM, graph={})
    grant(user, document.bot, operate=True)
    with chromium() as page:
        log_in(page, f"{server}/designer/{document.pk}/", "dora")
        editing(page)


def editing(page):
    """What the person does in the editor of ``PROGRAM`` (the test's rows are written before Chromium starts)."""
    from playwright.sync_api import expect

    nodes, source = page.locator(".drawflow-node"), page.locator("#source")
    expect(nodes).to_have_count(4)
    expect(page.locator("#minimap .dz-minimap-node")).to_have_count(4)

    # Delete, then undo and redo from the keyboard.
    node(page, '"three"').locator("b").click()
    page.keyboard.press("Delete")
    expect(nodes).to_have_count(3)
    expect(source).not_to_have_value(re.compile("three"))
    page.keyboard.press("Control+z")
    expect(nodes).to_have_count(4)
    expect(source).to_have_value(PROGRAM)
    page.keyboard.press("Control+y")
    expect(nodes).to_have_count(3)
    page.keyboard.press("Control+Shift+z")  # nothing left to redo
    expect(nodes).to_have_count(3)
    page.keyboard.press("Control+z")
    expect(source).to_have_value(PROGRAM)
    expect(page.locator("#minimap .dz-minimap-node")).to_have_count(4)

    # Zoom from the keyboard and the buttons.
    page.keyboard.press("+")
    page.keyboard.press("+")
    assert canvas(page)["zoom"] == pytest.approx(1.2)
    page.click("#zoom-out")
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert canvas(page)["zoom"] == pytest.approx(0.9)
    page.keyboard.press("0")
    assert canvas(page)["zoom"] == 1

    # Pan: drag the empty canvas; the minimap's frame follows.
    # Where the frame is over the nodes, in the minimap, read in one go in the page: the minimap
    # redraws its nodes after the view moves (replaceChildren), so a node located first and
    # measured after could be gone by then.
    offset = """document.querySelector("#minimap .dz-minimap-view").getBoundingClientRect().x
        - document.querySelector("#minimap .dz-minimap-node").getBoundingClientRect().x"""
    before, frame_before = canvas(page), page.evaluate(f"() => {offset}")
    box = page.locator("#canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * .8, box["y"] + box["height"] * .8)  # below and right of the nodes
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * .8 - 150, box["y"] + box["height"] * .8 - 100, steps=8)
    page.mouse.up()
    after = canvas(page)
    assert (after["x"] - before["x"], after["y"] - before["y"]) == (-150, -100)
    # the view moved right over the canvas (once the minimap has redrawn)
    page.wait_for_function(f"before => ({offset}) > before", arg=frame_before, timeout=5_000)

    # The minimap: a click moves the view there, a drag follows the pointer.
    mini = page.locator("#minimap").bounding_box()
    page.mouse.click(mini["x"] + 5, mini["y"] + 5)
    clicked = canvas(page)
    assert clicked["x"] > after["x"] and clicked["y"] > after["y"]  # towards the top left: the canvas moves right, down
    page.mouse.move(mini["x"] + 5, mini["y"] + 5)
    page.mouse.down()
    page.mouse.move(mini["x"] + mini["width"] - 5, mini["y"] + mini["height"] - 5, steps=5)
    page.mouse.up()
    dragged = canvas(page)
    assert dragged["x"] < clicked["x"] and dragged["y"] < clicked["y"]
    page.screenshot(path=str(SHOTS / "designer-minimap.png"))
    page.reload()  # the view back where it starts
    expect(nodes).to_have_count(4)

    # Auto-layout puts a node moved by hand back in its place.
    first = node(page, '"one"')
    left = first.evaluate("el => el.style.left")
    shove(page, first)
    assert first.evaluate("el => el.style.left") != left
    page.click("#layout")
    expect(node(page, '"one"')).to_have_attribute("style", re.compile(rf"left: {left}"))
    shove(page, node(page, '"one"'))
    page.keyboard.press("l")
    expect(node(page, '"one"')).to_have_attribute("style", re.compile(rf"left: {left}"))

    # A connection BASIC cannot express: the IF into its own body. Refused, said, nothing changed.
    drag(page, node(page, '"two"').locator(".output_1"), page.locator(".drawflow-node.dz-kind-condition .input_1"))
    expect(page.locator("#problems .dz-refused")).to_contain_text(
        'BASIC cannot express that connection: Talk "two" is inside Condition IF x > 1 THEN')
    expect(source).to_have_value(PROGRAM)

    # A note becomes a comment above its statement (indented like it), and shows on the node.
    node(page, '"two"').locator("b").click()
    page.fill("#inspector textarea[name=note]", "the big case\nsecond line")
    page.click("#inspector button[type=submit]")
    expect(source).to_have_value(
        "TALK \"one\"\nIF x > 1 THEN\n    ' the big case\n    ' second line\n    TALK \"two\"\nEND IF\nTALK \"three\"\n")
    expect(node(page, '"two"').locator(".dz-note")).to_have_text("the big case")
    page.screenshot(path=str(SHOTS / "designer-note.png"))
    page.click("#save")
    expect(page.locator("#save-status")).to_have_text("Saved revision 2 (draft).")


def test_node_colours_follow_the_steps_of_the_run_and_a_step_is_rerun(server):
    user = factories.UserFactory(username="dora", password="s3cret-pass")
    bot = make_bot("shop", WORKFLOW)
    grant(user, bot, operate=True)
    document = factories.DesignerDocumentFactory(bot=bot, name="colours", script_name="start",
                                                 basic_source=WORKFLOW, graph={})
    with chromium() as page:
        log_in(page, f"{server}/designer/{document.pk}/", "dora")
        running(page)


def running(page):
    """Run the workflow from the designer, let the engine slice it, watch the colours, re-run STEP 3."""
    from playwright.sync_api import expect

    first, second, third = node(page, "STEP 1"), node(page, "boss@example.com"), node(page, "STEP 3")
    expect(page.locator(".drawflow-node")).to_have_count(5)

    page.click("#run")
    page.fill("#run-form input[name=input-zero]", "0")
    page.click("#run-form button[type=submit]")
    expect(page.locator("#run-status .dz-run-state")).to_have_text("pending")
    run = in_thread(lambda: WorkflowExecution.objects.get())
    in_thread(drive, run)  # the engine's slice, as a worker runs it: STEP 1 done, STEP 2 waits
    expect(page.locator("#run-status .dz-run-state")).to_have_text("waiting")
    expect(first).to_have_class(re.compile("dz-status-completed"))
    expect(second).to_have_class(re.compile("dz-status-waiting"))
    expect(third).not_to_have_class(re.compile("dz-status-"))
    expect(page.locator("#minimap .dz-minimap-node.dz-status-waiting")).to_have_count(1)
    page.screenshot(path=str(SHOTS / "designer-run-waiting.png"))

    def approve():
        approval_decide(approval=WorkflowApproval.objects.get(execution=run), decision="approve")
        drive(run)
    in_thread(approve)  # STEP 2 approved, STEP 3 divides by zero
    expect(page.locator("#run-status .dz-run-state")).to_have_text("failed")
    expect(second).to_have_class(re.compile("dz-status-completed"))
    expect(third).to_have_class(re.compile("dz-status-failed"))
    steps = page.locator("#run-steps li[data-label]")
    expect(steps).to_have_count(3)
    page.screenshot(path=str(SHOTS / "designer-run-finished.png"))

    # Re-run STEP 3 with the variables it began with: a new run, linked; only STEP 3 has a colour.
    steps.filter(has_text="STEP 3").locator("button.dz-rerun").click()
    expect(page.locator("#run-status")).to_contain_text("Re-run of a step of")
    expect(first).not_to_have_class(re.compile("dz-status-"))
    rerun = in_thread(lambda: WorkflowExecution.objects.get(rerun_of=run))
    in_thread(drive, rerun)
    expect(page.locator("#run-status .dz-run-state")).to_have_text("failed")
    expect(third).to_have_class(re.compile("dz-status-failed"))
    expect(first).not_to_have_class(re.compile("dz-status-"))
    expect(second).not_to_have_class(re.compile("dz-status-"))


def test_the_gallery_makes_a_workflow_from_a_template_and_opens_it(server):
    user = factories.UserFactory(username="dora", password="s3cret-pass")
    grant(user, factories.BotFactory(name="shop", organization=organization_get_default()), operate=True)
    with chromium() as page:
        log_in(page, f"{server}/designer/", "dora")
        using_a_template(page)


def using_a_template(page):
    """From the gallery to the canvas, by way of the form's errors."""
    from playwright.sync_api import expect

    card = page.locator(".dz-template[data-template=refund-flow]")
    expect(card).to_contain_text("Refund flow")
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "designer-gallery.png"), full_page=True)

    card.get_by_role("link", name="Use this template").click()
    expect(page.locator("h1")).to_have_text("Use the template Refund flow")
    expect(page.locator("input[name='refund-flow/param-amount']")).to_have_value("120")
    page.fill("input[name=name]", "shop")  # taken: said beside the name
    page.click("#use-template button[type=submit]")
    expect(page.locator("#error-name")).to_contain_text("The name 'shop' is taken")
    page.fill("input[name=name]", "shop-refunds")
    page.fill("input[name='refund-flow/param-amount']", "12.5")
    page.click("#use-template button[type=submit]")
    expect(page.locator("#error-refund-flowparam-amount")).to_have_text("Enter a whole number.")
    page.fill("input[name='refund-flow/param-amount']", "800")
    page.screenshot(path=str(SHOTS / "designer-template-form.png"))
    page.click("#use-template button[type=submit]")

    expect(page.locator("h1")).to_have_text("shop-refunds")
    expect(page.locator(".drawflow-node.dz-kind-bot")).to_have_count(2)
    expect(page.locator("#source")).to_have_value(re.compile(r'STEP 1: BOT "shop-refunds-triage"'))
    expect(page.locator("#doc-state")).to_have_text("Published")
    page.screenshot(path=str(SHOTS / "designer-template-canvas.png"))
