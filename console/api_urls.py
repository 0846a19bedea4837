from django.urls import path

from console.api import BotMessagesApi

urlpatterns = [
    path("bots/<str:bot>/messages", BotMessagesApi.as_view(), name="bot-messages"),
]
