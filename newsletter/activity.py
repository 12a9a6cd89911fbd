"""The activity log's actions of the mailing lists, subscribers, bounces and issues (see
``network_portal.activity``); imported by the plumbing when the apps are ready.

Entries about a subscriber (and the bounces of their address) lose their personal data when
the subscriber is erased (``services.subscriber_erase``); the details here hold none.
"""

from django.utils.translation import gettext_lazy as _

from network_portal.activity import RECIPIENTS, Detail, register_actions

from .models import Bounce, Issue

register_actions(
    {"newsletter.member_lists.synced": _("Member lists brought in line with the contacts")},
    details={
        "added": Detail(_("Subscriptions added")),
        "ended": Detail(_("Ended (no longer a member contact)")),
    },
)

register_actions(
    {
        "newsletter.subscriber.subscription_requested": _("Subscription requested"),
        "newsletter.subscriber.confirmed": _("Subscription confirmed"),
        "newsletter.subscriber.unsubscribed": _("Unsubscribed from all lists"),
        "newsletter.subscriber.preferences_saved": _("Choice of lists saved"),
        "newsletter.subscriber.erased": _("Personal data erased"),
    },
    details={
        "lists": Detail(_("Lists")),
        "joined": Detail(_("Lists joined")),
        "left": Detail(_("Lists left")),
        "requested": Detail(_("Waiting for the confirmation")),
        "subscriptions": Detail(_("Subscriptions")),
        "bounces": Detail(_("Bounces")),
    },
)

register_actions(
    {"newsletter.bounce.recorded": _("Bounce recorded")},
    details={
        "kind": Detail(_("Kind"), choices=Bounce.Kind.choices),
        "suppressed": Detail(_("Address suppressed")),
    },
)

register_actions(
    {
        "newsletter.issue.scheduled": _("Issue scheduled"),
        "newsletter.issue.unscheduled": _("Schedule taken back"),
        "newsletter.issue.sending_started": _("Sending started"),
        "newsletter.issue.expanded": _("Deliveries written"),
        "newsletter.issue.resumed": _("Sending resumed"),
        "newsletter.issue.sent": _("Issue sent"),
        "newsletter.issue.test_sent": _("Test copy sent"),
    },
    details={
        "status": Detail(_("Status"), choices=Issue.Status.choices, change=True),
        "scheduled_at": Detail(_("Send at"), kind="datetime"),
        "expected_recipients": Detail(_("Recipients as of now")),
        "recipients": RECIPIENTS,
        "sent": Detail(_("Sent")),
        "failed": Detail(_("Failed")),
    },
)
