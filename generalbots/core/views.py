from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from generalbots.core.health import health_report


@never_cache
@require_GET
def healthz(request):
    """The state of every backing service; 503 when a configured one is down. Host names and
    error texts only for staff."""
    user = getattr(request, "user", None)
    report = health_report(staff=bool(user is not None and user.is_active and user.is_staff))
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
