"""REST API of conversations: ``/api/bots/<bot>/messages`` (see docs/api/chat-api.md) and form
posts: ``/api/bots/<bot>/forms/<name>`` (``ON FORM SUBMIT "name"`` in BASIC)."""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from generalbots.bots.choices import Channel
from generalbots.bots.models import Conversation, Message
from generalbots.bots.selectors import bot_get_for_user, conversation_get_for_user, conversation_messages
from generalbots.bots.services import conversation_get_or_create
from generalbots.core.api import ApiView, PaginatedApiView
from workflows.conversations import conversation_post_message
from workflows.forms import form_submit


class MessageInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=settings.GB_MESSAGE_MAX_CHARS, trim_whitespace=False)
    conversation = serializers.UUIDField(required=False, help_text="Continue this conversation of yours "
                                         "(default: your API conversation with the bot).")
    confirm_run = serializers.BooleanField(default=False, help_text="Start the workflow run of a bot whose start "
                                           "dialog is a workflow; the first message to such a bot without it is "
                                           "a 409 (bots.confirm_run) saying what the run would do.")


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "role", "text", "created_at"]


TurnSerializer = inline_serializer("Turn", {
    "conversation": serializers.UUIDField(),
    "replies": MessageSerializer(many=True),
    "suggestions": serializers.ListField(child=serializers.CharField()),
    "waiting_for": serializers.CharField(allow_null=True),
})


MessagePageSerializer = inline_serializer("MessagePage", {
    "count": serializers.IntegerField(),
    "next": serializers.URLField(allow_null=True),
    "previous": serializers.URLField(allow_null=True),
    "results": MessageSerializer(many=True),
    "conversation": serializers.UUIDField(allow_null=True, help_text="The conversation shown (null: none yet)."),
})


class BotMessagesApi(PaginatedApiView):
    """Send a message to a bot and get its replies; read the conversation's history. A bot you
    may not see (no grant, not a superuser) is a 404 like a bot that does not exist. The first
    message to a workflow bot starts its run only with ``confirm_run`` (else 409, nothing stored)."""

    def _conversation(self, request, bot, conversation_id) -> Conversation | None:
        if conversation_id:
            return conversation_get_for_user(bot=bot, user=request.user, conversation_id=conversation_id)
        return Conversation.objects.filter(bot=bot, user=request.user, channel=Channel.API).first()

    @extend_schema(request=MessageInputSerializer, responses=TurnSerializer)
    def post(self, request, bot: str):
        bot = bot_get_for_user(name=bot, user=request.user)
        data = MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conversation = self._conversation(request, bot, data.validated_data.get("conversation"))
        if conversation is None:
            conversation = conversation_get_or_create(bot=bot, user=request.user, channel=Channel.API)
        result = conversation_post_message(conversation=conversation, text=data.validated_data["text"],
                                           confirmed=data.validated_data["confirm_run"])
        return Response(result.as_dict())

    @extend_schema(parameters=[OpenApiParameter("conversation", str, description="a conversation id of yours")],
                   responses=MessagePageSerializer)
    def get(self, request, bot: str):
        bot = bot_get_for_user(name=bot, user=request.user)
        conversation = self._conversation(request, bot, request.query_params.get("conversation"))
        messages = conversation_messages(conversation=conversation) if conversation else Message.objects.none()
        response = self.paginated(messages, MessageSerializer)
        response.data["conversation"] = str(conversation.pk) if conversation else None
        return response


FormPostedSerializer = inline_serializer("FormPosted", {
    "event": serializers.IntegerField(help_text="The id of the event form:<name> the post published."),
    "name": serializers.CharField(),
})


def _posted_fields(data) -> dict:
    """The posted fields: a JSON object as it is; form-encoded fields as text (a list for a
    field posted several times)."""
    if hasattr(data, "lists"):  # QueryDict (form-encoded or multipart)
        return {k: v[0] if len(v) == 1 else v for k, v in data.lists()}
    if not isinstance(data, dict):
        raise ValidationError({"fields": "Post the form's fields as a JSON object or form-encoded."})
    return data


class BotFormSubmitApi(ApiView):
    """Post form ``name`` of a bot (JSON object or form-encoded fields; query parameters such as
    ``utm_source`` become ``metadata``): publishes the event ``form:<name>`` in the bot's
    organization, which runs the ``ON FORM SUBMIT "<name>"`` handlers of its waiting runs. A bot
    you may not see is a 404 like a bot that does not exist."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]  # what HTML forms post too

    @extend_schema(request=None, responses={201: FormPostedSerializer})
    def post(self, request, bot: str, name: str):
        bot = bot_get_for_user(name=bot, user=request.user)
        event = form_submit(bot=bot, form=name, fields=_posted_fields(request.data),
                            metadata=request.query_params.dict(), submitted_by=request.user)
        return Response({"event": event.pk, "name": event.event_name}, status=status.HTTP_201_CREATED)
