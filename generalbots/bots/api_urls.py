from django.urls import path

from generalbots.bots.api import BotMessagesApi

urlpatterns = [
    path("bots/<str:bot>/messages", BotMessagesApi.as_view(), name="bot-messages"),
]
