from django.apps import AppConfig


class LlmRouterConfig(AppConfig):
    name = "llmrouter"
    verbose_name = "LLM routing"
