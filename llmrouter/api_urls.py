from django.urls import path

from llmrouter.api import LLMModelListApi, LLMPerformanceListApi

urlpatterns = [
    path("llm/models", LLMModelListApi.as_view(), name="llm-model-list"),
    path("llm/performance", LLMPerformanceListApi.as_view(), name="llm-performance-list"),
]
