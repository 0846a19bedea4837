from django.db import models


class ModelPerformance(models.Model):
    """Running statistics of one model on one kind of task, which the router ranks by."""

    model = models.CharField(max_length=200)
    task_type = models.CharField(max_length=100, default="general")
    requests = models.PositiveBigIntegerField(default=0)
    successes = models.PositiveBigIntegerField(default=0)
    total_latency_ms = models.PositiveBigIntegerField(default=0)
    latency_mean_ms = models.FloatField(default=0)
    latency_p50_ms = models.FloatField(default=0)
    latency_p95_ms = models.FloatField(default=0)
    tokens_in = models.PositiveBigIntegerField(default=0)
    tokens_out = models.PositiveBigIntegerField(default=0)
    cost = models.DecimalField(max_digits=14, decimal_places=6, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "model_performance"
        ordering = ["model", "task_type"]
        verbose_name_plural = "model performance"
        constraints = [
            models.UniqueConstraint(fields=["model", "task_type"], name="model_performance_model_task_uniq"),
            models.CheckConstraint(
                condition=models.Q(successes__lte=models.F("requests")),
                name="model_performance_successes_lte_requests",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} / {self.task_type}"

    @property
    def success_rate(self) -> float | None:
        return self.successes / self.requests if self.requests else None
