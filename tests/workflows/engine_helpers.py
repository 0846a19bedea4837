import hashlib
import threading

from django.db import connections

from tests.factories import BotFactory, BotScriptFactory
from workflows import engine
from workflows.choices import ExecutionStatus
from workflows.models import WorkflowExecution


def make_bot(name: str, source: str, *, script: str = "start", organization=None):
    """A bot whose ``script`` dialog is ``source`` (current version), in ``organization`` (by
    default the default organization, so the bots of one test can call each other)."""
    from generalbots.core.services import organization_get_default

    bot = BotFactory(name=name, organization=organization or organization_get_default())
    add_script(bot, script, source)
    return bot


def add_script(bot, name: str, source: str):
    return BotScriptFactory(bot=bot, name=name, path=f"{bot.name}.gbdialog/{name}.bas", source=source,
                            source_hash=hashlib.sha256(source.encode()).hexdigest(), problems=[])


def drive(execution, *, rounds: int = 20):
    """Slice ``execution`` and every run that is due, until nothing moves (what workers and the
    sweeper do, in this process)."""
    engine.slice_run(execution.pk)
    for _ in range(rounds):
        ids = engine.due_ids() | set(
            WorkflowExecution.objects.filter(status=ExecutionStatus.PENDING).values_list("pk", flat=True))
        if not ids:
            break
        for pk in ids:
            engine.slice_run(pk)
    execution.refresh_from_db()
    return execution


def resume_due(*, now) -> int:
    """What the sweeper and a worker do at ``now``: slice every run whose wake-up is due then;
    returns how many there were."""
    ids = engine.due_ids(now=now)
    for pk in ids:
        engine.slice_run(pk, now=now)
    return len(ids)


def run_together(work, threads: int = 2, timeout: float = 60) -> list:
    """``work()`` in ``threads`` threads released at once (as workers ticking together), each
    closing its database connections; their results, in the order they finished."""
    start = threading.Barrier(threads)
    results = []

    def worker():
        try:
            start.wait(10)
            results.append(work())
        finally:
            connections.close_all()

    running = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(timeout)
    return results
