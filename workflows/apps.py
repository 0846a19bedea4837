from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Workflows"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from generalbots.bots.models import Bot
        from generalbots.bots.signals import package_loaded  # apps are ready only now
        from workflows import checks  # noqa: F401  (registers the system checks)
        from workflows.runtime.keywords.files import storage_remove_on_delete
        from workflows.schedules import schedules_on_package_loaded

        package_loaded.connect(schedules_on_package_loaded, dispatch_uid="workflows.schedules_on_package_loaded")
        post_delete.connect(storage_remove_on_delete, sender=Bot, dispatch_uid="workflows.storage_remove_on_delete")
