"""allauth's signals about a person's own account, handed to the services."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from . import services


def on_login_address_changed(
    sender, request, user, from_email_address, to_email_address, **kwargs
) -> None:
    """allauth made another (verified) address the primary one: the person's entries follow,
    and the page says which. Should one of them refuse (another entry took the address in the
    meantime), the old address becomes the login address again and the page says why."""
    if from_email_address is None:
        return
    try:
        message = services.login_address_change(
            user=user, old_email=from_email_address.email, new_email=to_email_address.email
        )
    except ValidationError as error:
        from_email_address.set_as_primary()
        if request is not None:
            for text in error.messages:
                messages.error(request, text)
        return
    if message and request is not None:
        messages.success(request, message)
