from celery import shared_task

from generalbots.bots.models import Bot
from memory import services


@shared_task(name="memory.purge_expired")
def purge_expired_task() -> int:
    """Delete expired REMEMBER memories and their vectors (they already read as NULL)."""
    return services.remembered_purge_expired()


@shared_task(name="memory.kb_index")
def kb_index_task(bot_id: int, kb: str | None = None) -> dict:
    """Index the knowledge bases of a bot (only ``kb`` when given) from its package: queued when
    a package loads and by the admin's re-index action."""
    bot = Bot.objects.filter(pk=bot_id).first()
    if bot is None:  # deleted since it was queued
        return {}
    return {name: report.as_dict() for name, report in services.kb_index(bot=bot, kb=kb).items()}
