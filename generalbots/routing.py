"""Websocket routes. Apps append theirs here (``path("ws/...", Consumer.as_asgi())``)."""

from django.urls import path

from console.consumers import ChatConsumer
from workflows.consumers import EventsConsumer, RunConsumer, RunsConsumer

websocket_urlpatterns: list = [
    path("ws/chat/<str:bot>/", ChatConsumer.as_asgi()),
    path("ws/workflows/", RunsConsumer.as_asgi()),
    path("ws/workflows/events/", EventsConsumer.as_asgi()),
    path("ws/workflows/runs/<str:pk>/", RunConsumer.as_asgi()),
]
