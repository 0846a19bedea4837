"""The base of the dashboard's websockets: authenticate, check access, join, forward — and check
access again whenever it may have changed.

A socket checks access when it opens (``subscribe``: the groups to join and the hello). Before it
forwards a message it reads the access generation (``generalbots.bots.access``, one cache read);
when that moved — a grant withdrawn or given, a user deactivated or moved between groups, a bot
renamed, moved or deleted — it subscribes again with the user read afresh: it leaves the groups
it may no longer join, joins the new ones, and forwards only what the new subscription shows
(``shows``: a message queued from a group it just left is dropped). A user who may no longer
see what the socket was opened for gets an error and the socket closes (4404); one deactivated
or deleted, 4401.
"""

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer
from django.contrib.auth import get_user_model

from generalbots.bots.access import access_generation
from generalbots.core.exceptions import ApplicationError

CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404


class LiveConsumer(JsonWebsocketConsumer):
    """Subclasses give ``subscribe`` and ``forward`` (and may narrow ``shows``)."""

    def connect(self):
        self.joined: list[str] = []
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.generation = access_generation()
        try:
            groups, hello = self.subscribe(user)
        except ApplicationError as exc:
            self.accept()
            self._refuse(exc)
            return
        self._join(groups)
        self.accept()
        self.send_json(hello)

    def subscribe(self, user) -> tuple[list[str], dict]:
        """The groups ``user`` may join for this socket and its hello; an ApplicationError when
        they may not open it."""
        raise NotImplementedError

    def shows(self, data: dict) -> bool:
        """Whether the current subscription shows a message with ``data``."""
        return True

    def forward(self, event) -> None:
        raise NotImplementedError

    def disconnect(self, code):
        self._join([])

    def receive_json(self, content, **kwargs):
        """Clients only listen; anything they send is ignored."""

    def realtime_event(self, event):
        if self._still_allowed() and self.shows(event.get("data") or {}):
            self.forward(event)

    def _join(self, groups: list[str]) -> None:
        """Be in exactly ``groups``."""
        for group in [g for g in self.joined if g not in groups]:
            async_to_sync(self.channel_layer.group_discard)(group, self.channel_name)
        for group in [g for g in groups if g not in self.joined]:
            async_to_sync(self.channel_layer.group_add)(group, self.channel_name)
        self.joined = list(groups)

    def _still_allowed(self) -> bool:
        generation = access_generation()
        if generation == self.generation:
            return True
        self.generation = generation
        user = get_user_model().objects.filter(pk=self.scope["user"].pk, is_active=True).first()
        if user is None:
            self._join([])
            self.close(code=CLOSE_UNAUTHENTICATED)
            return False
        try:
            groups, _hello = self.subscribe(user)
        except ApplicationError as exc:
            self._join([])
            self._refuse(exc)
            return False
        self._join(groups)
        return True

    def _refuse(self, exc: ApplicationError) -> None:
        """What the socket may not show: say why, and close (4404)."""
        self.send_json({"type": "error", "error": exc.as_dict()})
        self.close(code=CLOSE_NOT_FOUND)
