"""The login backend: allauth's, loading a session's user together with their company account.

Nearly every page asks for the company account (the navigation, the permission checks of
members.permissions): read in the user's query, a logged-in request costs one query less.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.select_related("membership__company")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
