"""The access generation: a number that moves whenever who may see which bot may have changed.

A long-lived connection (a dashboard or event-log websocket) checks access when it opens and
then forwards what its groups receive. So that a grant withdrawn, a user deactivated or moved out
of a group, or a bot renamed, moved or deleted while the socket is open stops what it sees at
the next message, such a connection reads :func:`access_generation` (one cache read) before it
forwards anything and checks access again when the number moved (``workflows.consumers.live``).

The number lives in Django's cache (Redis in full mode, so every process sees one number; the
process's own memory in embedded mode, where one process serves everything), and moves when the
change commits, so the check that follows reads the new rows. A cache that lost the key reads
as 0, a move like any other.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

KEY = "bots:access-generation"
# Fields of a user whose change changes what they see; a login saves last_login alone.
_USER_FIELDS = frozenset({"is_active", "is_superuser"})


def access_generation() -> int:
    return cache.get(KEY, 0)


def _move() -> None:
    cache.add(KEY, 0, timeout=None)
    try:
        cache.incr(KEY)
    except ValueError:  # evicted between the two calls
        cache.set(KEY, 1, timeout=None)


def access_changed(**kwargs) -> None:
    """A receiver: the access generation moves once the current transaction commits."""
    transaction.on_commit(_move, using=kwargs.get("using"))


def _user_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    if not created and (update_fields is None or _USER_FIELDS & set(update_fields)):
        access_changed(**kwargs)


def connect_receivers() -> None:
    from generalbots.bots.models import Bot, BotAccess

    User = get_user_model()
    for model in (BotAccess, Bot):
        post_save.connect(access_changed, sender=model, dispatch_uid=f"bots.access.save.{model.__name__}")
        post_delete.connect(access_changed, sender=model, dispatch_uid=f"bots.access.delete.{model.__name__}")
    post_save.connect(_user_saved, sender=User, dispatch_uid="bots.access.user_saved")
    post_delete.connect(access_changed, sender=User, dispatch_uid="bots.access.user_deleted")
    m2m_changed.connect(access_changed, sender=User.groups.through, dispatch_uid="bots.access.groups")
