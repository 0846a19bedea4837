"""The web chat in a real browser (Debian's Chromium) against a real ASGI server (Daphne)."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests import factories
from tests.bots.conftest import REPO, install_package, load
from tests.conftest import clean_env

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def asgi_server(tmp_path):
    """Daphne serving the platform on the test database; its URL."""
    port = free_port()
    db = connection.settings_dict
    env = clean_env(
        DJANGO_SETTINGS_MODULE="generalbots.settings.test",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        GB_STORAGE_DIR=str(tmp_path / "storage"),
    )
    log = (tmp_path / "daphne.log").open("w")
    process = subprocess.Popen([str(Path(sys.executable).with_name("daphne")), "-b", "127.0.0.1", "-p", str(port),
                                "generalbots.asgi:application"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("Daphne did not start:\n" + (tmp_path / "daphne.log").read_text())
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)
    log.close()


def test_chatting_in_the_browser(tmp_path, asgi_server):
    from playwright.sync_api import expect, sync_playwright

    install_package(tmp_path / "pkgs")
    load(tmp_path / "pkgs", "demo")
    factories.UserFactory(username="maria", password="s3cret-pass")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            page.goto(f"{asgi_server}/chat/demo/")
            page.fill("#id_username", "maria")
            page.fill("#id_password", "s3cret-pass")
            page.click("button[type=submit]")

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
