from celery import shared_task

from workflows import engine


@shared_task(name="workflows.run_slice", acks_late=True)
def run_slice_task(execution_id: str) -> int:
    """Run the next slice of a run (and what it wakes); safe to deliver twice (DESIGN §4.5)."""
    return engine.slice_run(execution_id)


@shared_task(name="workflows.run_slices", acks_late=True)
def run_slices_task(execution_ids: list[str]) -> int:
    """Slice each run of a batch in turn (``engine.enqueue_slices``); safe to deliver twice."""
    return engine.slice_runs(execution_ids)


@shared_task(name="workflows.slice_new", acks_late=True)
def slice_new_task(first: str | None = None) -> int:
    """Slice the new run ``first``, then take a batch of the new runs that arrived meanwhile
    and slice them (``engine.starts``); safe to deliver twice."""
    return engine.slice_new(first)


@shared_task(name="workflows.sweep")
def sweep_task() -> int:
    """The periodic sweeper: enqueue every run whose wake-up is due or was lost."""
    return engine.sweep()


@shared_task(name="workflows.sweep_timers")
def sweep_timers_task() -> int:
    """The sweeper's frequent tick: start the scheduled dialogs that are due (``SET
    SCHEDULE``), then resume every run whose timer is due; returns how many of both."""
    from workflows.schedules import schedules_fire

    return schedules_fire() + engine.sweep_timers()


@shared_task(name="workflows.prune")
def prune_task() -> int:
    """Delete finished runs older than GB_RUN_RETENTION_DAYS."""
    return engine.prune()
