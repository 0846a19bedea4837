"""Benchmarks of the designer's BASIC <-> graph. Prints one JSON object per measurement.

    python bench/designer.py [--quick]

For generated programs of 20, 200 and 2,000 statements (TALK, IF blocks, FOR EACH loops, BOT
steps, comments):

- ``designer_roundtrip``: BASIC -> graph -> BASIC (what opening and saving unchanged costs).
- ``designer_preview_graph``: one canvas edit (a TALK's message) -> the preview: the BASIC
  written from the graph, ``gb check``'s problems and the graph checks. Target (issue 15):
  under 100 ms at 200 statements.
- ``designer_preview_source``: BASIC typed -> the preview (graph, problems).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "generalbots.settings")

import django  # noqa: E402

django.setup()

from designer.graph import basic_from_graph, graph_from_basic  # noqa: E402
from designer.preview import preview_of_graph, preview_of_source  # noqa: E402

BOTS = {"billing", "refunds"}


def program(statements: int) -> str:
    """A program of about ``statements`` statements (each block counts its lines)."""
    lines = ["' generated for the designer benchmark", "ORCHESTRATE WORKFLOW \"bench\"", "total = 0"]
    k = 0
    while len(lines) < statements:
        k += 1
        lines += [f"TALK \"step {k}\"",
                  f"IF total > {k} THEN", f"    STEP {k}: BOT \"billing\" \"charge {k}\"", "ELSE",
                  f"    total = total + {k}", "END IF",
                  "FOR EACH item IN [1, 2]", "    TALK item", "NEXT item", ""]
    lines.append("END WORKFLOW")
    return "\n".join(lines) + "\n"


def emit(name: str, samples: list[float], **extra) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    print(json.dumps({"name": name, "unit": "ms", "median": round(statistics.median(samples), 3),
                      "p95": round(p95, 3), "n": len(samples), **extra}), flush=True)


def timed(fn, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def main() -> None:
    quick = "--quick" in sys.argv
    for size in (20, 200, 2000):
        source = program(size)
        runs = 3 if quick else (30 if size < 2000 else 8)
        graph = graph_from_basic(source)
        assert basic_from_graph(graph) == source
        emit("designer_roundtrip", timed(lambda: basic_from_graph(graph_from_basic(source)), runs),
             statements=size, lines=source.count("\n"))
        talk = next(n for n in graph["body"] if n["kind"] == "talk")

        def edit_and_preview():
            talk["fields"]["message"] = f'"edited {time.perf_counter_ns()}"'
            preview_of_graph(graph, bot_names=BOTS)
        emit("designer_preview_graph", timed(edit_and_preview, runs), statements=size)
        emit("designer_preview_source", timed(lambda: preview_of_source(source, bot_names=BOTS), runs),
             statements=size)


if __name__ == "__main__":
    main()
