from generalbots.core.exceptions import ApplicationError


class RoutingError(ApplicationError):
    """No model can take the call: none configured, none fits the limits, or all failed."""

    code = "llmrouter.no_model"
    http_status = 409


class BudgetExceededError(RoutingError):
    """The call would spend more than the run's or the bot's budget allows."""

    code = "llmrouter.budget_exceeded"


class UnknownModelError(RoutingError):
    """USE MODEL named an alias the bot cannot use."""

    code = "llmrouter.unknown_model"
