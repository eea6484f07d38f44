"""Domain errors raised by models and services, shown to the user as a message."""


class RuleViolation(Exception):
    """A business rule refused the action; `message` is already translated for the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
