import secrets

from tests.conftest import clean_env

PRODUCTION = "--settings=generalbots.settings.production"


def production_env(**overrides):
    return clean_env(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="bots.example.com",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/generalbots",
        REDIS_URL="redis://127.0.0.1:6379/0",
        GB_PUBLIC_URL="https://bots.example.com",
        **overrides,
    )


def test_check_deploy_passes_with_secrets_from_the_environment(manage):
    result = manage("check", "--deploy", "--fail-level", "WARNING", PRODUCTION, env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(manage):
    env = production_env()
    del env["DJANGO_SECRET_KEY"]

    result = manage("check", PRODUCTION, env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_needs_the_public_address_for_the_links_it_mails(manage):
    env = production_env()
    del env["GB_PUBLIC_URL"]

    result = manage("check", "--deploy", PRODUCTION, env=env)

    assert result.returncode != 0
    assert "workflows.E001" in result.stderr and "GB_PUBLIC_URL" in result.stderr
