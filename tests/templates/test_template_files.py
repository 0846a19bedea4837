"""Every template's files: ``gb check`` finds nothing (no error, no warning) and the designer's
round trip gives every ``.bas`` back unchanged; ``gb load`` loads each bot without a problem
(``install_template`` asserts that for the templates the other tests install)."""

import pytest

from tests.templates.conftest import TEMPLATES, template_files_report

pytestmark = pytest.mark.django_db

# template: how many .bas files it has
TEMPLATE_FILES = {"customer-support": 6, "content-moderation": 5}


@pytest.mark.parametrize("template", sorted(TEMPLATE_FILES))
def test_every_file_checks_without_warnings_and_round_trips_unchanged(template):
    checked, tripped = template_files_report(str(TEMPLATES / template))

    count = TEMPLATE_FILES[template]
    assert checked["status"] == 0 and len(checked["files"]) == count
    assert [(f["path"].rsplit("/", 1)[-1], f["errors"], f["warnings"]) for f in checked["files"]] == [
        (f["path"].rsplit("/", 1)[-1], [], []) for f in checked["files"]]
    assert tripped["status"] == 0 and [f["identical"] for f in tripped["files"]] == [True] * count


@pytest.mark.parametrize("template", sorted(TEMPLATE_FILES))
def test_gb_load_loads_every_bot_of_the_template_without_problems(template, install_template):
    bots = install_template(template)

    assert sorted(bots) == sorted(p.name.removesuffix(".gbai") for p in (TEMPLATES / template).glob("*.gbai"))
    assert {name: bot.problems for name, bot in bots.items()} == {name: [] for name in bots}
