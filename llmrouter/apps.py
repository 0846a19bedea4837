from django.apps import AppConfig


class LlmRouterConfig(AppConfig):
    name = "llmrouter"
    verbose_name = "LLM routing"

    def ready(self) -> None:
        from llmrouter import checks  # noqa: F401  (registers the system checks)
