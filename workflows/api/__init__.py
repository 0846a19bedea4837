"""The workflows REST API, split by concern: runs and approvals (``runs``), the event bus
(``events``); ``workflows.api_urls`` routes them."""

from workflows.api.events import EventListApi
from workflows.api.runs import (
    ApprovalApproveApi,
    ApprovalListApi,
    ApprovalRejectApi,
    WorkflowCancelApi,
    WorkflowDetailApi,
    WorkflowListApi,
    WorkflowRetryApi,
    run_detail,
)

__all__ = ["ApprovalApproveApi", "ApprovalListApi", "ApprovalRejectApi", "EventListApi", "WorkflowCancelApi",
           "WorkflowDetailApi", "WorkflowListApi", "WorkflowRetryApi", "run_detail"]
