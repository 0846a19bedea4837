"""``/llm/``: the LLM dashboard for staff — per model and task type, as a table and as SVG bars."""

from django.contrib.auth.decorators import user_passes_test
from django.shortcuts import render
from django.views.decorators.http import require_GET

from llmrouter.models import LLMCall
from llmrouter.router import TASK_TYPES
from llmrouter.selectors import calls_visible_filter, performance_list, performance_visible_filter

BAR_WIDTH = 320
MAX_ROWS = 60


def _bars(rows, value, label) -> dict:
    """Geometry of one horizontal bar chart (rendered by the template as inline SVG)."""
    values = [value(r) for r in rows]
    top = max(values, default=0) or 1
    bars = [{"label": f"{r.model} / {r.task_type}", "y": i * 22, "width": round(v / top * BAR_WIDTH, 1),
             "text": label(v)} for i, (r, v) in enumerate(zip(rows, values))]
    return {"bars": bars, "height": len(bars) * 22 + 4, "width": BAR_WIDTH + 330}


@require_GET
@user_passes_test(lambda u: u.is_active and u.is_staff)
def llm_dashboard(request):
    task_type = request.GET.get("task_type") or None
    # Staff of one organization see the models and calls of their bots only (and global models).
    rows = list(performance_list(task_type=task_type).filter(performance_visible_filter(request.user))[:MAX_ROWS])
    context = {
        "rows": rows,
        "task_type": task_type,
        "task_types": TASK_TYPES,
        "charts": [
            ("Latency p50 (ms)", _bars(rows, lambda r: r.latency_p50_ms, lambda v: f"{v:.0f} ms")),
            ("Latency p95 (ms)", _bars(rows, lambda r: r.latency_p95_ms, lambda v: f"{v:.0f} ms")),
            ("Cost ($)", _bars(rows, lambda r: float(r.cost), lambda v: f"${v:.4f}")),
            ("Success rate", _bars(rows, lambda r: r.success_rate or 0, lambda v: f"{v:.0%}")),
        ],
        "recent": LLMCall.objects.select_related("bot").filter(calls_visible_filter(request.user))
                  .order_by("-id")[:20],
    }
    return render(request, "llmrouter/dashboard.html", context)
