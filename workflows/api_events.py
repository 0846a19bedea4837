"""REST API of the event bus: ``GET /api/events/`` (list, filtered) and ``POST /api/events/``
(publish). Authentication is required; users read the events of the organizations of the bots
granted to them and publish where they hold an operator grant (superusers: everywhere)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from workflows import events


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    data = serializers.JSONField()
    organization = serializers.CharField(allow_null=True)
    source_bot = serializers.CharField(allow_null=True)
    workflow = serializers.CharField(allow_null=True)
    created_at = serializers.CharField()

    def to_representation(self, instance):
        return events.event_summary(instance)


class EventPublishSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="Letters, digits and _ . : - (up to 100).")
    data = serializers.JSONField(required=False, default=dict)
    organization = serializers.SlugField(required=False, allow_blank=True,
                                         help_text="Organization slug; optional when you may publish in only one.")

    def validate_name(self, value):
        try:
            return events.event_name_check(value)
        except events.ApplicationError as exc:
            raise serializers.ValidationError(exc.message) from None


class EventFilterSerializer(serializers.Serializer):
    name = serializers.CharField(required=False)
    bot = serializers.CharField(required=False, help_text="Source bot name.")
    organization = serializers.SlugField(required=False)
    workflow = serializers.UUIDField(required=False)
    after_id = serializers.IntegerField(required=False, min_value=0, help_text="Only events with a larger id.")
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)


class EventListApi(APIView):
    """``GET``: events you may read, newest first, filtered and paginated. ``POST``: publish one
    (201 with the stored event); it wakes the runs of its organization waiting for it."""

    @extend_schema(parameters=[EventFilterSerializer], responses=EventSerializer(many=True))
    def get(self, request):
        query = EventFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(events.event_list(user=request.user, filters=query.validated_data),
                                           request, view=self)
        return paginator.get_paginated_response(EventSerializer(page, many=True).data)

    @extend_schema(request=EventPublishSerializer, responses={201: EventSerializer})
    def post(self, request):
        data = EventPublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = events.organization_for_publishing(user=request.user,
                                                          slug=data.validated_data.get("organization"))
        event = events.event_publish(organization=organization, name=data.validated_data["name"],
                                     data=data.validated_data.get("data"))
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)
