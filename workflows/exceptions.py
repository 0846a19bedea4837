from generalbots.core.exceptions import ConflictError


class InvalidTransitionError(ConflictError):
    code = "workflows.invalid_transition"
