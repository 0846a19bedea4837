"""The API's token authentication: DRF's ``TokenAuthentication`` with its lookup compiled once.

DRF looks the token and its user up with ``select_related("user").get(key=...)``: the ORM builds
and compiles that query on every request, which cost about as much CPU as the rest of a workflow
start's lookups together. Here the same query is compiled once per process
(``fastsql.PreparedSelect``) and only its parameter changes; the answers are DRF's (an unknown
key and an inactive user are 401 with DRF's messages). Nothing is cached between requests: a
deleted token or a deactivated user is refused on the next request.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from generalbots.core.fastsql import PreparedSelect

_TOKEN = PreparedSelect(lambda key: Token.objects.select_related("user").filter(key=key).order_by()[:1],
                        Token._meta.get_field("key"))


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``, as DRF's, with the lookup compiled once."""

    def authenticate_credentials(self, key):
        if "\x00" in key:  # no token has one; never sent to the database (which refuses NUL)
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = _TOKEN.get(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
