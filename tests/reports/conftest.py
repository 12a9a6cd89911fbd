import pytest
from django.contrib.auth.models import Group

from accounts.roles import COORDINATOR_GROUP, ensure_role_groups
from tests.factories import UserFactory
from tests.mfa import login_with_second_factor


@pytest.fixture
def koordination(db):
    """A coordinator as the portal makes them: staff in the group „Koordination“, no
    superuser; every right comes from the group."""
    ensure_role_groups()
    user = UserFactory(email="koordination-team@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    return user


@pytest.fixture
def coordinator_client(client, koordination):
    login_with_second_factor(client, koordination)
    return client
