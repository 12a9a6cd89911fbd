import pytest

from tests.factories import CompanyAdminFactory, CompanyFactory, CoordinatorFactory, MembershipFactory


@pytest.fixture(autouse=True)
def _german(settings):
    settings.LANGUAGE_CODE = "de"


@pytest.fixture
def company(db):
    return CompanyFactory(name="Moselblick Pflege GmbH", slug="moselblick-pflege")


@pytest.fixture
def company_admin(company):
    """A user who is company admin of ``company``."""
    return CompanyAdminFactory(company=company).user


@pytest.fixture
def company_user(company):
    """A user who acts for ``company`` without admin rights."""
    return MembershipFactory(company=company).user


@pytest.fixture
def other_company_admin(db):
    other = CompanyFactory(name="Saarburger Feinmechanik KG", slug="saarburger-feinmechanik")
    return CompanyAdminFactory(company=other).user


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory(email="koordination@example.org")
