"""Starting a send brings the member lists up to date first, and the log says what changed."""

from network_portal.models import ActivityEntry
from newsletter import services
from newsletter.models import Delivery
from tests.factories import ContactPersonFactory, CoordinatorFactory
from tests.newsletter.factories import IssueFactory, MemberListFactory


def test_a_send_reaches_a_new_contact_and_logs_the_member_list_sync(db):
    member_list = MemberListFactory()
    contact = ContactPersonFactory(wants_newsletter=True)  # eligible, not on the list yet
    issue = IssueFactory(lists=[member_list])
    coordinator = CoordinatorFactory()

    services.issue_send(issue=issue, by_user=coordinator)

    assert list(Delivery.objects.filter(issue=issue).values_list("email", flat=True)) == [
        contact.email
    ]
    synced = ActivityEntry.objects.get(action="newsletter.member_lists.synced")
    assert synced.actor == coordinator
    assert synced.details == {"added": 1, "ended": 0}
