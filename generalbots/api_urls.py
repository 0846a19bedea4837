"""The REST API under ``/api/``.

Register each app's viewsets on ``router`` here, before ``urlpatterns`` reads
``router.urls``, and name other endpoints in ``ROOT_ENDPOINTS``: the root view lists both.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from generalbots.core.api import ApiNotFoundApi, ApiRootApi

router = SimpleRouter()

ROOT_ENDPOINTS = {"schema": "api-schema", "docs": "api-docs", "redoc": "api-redoc", "workflows": "workflow-list",
                  "approvals": "approval-list"}
ROOT_ENDPOINTS["events"] = "event-list"
ROOT_ENDPOINTS.update({"llm_models": "llm-model-list", "llm_performance": "llm-performance-list"})

urlpatterns = [
    path("", ApiRootApi.as_view(router=router, endpoints=ROOT_ENDPOINTS), name="api-root"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("schema/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("schema/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("console.api_urls")),
    path("", include("llmrouter.api_urls")),
    path("", include("memory.api_urls")),
    path("", include("workflows.api_urls")),
    *router.urls,
    # last: any other /api/ URL is a JSON 404, not Django's HTML page
    re_path(r"^.*$", ApiNotFoundApi.as_view(), name="api-not-found"),
]
