"""Websocket routes. Apps append theirs here (``path("ws/...", Consumer.as_asgi())``)."""

websocket_urlpatterns: list = []
