from generalbots.core.exceptions import ApplicationError


class MemoryShareRefused(ApplicationError):
    """A share or sync between two bots that the rules refuse (organization, memory-accept-from)."""

    code = "memory.share_refused"
    http_status = 403


class InvalidMemoryInput(ApplicationError):
    code = "memory.invalid"
