import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.management import CommandError, call_command

from accounts.models import User
from members.models import Company, CompanyMembership, ContactPerson
from tests.mfa import login_with_second_factor

pytestmark = pytest.mark.django_db

LEGAL_PAGES = ("/impressum/", "/datenschutz/", "/barrierefreiheit/")


def counts():
    from meetings.models import Meeting, Registration, TopicVote
    from newsletter.models import Delivery, Issue, Subscription

    return (
        Issue.objects.count(),
        Subscription.objects.count(),
        Delivery.objects.count(),
        Meeting.objects.count(),
        Registration.objects.count(),
        TopicVote.objects.count(),
        Company.objects.count(),
        ContactPerson.objects.count(),
        User.objects.count(),
        CompanyMembership.objects.count(),
    )


def test_seed_demo_runs_twice_without_duplicates(settings, client):
    settings.DEBUG = True
    # A fresh installation has placeholders for the coordinators to fill in (migrations).
    assert "Bitte ergänzen Sie" in FlatPage.objects.get(url="/impressum/").content
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first[6] == 30
    from meetings.models import Meeting

    assert Meeting.objects.upcoming().filter(status="published").exists()
    assert Meeting.objects.filter(status="held").exists()
    assert set(Company.objects.values_list("size_class", flat=True)) == {"small", "medium", "large"}
    assert all(pc.startswith("5429") for pc in Company.objects.values_list("postcode", flat=True))

    assert client.login(email="personal@demo.example", password="demo-trier")
    membership = CompanyMembership.objects.get(user__email="personal@demo.example")
    assert membership.is_admin and membership.company.status == "active"
    coordinator = User.objects.get(email="koordination@demo.example")
    assert coordinator.is_staff and coordinator.check_password("demo-trier")
    # The demo's coordinator is one as real coordinators are: in the group, no superuser.
    assert not coordinator.is_superuser
    assert list(coordinator.groups.values_list("name", flat=True)) == ["Koordination"]
    system = User.objects.get(email="system@demo.example")
    assert system.is_staff and system.is_superuser and system.check_password("demo-trier")
    juror = User.objects.get(email="jury@demo.example")
    assert juror.groups.filter(name="Jury").exists()


def test_seed_demo_writes_legal_pages_that_read_like_real_ones(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")

    pages = {url: client.get(url).content.decode() for url in LEGAL_PAGES}
    for url, html in pages.items():
        article = html.split("<article", 1)[1].split("</article>", 1)[0]
        assert "Bitte ergänzen" not in article and "im Admin" not in article, url
        # The fictional office of the settings, as in the footer of every page and mail.
        assert settings.OFFICE_NAME in article, url
        assert "Beispielstraße 12<br>\n54290 Trier" in article, url
        assert f'<a href="mailto:{settings.OFFICE_EMAIL}">{settings.OFFICE_EMAIL}</a>' in article
        assert f">{settings.OFFICE_PHONE}</a>" in article, url
        assert "Demo" in article and "erfunden" in article, url
    assert "Angaben gemäß § 5 Digitale-Dienste-Gesetz (DDG)" in pages["/impressum/"]
    assert "Ihre Rechte" in pages["/datenschutz/"]
    assert "Beschwerderecht" in pages["/datenschutz/"]
    assert "teilweise vereinbar" in pages["/barrierefreiheit/"]
    assert "Durchsetzungsverfahren" in pages["/barrierefreiheit/"]


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DJANGO_DEBUG off"):
        call_command("seed_demo")
    assert Company.objects.count() == 0
    call_command("seed_demo", "--force")
    assert Company.objects.count() == 30


def test_coordinator_group_can_manage_member_companies(client):
    from django.contrib.auth.models import Group

    from tests.factories import CompanyFactory, UserFactory

    group = Group.objects.get(name="Koordination")
    assert group.permissions.filter(codename="change_company").exists()
    staff = UserFactory(is_staff=True)
    staff.groups.add(group)
    CompanyFactory(name="Schreinerei Olewig")
    login_with_second_factor(client, staff)
    response = client.get("/admin/members/company/")
    assert response.status_code == 200
    assert "Schreinerei Olewig" in response.content.decode()


@pytest.mark.parametrize(
    "email", ["koordination@demo.example", "system@demo.example", "jury@demo.example"]
)
def test_demo_coordinator_and_juror_log_in_with_the_published_demo_secret(client, settings, email):
    from django.urls import reverse

    from demo import members as members_demo
    from tests.mfa import totp_code

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # a second run keeps the one authenticator

    response = client.post(
        reverse("account_login"), {"login": email, "password": members_demo.DEMO_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(
        reverse("mfa_authenticate"), {"code": totp_code(members_demo.DEMO_TOTP_SECRET)}
    )
    assert response.status_code == 302
    assert client.get(reverse("members:dashboard")).status_code == 302
    assert User.objects.get(email=email).authenticator_set.count() == 1
    assert any(members_demo.DEMO_TOTP_SECRET in line for line in members_demo.summary())


def test_the_demo_coordinator_works_through_the_groups_permissions(settings, client):
    """Logged in as the demo's coordinator (not a superuser): the cockpit and the coordinators'
    lists open, the technical models do not."""
    from django.urls import reverse

    settings.DEBUG = True
    call_command("seed_demo")
    login_with_second_factor(client, User.objects.get(email="koordination@demo.example"))
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "Was ansteht" in index.content.decode()
    assert "System" not in [str(group["name"]) for group in index.context["app_list"]]
    assert client.get(reverse("admin:members_company_changelist")).status_code == 200
    assert client.get(reverse("admin:seal_application_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 403
    )
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
