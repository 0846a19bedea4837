"""``QUERY METRICS`` of the run host: the run's own bot's counts (``workflows.metrics``)."""

from __future__ import annotations

from workflows.metrics import bot_metrics


class MetricsKeywords:
    """Needs ``self.bot``."""

    def query_metrics(self, ctx, metric, period, interval, offset):
        return bot_metrics(bot=self.bot, metric=metric, period=period, interval=interval, offset=offset)
