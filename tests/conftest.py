import os

import pytest

from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    CoordinatorFactory,
    MembershipFactory,
)
from tests.mfa import login_with_second_factor
from tests.utils import CHROMIUM, skip_or_fail

# Fixtures for the PDF tests of several apps (template_dir, static_dir, trap_server).
pytest_plugins = ["tests.pdf_fixtures"]


@pytest.fixture(autouse=True)
def _german(settings):
    settings.LANGUAGE_CODE = "de"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits (allauth's, and those of the sign-up forms) count in the cache: each test
    starts with none used, whatever the tests before it sent."""
    from django.core.cache import cache

    cache.clear()


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


@pytest.fixture
def coordinator_client(client, coordinator):
    """The test client, logged in as the coordinator past the second factor."""
    login_with_second_factor(client, coordinator)
    return client


# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        skip_or_fail("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # A desktop screen on which the main navigation is expanded (it collapses below 1200 px).
    context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": 1440, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    # The pages must work under the strict Content-Security-Policy: any violation fails the test.
    csp_violations = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert csp_violations == []


@pytest.fixture
def real_broker():
    """Tasks go to the real broker, on a queue of this test's own, for a worker started by
    tests.services.celery_worker (instead of running eagerly in the test process)."""
    import uuid

    from network_portal.celery import app as celery_app
    from tests.services import require_real_services

    require_real_services()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "task_default_queue")}
    celery_app.conf.update(task_always_eager=False, task_default_queue=queue)
    yield queue
    celery_app.conf.update(saved)
