"""The approve / reject links mailed to approvers: GET shows a confirm page, POST decides.

The link's token is signed (``approval_link_token``) and carries the request's nonce, which the
decision spends, so a link works once. No login is needed: holding the link is the permission.
"""

from django.http import HttpResponse
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from generalbots.core.exceptions import ApplicationError
from workflows.services import approval_decide, approval_from_token

_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">{body}</body></html>"""


def _page(title: str, body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(_PAGE.format(title=escape(title), body=body), status=status)


@csrf_exempt  # the signed single-use token is the credential; there is no session to protect
@require_http_methods(["GET", "POST"])
def approval_link(request, token: str):
    try:
        approval, decision = approval_from_token(token)
    except ApplicationError as exc:
        return _page("Approval", f"<p>{escape(exc.message)}</p>", status=exc.http_status)
    execution = approval.execution
    what = f"{escape(execution.workflow_name)} of bot {escape(execution.bot.name)}"
    if request.method == "GET":
        return _page("Confirm", f"<h1>{escape(decision.title())}?</h1><p>The workflow {what} waits for your "
                     f"decision{' at step ' + escape(approval.step_label) if approval.step_label else ''}.</p>"
                     '<form method="post"><p><label>Comment <input name="comment"></label></p>'
                     f'<button type="submit">{escape(decision.title())}</button></form>')
    try:
        approval_decide(approval=approval, decision=decision,
                        user=request.user if request.user.is_authenticated else None,
                        comment=request.POST.get("comment", ""))
    except ApplicationError as exc:
        return _page("Approval", f"<p>{escape(exc.message)}</p>", status=exc.http_status)
    approval.refresh_from_db()
    return _page("Done", f"<p>Thank you: the request is {escape(approval.get_status_display().lower())}.</p>")
