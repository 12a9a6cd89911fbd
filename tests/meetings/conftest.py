"""Fixtures shared by the meetings' tests."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import COORDINATOR_GROUP
from members.models import Company
from tests.factories import CompanyFactory, ContactPersonFactory, UserFactory
from tests.mfa import browser_log_in, enroll_totp


@pytest.fixture
def network():
    """Two active companies (``moselblick``, ``olewig``) with three contacts who want
    invitations (``invited``); besides them, people who must not be invited: a contact who wants
    none, and contacts of a paused, a former and a pending company."""
    moselblick = CompanyFactory(name="Moselblick Pflege GmbH")
    olewig = CompanyFactory(name="Schreinerei Olewig")
    invited = [
        ContactPersonFactory(company=moselblick, email="anna@moselblick.example"),
        ContactPersonFactory(company=moselblick, email="lukas@moselblick.example"),
        ContactPersonFactory(company=olewig, email="jonas@olewig.example"),
    ]
    ContactPersonFactory(
        company=moselblick, email="ohne@moselblick.example", wants_meeting_invitations=False
    )
    for status in (Company.Status.PAUSED, Company.Status.LEFT, Company.Status.PENDING):
        ContactPersonFactory(company=CompanyFactory(status=status), email=f"{status}@example.org")
    return {"moselblick": moselblick, "olewig": olewig, "invited": invited}


@pytest.fixture
def coordinator_page(page):
    """The browser's page, logged in (with the second factor) as a coordinator: staff in the
    coordinators' group, not a superuser."""
    coordinator = UserFactory(email="koordination@example.org", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    browser_log_in(
        page, coordinator.email, "geheim-123-trier", totp_secret=enroll_totp(coordinator)
    )
    return page
