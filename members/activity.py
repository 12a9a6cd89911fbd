"""The activity log's actions of member companies, memberships, join requests and invitations
(see ``network_portal.activity``); imported by the plumbing when the apps are ready."""

from django.utils.translation import gettext_lazy as _

from network_portal.activity import Detail, register_actions

from .models import Company, CompanyMembership, ExpertiseOffer

register_actions(
    {
        "members.company.registered": _("Company registered"),
        "members.company.approved": _("Company approved"),
        "members.company.rejected": _("Company rejected"),
        "members.company.paused": _("Membership paused"),
        "members.company.left": _("Company marked as left"),
        "members.company.reactivated": _("Company reactivated"),
        "members.company.imported": _("Member list imported (CSV)"),
    },
    details={
        "status": Detail(_("Status"), choices=Company.Status.choices, change=True),
        "reason": Detail(_("Reason")),
        "companies": Detail(_("Companies")),
        "contacts": Detail(_("Contact persons")),
    },
)

register_actions(
    {
        "members.join_request.created": _("Join request made"),
        "members.join_request.accepted": _("Join request accepted"),
        "members.join_request.declined": _("Join request declined"),
        "members.join_request.withdrawn": _("Join request withdrawn"),
        "members.invitation.created": _("Colleague invited"),
        "members.invitation.revoked": _("Invitation withdrawn"),
        "members.invitation.accepted": _("Invitation accepted"),
    },
)

register_actions(
    {
        "members.membership.added": _("Access to the company given"),
        "members.membership.role_changed": _("Role in the company changed"),
        "members.membership.removed": _("Access to the company removed"),
    },
    details={
        "role": Detail(_("Role"), choices=CompanyMembership.Role.choices, change=True),
    },
)

register_actions(
    {
        "members.contact.updated_by_self": _("Own contact entry changed"),
    },
    details={"fields": Detail(_("Changed"), kind="fields")},
)

register_actions(
    {"members.company.profile_changed": _("Company profile changed")},
    details={"fields": Detail(_("Changed"), kind="fields")},
)

register_actions(
    {
        "members.contact.added": _("Contact person added"),
        "members.contact.changed": _("Contact person changed"),
        "members.contact.removed": _("Contact person removed"),
    },
    details={"fields": Detail(_("Changed"), kind="fields")},
)

register_actions(
    {
        "members.expertise_offer.added": _("Expertise offer added"),
        "members.expertise_offer.changed": _("Expertise offer changed"),
        "members.expertise_offer.deleted": _("Expertise offer removed"),
    },
    details={
        "kind": Detail(_("Offer"), choices=ExpertiseOffer.Kind.choices),
        "topics": Detail(_("Topics")),
        "fields": Detail(_("Changed"), kind="fields"),
    },
)
