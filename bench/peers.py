"""The peers of our engine on the shapes of bench/workflows.py: DBOS and LangGraph + PostgresSaver.

    .venv-peers/bin/python bench/peers.py [--quick] [--only dbos,langgraph]

Runs in its own environment (``make bench-peers`` installs the versions pinned in
``bench/peers-requirements.txt``), without Django; ``bench/workflows.py --peers`` runs it as a
subprocess in the same run and puts each peer's figure beside ours. Same PostgreSQL as ours
(``GB_BENCH_PEERS_URL``, default the local server), each peer in a database of its own that is
dropped and created afresh at the start (as ours empties its run tables), two warm-up runs per
shape, then medians of 5 (``--quick``) or 20 runs. Prints one JSON object per measurement: name
(``<peer>_step_10`` ...), unit, median, p95, n, peer, version.

The shapes, with the same meaning as ours (a step is a unit of work whose small state change is
made durable before the next one starts):

- ``step_10`` / ``step_50``: per-step time of a sequence of 10 / 50 steps, start to completed.
  DBOS: a ``@DBOS.workflow`` calling a ``@DBOS.step`` n times (each step's output is
  checkpointed in DBOS's system database). LangGraph: a ``StateGraph`` of n nodes in a line, each
  updating the state, compiled with ``PostgresSaver`` and invoked with ``durability="sync"`` (the
  checkpoint of each step is written before the next step runs, as ours commits each slice).
- ``parallel_2`` / ``parallel_10``: 2 / 10 branches plus the join, start to completed. DBOS:
  the branches are child workflows started with ``DBOS.start_workflow`` (each runs one step) and
  joined with ``handle.get_result()``. LangGraph: START fans out to the branch nodes, each adding
  to a list with a reducer, and one join node waits for all of them.
"""

from __future__ import annotations

import json
import operator
import os
import statistics
import sys
import time
import uuid
from importlib.metadata import version
from typing import Annotated, TypedDict

QUICK = "--quick" in sys.argv
ONLY = (sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else "dbos,langgraph").split(",")
SERVER = os.environ.get("GB_BENCH_PEERS_URL", "postgresql://postgres@127.0.0.1:5432")
REPS = 5 if QUICK else 20
SHAPES = (("step", 10), ("step", 50), ("parallel", 2), ("parallel", 10))


def emit(name: str, unit: str, values: list[float], **extra) -> None:
    values = sorted(values)
    print(json.dumps({"name": name, "unit": unit, "median": round(statistics.median(values), 4),
                      "p95": round(values[min(len(values) - 1, int(len(values) * 0.95))], 4), "n": len(values),
                      **extra}), flush=True)


def fresh_database(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER}/{name}"


def measure(peer: str, run) -> None:
    """``run(kind, size)`` runs one flow to its end; per step (steps) or per flow (parallel), ms."""
    for _ in range(2):
        run("step", 10)
        run("parallel", 2)
    for kind, size in SHAPES:
        samples = []
        for _ in range(REPS):
            t0 = time.perf_counter()
            run(kind, size)
            elapsed = (time.perf_counter() - t0) * 1000
            samples.append(elapsed / size if kind == "step" else elapsed)
        emit(f"{peer}_{kind}_{size}", "ms", samples, peer=peer, version=version(peer))


def dbos_bench() -> None:
    from dbos import DBOS

    DBOS(config={"name": "gb-bench-peers", "system_database_url": fresh_database("generalbots_bench_dbos"),
                 "log_level": "WARNING"})

    @DBOS.step()
    def bot_step(i: int) -> dict:
        return {"x": i}

    @DBOS.workflow()
    def steps_flow(n: int) -> dict:
        state: dict = {}
        for i in range(n):
            state.update(bot_step(i))
        return state

    @DBOS.workflow()
    def branch_flow(i: int) -> dict:
        return bot_step(i)

    @DBOS.workflow()
    def parallel_flow(width: int) -> list:
        handles = [DBOS.start_workflow(branch_flow, i) for i in range(width)]
        return [handle.get_result() for handle in handles]

    DBOS.launch()
    try:
        measure("dbos", lambda kind, size: steps_flow(size) if kind == "step" else parallel_flow(size))
    finally:
        DBOS.destroy()


class ChainState(TypedDict):
    x: int


class FanState(TypedDict):
    done: Annotated[list[int], operator.add]
    joined: int


def langgraph_bench() -> None:
    from langgraph.checkpoint.postgres import PostgresSaver
    from langgraph.graph import END, START, StateGraph

    def chain(n: int):
        builder = StateGraph(ChainState)
        previous = START
        for i in range(n):
            builder.add_node(f"s{i}", lambda state: {"x": state["x"] + 1})
            builder.add_edge(previous, f"s{i}")
            previous = f"s{i}"
        builder.add_edge(previous, END)
        return builder

    def fan(width: int):
        builder = StateGraph(FanState)
        names = [f"b{i}" for i in range(width)]
        for i, name in enumerate(names):
            builder.add_node(name, lambda state, i=i: {"done": [i]})
            builder.add_edge(START, name)
        builder.add_node("join", lambda state: {"joined": len(state["done"])})
        builder.add_edge(names, "join")  # waits for every branch
        builder.add_edge("join", END)
        return builder

    with PostgresSaver.from_conn_string(fresh_database("generalbots_bench_langgraph")) as saver:
        saver.setup()
        graphs = {("step", n): chain(n).compile(checkpointer=saver) for n in (10, 50)}
        graphs.update({("parallel", w): fan(w).compile(checkpointer=saver) for w in (2, 10)})

        def run(kind: str, size: int) -> None:
            start = {"x": 0} if kind == "step" else {"done": [], "joined": 0}
            out = graphs[kind, size].invoke(start, {"configurable": {"thread_id": uuid.uuid4().hex}}, durability="sync")
            assert out.get("x", out.get("joined")) == size, out

        measure("langgraph", run)


def main() -> None:
    benches = {"dbos": dbos_bench, "langgraph": langgraph_bench}
    unknown = set(ONLY) - set(benches)
    if unknown:
        sys.exit(f"--only: unknown peer(s) {sorted(unknown)}; choose from {', '.join(benches)}")
    for name in ONLY:
        benches[name]()


if __name__ == "__main__":
    main()
