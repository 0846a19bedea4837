"""The web chat in a real browser (Debian's Chromium) against a real ASGI server (Daphne)."""

import pytest

from tests import factories
from tests.bots.conftest import grant, install_package, load
from tests.browser import CHROMIUM, CHROMIUM_ARGS, daphne_server, in_thread, log_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def asgi_server(tmp_path):
    with daphne_server(tmp_path) as url:
        yield url


def open_chat(browser, url: str, *, init_script: str | None = None, bot: str = "demo"):
    """A page of ``bot``'s chat at ``url``, logged in as maria."""
    page = browser.new_page()
    page.set_default_timeout(15_000)
    if init_script:
        page.add_init_script(init_script)
    log_in(page, f"{url}/chat/{bot}/", "maria")
    return page


def test_chatting_in_the_browser(tmp_path, asgi_server):
    from playwright.sync_api import expect, sync_playwright

    install_package(tmp_path / "pkgs")
    grant(factories.UserFactory(username="maria", password="s3cret-pass"), load(tmp_path / "pkgs", "demo"))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = open_chat(browser, asgi_server)
            bot_messages = page.locator(".gb-message.gb-bot")
            expect(bot_messages.first).to_have_text("Welcome to Acme!")
            expect(page.locator("#suggestions button")).to_have_text(["Order", "Ask"])
            # The theme of the package's .gbtheme is applied.
            expect(bot_messages.first).to_have_css("color", "rgb(18, 52, 86)")

            page.get_by_role("button", name="Order").click()
            expect(bot_messages.last).to_have_text("How many boxes?")
            expect(page.locator("#suggestions button")).to_have_count(0)
            page.fill("#text", "two")
            page.press("#text", "Enter")
            expect(bot_messages.last).to_have_text("How many boxes?")
            expect(bot_messages.nth(-2)).to_have_text("Please answer with a whole number.")
            page.fill("#text", "2")
            page.press("#text", "Enter")
            expect(bot_messages.last).to_have_text("Your email?")
            expect(page.locator(".gb-message.gb-user")).to_have_text(["Order", "two", "2"])
            expect(page.locator("#typing")).to_be_hidden()

            # A reload shows the same conversation from the history, in order, each message once.
            page.reload()
            expect(page.locator(".gb-message")).to_have_count(8)
        finally:
            browser.close()


def test_an_llm_answer_streams_into_the_page_and_is_replaced_by_the_stored_message(tmp_path, asgi_server):
    from playwright.sync_api import expect, sync_playwright

    install_package(tmp_path / "pkgs")  # no llm-url: the built-in offline model, which streams word by word
    grant(factories.UserFactory(username="maria", password="s3cret-pass"), load(tmp_path / "pkgs", "demo"))
    record_drafts = """
        window.gbDrafts = [];
        new MutationObserver(function () {
          document.querySelectorAll('.gb-draft').forEach(function (d) { window.gbDrafts.push(d.textContent); });
        }).observe(document, {subtree: true, childList: true, characterData: true});
    """

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = open_chat(browser, asgi_server, init_script=record_drafts)
            bot_messages = page.locator(".gb-message.gb-bot")
            expect(bot_messages.first).to_have_text("Welcome to Acme!")
            page.get_by_role("button", name="Ask").click()
            expect(bot_messages.last).to_have_text("Ask me anything.")

            page.fill("#text", "when do you open")
            page.press("#text", "Enter")

            expect(bot_messages.last).to_contain_text("[offline model] I received: when do you open")
            expect(page.locator(".gb-draft")).to_have_count(0)
            drafts = page.evaluate("window.gbDrafts")
            assert any(d.startswith("[offline model]") for d in drafts), drafts
            expect(page.locator("#typing")).to_be_hidden()
        finally:
            browser.close()


def test_a_bundled_workflow_bot_asks_before_its_run_and_then_talks_offline(asgi_server):
    """The refund-flow example: its chat says what it does, starts a run only once asked to,
    then answers "what do you need?" from the workflow's inputs, offline."""
    from playwright.sync_api import expect, sync_playwright

    from tests.conftest import REPO
    from workflows.models import WorkflowExecution

    def runs() -> int:
        return WorkflowExecution.objects.filter(bot__name="refund-flow", parent__isnull=True).count()

    maria = factories.UserFactory(username="maria", password="s3cret-pass")
    for name in ("refund-flow", "payments", "stock", "triage", "followup"):
        grant(maria, load(REPO / "bottemplates" / "refund-flow", name))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = open_chat(browser, asgi_server, bot="refund-flow")
            expect(page.locator("#workflow-summary")).to_contain_text("refund-flow")
            assert in_thread(runs) == 0  # asking started nothing
            page.click("#chat-anyway")
            expect(page.locator("#status")).to_have_text("online")
            page.fill("#text", "What do you need?")
            page.press("#text", "Enter")
            bot_messages = page.locator(".gb-message.gb-bot")
            expect(bot_messages.last).to_contain_text("To start the workflow 'refund-flow' I need:")
            expect(bot_messages.last).to_contain_text("- amount (optional, default 120)")
            assert in_thread(runs) == 1  # started once, when asked
            expect(page.locator(".gb-error-text")).to_have_count(0)
        finally:
            browser.close()
