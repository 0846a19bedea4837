from django.urls import path

from console import views

app_name = "console"

urlpatterns = [
    path("", views.chat_list, name="chat-list"),
    path("<str:bot>/", views.chat_page, name="chat"),
    path("<str:bot>/theme.css", views.chat_theme, name="chat-theme"),
]
