import json

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer

from generalbots.bots.choices import Channel, MessageRole
from generalbots.bots.selectors import bot_get_for_user, conversation_recent_messages
from generalbots.bots.services import conversation_get_or_create
from workflows.conversations import TurnResult, conversation_post_message, conversation_run_to_confirm, conversation_start
from generalbots.core.exceptions import ApplicationError

CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404
VISIBLE_ROLES = (MessageRole.USER, MessageRole.BOT)  # tool results are for the model and the admin


class ChatConsumer(JsonWebsocketConsumer):
    """The web chat of one bot (``ws/chat/<bot>/``) for a logged-in user who may see the bot.

    Guarantees: anonymous sockets are refused (4401). A bot the user may not see
    (``bot_get_for_user``: superuser or a grant, read-only is enough) is answered like a bot
    that does not exist: an error frame, then close 4404; the same when the grant is withdrawn
    while the socket is open (checked again on each message). The client first gets
    ``history`` (the last 50 messages), then what start.bas says on a new conversation; each
    ``{"type": "message", "text"}`` gets ``typing`` on, the user's message, the replies in
    order, ``suggestions`` and ``typing`` off. With ``"stream": true`` in that message, an
    answer of the LLM also arrives piece by piece as ``{"type": "delta", "text"}`` frames
    before its ``message`` (which replaces them: a model that fails mid-answer is followed by
    another). Messages said outside a turn of this socket (a WAIT that ended, another tab)
    arrive through the conversation's group, each message once. Other errors come as
    ``{"type": "error", "error": {code, message}}`` and keep the socket open.

    A bot whose start.bas is a workflow does not start it on connect: the client gets
    ``{"type": "confirm", "bot", "workflow", "summary", "question"}`` (what the run would do)
    and the run starts on ``{"type": "confirm"}`` or a message carrying ``"confirm": true``; a
    message without it is refused (error ``bots.confirm_run``) and starts nothing.
    """

    def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.sent: set[int] = set()
        self.conversation = None
        try:
            bot = bot_get_for_user(name=self.scope["url_route"]["kwargs"]["bot"], user=user)
            conversation = conversation_get_or_create(bot=bot, user=user, channel=Channel.WEB)
        except ApplicationError as exc:
            self.accept()
            self._refuse(exc)
            return
        self.conversation = conversation
        async_to_sync(self.channel_layer.group_add)(conversation.group_name, self.channel_name)
        self.accept()
        history = [m for m in conversation_recent_messages(conversation=conversation) if m.role in VISIBLE_ROLES]
        self.sent.update(m.id for m in history)
        self.send_json({"type": "history", "conversation": str(conversation.pk),
                        "messages": [m.as_dict() for m in history], "suggestions": conversation.suggestions})
        pending = conversation_run_to_confirm(conversation=conversation)
        if pending is not None:
            self.send_json({"type": "confirm", **pending.as_dict()})
        else:
            self._send_turn(conversation_start(conversation=conversation))

    def disconnect(self, code):
        if getattr(self, "conversation", None) is not None:
            async_to_sync(self.channel_layer.group_discard)(self.conversation.group_name, self.channel_name)

    def receive_json(self, content, **kwargs):
        if self.conversation is None:
            return
        text = content.get("text") if isinstance(content, dict) else None
        if isinstance(content, dict) and content.get("type") == "confirm":
            self._confirm()
            return
        if not isinstance(content, dict) or content.get("type") != "message" or not isinstance(text, str):
            self.send_json({"type": "error", "error": {"code": "bots.invalid_message",
                                                       "message": 'Send {"type": "message", "text": "..."}.'}})
            return
        if not self._still_granted():
            return
        self.send_json({"type": "typing", "on": True})
        on_token = (lambda piece: self.send_json({"type": "delta", "text": piece})) if content.get("stream") else None
        try:
            result = conversation_post_message(conversation=self.conversation, text=text, on_token=on_token,
                                               confirmed=content.get("confirm") is True)
        except ApplicationError as exc:
            self.send_json({"type": "error", "error": exc.as_dict()})
        else:
            self._send_turn(result)
        self.send_json({"type": "typing", "on": False})

    def _still_granted(self) -> bool:
        """A grant withdrawn while the socket is open ends the chat."""
        try:
            bot_get_for_user(name=self.conversation.bot.name, user=self.scope["user"])
        except ApplicationError as exc:
            async_to_sync(self.channel_layer.group_discard)(self.conversation.group_name, self.channel_name)
            self.conversation = None
            self._refuse(exc)
            return False
        return True

    def _confirm(self) -> None:
        """The user said yes to the workflow run the chat would start: start it."""
        if not self._still_granted():
            return
        self.send_json({"type": "typing", "on": True})
        try:
            self._send_turn(conversation_start(conversation=self.conversation, confirmed=True))
        except ApplicationError as exc:
            self.send_json({"type": "error", "error": exc.as_dict()})
        self.send_json({"type": "typing", "on": False})

    @classmethod
    def decode_json(cls, text_data):
        try:
            return json.loads(text_data)
        except ValueError:  # answered with an error message, like any malformed message
            return None

    def realtime_event(self, event):
        if event.get("event") != "bot.message":
            return
        message = event["data"]["message"]
        if message["role"] in VISIBLE_ROLES and message["id"] not in self.sent:
            self.sent.add(message["id"])
            self.send_json({"type": "message", "message": message})

    def _refuse(self, exc: ApplicationError) -> None:
        self.send_json({"type": "error", "error": exc.as_dict()})
        self.close(code=CLOSE_NOT_FOUND)

    def _send_turn(self, result: TurnResult) -> None:
        messages = ([result.user_message] if result.user_message else []) + result.replies
        for message in messages:
            if message.id not in self.sent:
                self.sent.add(message.id)
                self.send_json({"type": "message", "message": message.as_dict()})
        self.send_json({"type": "suggestions", "suggestions": result.suggestions})
