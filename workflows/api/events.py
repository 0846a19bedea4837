"""REST API of the event bus: ``GET /api/events/`` (list, filtered) and ``POST /api/events/``
(publish). Authentication is required; users read the events of the organizations of the bots
granted to them and publish where they hold an operator grant (superusers: everywhere)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from generalbots.core.api import PaginatedApiView
from generalbots.core.api_input import JSONValueField
from workflows import events

# The id column is a bigint: a larger after_id is refused (400), not sent to the database.
MAX_ID = 2**63 - 1


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    data = serializers.JSONField()
    organization = serializers.CharField(allow_null=True)
    source_bot = serializers.CharField(allow_null=True)
    published_by = serializers.CharField(allow_null=True, help_text="Username of the user it is attributed to.")
    workflow = serializers.CharField(allow_null=True)
    created_at = serializers.CharField()

    def to_representation(self, instance):
        return events.event_summary(instance)


class EventPublishSerializer(serializers.Serializer):
    name = serializers.RegexField(events._NAME.pattern, max_length=events.NAME_MAX,
                                  help_text="1 to 100 letters, digits and _ . : - (no spaces).")
    data = JSONValueField(required=False, default=dict, allow_null=True,
                          help_text="Any JSON value, an object by convention; null means {}.")
    organization = serializers.SlugField(required=False, allow_blank=True,
                                         help_text="Organization slug; optional when you may publish in only one.")

    def validate_name(self, value):
        try:
            name = events.event_name_check(value)
        except events.ApplicationError as exc:
            raise serializers.ValidationError(exc.message) from None
        if name.endswith("\n"):  # the pattern's $ lets one through
            raise serializers.ValidationError("An event name cannot end with a line break.")
        return name


class EventFilterSerializer(serializers.Serializer):
    name = serializers.CharField(required=False)
    bot = serializers.CharField(required=False, help_text="Source bot name.")
    organization = serializers.SlugField(required=False)
    workflow = serializers.UUIDField(required=False)
    after_id = serializers.IntegerField(required=False, min_value=0, max_value=MAX_ID,
                                        help_text="Only events with a larger id.")
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)


class EventListApi(PaginatedApiView):
    """``GET``: events you may read, newest first, filtered and paginated. ``POST``: publish one
    (201 with the stored event); it wakes the runs of its organization waiting for it."""

    @extend_schema(parameters=[EventFilterSerializer], responses=EventSerializer(many=True))
    def get(self, request):
        filters = self.query(EventFilterSerializer)
        return self.paginated(events.event_list(user=request.user, filters=filters), EventSerializer)

    @extend_schema(request=EventPublishSerializer, responses={201: EventSerializer})
    def post(self, request):
        data = EventPublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = events.organization_for_publishing(user=request.user,
                                                          slug=data.validated_data.get("organization"))
        event = events.event_publish(organization=organization, name=data.validated_data["name"],
                                     data=data.validated_data.get("data"), published_by=request.user)
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)
