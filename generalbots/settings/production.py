"""Public deployment: everything secret or site-specific comes from the environment.

``python manage.py check --deploy --settings=generalbots.settings.production`` passes when
``DJANGO_SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL`` are set. TLS is assumed to end at
this server or at a proxy that sets ``X-Forwarded-Proto`` (``GB_BEHIND_PROXY=true``).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("DJANGO_SECRET_KEY", default=None) or env("SECRET_KEY", default=None)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (50+ random characters) in the environment.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not env("DATABASE_URL", default=None):
    raise ImproperlyConfigured("Set DATABASE_URL (postgres://...) in the environment.")

DEBUG = False

# No default: mailed links must name the public site (check workflows.E001).
GB_PUBLIC_URL = env("GB_PUBLIC_URL", default="")
# A package's llm-url / embedding-url reaches no private address unless the operator lists it.
GB_MODEL_ALLOWED_NETWORKS = env.list("GB_MODEL_ALLOWED_NETWORKS", default=[])

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env.bool("GB_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
