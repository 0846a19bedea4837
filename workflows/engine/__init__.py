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


from workflows.engine.children import cancel_tree  # noqa: E402
from workflows.engine.core import SliceContext, Wake, advance  # noqa: E402
from workflows.engine.slices import due_ids, prune, slice_one, slice_run, sweep, wake_for  # noqa: E402

__all__ = ["SliceContext", "Wake", "advance", "cancel_tree", "due_ids", "enqueue_slice", "prune", "slice_one",
           "slice_run", "sweep", "wake_for"]
