from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The interface layer (DESIGN.md §1): the web chat, its websocket and REST API, the
    terminal chat and the ``gb`` command. It has no models; it calls the services below it."""

    name = "console"
    verbose_name = "Console"
