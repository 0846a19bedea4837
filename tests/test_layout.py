"""The one page layout (templates/base.html): every page of the site extends it, with the shared
navigation for logged-in users and one stylesheet; the navigation works in a real browser."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests import factories
from tests.bots.conftest import grant
from tests.browser import CHROMIUM, CHROMIUM_ARGS, daphne_server, log_in

NAV = 'class="gb-nav"'
STYLESHEET = "/static/site.css"


@pytest.fixture
def operator(db):
    """ana, staff, with an operator grant on the bot ``shop``."""
    user = factories.UserFactory(username="ana", is_staff=True)
    grant(user, factories.BotFactory(name="shop", title="Shop"), operate=True)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/dashboard/", "/dashboard/events/", "/dashboard/approvals/",
                                  "/dashboard/start/", "/dashboard/start/shop/", "/charts/", "/chat/", "/chat/shop/",
                                  "/llm/",
                                  "/dashboard/runs/00000000-0000-0000-0000-000000000000/", "/chat/unknown/"])
def test_every_page_has_the_navigation_and_the_one_stylesheet(client, operator, path):
    # given a logged-in operator
    client.force_login(operator)
    # when a page of the site is shown (found or not)
    content = client.get(path).content.decode()
    # then it is the shared layout: the navigation with every section, the site's stylesheet
    assert NAV in content and content.count('rel="stylesheet" href="' + STYLESHEET + '"') == 1
    for label in ("Home", "Runs", "Start", "Approvals", "Events", "Charts", "Designer", "LLM routing", "Chat", "Admin",
                  "Log out"):
        assert f">{label}</" in content, label
    assert "<style" not in content  # no page of its own inline CSS


@pytest.mark.django_db
def test_the_log_in_page_has_the_layout_without_the_navigation(client):
    content = client.get("/accounts/login/").content.decode()
    assert STYLESHEET in content and NAV not in content


@pytest.mark.django_db
def test_staff_links_are_shown_to_staff_only(client):
    # given a user who is not staff, with a grant
    user = factories.UserFactory()
    grant(user, factories.BotFactory(name="shop"))
    client.force_login(user)
    # when the chat list is shown
    content = client.get("/chat/").content.decode()
    # then the navigation leaves out the pages only staff may open
    assert NAV in content and ">LLM routing</" not in content and ">Admin</" not in content


@pytest.mark.django_db
def test_the_package_upload_and_the_memory_share_pages_are_one_template(admin_client):
    # given two memories of one bot, selected in the admin
    rows = [factories.BotMemoryFactory(key=key) for key in ("x", "y")]
    rows[1].bot = rows[0].bot
    rows[1].save()
    # when the upload page and the share action's page are opened
    upload = admin_client.get(reverse("admin:bots_bot_upload"))
    share = admin_client.post(reverse("admin:memory_botmemory_changelist"),
                              {"action": "share_with_bot", "_selected_action": [r.pk for r in rows]})
    # then both are the shared intermediate form, each with its own words and fields
    for response in (upload, share):
        assert [t.name for t in response.templates][0] == "admin/intermediate_form.html"
    upload, share = upload.content.decode(), share.content.decode()
    assert 'enctype="multipart/form-data"' in upload and 'value="Upload and load"' in upload
    assert 'name="action"' not in upload
    assert "<code>BOT SYNC MEMORY FROM</code>" in share and 'value="Share"' in share
    assert 'name="action" value="share_with_bot"' in share and "enctype" not in share
    assert all(f'name="_selected_action" value="{r.pk}"' in share for r in rows)


def test_the_stylesheet_is_found_by_the_static_files_finders():
    assert finders.find("site.css")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_moving_between_pages_through_the_navigation_in_a_browser(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    factories.UserFactory(username="maria", password="s3cret-pass", is_superuser=True, is_staff=True)
    factories.BotFactory(name="shop", title="Shop")

    with daphne_server(tmp_path) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            log_in(page, f"{url}/dashboard/", "maria")
            expect(page.get_by_role("heading", name="Runs")).to_be_visible()
            nav = page.get_by_role("navigation", name="Main")

            # the shared stylesheet is loaded: the header is the dark bar of site.css
            expect(page.locator("header.gb-top")).to_have_css("background-color", "rgb(38, 50, 56)")
            nav.get_by_role("link", name="Events").click()
            expect(page).to_have_url(f"{url}/dashboard/events/")
            expect(page.get_by_role("heading", name="Events")).to_be_visible()
            expect(nav.get_by_role("link", name="Events")).to_have_attribute("aria-current", "page")

            nav.get_by_role("link", name="Chat").click()
            expect(page).to_have_url(f"{url}/chat/")
            page.get_by_role("link", name="Shop").click()
            expect(page).to_have_url(f"{url}/chat/shop/")
            expect(page.locator("main.gb-chat header h1")).to_have_text("Shop")

            nav.get_by_role("button", name="Log out").click()
            expect(page).to_have_url(f"{url}/accounts/login/")
            expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
        finally:
            browser.close()
