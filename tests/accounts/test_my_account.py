"""„Mein Konto“: the page, its forms, the change of the login address through allauth's pages,
the language, the newsletters, the sessions, passkeys and deleting the account."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from members.models import ContactPerson
from network_portal.models import ActivityEntry
from newsletter.models import Subscription
from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    ContactPersonFactory,
    CoordinatorFactory,
    MembershipFactory,
    UserFactory,
)
from tests.mfa import log_in_recently, login_with_second_factor
from tests.newsletter.factories import (
    MemberListFactory,
    PublicListFactory,
    SubscriberFactory,
    SubscriptionFactory,
)
from tests.utils import message_texts

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-123-trier"
ACCOUNT = reverse("accounts:account")
NEW = "j.weber@moselblick-pflege.example"


@pytest.fixture
def jonas():
    """Jonas Weber, employee of Moselblick Pflege GmbH (which has another admin), its contact
    person, on the member list."""
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    CompanyAdminFactory(company=company)
    user = UserFactory(
        email="jonas.weber@moselblick.example", first_name="Jonas", last_name="Weber"
    )
    MembershipFactory(user=user, company=company)
    contact = ContactPersonFactory(
        company=company,
        user=user,
        email=user.email,
        first_name="Jonas",
        last_name="Weber",
        function=ContactPerson.Function.TRAINING,
        phone="0651 123456",
    )
    subscriber = SubscriberFactory(email=user.email, contact=contact)
    SubscriptionFactory(
        subscriber=subscriber, mailing_list=MemberListFactory(name="Alle Mitglieder")
    )
    return user


def test_the_page_shows_what_the_account_holds(client, jonas):
    client.force_login(jonas)
    html = client.get(ACCOUNT).content.decode()

    assert '<h1 class="mb-1">Mein Konto</h1>' in html
    assert 'value="Jonas"' in html and 'value="Weber"' in html
    assert "jonas.weber@moselblick.example" in html
    assert "Sie handeln für <strong>Moselblick Pflege GmbH</strong> als Mitarbeiter" in html or (
        "Sie handeln für <strong>Moselblick Pflege GmbH</strong>" in html
    )
    assert "Ausbildung" in html and "0651 123456" in html
    assert 'name="lists"' in html and "Alle Mitglieder" in html
    assert "Passkey hinzufügen" in html
    assert reverse("accounts:delete") in html


def test_the_navigation_leads_to_my_account(client, jonas):
    client.force_login(jonas)
    html = client.get(reverse("members:company")).content.decode()
    assert f'href="{ACCOUNT}"' in html


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_changing_the_name_changes_the_contact_entry_too(client, jonas):
    client.force_login(jonas)
    response = client.post(
        reverse("accounts:name"), {"first_name": "Jonas", "last_name": "Weber-Kraus"}, follow=True
    )

    assert message_texts(response) == ["Ihr Name ist gespeichert."]
    jonas.refresh_from_db()
    assert jonas.get_full_name() == "Jonas Weber-Kraus"
    assert ContactPerson.objects.get(user=jonas).last_name == "Weber-Kraus"


def test_an_empty_name_is_refused_on_the_page(client, jonas):
    client.force_login(jonas)
    response = client.post(reverse("accounts:name"), {"first_name": "", "last_name": "Weber"})

    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    jonas.refresh_from_db()
    assert jonas.first_name == "Jonas"


def test_the_chosen_language_is_kept_and_used(client, jonas):
    client.force_login(jonas)
    response = client.post(reverse("accounts:language"), {"language": "en"}, follow=True)

    jonas.refresh_from_db()
    assert jonas.language == "en"
    assert client.cookies["django_language"].value == "en"
    assert '<h1 class="mb-1">My account</h1>' in response.content.decode()


def test_the_footer_switch_keeps_a_logged_in_persons_choice(client, jonas):
    client.force_login(jonas)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    jonas.refresh_from_db()
    assert jonas.language == "en"


def test_the_next_login_brings_the_persons_language_back(client, jonas):
    User.objects.filter(pk=jonas.pk).update(language="en")
    response = client.post(reverse("account_login"), {"login": jonas.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_a_new_login_address_asks_for_the_password_again(client, jonas):
    client.force_login(jonas)  # logged in long ago, as far as allauth knows

    response = client.post(reverse("account_email"), {"email": NEW, "action_add": ""})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email=NEW).exists()
    assert mail.outbox == []


def test_a_new_login_address_through_allauths_pages(
    client, jonas, django_capture_on_commit_callbacks
):
    log_in_recently(client, jonas)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"email": NEW, "action_add": ""})
    confirmation = mail.outbox[-1]
    assert confirmation.to == [NEW]
    link = re.search(r"https?://\S+(/accounts/confirm-email/\S+/)", confirmation.body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
        response = client.post(
            reverse("account_email"), {"email": NEW, "action_primary": ""}, follow=True
        )

    assert (
        "Ihre Kontaktangaben bei Moselblick Pflege GmbH und Ihr Newsletter-Abonnement nutzen "
        f"jetzt {NEW}."
    ) in message_texts(response)
    jonas.refresh_from_db()
    assert jonas.email == NEW
    assert ContactPerson.objects.get(user=jonas).email == NEW
    assert Subscription.objects.get(subscriber__email=NEW).status == "confirmed"


def test_an_address_a_colleague_entry_has_is_refused_when_added(client, jonas):
    ContactPersonFactory(company=jonas.membership.company, email=NEW)
    client.force_login(jonas)
    response = client.post(reverse("account_email"), {"email": NEW, "action_add": ""})

    assert "hat bereits einen anderen Kontakteintrag mit der Adresse" in response.content.decode()
    assert not EmailAddress.objects.filter(email=NEW).exists()
    assert mail.outbox == []


def test_people_edit_their_own_contact_entry(client, jonas):
    client.force_login(jonas)
    url = reverse("members:own_contact")
    assert "Ihr Eintrag als Ansprechperson" in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "salutation": "mr",
            "title": "Dr.",
            "first_name": "Jonas",
            "last_name": "Weber",
            "function": "hr",
            "phone": "0651 999",
        },
        follow=True,
    )

    assert message_texts(response) == ["Ihr Kontakteintrag ist gespeichert."]
    contact = ContactPerson.objects.get(user=jonas)
    assert (contact.title, contact.function, contact.phone) == ("Dr.", "hr", "0651 999")
    assert contact.wants_meeting_invitations is False  # the box was not ticked
    entry = ActivityEntry.objects.get(action="members.contact.updated_by_self")
    assert set(entry.details["fields"]) == {
        "salutation",
        "title",
        "function",
        "phone",
        "wants_meeting_invitations",
    }


def test_people_without_a_contact_entry_are_sent_back(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("members:own_contact"))
    assert response["Location"] == ACCOUNT


def test_newsletters_left_at_once_and_joined_with_the_double_opt_in(
    client, jonas, django_capture_on_commit_callbacks
):
    public = PublicListFactory(name="Fachkräfte-Newsletter")
    client.force_login(jonas)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("newsletter:account_lists"), {"lists": [public.pk]}, follow=True
        )

    statuses = dict(
        Subscription.objects.filter(subscriber__email=jonas.email).values_list(
            "mailing_list__name", "status"
        )
    )
    assert statuses == {"Alle Mitglieder": "unsubscribed", "Fachkräfte-Newsletter": "pending"}
    assert [m.to for m in mail.outbox] == [[jonas.email]]
    assert "/newsletter/confirm/" in mail.outbox[0].body
    assert message_texts(response) == [
        f"Wir haben Ihnen eine E-Mail an {jonas.email} geschickt. Bitte bestätigen Sie dort, "
        "dass Sie Fachkräfte-Newsletter erhalten möchten.",
        "Ihre Auswahl der Newsletter ist gespeichert.",
    ]
    assert "wartet auf Ihre Bestätigung" in response.content.decode()


def test_deleting_asks_for_the_password_again_then_says_what_happens(client, jonas):
    client.force_login(jonas)
    url = reverse("accounts:delete")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))

    log_in_recently(client, jonas)
    html = client.get(url).content.decode()
    assert "Ihr Zugang (jonas.weber@moselblick.example) und Ihr Name werden gelöscht" in html
    assert "Was dem Unternehmen gehört, bleibt bei ihm" in html
    assert "Mein Konto jetzt löschen" in html

    response = client.post(url)

    assert response["Location"] == "/"
    assert message_texts(response) == ["Ihr Konto wurde gelöscht."]
    assert not User.objects.filter(pk=jonas.pk).exists()
    assert not ContactPerson.objects.filter(email=jonas.email).exists()
    assert SESSION_KEY not in client.session


def test_the_only_admin_is_told_to_hand_over_first(client):
    admin = CompanyAdminFactory(company=CompanyFactory(name="Saarburger Feinmechanik KG")).user
    log_in_recently(client, admin)
    url = reverse("accounts:delete")

    html = client.get(url).content.decode()
    assert "Ihr Konto kann noch nicht gelöscht werden." in html
    assert "Außer Ihnen hat niemand Zugang zu Saarburger Feinmechanik KG." in html
    assert "Mein Konto jetzt löschen" not in html

    client.post(url)
    assert User.objects.filter(pk=admin.pk).exists()


def test_sessions_are_listed_and_the_others_ended(jonas):
    phone, laptop = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari/605"), Client()
    for client in (phone, laptop):
        client.post(reverse("account_login"), {"login": jonas.email, "password": PASSWORD})
    assert UserSession.objects.filter(user=jonas).count() == 2

    html = laptop.get(ACCOUNT).content.decode()
    assert "Safari unter iPhone" in html
    assert "dieses Gerät" in html
    assert "Alle anderen Sitzungen abmelden" in html

    laptop.post(reverse("usersessions_list"))

    assert phone.get(ACCOUNT).status_code == 302
    assert laptop.get(ACCOUNT).status_code == 200


def test_the_sessions_page_is_the_portals(client, jonas):
    client.post(reverse("account_login"), {"login": jonas.email, "password": PASSWORD})
    html = client.get(reverse("usersessions_list")).content.decode()
    assert '<h1 class="h3 mb-3">Offene Sitzungen</h1>' in html
    assert "Zurück zu Mein Konto" in html


def passkey(user, name="Laptop Büro"):
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        # A passkey (a resident key, "rk") as the browser reports it; no real public key.
        data={"name": name, "credential": {"clientExtensionResults": {"credProps": {"rk": True}}}},
    )


def test_a_passkey_counts_as_the_second_factor_of_a_coordinator(client):
    coordinator = CoordinatorFactory(is_superuser=False)
    passkey(coordinator)
    client.force_login(coordinator)  # a session that has not passed it

    response = client.get("/admin/", follow=True)

    # Not sent to set up an authenticator app: asked to log in with the passkey instead.
    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert (
        "Bitte melden Sie sich erneut an, diesmal mit dem Code aus Ihrer Authenticator-App "
        "oder mit Ihrem Passkey." in message_texts(response)
    )


def test_switching_the_app_off_keeps_a_session_that_still_has_a_passkey(client):
    coordinator = CoordinatorFactory(is_superuser=False)
    login_with_second_factor(client, coordinator)
    passkey(coordinator)

    client.post(reverse("mfa_deactivate_totp"))

    assert not Authenticator.objects.filter(user=coordinator, type="totp").exists()
    assert client.get("/admin/").status_code == 200


def test_passkey_pages_are_german_and_load_their_scripts_from_our_origin(client, jonas):
    log_in_recently(client, jonas)
    html = client.get(reverse("mfa_add_webauthn")).content.decode()

    assert '<h1 class="h3 mb-3">Passkey hinzufügen</h1>' in html
    assert "Auch zur Anmeldung ohne Passwort verwenden" in html
    assert '<script src="/static/mfa/js/webauthn.js"></script>' in html
    # Only data blocks inline, which the Content-Security-Policy does not run.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all("application/json" in attributes for attributes in inline)

    login = client.get(reverse("account_login"))
    assert login.status_code == 302  # logged in; the login page itself:
    client.logout()
    html = client.get(reverse("account_login")).content.decode()
    assert 'id="passkey_login"' in html and "Passkey verwenden" in html
    assert reverse("mfa_login_webauthn") in html


def test_passkeys_are_listed_on_the_page(client, jonas):
    passkey(jonas, name="Telefon")
    client.force_login(jonas)
    html = client.get(ACCOUNT).content.decode()
    assert "Telefon" in html and "Passkeys verwalten" in html
    assert timezone.now().strftime("%d.%m.%Y") in html


# --- The page's cost does not grow with what the account holds ------------------------------


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ACCOUNT)
    assert response.status_code == 200
    return len(queries)


def test_the_page_runs_the_same_queries_whatever_the_account_holds(jonas):
    client = Client()
    client.post(reverse("account_login"), {"login": jonas.email, "password": PASSWORD})
    small = _queries(client)

    company = jonas.membership.company
    for n in range(5):
        Client().post(reverse("account_login"), {"login": jonas.email, "password": PASSWORD})
        passkey(jonas, name=f"Schlüssel {n}")
        EmailAddress.objects.create(user=jonas, email=f"weitere{n}@moselblick.example")
        ContactPersonFactory(company=company)
        SubscriptionFactory(
            subscriber=jonas.contact.newsletter_subscribers.get(),
            mailing_list=PublicListFactory(),
        )
        MemberListFactory()
    large = _queries(client)

    assert small == large == 10  # the session from the cache (cached_db)


def test_passkeys_are_renamed_and_removed_on_the_portals_pages(
    client, jonas, django_capture_on_commit_callbacks
):
    key = passkey(jonas, name="Telefon")
    log_in_recently(client, jonas)
    html = client.get(reverse("mfa_list_webauthn")).content.decode()
    assert "Telefon" in html and "auch zur Anmeldung ohne Passwort" in html

    client.post(reverse("mfa_edit_webauthn", args=[key.pk]), {"name": "Telefon privat"})
    key.refresh_from_db()
    assert key.wrap().name == "Telefon privat"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_remove_webauthn", args=[key.pk]), follow=True)

    assert "Der Passkey ist entfernt." in message_texts(response)
    assert not Authenticator.objects.filter(pk=key.pk).exists()
    assert mail.outbox[-1].subject.endswith("Passkey entfernt")


def test_an_entry_that_took_the_address_meanwhile_keeps_the_old_login_address(
    client, jonas, django_capture_on_commit_callbacks
):
    log_in_recently(client, jonas)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"email": NEW, "action_add": ""})
    link = re.search(r"https?://\S+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    client.post(link)
    # Meanwhile a company admin enters a colleague with that address.
    ContactPersonFactory(company=jonas.membership.company, email=NEW)

    response = client.post(
        reverse("account_email"), {"email": NEW, "action_primary": ""}, follow=True
    )

    assert any("hat bereits einen anderen Kontakteintrag" in m for m in message_texts(response))
    jonas.refresh_from_db()
    assert jonas.email == "jonas.weber@moselblick.example"
    assert EmailAddress.objects.get(user=jonas, primary=True).email == jonas.email
    assert ContactPerson.objects.get(user=jonas).email == jonas.email
