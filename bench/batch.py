"""Speed of ``gb run --batch --offline`` (``generalbots.basic.batch``). Prints JSON lines.

    python bench/batch.py [--quick]

Runs every ``.bas`` of ``tests/basic/corpus`` and ``tests/basic/programs`` (the small scripts
of the project: real-script forms and the golden programs) as one batch, offline, with three
inputs for HEAR, ``rounds`` times, and prints scripts per second of wall-clock time and of
process CPU time (CPU time is the figure to compare under load: wall-clock time includes what
other processes take). Issue 19 asks for at least 20 small scripts a second.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generalbots.basic.batch import run_batch  # noqa: E402
from generalbots.basic.checking import iter_bas_files  # noqa: E402

FOLDERS = [REPO / "tests" / "basic" / "corpus", REPO / "tests" / "basic" / "programs"]


def main() -> None:
    rounds = 1 if "--quick" in sys.argv else 5
    files = iter_bas_files(FOLDERS)
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in files)
    walls, cpus = [], []
    outcomes: Counter = Counter()
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        results = run_batch(FOLDERS, inputs=["yes", "Ana", "42"], offline=True, timeout=10)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        outcomes = Counter(r.outcome for r in results)
    best_wall, best_cpu = min(walls), min(cpus)
    print(json.dumps({"name": "batch_offline", "unit": "scripts/s", "files": len(files),
                      "lines": lines, "rounds": rounds,
                      "wall_scripts_per_s": round(len(files) / best_wall, 1),
                      "cpu_scripts_per_s": round(len(files) / best_cpu, 1),
                      "cpu_ms_per_script": round(1000 * best_cpu / len(files), 3),
                      "outcomes": dict(outcomes)}), flush=True)


if __name__ == "__main__":
    main()
