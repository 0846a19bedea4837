from django.contrib import admin
from django.urls import include, path

from console.views import charts, home
from generalbots.core.views import healthz

# The admin names the product and links back to the console's home page ("View site").
admin.site.site_header = "General Bots administration"
admin.site.site_title = "General Bots admin"
admin.site.index_title = "Bots, runs and settings"
admin.site.site_url = "/"

urlpatterns = [
    path("", home, name="home"),
    path("charts/", charts, name="charts"),
    path("admin/", admin.site.urls),
    path("api/", include("generalbots.api_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("chat/", include("console.urls")),
    path("llm/", include("llmrouter.urls")),
    path("dashboard/", include("workflows.urls")),
    path("designer/", include("designer.urls")),
    path("healthz", healthz, name="healthz"),
]
