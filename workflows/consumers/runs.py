"""Websockets of the live dashboard: transport only (authenticate, check access, join, forward;
``workflows.consumers.live``)."""

from urllib.parse import parse_qs

from generalbots.bots.selectors import bots_visible_to
from generalbots.core.exceptions import ApplicationError
from workflows.consumers.live import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED, LiveConsumer
from workflows.realtime import RUNS_GROUP, bot_group, run_group, run_summary
from workflows.selectors import execution_get_for_user

__all__ = ["CLOSE_NOT_FOUND", "CLOSE_UNAUTHENTICATED", "RunConsumer", "RunsConsumer"]


class _WorkflowEventsConsumer(LiveConsumer):
    """Forwards every ``workflow.*`` realtime event of its groups as ``{"type", "data"}``."""

    def forward(self, event):
        if str(event.get("event", "")).startswith("workflow."):
            self.send_json({"type": event["event"], "data": event["data"]})


class RunConsumer(_WorkflowEventsConsumer):
    """``ws/workflows/runs/<id>/``: the changes of one run, its steps and its child runs.

    Guarantees: anonymous sockets are closed (4401); a run the user may not see is answered
    with an error and closed (4404), exactly like one that does not exist, at connect or as soon
    as access to it is withdrawn; otherwise the client gets ``{"type": "hello", "run": {...}}``
    then every ``workflow.*`` event of the run.
    """

    def subscribe(self, user):
        execution = execution_get_for_user(user=user, execution_id=self.scope["url_route"]["kwargs"]["pk"])
        return [run_group(execution.pk)], {"type": "hello", "run": run_summary(execution)}


class RunsConsumer(_WorkflowEventsConsumer):
    """``ws/workflows/[?bot=name]``: the changes of every run the user may see.

    Superusers without a bot filter join the all-runs group; everyone else joins the group of
    each bot granted to them (named by the bot's id: a name another organization's bot may take
    later never carries their subscription over), so they never receive another bot's runs. A
    bot filter naming a bot the user may not see is answered with an error and closed (4404).
    """

    def subscribe(self, user):
        query = parse_qs(self.scope.get("query_string", b"").decode())
        wanted = (query.get("bot") or [""])[0]
        if user.is_superuser and not wanted:
            self.names = None
            return [RUNS_GROUP], {"type": "hello", "bots": "*"}
        bots = bots_visible_to(user=user)
        if wanted:
            bots = bots.filter(name=wanted)
        found = list(bots.values_list("pk", "name"))
        if wanted and not found:
            raise ApplicationError(f"No bot named {wanted!r}.", code="bots.not_found", extra={"name": wanted})
        self.names = {name for _pk, name in found}
        return [bot_group(pk) for pk, _name in found], {"type": "hello", "bots": sorted(self.names)}

    def shows(self, data):
        return self.names is None or data.get("bot") in self.names
