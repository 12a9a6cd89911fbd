"""Flash messages for what a view could not do: shown on the page the user is sent back to."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def flash_errors(request, error: ValidationError) -> None:
    """Every reason a service gave for refusing an action (its ValidationError), as an error."""
    for message in error.messages:
        messages.error(request, message)


def flash_form_errors(request, form) -> None:
    """Every error of a form posted from a page that does not show the form again, as an error."""
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
