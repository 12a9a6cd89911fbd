"""From the start page, by clicking: the seal page, the newsletter sign-up and its archive; the
way to membership only for those who are not members yet."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import Company
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.mfa import login_with_second_factor
from tests.newsletter.factories import PublicListFactory

HOW_TO_JOIN = "So werden Sie Mitglied"


def section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def footer(html: str) -> str:
    return html[html.index("<footer") :]


@pytest.mark.django_db
def test_the_start_page_leads_to_the_seal_page_the_newsletter_and_its_archive(client):
    html = client.get("/").content.decode()

    assert f'href="{reverse("seal:home")}"' in section(html, "seal-section")
    newsletter = section(html, "newsletter-section")
    assert f'href="{reverse("newsletter:subscribe")}"' in newsletter
    assert f'href="{reverse("newsletter:archive")}"' in newsletter
    assert "Newsletter abonnieren" in newsletter
    assert f'href="{reverse("newsletter:subscribe")}"' in footer(html)
    assert f'href="{reverse("newsletter:archive")}"' in footer(html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("visitor", True),
        ("without company", True),
        ("pending company", True),
        ("member", False),
        ("coordinator", False),
    ],
)
def test_how_to_become_a_member_only_for_those_who_are_not(client, who, shown):
    if who == "without company":
        client.force_login(UserFactory())
    elif who == "pending company":
        pending = CompanyFactory(status=Company.Status.PENDING)
        client.force_login(MembershipFactory(company=pending).user)
    elif who == "member":
        client.force_login(MembershipFactory().user)
    elif who == "coordinator":
        from tests.factories import CoordinatorFactory

        login_with_second_factor(client, CoordinatorFactory())

    html = client.get("/").content.decode()

    assert (HOW_TO_JOIN in html) is shown
    assert ('id="membership-section"' in html) is shown
    # Members find their meetings from the same row.
    assert (f'href="{reverse("meetings:list")}"' in html) is (who in ("member", "coordinator"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 1280])
def test_a_visitor_clicks_from_the_start_page_to_the_newsletter_and_the_seal(
    browser, live_server, width
):
    PublicListFactory(name="Fachkräfte-Newsletter")
    context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto("/")
        page.locator("#newsletter-section").get_by_role(
            "link", name="Newsletter abonnieren"
        ).click()
        page.wait_for_url(re.compile(r"/newsletter/subscribe/$"))
        expect(page.get_by_label("E-Mail-Adresse").first).to_be_visible()

        page.goto("/")
        page.locator("footer").get_by_role("link", name="Newsletter-Archiv").click()
        page.wait_for_url(re.compile(r"/newsletter/archive/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Newsletter-Archiv")

        page.goto("/")
        page.locator("#seal-section").get_by_role("link").click()
        page.wait_for_url(re.compile(r"/seal/$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Mein Top Job Trier")
    finally:
        context.close()
