"""Telling the user what happened: a refused action's reasons as messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def error_messages(request, error: ValidationError) -> None:
    """Show every reason of a refused action (a service's ValidationError) as an error."""
    for message in error.messages:
        messages.error(request, message)
