"""``model_performance`` rows are found by their model (``llm_model``) and organization, no
longer by the model's key.

The key of a bot's model is ``<bot name>:<alias>``: a renamed bot's statistics went to the next
bot to take its name, in any organization, and the renamed bot started a second row of its own.
Those second rows are folded into the first here (counts, tokens and cost added, the latency
windows joined, oldest first) before the new unique constraints. A bot's model's rows get its
bot's organization; a global model's rows so far pooled every organization's calls, so they
keep none (superusers' alone) and each organization starts its own.
"""

from django.db import migrations

WINDOW = 200  # ModelPerformance.LATENCY_WINDOW


def _quantile(values, q):
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 1))
    return float(ordered[int(rank) - 1])


def by_organization(apps, schema_editor):
    Performance = apps.get_model("llmrouter", "ModelPerformance")
    for row in Performance.objects.filter(llm_model__bot__isnull=False).select_related("llm_model__bot"):
        row.organization_id = row.llm_model.bot.organization_id
        row.save(update_fields=["organization"])
    kept = {}
    for row in Performance.objects.filter(llm_model__isnull=False).order_by("updated_at", "pk"):
        key = (row.llm_model_id, row.organization_id, row.task_type)
        first = kept.setdefault(key, row)
        if first is row:
            continue
        for name in ("requests", "successes", "total_latency_ms", "tokens_in", "tokens_out", "cost"):
            setattr(first, name, getattr(first, name) + getattr(row, name))
        first.latency_window = [*first.latency_window, *row.latency_window][-WINDOW:]
        first.latency_mean_ms = first.total_latency_ms / first.successes if first.successes else 0
        if first.latency_window:
            first.latency_p50_ms = _quantile(first.latency_window, 0.50)
            first.latency_p95_ms = _quantile(first.latency_window, 0.95)
        first.model = row.model  # the newest label
        row.delete()
        first.save()


class Migration(migrations.Migration):

    dependencies = [
        ("llmrouter", "0003_performance_organization"),
    ]

    operations = [migrations.RunPython(by_organization, migrations.RunPython.noop, elidable=True)]
