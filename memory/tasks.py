from celery import shared_task

from memory import services


@shared_task(name="memory.purge_expired")
def purge_expired_task() -> int:
    """Delete expired REMEMBER memories and their vectors (they already read as NULL)."""
    return services.remembered_purge_expired()
