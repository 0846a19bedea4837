from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Workflows"

    def ready(self) -> None:
        from generalbots.bots.signals import package_loaded  # apps are ready only now
        from workflows import checks  # noqa: F401  (registers the system checks)
        from workflows.schedules import schedules_on_package_loaded

        package_loaded.connect(schedules_on_package_loaded, dispatch_uid="workflows.schedules_on_package_loaded")
