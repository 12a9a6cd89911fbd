"""The engagement panel on a member company's admin page (members.admin_panels)."""

from django.conf import settings

from members.models import Company

from .selectors import quiet_reasons, seal_state_label, with_engagement


def engagement_context(request, company) -> dict:
    """The company's figures, as the engagement list shows them (one query)."""
    row = with_engagement(Company.objects.filter(pk=company.pk)).get()
    return {
        "engagement": row,
        "seal_application": seal_state_label(row),
        # Quiet is a state of active members only: the others are not called.
        "quiet_reasons": quiet_reasons(row) if company.is_active_member else [],
        "quiet_months": settings.ENGAGEMENT_QUIET_MONTHS,
    }
