from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "generalbots.core"
    label = "core"
    verbose_name = "Platform"
