"""Benchmarks of the BASIC compiler and VM. Prints one JSON object per measurement.

    python bench/basic_vm.py [--quick]

- ``vm_simple_statements``: simple statements per second on loop-heavy scripts (each loop
  iteration counts its body statements; the FOR/NEXT itself is not counted).
- ``compile_2000_lines``: parse + compile time of a generated 2,000-line script.
- ``state_size`` / ``state_roundtrip``: JSON size of a typical suspended workflow and the time
  to serialize it, parse it back and restore a VM from it.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generalbots.basic import VM, compile_program, parse  # noqa: E402
from generalbots.basic.fake_host import FakeHost  # noqa: E402

LOOP_SCRIPTS = {
    "sum": ("x = 0\nFOR i = 1 TO {n}\n  x = x + i\nNEXT\n", 1),
    "mixed": ("x = 0\ny = 0\nz = 0\nFOR i = 1 TO {n}\n  x = x + i\n  y = x * 2\n"
              "  IF y MOD 3 = 0 THEN\n    z = z + 1\n  END IF\nNEXT\n", 3),
}

WORKFLOW = '''ORCHESTRATE WORKFLOW "order-review"
customer = {"name": "Ana", "email": "ana@example.com", "tier": "gold"}
orders = []
FOR i = 1 TO 40
  orders.push({"id": i, "sku": "SKU-" & i, "amount": i * 12.5, "status": "open"})
NEXT
SUB Review(order)
  TALK "Order " & order.id & " needs a decision"
  HEAR decision AS BOOLEAN
  IF decision THEN approved_count = approved_count + 1
END SUB
approved_count = 0
STEP 1: BOT "triage" "classify"
FOR EACH order IN orders
  IF order.amount > 100 THEN
    Review(order)
  END IF
NEXT
END WORKFLOW
'''


def emit(name: str, unit: str, samples: list[float], **extra) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    print(json.dumps({"name": name, "unit": unit, "median": round(statistics.median(samples), 3),
                      "p95": round(p95, 3), "n": len(samples), **extra}), flush=True)


def bench_loops(quick: bool) -> None:
    n_iter = 200_000 if quick else 1_000_000
    for label, (template, body_statements) in LOOP_SCRIPTS.items():
        program = compile_program(parse(template.format(n=n_iter), f"{label}.bas"))
        rates = []
        for _ in range(3 if quick else 5):
            vm = VM(program, FakeHost())
            t0 = time.perf_counter()
            result = vm.run()
            dt = time.perf_counter() - t0
            assert result.status == "finished", result.error
            rates.append(n_iter * body_statements / dt)
        emit("vm_simple_statements", "statements/s", rates, script=label, iterations=n_iter,
             statements_per_iteration=body_statements)


def generated_script(lines: int) -> str:
    out: list[str] = []
    i = 0
    while len(out) < lines:
        i += 1
        out += [
            f"FUNCTION F{i}(a, b)",
            f"  RETURN a * {i} + b",
            "END FUNCTION",
            f"total{i} = F{i}(2, 3) + LEN(\"abc\")",
            f"IF total{i} > 10 THEN",
            f"  TALK \"big ${{total{i}}}\"",
            "ELSE",
            f"  items{i} = [1, 2, {i}]",
            "END IF",
            f"FOR EACH v IN [1, 2, 3]",
            f"  total{i} = total{i} + v",
            "NEXT",
            f"name{i} = UCASE(\"n{i}\") & \"-\" & FORMAT(total{i}, \"#,##0\")",
        ]
    return "\n".join(out) + "\n"  # whole chunks, so every block is closed


def bench_compile(quick: bool) -> None:
    source = generated_script(2000)
    samples, compile_only = [], []
    for _ in range(3 if quick else 7):
        t0 = time.perf_counter()
        tree = parse(source, "generated.bas")
        t1 = time.perf_counter()
        compile_program(tree)
        t2 = time.perf_counter()
        samples.append((t2 - t0) * 1000)
        compile_only.append((t2 - t1) * 1000)
    n_lines = source.count("\n")
    emit("compile_2000_lines", "ms", samples, phase="parse+compile", lines=n_lines)
    emit("compile_2000_lines_compile_only", "ms", compile_only, phase="compile", lines=n_lines)


def bench_state(quick: bool) -> None:
    program = compile_program(parse(WORKFLOW, "order-review.bas"))
    host = FakeHost(answers=["yes"] * 50, suspend_everywhere=True, program=program)
    vm = VM(program, host)
    result = vm.run()
    while result.status == "suspended" and result.wait["kind"] != "hear":
        result = vm.resume(host.take_pending())
    # now suspended on the first HEAR inside Review(), inside FOR EACH, inside a workflow
    assert result.status == "suspended" and result.wait["kind"] == "hear", result
    text = json.dumps(vm.state)
    emit("state_size", "bytes", [float(len(text))], frames=len(vm.state["frames"]))
    samples = []
    for _ in range(50 if quick else 300):
        t0 = time.perf_counter()
        restored = VM.restore(program, json.loads(json.dumps(vm.state)), host)
        samples.append((time.perf_counter() - t0) * 1000)
    assert restored.status == "suspended"
    emit("state_roundtrip", "ms", samples, what="snapshot+dumps+loads+restore")


def main() -> None:
    quick = "--quick" in sys.argv
    bench_loops(quick)
    bench_compile(quick)
    bench_state(quick)


if __name__ == "__main__":
    main()
