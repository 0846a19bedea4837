"""Imported by bench/lone_run.py's workers only (``celery worker -I``): when a
``workflows.slice_new`` task naming a run begins and ends in a pool child, one line
``<run id> pre|post <time.time()>`` is appended to ``$GB_DATA_DIR/marks-<pid>.txt`` (a buffered
file write, no round trip, so the marks barely change what they time)."""

import os
import time

from celery.signals import task_postrun, task_prerun

_files: dict[int, object] = {}


def _mark(task, args, what: str) -> None:
    if task.name != "workflows.slice_new" or not args or not args[0]:
        return
    now = time.time()
    out = _files.get(os.getpid())
    if out is None:
        out = _files[os.getpid()] = open(os.path.join(os.environ["GB_DATA_DIR"], f"marks-{os.getpid()}.txt"), "a",
                                         buffering=1)
    out.write(f"{args[0]} {what} {now!r}\n")


@task_prerun.connect
def _pre(task=None, args=None, **_):
    _mark(task, args, "pre")


@task_postrun.connect
def _post(task=None, args=None, **_):
    _mark(task, args, "post")
