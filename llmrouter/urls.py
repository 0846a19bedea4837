from django.urls import path

from llmrouter import views

app_name = "llmrouter"

urlpatterns = [
    path("", views.llm_dashboard, name="dashboard"),
]
