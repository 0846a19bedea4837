"""The live dashboard in a real browser (Debian's Chromium) against a real ASGI server (Daphne)
sharing the test database and the Redis channel layer with this process."""

import re

import pytest

from tests import factories
from tests.browser import CHROMIUM, CHROMIUM_ARGS, daphne_server, in_thread, log_in
from tests.workflows.engine_helpers import drive, make_bot
from workflows.models import WorkflowApproval, WorkflowStep
from workflows.services import approval_decide, execution_start

APPROVAL_FLOW = 'ORCHESTRATE WORKFLOW "refund-flow"\nSTEP 1: HUMAN APPROVAL FROM "lead@corp.example"\nTALK "refunded"\n'

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_server_url(tmp_path):
    with daphne_server(tmp_path) as url:
        yield url


def approve(run) -> None:
    """A person approves; the engine runs the slice it wakes and announces the run on commit."""
    approval_decide(approval=WorkflowApproval.objects.get(execution=run), decision="approve")
    drive(run)


def start_one(bot):
    return execution_start(bot=bot)


def test_the_run_page_and_the_runs_list_change_live_without_reload(live_server_url):
    from playwright.sync_api import expect, sync_playwright

    factories.UserFactory(username="maria", password="s3cret-pass", is_superuser=True, is_staff=True)
    bot = make_bot("refunds", APPROVAL_FLOW)
    run = drive(execution_start(bot=bot))
    step = WorkflowStep.objects.get(execution=run, label="1")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            log_in(page, f"{live_server_url}/dashboard/runs/{run.pk}/", "maria")

            expect(page.locator("#run-status")).to_have_text("Waiting")
            expect(page.locator(f'.gb-node[data-key="step-{step.pk}"]')).to_have_attribute("data-status", "waiting")
            expect(page.locator("#live-status")).to_have_text("live")
            page.evaluate("window.gbMarker = 'same page'")

            in_thread(approve, run)

            expect(page.locator("#run-status")).to_have_text("Completed")
            expect(page.locator(f'.gb-node[data-key="step-{step.pk}"]')).to_have_attribute("data-status", "completed")
            expect(page.locator('.gb-node[data-key="end"]')).to_have_count(1)
            assert page.evaluate("window.gbMarker") == "same page"  # updated in place, never reloaded

            page.goto(f"{live_server_url}/dashboard/")
            expect(page.locator("#live-status")).to_have_text("live")
            expect(page.locator(".gb-run")).to_have_count(1)
            page.evaluate("window.gbMarker = 'list'")
            new = in_thread(start_one, bot)

            expect(page.locator(f"#run-{new.pk}")).to_have_attribute("data-status", re.compile("pending|waiting"))
            expect(page.locator(".gb-run")).to_have_count(2)
            assert page.evaluate("window.gbMarker") == "list"
        finally:
            browser.close()


def test_a_comment_being_typed_is_not_redrawn_away_by_a_live_change(live_server_url):
    from playwright.sync_api import expect, sync_playwright

    factories.UserFactory(username="maria", password="s3cret-pass", is_superuser=True, is_staff=True)
    run = drive(execution_start(bot=make_bot("refunds", APPROVAL_FLOW)))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            log_in(page, f"{live_server_url}/dashboard/runs/{run.pk}/", "maria")
            expect(page.locator("#live-status")).to_have_text("live")
            redrawn = 'new Promise(done => { document.body.addEventListener("htmx:afterSwap", () => done(true), {once: true});'\
                      ' htmx.trigger(document.body, "workflow-changed"); setTimeout(() => done(false), 1500); })'

            # while the operator types a comment, a change of the run leaves the body alone
            page.fill(".gb-decide input[name=comment]", "checked the order")
            assert page.evaluate(redrawn) is False
            expect(page.locator(".gb-decide input[name=comment]")).to_have_value("checked the order")
            # once the field is left, the next change redraws it
            page.locator("h1").click()
            assert page.evaluate(redrawn) is True
        finally:
            browser.close()
