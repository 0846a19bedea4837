"""The workflows admin, split by concern: runs, approvals and steps (``runs``), the event bus
(``events``), scheduled dialogs (``schedules``). Importing the package registers every
ModelAdmin (Django's autodiscovery imports ``workflows.admin``)."""

from workflows.admin.events import WorkflowEventAdmin, WorkflowEventConsumptionInline, publish_test_event
from workflows.admin.runs import WorkflowApprovalAdmin, WorkflowExecutionAdmin, WorkflowStepAdmin
from workflows.admin.schedules import BotScheduleAdmin

__all__ = ["BotScheduleAdmin", "WorkflowApprovalAdmin", "WorkflowEventAdmin", "WorkflowEventConsumptionInline",
           "WorkflowExecutionAdmin", "WorkflowStepAdmin", "publish_test_event"]
