"""The dashboard's pages (``/dashboard/``), split by concern: runs (``runs``), the event log
(``events``), the approval links mailed to approvers (``approvals``); ``workflows.urls`` routes them."""

from workflows.views.approvals import approval_decide, approval_link
from workflows.views.events import event_log
from workflows.views.runs import dashboard, run_action, run_page

__all__ = ["approval_decide", "approval_link", "dashboard", "event_log", "run_action", "run_page"]
