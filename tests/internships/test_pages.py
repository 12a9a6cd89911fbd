"""The company's offers pages, the public page „Praktikumsplätze“ and the coordinators'
placement screen, as their users see them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from internships.models import InternshipOffer, Placement
from members.models import Company
from network_portal.models import ActivityEntry, OutboxMail
from tests.factories import CompanyFactory, ContactPersonFactory, MembershipFactory
from tests.internships.factories import (
    InternshipOfferFactory,
    PlacementFactory,
    PupilFactory,
    SchoolStayFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


def offer_form(contact, **changes) -> dict:
    data = {
        "field": "care",
        "field_detail": "Altenpflege",
        "places": "2",
        "description": "Mitarbeit in der Tagespflege.",
        "contact": str(contact.pk),
        "periods-TOTAL_FORMS": "3",
        "periods-INITIAL_FORMS": "0",
        "periods-MIN_NUM_FORMS": "0",
        "periods-MAX_NUM_FORMS": "6",
        "periods-0-starts_on": in_days(30).isoformat(),
        "periods-0-ends_on": in_days(60).isoformat(),
        "periods-1-starts_on": "",
        "periods-1-ends_on": "",
        "periods-2-starts_on": "",
        "periods-2-ends_on": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- The company side -----------------------------------------------------------------------


def test_a_company_user_offers_places_and_sees_them(client, company, company_user):
    contact = ContactPersonFactory(company=company, first_name="Petra", last_name="Thiel")
    client.force_login(company_user)

    response = client.post(
        reverse("internships:offer_create"), offer_form(contact, public_consent="on")
    )

    assert response.status_code == 302
    offer = InternshipOffer.objects.get()
    assert (offer.company, offer.places, offer.public_consent) == (company, 2, True)
    page = client.get(reverse("internships:offers")).content.decode()
    assert "Pflege und Betreuung (Altenpflege)" in page
    assert "Petra Thiel" in page
    assert "Vielen Dank: Ihre Praktikumsplätze sind angeboten." in page


def test_consent_is_off_unless_ticked(client, company, company_user):
    client.force_login(company_user)
    form = client.get(reverse("internships:offer_create")).content.decode()
    assert (
        'name="public_consent"' in form
        and "checked" not in form.split('name="public_consent"')[1][:80]
    )

    client.post(
        reverse("internships:offer_create"), offer_form(ContactPersonFactory(company=company))
    )

    assert InternshipOffer.objects.get().public_consent is False


def test_the_form_shows_what_is_wrong(client, company, company_user):
    client.force_login(company_user)
    response = client.post(
        reverse("internships:offer_create"),
        offer_form(
            ContactPersonFactory(company=company),
            **{
                "periods-0-starts_on": in_days(60).isoformat(),
                "periods-0-ends_on": in_days(30).isoformat(),
            },
        ),
    )
    assert response.status_code == 200
    assert "Der Zeitraum endet, bevor er beginnt." in response.content.decode()
    assert not InternshipOffer.objects.exists()


def test_editing_and_withdrawing_after_confirmation(client, company, company_user):
    offer = InternshipOfferFactory(company=company, places=2)
    client.force_login(company_user)

    client.post(
        reverse("internships:offer_edit", args=[offer.pk]),
        offer_form(offer.contact, places="4", **{"periods-INITIAL_FORMS": "1"}),
    )
    offer.refresh_from_db()
    assert offer.places == 4

    confirmation = client.get(reverse("internships:offer_withdraw", args=[offer.pk]))
    assert "Praktikumsangebot zurückziehen?" in confirmation.content.decode()
    offer.refresh_from_db()
    assert offer.is_open  # a GET changes nothing

    client.post(reverse("internships:offer_withdraw", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == InternshipOffer.Status.WITHDRAWN
    assert ActivityEntry.objects.filter(action="internships.offer.withdrawn").exists()


@pytest.mark.parametrize("name", ["offer_edit", "offer_withdraw"])
def test_another_companys_offer_does_not_exist(client, other_company_admin, name):
    offer = InternshipOfferFactory()
    client.force_login(other_company_admin)

    assert client.get(reverse(f"internships:{name}", args=[offer.pk])).status_code == 404
    assert client.post(reverse(f"internships:{name}", args=[offer.pk])).status_code == 404
    offer.refresh_from_db()
    assert offer.is_open


def test_the_company_sees_its_placements_once_sent(client, company, company_user):
    offer = InternshipOfferFactory(company=company)
    placement = PlacementFactory(offer=offer, pupil__first_name="Ane", pupil__last_name="Garay")
    client.force_login(company_user)

    assert "Ane Garay" not in client.get(reverse("internships:offers")).content.decode()
    Placement.objects.filter(pk=placement.pk).update(sent_at=placement.placed_at)
    page = client.get(reverse("internships:offers")).content.decode()
    assert "Ane Garay" in page and "Deutsche Schule Bilbao" in page


def test_a_company_awaiting_approval_cannot_offer(client):
    pending = MembershipFactory(company=CompanyFactory(status=Company.Status.PENDING)).user
    client.force_login(pending)
    assert client.get(reverse("internships:offers")).status_code == 403


@pytest.mark.parametrize("n", [1, 6])
def test_the_offer_list_takes_the_same_queries_for_few_and_many(
    client, company, company_user, django_assert_num_queries, n
):
    for _ in range(n):
        PlacementFactory(offer=InternshipOfferFactory(company=company), sent_at=timezone.now())
    client.force_login(company_user)
    client.get(reverse("internships:offers"))  # session and account read once

    with django_assert_num_queries(5):
        response = client.get(reverse("internships:offers"))
    assert response.content.decode().count('class="card mb-3"') == n


# --- The public page ------------------------------------------------------------------------


def test_the_public_page_shows_consented_offers_of_active_companies_only(client):
    shown = InternshipOfferFactory(
        company=CompanyFactory(name="Moselblick Pflege GmbH", city="Trier"), places=3
    )
    InternshipOfferFactory(company=CompanyFactory(name="Ohne Zustimmung KG"), public_consent=False)
    InternshipOfferFactory(
        company=CompanyFactory(name="Pausiert GmbH", status=Company.Status.PAUSED)
    )
    InternshipOfferFactory(
        company=CompanyFactory(name="Zurückgezogen AG"), status=InternshipOffer.Status.WITHDRAWN
    )
    InternshipOfferFactory(company=CompanyFactory(name="Vorbei UG"), periods=[(-60, -10)])
    placement = PlacementFactory(offer=shown, pupil__first_name="Ane", pupil__last_name="Garay")

    page = client.get(reverse("internships:public")).content.decode()

    assert "Praktikumsplätze" in page
    assert "Moselblick Pflege GmbH" in page and "Pflege und Betreuung" in page
    for hidden in ("Ohne Zustimmung", "Pausiert", "Zurückgezogen", "Vorbei"):
        assert hidden not in page
    # No personal data: neither the pupils nor the company's contact person.
    assert placement.pupil.last_name not in page
    assert shown.contact.last_name not in page and shown.contact.email not in page
    assert "netzwerk@" in page or "mailto:" in page  # the coordination office


def test_the_public_page_filters_by_field_with_a_stable_link(client):
    InternshipOfferFactory(company=CompanyFactory(name="Moselblick Pflege GmbH"), field="care")
    InternshipOfferFactory(company=CompanyFactory(name="Porta Digital UG"), field="it")

    page = client.get(reverse("internships:public"), {"field": "it"}).content.decode()
    assert "Porta Digital UG" in page and "Moselblick" not in page

    everything = client.get(reverse("internships:public")).content.decode()
    assert 'id="care"' in everything and 'href="#it"' in everything


def test_the_public_page_says_so_when_nothing_is_offered(client):
    page = client.get(reverse("internships:public")).content.decode()
    assert "Zurzeit sind keine Praktikumsplätze öffentlich angeboten." in page
    page = client.get(reverse("internships:public"), {"field": "crafts"}).content.decode()
    assert "im Berufsfeld „Handwerk“ keine Praktikumsplätze" in page


@pytest.mark.parametrize("n", [1, 8])
def test_the_public_page_takes_two_queries_for_few_and_many(client, django_assert_num_queries, n):
    for index in range(n):
        InternshipOfferFactory(
            field=["care", "it", "crafts"][index % 3], periods=[(10, 20), (30, 40)]
        )

    with django_assert_num_queries(2):
        response = client.get(reverse("internships:public"))
    assert response.content.decode().count("public-offer") == n


# --- The coordinators' placement screen -----------------------------------------------------


def test_the_coordinator_places_a_pupil_and_sends_the_lists(coordinator_client):
    offer = InternshipOfferFactory(company=CompanyFactory(name="Moselblick Pflege GmbH"), places=1)
    stay = SchoolStayFactory()
    ane = PupilFactory(stay=stay, first_name="Ane", last_name="Garay")
    jon = PupilFactory(stay=stay, first_name="Jon", last_name="Garay")
    screen = reverse("admin:internships_schoolstay_placements", args=[stay.pk])

    page = coordinator_client.get(screen).content.decode()
    assert "Moselblick Pflege GmbH: Pflege und Betreuung (1 Platz frei)" in page

    coordinator_client.post(
        reverse("admin:internships_schoolstay_place", args=[stay.pk]),
        {"pupil": ane.pk, "offer": offer.pk},
    )
    response = coordinator_client.post(
        reverse("admin:internships_schoolstay_place", args=[stay.pk]),
        {"pupil": jon.pk, "offer": offer.pk},
        follow=True,
    )
    assert "Alle 1 Plätze von Moselblick Pflege GmbH" in response.content.decode()
    assert Placement.objects.get().pupil == ane

    confirmation = coordinator_client.get(
        reverse("admin:internships_schoolstay_send", args=[stay.pk])
    ).content.decode()
    assert "1 Unternehmen erhält seine Zuteilungsliste: insgesamt 1 Schülerinnen" in confirmation
    assert not OutboxMail.objects.exists()

    coordinator_client.post(reverse("admin:internships_schoolstay_send", args=[stay.pk]))
    mail = OutboxMail.objects.get()
    assert mail.to == offer.contact.email
    assert mail.attachments[0]["mimetype"] == "application/pdf"

    pdf = coordinator_client.get(
        reverse("admin:internships_schoolstay_list_pdf", args=[stay.pk, offer.company.pk])
    )
    assert pdf["Content-Type"] == "application/pdf"

    coordinator_client.post(
        reverse(
            "admin:internships_schoolstay_unplace",
            args=[stay.pk, Placement.objects.get().pk],
        ),
        {"confirmed": "yes"},  # already sent: confirmed on its own page first
    )
    assert not Placement.objects.exists()


def test_a_period_needs_both_days_and_empty_rows_are_no_period(client, company, company_user):
    client.force_login(company_user)
    contact = ContactPersonFactory(company=company)

    response = client.post(
        reverse("internships:offer_create"),
        offer_form(contact, **{"periods-0-ends_on": ""}),
    )
    assert "Bitte geben Sie den ersten und den letzten Tag an." in response.content.decode()

    response = client.post(
        reverse("internships:offer_create"),
        offer_form(contact, **{"periods-0-starts_on": "", "periods-0-ends_on": ""}),
    )
    assert "mindestens einen Zeitraum" in response.content.decode()
    assert not InternshipOffer.objects.exists()
