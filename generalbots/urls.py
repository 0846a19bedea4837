from django.contrib import admin
from django.urls import include, path

from generalbots.core.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("generalbots.api_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("chat/", include("console.urls")),
    path("llm/", include("llmrouter.urls")),
    path("dashboard/", include("workflows.urls")),
    path("designer/", include("designer.urls")),
    path("healthz", healthz, name="healthz"),
]
