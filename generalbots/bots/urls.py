from django.urls import path

from generalbots.bots import views

app_name = "bots"

urlpatterns = [
    path("<str:bot>/", views.chat_page, name="chat"),
    path("<str:bot>/theme.css", views.chat_theme, name="chat-theme"),
]
