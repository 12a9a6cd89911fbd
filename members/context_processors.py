from django.utils.functional import SimpleLazyObject

from accounts.roles import is_coordinator, is_juror

from .permissions import is_company_admin, is_network_member, membership_of


def roles(request):
    """The rules templates ask, the same the views ask (members.permissions, accounts.roles).

    Each is evaluated when a template first uses it, so a page that asks none of them runs no
    query for them; the company account and its company are read in one query, once.
    """
    user = getattr(request, "user", None)
    if user is None:
        return {}

    def with_account(rule):
        def evaluate():
            membership_of(user, with_company=True)
            return rule(user)

        return SimpleLazyObject(evaluate)

    return {
        "current_membership": with_account(membership_of),
        "is_network_member": with_account(is_network_member),
        "is_company_admin": with_account(is_company_admin),
        "is_coordinator": SimpleLazyObject(lambda: is_coordinator(user)),
        "is_juror": SimpleLazyObject(lambda: is_juror(user)),
    }
