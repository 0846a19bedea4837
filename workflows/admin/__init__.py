"""The workflows admin, split by concern: runs, approvals and steps (``runs``), the event bus
(``events``). Importing the package registers every ModelAdmin (Django's autodiscovery imports
``workflows.admin``)."""

from workflows.admin.events import WorkflowEventAdmin, WorkflowEventConsumptionInline, publish_test_event
from workflows.admin.runs import WorkflowApprovalAdmin, WorkflowExecutionAdmin, WorkflowStepAdmin

__all__ = ["WorkflowApprovalAdmin", "WorkflowEventAdmin", "WorkflowEventConsumptionInline", "WorkflowExecutionAdmin",
           "WorkflowStepAdmin", "publish_test_event"]
