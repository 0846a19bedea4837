from django.apps import AppConfig


class LlmRouterConfig(AppConfig):
    name = "llmrouter"
    verbose_name = "LLM routing"

    def ready(self) -> None:
        from generalbots.bots.signals import package_loaded
        from llmrouter import checks  # noqa: F401  (registers the system checks)
        from llmrouter.services import models_sync_on_package_loaded

        package_loaded.connect(models_sync_on_package_loaded, dispatch_uid="llmrouter.models_sync_on_package_loaded")
