from django.urls import path

from console.api import BotFormSubmitApi, BotMessagesApi

urlpatterns = [
    path("bots/<str:bot>/messages", BotMessagesApi.as_view(), name="bot-messages"),
    path("bots/<str:bot>/forms/<str:name>", BotFormSubmitApi.as_view(), name="bot-form-submit"),
]
