from django.urls import path

from memory.api import BotKbListApi, BotKbSearchApi, BotMemoryDetailApi, BotMemoryListApi, BotMemorySharesApi

urlpatterns = [
    path("bots/<str:bot>/memory/", BotMemoryListApi.as_view(), name="bot-memory-list"),
    path("bots/<str:bot>/memory/<str:key>", BotMemoryDetailApi.as_view(), name="bot-memory-detail"),
    path("bots/<str:bot>/memory-shares/", BotMemorySharesApi.as_view(), name="bot-memory-shares"),
    path("bots/<str:bot>/kb/", BotKbListApi.as_view(), name="bot-kb-list"),
    path("bots/<str:bot>/kb/search", BotKbSearchApi.as_view(), name="bot-kb-search"),
]
