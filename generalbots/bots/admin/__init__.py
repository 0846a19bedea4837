"""The bots admin: bots, scripts, conversations and access grants (``bots``), and the tenant
scoping every platform ``ModelAdmin`` mixes in (``scoping``). Importing the package registers
the ModelAdmins (Django's autodiscovery imports ``generalbots.bots.admin``)."""

from generalbots.bots.admin.bots import (
    BotAccessAdmin,
    BotAdmin,
    BotScriptAdmin,
    ConversationAdmin,
    MessageAdmin,
    OrganizationAdmin,
)
from generalbots.bots.admin.scoping import BotScopedAdminMixin

__all__ = ["BotAccessAdmin", "BotAdmin", "BotScopedAdminMixin", "BotScriptAdmin", "ConversationAdmin", "MessageAdmin",
           "OrganizationAdmin"]
