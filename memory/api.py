"""REST API of bot memory: ``/api/bots/<bot>/memory/``, ``.../memory/<key>``, ``.../memory-shares/``,
and of knowledge bases: ``/api/bots/<bot>/kb/`` and ``.../kb/search?q=...``.

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
from memory.models import BotMemory, BotSharedMemory, KbDocument, KnowledgeBase, MemoryVersion
from memory.vectors import SEARCH_MODES
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


# ---------------------------------------------------------------------------- knowledge bases

class KbDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = KbDocument
        fields = ["path", "state", "chunks", "size", "problem", "indexed_at"]


class KnowledgeBaseSerializer(serializers.ModelSerializer):
    documents = KbDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = KnowledgeBase
        fields = ["name", "source", "url", "state", "collection", "embedder", "documents_total", "documents_done",
                  "problem", "indexed_at", "documents"]


class KbSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=2000, help_text="The question.")
    kb = serializers.CharField(max_length=200, required=False, help_text="Only this base.")
    top = serializers.IntegerField(min_value=1, max_value=50, default=5, help_text="How many passages.")
    mode = serializers.ChoiceField(choices=SEARCH_MODES, default="hybrid",
                                   help_text="hybrid (dense and sparse fused by RRF, then reranked), dense or sparse.")


class KbHitSerializer(serializers.Serializer):
    kb = serializers.CharField()
    document = serializers.CharField(help_text="The path under the base's folder (a website's page: its address).")
    heading = serializers.CharField(allow_blank=True)
    position = serializers.IntegerField()
    score = serializers.FloatField()
    text = serializers.CharField()


KbSearchSerializer = inline_serializer("KbSearch", {"hits": KbHitSerializer(many=True)})


class BotKbListApi(PaginatedApiView):
    """The bot's knowledge bases with their documents, index state and problems."""

    @extend_schema(responses=KnowledgeBaseSerializer(many=True))
    def get(self, request, bot: str):
        bases = selectors.kb_list(bot=_bot(request, bot)).prefetch_related("documents")
        return self.paginated(bases, KnowledgeBaseSerializer)


class BotKbSearchApi(ApiView):
    """The best passages of the bot's bases for a question, each with its score."""

    @extend_schema(parameters=[KbSearchQuerySerializer], responses=KbSearchSerializer)
    def get(self, request, bot: str):
        bot = _bot(request, bot)
        query = self.query(KbSearchQuerySerializer)
        kbs = [query["kb"]] if query.get("kb") else None
        hits = selectors.kb_search(bot=bot, query=query["q"], kbs=kbs, top=query["top"], mode=query["mode"])
        return Response({"hits": [h.as_dict() for h in hits]})
