"""``ws/workflows/events/[?name=..&bot=..]``: the live event log (transport only)."""

from urllib.parse import parse_qs

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer

from workflows.events import ALL_EVENTS_GROUP, org_group, organizations_visible_to

CLOSE_UNAUTHENTICATED = 4401


class EventsConsumer(JsonWebsocketConsumer):
    """Forwards ``workflow.event`` of the organizations the user may read as
    ``{"type": "workflow.event", "data": {...}}``, keeping only the ``name`` and ``bot``
    (source bot) asked for in the query string. Anonymous sockets are closed (4401)."""

    def connect(self):
        self.joined: list[str] = []
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            self.close(code=CLOSE_UNAUTHENTICATED)
            return
        query = parse_qs(self.scope.get("query_string", b"").decode())
        self.name = (query.get("name") or [""])[0]
        self.bot = (query.get("bot") or [""])[0]
        if user.is_superuser:
            groups = [ALL_EVENTS_GROUP]
        else:
            groups = [org_group(pk) for pk in organizations_visible_to(user=user).values_list("pk", flat=True)]
        for group in groups:
            async_to_sync(self.channel_layer.group_add)(group, self.channel_name)
            self.joined.append(group)
        self.accept()
        self.send_json({"type": "hello", "filters": {"name": self.name, "bot": self.bot}})

    def disconnect(self, code):
        for group in getattr(self, "joined", []):
            async_to_sync(self.channel_layer.group_discard)(group, self.channel_name)

    def receive_json(self, content, **kwargs):
        """Clients only listen."""

    def realtime_event(self, event):
        if event.get("event") != "workflow.event":
            return
        data = event.get("data") or {}
        if self.name and data.get("name") != self.name:
            return
        if self.bot and data.get("source_bot") != self.bot:
            return
        self.send_json({"type": "workflow.event", "data": data})
