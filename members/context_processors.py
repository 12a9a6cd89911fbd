from .permissions import membership_of


def current_company(request):
    """The company the logged-in user acts for, for the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = membership_of(user)
    return {"current_membership": membership}
