"""The errors that services raise. Views and the API turn them into pages and 4xx answers."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A request that the rules refuse. The message is shown to the user as it is."""

    status_code = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    """The user may not do this to this object."""

    status_code = 403


class NotFound(DomainError):
    """The object does not exist, or the user may not know that it exists."""

    status_code = 404


class InvalidTransition(DomainError):
    """The object's state does not allow this move."""

    status_code = 409


class ValidationFailed(DomainError):
    """Input that breaks a rule; `errors` maps each field to what is wrong with it."""

    status_code = 422

    def __init__(self, errors: Mapping[str, str], message: str = "") -> None:
        self.errors = dict(errors)
        summary = message or "；".join(f"{field}: {text}" for field, text in self.errors.items())
        super().__init__(summary)
