import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from generalbots.core.models import Organization


def organization_get_default() -> Organization:
    """The organization bots and events belong to when nobody says otherwise.

    A data migration creates it; it is recreated if someone deleted it.
    """
    organization, _ = Organization.objects.get_or_create(
        slug=settings.GB_DEFAULT_ORGANIZATION, defaults={"name": "Default"}
    )
    return organization


@dataclass(frozen=True)
class AdminLogin:
    username: str
    created: bool
    password: str | None  # only when this call generated it


@transaction.atomic
def superuser_ensure(*, username: str = "admin", password: str | None = None) -> AdminLogin:
    """Create a superuser when the platform has none; never touch an existing one.

    Without ``password`` a random one is generated and returned, to be shown once.
    """
    User = get_user_model()
    existing = User.objects.filter(is_superuser=True).order_by("pk").first()
    if existing is not None:
        return AdminLogin(username=existing.get_username(), created=False, password=None)
    generated = password is None
    if generated:
        password = secrets.token_urlsafe(12)
    User.objects.create_superuser(username=username, email="", password=password)
    return AdminLogin(username=username, created=True, password=password if generated else None)
