"""The durable workflow engine (DESIGN §4): slices, children and joins, the effect cache,
the sweeper. ``core`` runs one slice of a locked run (and fulfils the requests for child runs
the runtime host makes), ``children`` the child rows and joins, ``turns`` the one path of a
conversation's slices, ``slices`` the workers' side and the sweeper, ``effects`` the step
cache, ``recorder`` the unit of work of a slice.
"""

from __future__ import annotations


def enqueue_slice(execution_id) -> None:
    """Ask a worker to slice ``execution_id`` once the current transaction commits (a hint:
    the sweeper finds the run again if the message is lost)."""
    from generalbots.core.dispatch import enqueue
    from workflows.tasks import run_slice_task

    enqueue(run_slice_task, str(execution_id))


def slice_messages(execution_ids):
    """The task messages that slice ``execution_ids``: (task, args) for each ``GB_SLICE_BATCH``
    runs (a batch of one is an ordinary slice message)."""
    from django.conf import settings

    from workflows.tasks import run_slice_task, run_slices_task

    ids = [str(pk) for pk in execution_ids]
    size = settings.GB_SLICE_BATCH
    for start in range(0, len(ids), size):
        batch = ids[start:start + size]
        yield (run_slice_task, (batch[0],)) if len(batch) == 1 else (run_slices_task, (batch,))


def enqueue_slices(execution_ids) -> None:
    """``enqueue_slice`` for many runs at once (one event waking thousands, a sweep of many due
    timers): one message per ``GB_SLICE_BATCH`` runs, each run of a batch sliced in turn by the
    worker that takes it in one transaction (``batches.slice_runs``). The per-message cost of the broker and of a
    task (a round trip to publish, another to take it, the task's signals) is paid once per
    batch instead of once per run, and the batches still spread over the workers."""
    from generalbots.core.dispatch import enqueue

    for task, args in slice_messages(execution_ids):
        enqueue(task, *args)


from workflows.engine.children import cancel_tree  # noqa: E402
from workflows.engine.core import SliceContext, Wake, advance  # noqa: E402
from workflows.engine.batches import slice_runs, sweep_timers  # noqa: E402
from workflows.engine.starts import claim_new, enqueue_start, slice_new  # noqa: E402
from workflows.engine.slices import (claim_due_timers, due_ids, prune, slice_one, slice_run,  # noqa: E402
                                     slice_started, sweep, wake_for)

__all__ = ["SliceContext", "Wake", "advance", "cancel_tree", "claim_due_timers", "claim_new", "due_ids", "enqueue_slice",
           "enqueue_slices", "enqueue_start", "prune", "slice_messages", "slice_new", "slice_one", "slice_run", "slice_runs",
           "slice_started", "sweep", "sweep_timers", "wake_for"]
