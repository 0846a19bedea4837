from django.apps import AppConfig


class BotsConfig(AppConfig):
    name = "generalbots.bots"
    label = "bots"
    verbose_name = "Bots"

    def ready(self) -> None:
        from generalbots.bots import checks  # noqa: F401  (registers the system checks)
        from generalbots.bots.access import connect_receivers

        connect_receivers()
