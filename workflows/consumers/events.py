"""``ws/workflows/events/[?name=..&bot=..]``: the live event log (transport only;
``workflows.consumers.live``)."""

from urllib.parse import parse_qs

from workflows.consumers.live import CLOSE_UNAUTHENTICATED, LiveConsumer
from workflows.events import ALL_EVENTS_GROUP, org_group, organizations_visible_to

__all__ = ["CLOSE_UNAUTHENTICATED", "EventsConsumer"]


class EventsConsumer(LiveConsumer):
    """Forwards ``workflow.event`` of the organizations the user may read as
    ``{"type": "workflow.event", "data": {...}}``, keeping only the ``name`` and ``bot``
    (source bot) asked for in the query string. Anonymous sockets are closed (4401); once the
    user may no longer read an organization, its events stop."""

    def subscribe(self, user):
        query = parse_qs(self.scope.get("query_string", b"").decode())
        self.name = (query.get("name") or [""])[0]
        self.bot = (query.get("bot") or [""])[0]
        if user.is_superuser:
            self.organizations = None
            return [ALL_EVENTS_GROUP], self._hello()
        found = list(organizations_visible_to(user=user).values_list("pk", "slug"))
        self.organizations = {slug for _pk, slug in found}
        return [org_group(pk) for pk, _slug in found], self._hello()

    def _hello(self) -> dict:
        return {"type": "hello", "filters": {"name": self.name, "bot": self.bot}}

    def shows(self, data):
        return self.organizations is None or data.get("organization") in self.organizations

    def forward(self, event):
        if event.get("event") != "workflow.event":
            return
        data = event.get("data") or {}
        if self.name and data.get("name") != self.name:
            return
        if self.bot and data.get("source_bot") != self.bot:
            return
        self.send_json({"type": "workflow.event", "data": data})
