from celery import shared_task

from generalbots.bots import services


@shared_task(name="bots.resume_due_conversations")
def resume_due_conversations_task() -> int:
    """The periodic sweeper: resume conversations whose WAIT is due (DESIGN §4.5)."""
    return services.conversations_resume_due()
