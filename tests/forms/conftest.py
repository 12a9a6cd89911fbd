import pytest

from tests.forms.harness import Probe, strict_database


@pytest.fixture(autouse=True)
def _strict_database(db, settings):
    # Many failed logins in a row are the point here, not an attack to slow down.
    settings.ACCOUNT_RATE_LIMITS = False
    with strict_database():
        yield


@pytest.fixture
def probe(client):
    return Probe(client)
