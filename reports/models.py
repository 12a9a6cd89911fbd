from django.utils.translation import gettext_lazy as _

from members.models import Company


class Engagement(Company):
    """The member companies seen by their engagement: the coordinators' list of figures per
    company (:mod:`reports.admin.engagement`). No table of its own; its one permission,
    ``reports.view_engagement``, opens the engagement list and the annual report."""

    class Meta:
        proxy = True
        default_permissions = ("view",)
        verbose_name = _("Engagement of a member company")
        verbose_name_plural = _("Engagement of the member companies")
