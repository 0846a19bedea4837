"""REST API of bot memory: ``/api/bots/<bot>/memory/``, ``.../memory/<key>``, ``.../memory-shares/``.

Reading needs access to the bot (``bots.selectors.bot_get_for_user``: superusers, or a
BotAccess grant to the user or one of their groups); writing and deleting need an operator
grant. Writes go through ``memory.services`` (versioned, live shares fed, source ``api``).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from generalbots.bots.selectors import bot_get_for_user
from generalbots.core.api import ApiView, PaginatedApiView
from generalbots.core.api_input import JSONValueField
from generalbots.core.exceptions import NotFoundError
from memory import selectors, services
from memory.choices import MemorySource
from memory.models import BotMemory, BotSharedMemory, MemoryVersion
from memory.services.bots import MAX_KEY, memory_key

HISTORY = 20


class MemorySerializer(serializers.ModelSerializer):
    class Meta:
        model = BotMemory
        fields = ["key", "value", "updated_at"]


class VersionSerializer(serializers.ModelSerializer):
    source_bot = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    user = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = MemoryVersion
        fields = ["created_at", "value", "deleted", "source", "source_bot", "run", "user"]


class MemoryValueSerializer(serializers.Serializer):
    value = JSONValueField(allow_null=True, help_text="Any JSON value.")


class ShareSerializer(serializers.ModelSerializer):
    key = serializers.CharField(source="memory_key")
    value = serializers.JSONField(source="memory_value")
    source_bot = serializers.SlugRelatedField(slug_field="name", read_only=True)
    target_bot = serializers.SlugRelatedField(slug_field="name", read_only=True)
    live = serializers.BooleanField(read_only=True)

    class Meta:
        model = BotSharedMemory
        fields = ["key", "value", "source_bot", "target_bot", "shared_at", "shared_by_run", "live"]


MemoryDetailSerializer = inline_serializer("MemoryDetail", {
    "key": serializers.CharField(), "value": serializers.JSONField(), "updated_at": serializers.DateTimeField(),
    "versions": VersionSerializer(many=True),
})


def _bot(request, name: str, *, operate: bool = False):
    return bot_get_for_user(name=name, user=request.user, operate=operate)


# A memory key in the URL: up to 200 characters, not only spaces, no "/" (a path separator).
KEY_PARAMETER = OpenApiParameter(
    "key", {"type": "string", "maxLength": MAX_KEY, "pattern": r"^[^/]*[^/\s][^/]*$"}, OpenApiParameter.PATH,
    description=f"The memory key (1-{MAX_KEY} characters).")


class BotMemoryListApi(PaginatedApiView):
    """Every memory of a bot, by key."""

    @extend_schema(responses=MemorySerializer(many=True))
    def get(self, request, bot: str):
        return self.paginated(selectors.bot_memory_list(bot=_bot(request, bot)), MemorySerializer)


@extend_schema(parameters=[KEY_PARAMETER])
class BotMemoryDetailApi(ApiView):
    """One memory of a bot with its latest versions; PUT writes it, DELETE removes it."""

    def _detail(self, bot, row: BotMemory) -> dict:
        versions = selectors.memory_versions(bot=bot, key=row.key)[:HISTORY]
        return {**MemorySerializer(row).data, "versions": VersionSerializer(versions, many=True).data}

    @extend_schema(responses=MemoryDetailSerializer)
    def get(self, request, bot: str, key: str):
        bot = _bot(request, bot)
        row = selectors.bot_memory_row(bot=bot, key=key)
        if row is None:
            raise NotFoundError(f"Bot {bot.name} has no memory {key!r}.", code="memory.not_found",
                                extra={"bot": bot.name, "key": key})
        return Response(self._detail(bot, row))

    @extend_schema(request=MemoryValueSerializer, responses=MemoryDetailSerializer)
    def put(self, request, bot: str, key: str):
        bot = _bot(request, bot, operate=True)
        data = MemoryValueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.bot_memory_set(bot=bot, key=memory_key(key), value=data.validated_data["value"],
                                      source=MemorySource.API, user=request.user)
        return Response(self._detail(bot, row))

    @extend_schema(responses={204: None})
    def delete(self, request, bot: str, key: str):
        bot = _bot(request, bot, operate=True)
        if not services.bot_memory_delete(bot=bot, key=key, source=MemorySource.API, user=request.user):
            raise NotFoundError(f"Bot {bot.name} has no memory {key!r}.", code="memory.not_found",
                                extra={"bot": bot.name, "key": key})
        return Response(status=status.HTTP_204_NO_CONTENT)


class BotMemorySharesApi(PaginatedApiView):
    """Memories the bot shared with other bots or other bots shared with it, newest first."""

    @extend_schema(responses=ShareSerializer(many=True))
    def get(self, request, bot: str):
        return self.paginated(selectors.memory_share_list(bot=_bot(request, bot)), ShareSerializer)
