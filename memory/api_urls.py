from django.urls import path

from memory.api import BotMemoryDetailApi, BotMemoryListApi, BotMemorySharesApi

urlpatterns = [
    path("bots/<str:bot>/memory/", BotMemoryListApi.as_view(), name="bot-memory-list"),
    path("bots/<str:bot>/memory/<str:key>", BotMemoryDetailApi.as_view(), name="bot-memory-detail"),
    path("bots/<str:bot>/memory-shares/", BotMemorySharesApi.as_view(), name="bot-memory-shares"),
]
