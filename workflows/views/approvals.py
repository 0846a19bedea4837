"""Deciding approval requests: from the run page (a logged-in operator), and through the
approve / reject links mailed to approvers (GET shows a confirm page, POST decides).

A mailed link's token is signed (``approval_link_token``) and carries the request's nonce, which
the decision spends, so a link works once. No login is needed: holding the link is the permission.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from generalbots.core.exceptions import ApplicationError
from workflows import services
from workflows.choices import ApprovalStatus
from workflows.selectors import approval_get_for_user, approval_list_for_user
from workflows.views.runs import back_to_run


@require_POST
@login_required
def approval_decide(request, pk: str):
    """Approve or reject an approval request from the run page (``decision`` = approve | reject)."""
    decisions = {"approve": ApprovalStatus.APPROVED, "reject": ApprovalStatus.REJECTED}
    run_id = None
    try:
        run_id = approval_get_for_user(user=request.user, approval_id=pk).execution_id
        approval = approval_get_for_user(user=request.user, approval_id=pk, operate=True)
        decision = decisions.get(request.POST.get("decision", ""))
        if decision is None:
            raise ApplicationError("Choose approve or reject.", code="workflows.invalid_decision")
        services.approval_decide(approval=approval, decision=decision, user=request.user,
                                 comment=request.POST.get("comment", "").strip()[:2000])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Approval {'approved' if decision == ApprovalStatus.APPROVED else 'rejected'}.")
    if run_id is None or request.POST.get("next") == "inbox":
        return redirect("workflows:approvals")
    return back_to_run(request, run_id)


INBOX_PAGE_SIZE = 50


@require_http_methods(["GET"])
@login_required
def approval_inbox(request):
    """The approvals inbox: requests of the runs the user may see, pending ones first (oldest
    deadline first); ``?status=`` shows one status, ``?status=all`` every one. Deciding here
    comes back here."""
    status = request.GET.get("status", ApprovalStatus.PENDING)
    if status not in ApprovalStatus.values and status != "all":
        status = ApprovalStatus.PENDING
    approvals = approval_list_for_user(user=request.user, status="" if status == "all" else status)
    page = Paginator(approvals.select_related("execution__started_by"), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "workflows/approvals.html", {
        "page": page, "approvals": page.object_list, "status": status,
        "statuses": [("all", "all"), *ApprovalStatus.choices]})


def _link_page(request, title: str, context: dict, status: int = 200):
    return render(request, "workflows/approval_link.html", {"title": title, **context}, status=status)


@csrf_exempt  # the signed single-use token is the credential; there is no session to protect
@require_http_methods(["GET", "POST"])
def approval_link(request, token: str):
    """The page of a mailed link: a confirm form on GET, the decision on POST; a used, expired
    or forged token is a page saying so (with the error's status), never a form."""
    try:
        approval, decision = services.approval_from_token(token)
    except ApplicationError as exc:
        return _link_page(request, "Approval", {"error": exc.message}, status=exc.http_status)
    if request.method == "GET":
        return _link_page(request, "Confirm", {"approval": approval, "decision": decision.title()})
    try:
        services.approval_decide(approval=approval, decision=decision,
                                 user=request.user if request.user.is_authenticated else None,
                                 comment=request.POST.get("comment", ""))
    except ApplicationError as exc:
        return _link_page(request, "Approval", {"error": exc.message}, status=exc.http_status)
    approval.refresh_from_db()
    return _link_page(request, "Done", {"done": approval.get_status_display().lower()})
