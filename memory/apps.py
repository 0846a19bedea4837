from django.apps import AppConfig


class MemoryConfig(AppConfig):
    name = "memory"
    verbose_name = "Memory"

    def ready(self) -> None:
        from generalbots.bots.signals import package_loaded  # apps are ready only now
        from generalbots.core import health
        from memory import checks  # noqa: F401  (registers the system checks)
        from memory.embeddings import health_check
        from memory.services import kb_index_on_package_loaded

        package_loaded.connect(kb_index_on_package_loaded, dispatch_uid="memory.kb_index_on_package_loaded")
        health.register("embedder", health_check)
