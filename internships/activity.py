"""The activity log's actions of internship offers, placements and placement lists (see
``network_portal.activity``); imported by the plumbing when the apps are ready."""

from django.utils.translation import gettext_lazy as _

from network_portal.activity import RECIPIENTS, Detail, register_actions

from .models import Field

register_actions(
    {
        "internships.offer.created": _("Internship places offered"),
        "internships.offer.updated": _("Internship offer changed"),
        "internships.offer.withdrawn": _("Internship offer withdrawn"),
    },
    details={
        "field": Detail(_("Field of work"), choices=Field.choices),
        "places": Detail(_("Number of places")),
        "public": Detail(_("Shown on the public page")),
        "changed": Detail(_("Changed details"), kind="fields"),
        "periods": Detail(_("New periods")),
    },
)

register_actions(
    {
        "internships.placement.created": _("Pupil placed on an internship offer"),
        "internships.placement.removed": _("Placement of a pupil removed"),
    },
    details={
        # The pupil's name is personal data (a minor's): removed on erasure.
        "pupil": Detail(_("Pupil"), personal=True),
        "company": Detail(_("Company")),
    },
)

register_actions(
    {"internships.stay.lists_sent": _("Placement lists sent to the companies")},
    details={
        "recipients": RECIPIENTS,
        "companies": Detail(_("Companies")),
        "pupils": Detail(_("Pupils")),
        "left_out": Detail(_("Left out (no longer active members)")),
    },
)
