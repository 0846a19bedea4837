"""Packages act inside one organization: the admin upload and ``gb load --organization`` never
replace another organization's bot, and a package folder must give a valid bot name."""

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from generalbots.bots.models import Bot, BotAccess, BotScript
from generalbots.bots.services import package_upload
from generalbots.core.services import organization_get_default
from tests import factories
from tests.bots.conftest import write_package
from tests.bots.test_package_dialogs import zip_bytes

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:bots_bot_upload")


def package_zip(name: str, says: str, folder: str | None = None) -> bytes:
    folder = folder or f"{name}.gbai"
    return zip_bytes({f"{folder}/{name}.gbdialog/start.bas": f'TALK "{says}"\n'.encode()})


def upload(client, name: str, says: str, organization, *, folder: str | None = None, filename: str = "pkg.zip"):
    data = {"package": SimpleUploadedFile(filename, package_zip(name, says, folder))}
    if organization is not None:
        data["organization"] = organization.pk
    return client.post(UPLOAD, data)


def start_source(name: str) -> str:
    return BotScript.objects.get(bot__name=name, name="start", is_current=True).source


@pytest.fixture
def alpha(org_a):
    """A's bot, uploaded by a superuser into organization A."""
    package_upload(file=SimpleUploadedFile("alpha.zip", package_zip("alpha", "A speaking")), filename="alpha.zip",
                   organization=org_a)
    return Bot.objects.get(name="alpha")


def staff(username: str, *operates: Bot, watches: tuple[Bot, ...] = ()):
    """A staff user (not superuser) with the bot admin's permissions, operating ``operates``."""
    user = factories.UserFactory(username=username, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="bots",
                                                        codename__in=["add_bot", "change_bot", "view_bot"]))
    for bot in operates:
        BotAccess.objects.create(bot=bot, user=user, can_operate=True)
    for bot in watches:
        BotAccess.objects.create(bot=bot, user=user, can_operate=False)
    return user


@pytest.fixture
def bea(org_b):
    """A staff user of organization B: operates B's bot ``bravo``."""
    return staff("bea", factories.BotFactory(name="bravo", organization=org_b))


def test_a_staff_user_of_b_cannot_replace_a_bot_of_a_by_its_name(client, tmp_path, alpha, bea, org_b):
    client.force_login(bea)

    response = upload(client, "alpha", "B was here", org_b)

    assert response.status_code == 200
    assert ("The name &#x27;alpha&#x27; belongs to another organization: give the package another name."
            in response.content.decode())
    assert start_source("alpha") == 'TALK "A speaking"\n'
    assert Bot.objects.get(name="alpha").organization.slug == "org-a"
    assert (tmp_path / "uploads" / "org-a" / "alpha.gbai" / "alpha.gbdialog" / "start.bas").read_text() == \
        'TALK "A speaking"\n'
    assert not (tmp_path / "uploads" / "org-b" / "alpha.gbai").exists()


def test_a_staff_user_may_only_choose_organizations_whose_bots_they_operate(client, alpha, bea, org_a, org_b):
    client.force_login(bea)

    page = client.get(UPLOAD)
    into_a = upload(client, "newbie", "hi", org_a)

    assert list(page.context["form"].fields["organization"].queryset) == [org_b]
    assert into_a.status_code == 200
    assert "Select a valid choice" in into_a.content.decode()
    assert not Bot.objects.filter(name="newbie").exists()


def test_a_staff_user_creates_a_bot_in_their_organization_and_may_operate_it(client, bea, org_b):
    client.force_login(bea)

    response = upload(client, "bistro", "B speaking", org_b)

    bot = Bot.objects.get(name="bistro")
    assert response.status_code == 302
    assert bot.organization == org_b
    assert BotAccess.objects.get(bot=bot).user == bea and BotAccess.objects.get(bot=bot).can_operate
    assert client.get(reverse("admin:bots_bot_changelist")).context["cl"].result_count == 2  # bravo, bistro
    change = client.get(reverse("admin:bots_bot_change", args=[bot.pk]))
    assert "organization" not in change.context["adminform"].form.fields  # shown, but only a superuser moves it


def test_a_staff_user_may_not_replace_a_bot_they_only_watch(client, org_b):
    watched = factories.BotFactory(name="bravo", organization=org_b)
    client.force_login(staff("walt", factories.BotFactory(name="other", organization=org_b), watches=(watched,)))

    response = upload(client, "bravo", "replaced", org_b)

    assert "You may not replace the bot &#x27;bravo&#x27;: that needs an operator grant on it." in \
        response.content.decode()
    assert not BotScript.objects.filter(bot=watched).exists()


def test_a_staff_user_without_any_operated_bot_cannot_upload(client, org_b):
    client.force_login(staff("nobody"))

    page = client.get(UPLOAD)
    response = upload(client, "orphan", "hi", org_b)

    assert "You operate no bot yet, so there is no organization you may upload into" in page.content.decode()
    assert "Select a valid choice" in response.content.decode()
    assert not Bot.objects.filter(name="orphan").exists()


def test_a_superuser_picks_any_organization_but_still_not_a_taken_name(admin_client, alpha, org_b):
    created = upload(admin_client, "beacon", "B bot", org_b)
    taken = upload(admin_client, "alpha", "stolen", org_b)
    same_org = upload(admin_client, "alpha", "A again", alpha.organization)

    assert created.status_code == 302 and Bot.objects.get(name="beacon").organization == org_b
    assert "belongs to another organization" in taken.content.decode()
    assert same_org.status_code == 302
    assert start_source("alpha") == 'TALK "A again"\n'
    assert Bot.objects.get(name="alpha").organization.slug == "org-a"


def test_staff_see_and_change_only_the_bots_granted_to_them(client, alpha, bea, org_b,
                                                            django_assert_max_num_queries):
    for n in range(5):
        BotAccess.objects.create(bot=factories.BotFactory(name=f"b{n}", organization=org_b), user=bea)
    client.force_login(bea)

    with django_assert_max_num_queries(12):
        changelist = client.get(reverse("admin:bots_bot_changelist"))
    other = client.get(reverse("admin:bots_bot_change", args=[alpha.pk]))

    assert [b.name for b in changelist.context["cl"].result_list] == ["b0", "b1", "b2", "b3", "b4", "bravo"]
    assert other.status_code == 302  # the admin's answer to an object outside the queryset


@pytest.mark.parametrize("folder", ["-.gbai", "..gbai", ".gbai", "_.gbai"])
def test_a_package_folder_that_is_no_bot_name_is_refused_and_nothing_is_written(admin_client, tmp_path, folder):
    response = upload(admin_client, "x", "I read everyone's files", organization_get_default(), folder=folder)

    assert response.status_code == 200
    assert f"The package folder &#x27;{folder}&#x27; does not name a bot" in response.content.decode()
    assert not Bot.objects.exists()
    assert not any((tmp_path / "uploads").rglob("*.bas"))


def test_a_zip_of_contents_named_after_an_odd_file_name_is_refused(admin_client, tmp_path):
    data = {"package": SimpleUploadedFile("-.zip", zip_bytes({"x.gbdialog/start.bas": b"TALK 1\n"})),
            "organization": organization_get_default().pk}

    response = admin_client.post(UPLOAD, data)

    assert "The package folder &#x27;-.gbai&#x27; does not name a bot" in response.content.decode()
    assert not Bot.objects.exists()


def test_gb_load_into_an_organization_refuses_another_organizations_name(tmp_path, alpha, org_b):
    write_package(tmp_path / "pkgs", "alpha", {"start.bas": 'TALK "B was here"\n'})
    write_package(tmp_path / "pkgs", "bolt", {"start.bas": 'TALK "B bot"\n'})
    out = StringIO()

    call_command("gb", "load", str(tmp_path / "pkgs"), "--organization", "org-b", stdout=out)

    assert ("failed  alpha  (" in out.getvalue()
            and "): The name 'alpha' belongs to another organization: give the package another name." in out.getvalue())
    assert "2 package(s) found: 1 created, 1 failed." in out.getvalue()
    assert start_source("alpha") == 'TALK "A speaking"\n'
    assert Bot.objects.get(name="bolt").organization == org_b


def test_gb_load_without_an_organization_keeps_an_existing_bots_organization(tmp_path, alpha):
    write_package(tmp_path / "pkgs", "alpha", {"start.bas": 'TALK "reloaded"\n'})
    write_package(tmp_path / "pkgs", "fresh", {"start.bas": 'TALK "new"\n'})

    call_command("gb", "load", str(tmp_path / "pkgs"), stdout=StringIO())

    assert start_source("alpha") == 'TALK "reloaded"\n'
    assert Bot.objects.get(name="alpha").organization.slug == "org-a"
    assert Bot.objects.get(name="fresh").organization == organization_get_default()


def test_gb_load_names_an_unknown_organization(tmp_path):
    with pytest.raises(CommandError, match="No organization with the slug 'nope'"):
        call_command("gb", "load", str(tmp_path), "--organization", "nope", stdout=StringIO())


def test_gb_load_refuses_a_folder_that_is_no_bot_name(tmp_path):
    write_package(tmp_path / "pkgs", "-", {"start.bas": 'TALK "hi"\n'})
    out = StringIO()

    call_command("gb", "load", str(tmp_path / "pkgs"), stdout=out)

    assert "The package folder '-.gbai' does not name a bot" in out.getvalue()
    assert "Traceback" not in out.getvalue()
    assert not Bot.objects.exists()


def test_the_reload_action_keeps_the_bots_organization(admin_client, alpha, tmp_path):
    (tmp_path / "uploads" / "org-a" / "alpha.gbai" / "alpha.gbdialog" / "start.bas").write_text('TALK "edited"\n')

    admin_client.post(reverse("admin:bots_bot_changelist"),
                      {"action": "reload_from_package", "_selected_action": [alpha.pk]})

    assert start_source("alpha") == 'TALK "edited"\n'
    assert Bot.objects.get(name="alpha").organization.slug == "org-a"
