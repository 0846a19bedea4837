"""Knowledge-base collection names as the tests expect them."""


def in_organization(collection: str, owner) -> str:
    """The name of the knowledge-base collection ``collection`` in the organization of ``owner``
    (a bot or a base): collections are per organization (``memory.services.kb.kb_collection``)."""
    bot = owner if hasattr(owner, "organization_id") else owner.bot
    return f"{collection}_{bot.organization_id.hex}"
