from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "generalbots.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self) -> None:
        from generalbots.core import checks  # noqa: F401  (registers the system checks)
