"""What an operator does in the console, in a real browser (Debian's Chromium) against Daphne:
home → start a run from its form (a required field left empty first) → watch its planned graph
progress → approve → see the event it waits for consumed on its timeline → expand a branch's
child run in place → read the final output; the admin at 1366 px. The screenshots in
docs/screenshots/ are taken here."""

import re

import pytest

from tests import factories
from tests.browser import CHROMIUM, CHROMIUM_ARGS, daphne_server, in_thread, log_in, screenshots
from tests.workflows.engine_helpers import drive, make_bot
from workflows.events import event_publish
from workflows.models import WorkflowExecution

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHOTS = screenshots("docs/screenshots")
FLOW = '''PARAM amount AS number DESCRIPTION "refund amount"
PARAM order_id AS string DESCRIPTION "the order to refund"
ORCHESTRATE WORKFLOW "refund-flow"
STEP 1: HUMAN APPROVAL FROM "lead@corp.example"
STEP 2: PARALLEL
  BRANCH A: BOT "payments" "issue refund"
  BRANCH B: BOT "stock" "restock item"
END PARALLEL
STEP 3: settled = WAIT FOR EVENT "refund_settled" TIMEOUT 600
TALK "Refund " + refund_id + " done for order " + order_id + "."
END WORKFLOW
'''


def drive_latest() -> None:
    """What the worker does: slice the newest run and whatever becomes due."""
    drive(WorkflowExecution.objects.filter(parent__isnull=True).latest("created_at"))


def settle() -> None:
    """The bank says the refund is settled (an event), and the worker wakes the run."""
    bot = WorkflowExecution.objects.filter(parent__isnull=True).latest("created_at").bot
    event_publish(organization=bot.organization, name="refund_settled", data={"order_id": "A-17", "settled": True})
    drive_latest()


def test_home_start_watch_approve_and_read_the_output(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    factories.UserFactory(username="maria", password="s3cret-pass", is_superuser=True, is_staff=True)
    make_bot("payments", 'refund_id = "RF-" + order_id\nTALK "Refunded " + amount + " for order " + order_id\n')
    make_bot("stock", 'TALK "Restocked the item of order " + order_id\n')
    make_bot("refunds", FLOW)
    SHOTS.mkdir(parents=True, exist_ok=True)

    with daphne_server(tmp_path) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.set_default_timeout(15_000)
            log_in(page, f"{url}/", "maria")
            expect(page.locator("h1")).to_have_text("General Bots")
            expect(page.locator("#home-bots")).to_contain_text("refunds")
            page.screenshot(path=str(SHOTS / "console-home.png"), full_page=True)

            # home → the start list → the bot's form, built from its PARAM lines
            page.get_by_role("link", name="Start a run").first.click()
            page.locator('a[href="/dashboard/start/refunds/"]').click()
            expect(page.locator("label[for=id_amount]")).to_contain_text("amount")
            page.fill("#id_order_id", "A-17")  # the amount forgotten
            page.click("#start-form button[type=submit]")
            expect(page.locator("#id_amount-error")).to_contain_text("This field is required.")
            expect(page.locator("#id_order_id")).to_have_value("A-17")  # kept while fixing the other
            page.screenshot(path=str(SHOTS / "console-start-form.png"), full_page=True)
            page.fill("#id_amount", "700")
            page.click("#start-form button[type=submit]")

            # the run page, updated live as the worker runs it
            expect(page).to_have_url(re.compile(r"/dashboard/runs/[0-9a-f-]+/$"))
            expect(page.locator("#live-status")).to_have_text("live")
            expect(page.locator('.gb-node[data-key="plan-2-B"]')).to_contain_text("BOT stock")  # planned from the start
            expect(page.locator("#run-progress")).to_have_text("0 of 3 steps done")
            in_thread(drive_latest)
            expect(page.locator("#run-status")).to_have_text("Waiting")
            expect(page.locator('.gb-node[data-status="waiting"]')).to_contain_text("STEP 1")
            page.screenshot(path=str(SHOTS / "console-run-waiting.png"), full_page=True)
            expect(page.locator("#approvals .gb-approval")).to_have_attribute("data-status", "pending")

            # approve from the page; the worker continues; the final output is there to read
            page.fill(".gb-decide input[name=comment]", "order checked")
            page.get_by_role("button", name="Approve").click()
            expect(page.locator("#approvals .gb-approval")).to_have_attribute("data-status", "approved")
            in_thread(drive_latest)
            expect(page.locator("#run-progress")).to_have_text("2 of 3 steps done")
            expect(page.locator('.gb-node[data-status="waiting"]')).to_contain_text("STEP 3")
            expect(page.locator("#events .gb-tl")).to_have_count(0)

            # the event it waits for arrives: consumed, on the timeline with its step and data
            in_thread(settle)
            expect(page.locator("#run-status")).to_have_text("Completed")
            expect(page.locator("#run-progress")).to_have_text("3 of 3 steps done")
            consumed = page.locator('#events .gb-tl[data-direction="consumed"]')
            expect(consumed).to_contain_text("consumed by WAIT FOR EVENT")
            expect(consumed.locator(".gb-tl-step")).to_have_text("in STEP 3")
            expect(consumed.locator(".gb-json .nt").first).to_have_text('"order_id"')
            expect(consumed.locator(".gb-json .kc")).to_have_text("true")
            expect(consumed.locator(".gb-tl-name")).to_have_attribute("href", re.compile(r"/dashboard/events/\?name=refund_settled&event=(\d+)#event-\1$"))

            # a branch's child run opens in place with its bot, status and what its bot said
            branch = page.locator('.gb-branch[data-branch="B"] > details.gb-expand')
            branch.locator("> summary").click(position={"x": 4, "y": 6})  # the disclosure triangle, not the link
            inline = branch.locator(".gb-inline-run")
            expect(inline).to_have_attribute("data-status", "completed")
            expect(inline.locator(".gb-inline-head")).to_contain_text("Completed")
            expect(inline.locator(".gb-step")).to_have_count(0)  # a branch of one BOT call: the call below
            grandchild = inline.locator("> details.gb-expand")
            expect(grandchild.locator("> summary .gb-child-bot")).to_have_text("stock")
            grandchild.locator("> summary").click(position={"x": 4, "y": 6})
            expect(grandchild.locator(".gb-said")).to_have_text("Restocked the item of order A-17")
            expect(page.locator("#run-output")).to_have_text("Refund RF-A-17 done for order A-17.")
            expect(page.locator('.gb-branch[data-branch="B"]')).to_contain_text(
                "stock: Restocked the item of order A-17")
            expect(page.locator("#approvals")).to_contain_text("by maria: “order checked”")
            expect(page.locator("#steps .gb-step").first).to_contain_text("approved by maria: “order checked”")
            page.screenshot(path=str(SHOTS / "console-run.png"), full_page=True)
            page.locator("#events").screenshot(path=str(SHOTS / "console-run-events.png"))

            # the runs list counts it; the admin's runs list fits at 1366 px and links back
            page.get_by_role("link", name="Runs", exact=True).first.click()
            expect(page.locator('.gb-count[data-status="completed"] b')).to_have_text("1")
            page.get_by_role("link", name="Admin", exact=True).click()
            page.goto(f"{url}/admin/workflows/workflowexecution/")
            expect(page.locator("#site-name")).to_have_text("General Bots administration")
            expect(page.locator("#result_list tbody tr")).to_have_count(1)  # the child runs stay out
            assert page.evaluate("document.documentElement.scrollWidth") <= 1366
            page.screenshot(path=str(SHOTS / "admin-runs-1366.png"), full_page=True)
            page.get_by_role("link", name="Console home").click()
            expect(page).to_have_url(f"{url}/")
        finally:
            browser.close()
