"""Reference Celery tasks for bench/workflows.py: a hand-written chain and chord of no-op steps
that each write a ~1 KB state row to PostgreSQL (what a Celery + PostgreSQL engine does)."""

from celery import shared_task
from django.db import connection

PAYLOAD = "x" * 1024


def write_state(flow: str, step: int) -> None:
    with connection.cursor() as cur:
        cur.execute("INSERT INTO bench_state (flow, step, state) VALUES (%s, %s, %s)", [flow, step, PAYLOAD])


@shared_task(name="bench.chain_step")
def chain_step(flow: str, step: int) -> str:
    write_state(flow, step)
    return flow


@shared_task(name="bench.chord_branch", ignore_result=False)
def chord_branch(flow: str, step: int) -> int:
    write_state(flow, step)
    return step


@shared_task(name="bench.chord_join", ignore_result=False)
def chord_join(results, flow: str) -> None:
    write_state(flow, -1)
