from django.apps import AppConfig


class BotsConfig(AppConfig):
    name = "generalbots.bots"
    label = "bots"
    verbose_name = "Bots"
