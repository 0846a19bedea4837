"""Websockets of the live dashboard: transport only (authenticate, check access, join, forward)."""

from urllib.parse import parse_qs

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer

from generalbots.bots.selectors import bots_visible_to
from generalbots.core.exceptions import ApplicationError
from workflows.realtime import RUNS_GROUP, bot_group, run_group, run_summary
from workflows.selectors import execution_get_for_user

CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404


class _WorkflowEventsConsumer(JsonWebsocketConsumer):
    """Forwards every ``workflow.*`` realtime event of its groups as ``{"type", "data"}``."""

    def connect(self):
        self.joined: list[str] = []
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            self.close(code=CLOSE_UNAUTHENTICATED)
            return
        try:
            groups, hello = self.subscribe(user)
        except ApplicationError as exc:
            self.accept()
            self.send_json({"type": "error", "error": exc.as_dict()})
            self.close(code=CLOSE_NOT_FOUND)
            return
        for group in groups:
            async_to_sync(self.channel_layer.group_add)(group, self.channel_name)
            self.joined.append(group)
        self.accept()
        self.send_json(hello)

    def subscribe(self, user) -> tuple[list[str], dict]:
        raise NotImplementedError

    def disconnect(self, code):
        for group in getattr(self, "joined", []):
            async_to_sync(self.channel_layer.group_discard)(group, self.channel_name)

    def receive_json(self, content, **kwargs):
        """Clients only listen; anything they send is ignored."""

    def realtime_event(self, event):
        if str(event.get("event", "")).startswith("workflow."):
            self.send_json({"type": event["event"], "data": event["data"]})


class RunConsumer(_WorkflowEventsConsumer):
    """``ws/workflows/runs/<id>/``: the changes of one run, its steps and its child runs.

    Guarantees: anonymous sockets are closed (4401); a run the user may not see is answered
    with an error and closed (4404), exactly like one that does not exist; otherwise the client
    gets ``{"type": "hello", "run": {...}}`` then every ``workflow.*`` event of the run.
    """

    def subscribe(self, user):
        execution = execution_get_for_user(user=user, execution_id=self.scope["url_route"]["kwargs"]["pk"])
        return [run_group(execution.pk)], {"type": "hello", "run": run_summary(execution)}


class RunsConsumer(_WorkflowEventsConsumer):
    """``ws/workflows/[?bot=name]``: the changes of every run the user may see.

    Superusers without a bot filter join the all-runs group; everyone else joins the group of
    each bot granted to them (so they never receive another bot's runs). A bot filter naming a
    bot the user may not see is answered with an error and closed (4404).
    """

    def subscribe(self, user):
        query = parse_qs(self.scope.get("query_string", b"").decode())
        wanted = (query.get("bot") or [""])[0]
        if user.is_superuser and not wanted:
            return [RUNS_GROUP], {"type": "hello", "bots": "*"}
        bots = bots_visible_to(user=user)
        if wanted:
            bots = bots.filter(name=wanted)
        names = list(bots.values_list("name", flat=True))
        if wanted and not names:
            raise ApplicationError(f"No bot named {wanted!r}.", code="bots.not_found", extra={"name": wanted})
        return [bot_group(name) for name in names], {"type": "hello", "bots": names}
