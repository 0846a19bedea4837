"""The dashboard's pages (``/dashboard/``), split by concern: runs (``runs``), starting a run
from a form (``start``), the event log (``events``), the approvals inbox and the approval links
mailed to approvers (``approvals``); a child run expanded inline (``run_parts``); ``workflows.urls`` routes them."""

from workflows.views.approvals import approval_decide, approval_inbox, approval_link
from workflows.views.events import event_log
from workflows.views.run_parts import run_inline
from workflows.views.runs import dashboard, run_action, run_page
from workflows.views.start import start_list, start_run

__all__ = ["approval_decide", "approval_inbox", "approval_link", "dashboard", "event_log", "run_action",
           "run_inline", "run_page", "start_list", "start_run"]
