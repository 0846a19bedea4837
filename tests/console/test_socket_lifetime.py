"""Websockets outlive idle spells and server restarts (real Daphne, Redis channel layer, Chromium).

Before the channel layer's Redis read timeout was raised, every idle socket was closed with
1011 after 5-15 s (redis-py's 5 s read timeout raced channels-redis's 5 s blocking read).
"""

import re

import pytest
from django.db import transaction

from generalbots.bots.choices import Channel
from generalbots.bots.models import BotAccess, Conversation
from generalbots.core.realtime import flush, publish
from tests import factories
from tests.bots.conftest import install_package, load
from tests.console.test_browser import open_chat
from tests.browser import CHROMIUM, CHROMIUM_ARGS, daphne_server, in_thread
from tests.conftest import free_port
from workflows.realtime import bot_group

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Longer than every timer an idle socket meets: channels-redis's 5 s blocking reads (eight of
# them), redis-py's health check (25 s) and read timeout (30 s: a read that never came back would
# fail here), and Daphne's ping (every 20 s, 30 s to answer), twice.
IDLE_SECONDS = 40

# A second socket, to the live dashboard, that records every frame and every close.
OPEN_DASHBOARD_SOCKET = """() => new Promise((resolve) => {
    window.gbFrames = []; window.gbCloses = [];
    const socket = new WebSocket("ws://" + location.host + "/ws/workflows/");
    socket.onmessage = (event) => window.gbFrames.push(JSON.parse(event.data));
    socket.onclose = (event) => window.gbCloses.push(event.code);
    socket.onopen = () => resolve(true);
})"""


def _publish(group: str, type: str, data: dict) -> None:
    def work():
        with transaction.atomic():
            publish(group=group, type=type, data=data)
        assert flush(10)
    in_thread(work)


def test_idle_sockets_stay_open_and_still_receive(tmp_path, settings):
    from playwright.sync_api import expect, sync_playwright

    layer = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]
    assert IDLE_SECONDS > layer["socket_timeout"] + 5, "idle past the read timeout, or the test proves nothing"

    install_package(tmp_path / "pkgs")
    bot = load(tmp_path / "pkgs", "demo")
    maria = factories.UserFactory(username="maria", password="s3cret-pass")
    BotAccess.objects.create(bot=bot, user=maria)

    with daphne_server(tmp_path) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = open_chat(browser, url)
            expect(page.locator(".gb-message.gb-bot").first).to_have_text("Welcome to Acme!")
            expect(page.locator("#status")).to_have_text("online")
            assert page.evaluate(OPEN_DASHBOARD_SOCKET)

            page.wait_for_timeout(IDLE_SECONDS * 1000)

            # Both sockets are still the ones opened before the idle spell, and they still receive.
            assert page.evaluate("window.gbCloses") == []
            expect(page.locator("#status")).to_have_text("online")
            conversation = in_thread(lambda: Conversation.objects.get(bot=bot, user=maria, channel=Channel.WEB))
            _publish(conversation.group_name, "bot.message",
                     {"message": {"id": 10**9, "role": "bot", "text": "Still here after a quiet spell.",
                                  "created_at": "2026-01-01T00:00:00+00:00"}})
            expect(page.locator(".gb-message.gb-bot").last).to_have_text("Still here after a quiet spell.")
            _publish(bot_group(bot.pk), "workflow.status", {"id": "idle-check", "bot": "demo"})
            page.wait_for_function("window.gbFrames.some(f => f.type === 'workflow.status')", timeout=10_000)
            assert page.evaluate("window.gbCloses") == []
        finally:
            browser.close()


def test_the_chat_reconnects_after_a_server_restart_and_says_so(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    install_package(tmp_path / "pkgs")
    bot = load(tmp_path / "pkgs", "demo")
    maria = factories.UserFactory(username="maria", password="s3cret-pass")
    BotAccess.objects.create(bot=bot, user=maria)
    port = free_port()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with daphne_server(tmp_path, port=port) as url:
                page = open_chat(browser, url)
                expect(page.locator(".gb-message.gb-bot").first).to_have_text("Welcome to Acme!")
                expect(page.locator("#status")).to_have_text("online")
            # The server is gone: the page says so and counts down to its next try.
            expect(page.locator("#status")).to_have_text(re.compile(r"offline, reconnecting in \d+ s…"))
            expect(page.locator("#status")).to_have_attribute("data-state", "offline")
            with daphne_server(tmp_path, port=port):
                expect(page.locator("#status")).to_have_text("online", timeout=45_000)
                # The same conversation goes on, each message shown once.
                expect(page.locator(".gb-message.gb-bot")).to_have_count(1)
                page.get_by_role("button", name="Order").click()
                expect(page.locator(".gb-message.gb-bot").last).to_have_text("How many boxes?")
        finally:
            browser.close()


def test_a_chat_the_server_refuses_on_reconnect_stops_retrying_and_says_why(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    install_package(tmp_path / "pkgs")
    bot = load(tmp_path / "pkgs", "demo")
    maria = factories.UserFactory(username="maria", password="s3cret-pass")
    BotAccess.objects.create(bot=bot, user=maria)
    port = free_port()
    count_sockets = """
        window.gbSockets = 0;
        const Real = window.WebSocket;
        window.WebSocket = function (url) { window.gbSockets += 1; return new Real(url); };
        window.WebSocket.OPEN = Real.OPEN;
    """

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with daphne_server(tmp_path, port=port) as url:
                page = open_chat(browser, url, init_script=count_sockets)
                expect(page.locator("#status")).to_have_text("online")
            # switched off while the page was open
            in_thread(lambda: type(bot).objects.filter(pk=bot.pk).update(is_active=False))
            with daphne_server(tmp_path, port=port):
                expect(page.locator("#status")).to_have_text("this bot is not available", timeout=45_000)
                expect(page.locator("#status")).to_have_attribute("data-state", "error")
                tries = page.evaluate("window.gbSockets")
                page.wait_for_timeout(3000)
                assert page.evaluate("window.gbSockets") == tries  # no retry after a refusal
        finally:
            browser.close()
