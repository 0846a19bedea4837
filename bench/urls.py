"""The platform's URLs plus the Celery reference's start endpoint (bench/reference_api.py)."""

from django.urls import include, path

from bench.reference_api import CeleryChainStart

urlpatterns = [
    path("bench/celery-chain/", CeleryChainStart.as_view()),
    path("", include("generalbots.urls")),
]
