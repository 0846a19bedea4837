from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_public_url(app_configs, **kwargs):
    """Approval mails carry absolute links, so GB_PUBLIC_URL must be an absolute http(s) URL."""
    url = getattr(settings, "GB_PUBLIC_URL", "")
    parts = urlsplit(url)
    if not url or parts.scheme not in ("http", "https") or not parts.hostname:
        return [Error(
            f"GB_PUBLIC_URL is {url!r}: approval mails would carry links nobody can open.",
            hint="Set GB_PUBLIC_URL to the address people reach this site at, like https://bots.example.com.",
            id="workflows.E001",
        )]
    if not settings.DEBUG and parts.scheme != "https" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        return [Warning(
            f"GB_PUBLIC_URL {url} is plain http: approval links would travel unencrypted.",
            hint="Serve the site over https and set GB_PUBLIC_URL to its https:// address.",
            id="workflows.W001",
        )]
    return []
