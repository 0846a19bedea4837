"""Websocket routes. Apps append theirs here (``path("ws/...", Consumer.as_asgi())``)."""

from django.urls import path

from generalbots.bots.consumers import ChatConsumer

websocket_urlpatterns: list = [
    path("ws/chat/<str:bot>/", ChatConsumer.as_asgi()),
]
