"""Placed pupils stay as placed in the stay's form, placement lists go only to active member
companies, the log's label of a placement names no pupil, the consent names what the public
page shows, and removing a placement the company already received is confirmed first."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from internships import selectors, services
from internships.models import InternshipOffer, Placement, Pupil
from members.models import Company
from network_portal.activity import erase_personal_data
from network_portal.models import ActivityEntry, OutboxMail
from tests.factories import CompanyAdminFactory, CompanyFactory, CoordinatorFactory, UserFactory
from tests.internships.factories import (
    InternshipOfferFactory,
    PlacementFactory,
    PupilFactory,
    SchoolStayFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


# --- 1. The pupils in the stay's form ------------------------------------------------------


def stay_form(stay, pupils, **changes) -> dict:
    data = {
        "school": stay.school.pk,
        "starts_on": stay.starts_on.isoformat(),
        "ends_on": stay.ends_on.isoformat(),
        "notes": "",
        "pupils-TOTAL_FORMS": str(len(pupils)),
        "pupils-INITIAL_FORMS": str(len(pupils)),
        "pupils-MIN_NUM_FORMS": "0",
        "pupils-MAX_NUM_FORMS": "1000",
    }
    for i, pupil in enumerate(pupils):
        data.update(
            {
                f"pupils-{i}-id": pupil.pk,
                f"pupils-{i}-stay": stay.pk,
                f"pupils-{i}-first_name": pupil.first_name,
                f"pupils-{i}-last_name": pupil.last_name,
                f"pupils-{i}-starts_on": pupil.starts_on.isoformat(),
                f"pupils-{i}-ends_on": pupil.ends_on.isoformat(),
                f"pupils-{i}-wished_field": pupil.wished_field,
                f"pupils-{i}-interests": "",
            }
        )
    data.update(changes)
    return data


def test_a_placed_pupils_dates_are_fixed_and_it_cannot_be_deleted_in_the_form(
    coordinator_client,
):
    stay = SchoolStayFactory()
    placed = PlacementFactory(pupil=PupilFactory(stay=stay, first_name="Ane")).pupil
    free = PupilFactory(stay=stay, first_name="Jon")
    url = reverse("admin:internships_schoolstay_change", args=[stay.pk])

    page = coordinator_client.get(url).content.decode()
    assert "entfernen Sie zuerst die Zuteilung" in page

    coordinator_client.post(
        url,
        stay_form(
            stay,
            [placed, free],
            **{
                "pupils-0-starts_on": in_days(41).isoformat(),
                "pupils-0-DELETE": "on",
                "pupils-1-starts_on": in_days(42).isoformat(),
            },
        ),
    )

    placed.refresh_from_db()
    assert placed.starts_on == stay.starts_on
    assert Placement.objects.filter(pupil=placed).exists()
    free.refresh_from_db()
    assert free.starts_on == in_days(42)


def test_a_pupil_placed_while_the_form_was_open_keeps_its_dates(coordinator_client):
    stay = SchoolStayFactory()
    pupil = PupilFactory(stay=stay)
    url = reverse("admin:internships_schoolstay_change", args=[stay.pk])
    coordinator_client.get(url)  # the form is open while another coordinator places the pupil
    PlacementFactory(pupil=pupil)

    coordinator_client.post(
        url,
        stay_form(
            stay, [pupil], **{"pupils-0-ends_on": in_days(50).isoformat(), "pupils-0-DELETE": "on"}
        ),
    )

    pupil.refresh_from_db()
    assert pupil.ends_on == stay.ends_on
    assert Placement.objects.filter(pupil=pupil).exists()


# --- 2. Placement lists only to active member companies ------------------------------------


def test_companies_no_longer_members_get_no_list_and_the_confirmation_names_them(
    coordinator_client,
):
    stay = SchoolStayFactory()
    active = InternshipOfferFactory(company=CompanyFactory(name="Moselblick Pflege GmbH"))
    gone = InternshipOfferFactory(company=CompanyFactory(name="Alte Mühle KG"))
    PlacementFactory(pupil=PupilFactory(stay=stay), offer=active)
    PlacementFactory(pupil=PupilFactory(stay=stay, first_name="Miren"), offer=gone)
    Company.objects.filter(pk=gone.company.pk).update(status=Company.Status.LEFT)
    send = reverse("admin:internships_schoolstay_send", args=[stay.pk])

    page = coordinator_client.get(send).content.decode()
    assert "keine aktiven Mitglieder mehr sind: Alte Mühle KG" in page
    assert "1 Unternehmen erhält seine Zuteilungsliste" in page

    coordinator_client.post(send)
    mail = OutboxMail.objects.get()
    assert mail.to == active.contact.email
    assert not Placement.objects.filter(offer=gone, sent_at__isnull=False).exists()
    entry = ActivityEntry.objects.get(action="internships.stay.lists_sent")
    assert entry.details["left_out"] == "Alte Mühle KG"


def test_the_list_goes_to_an_active_company_admin_only():
    stay = SchoolStayFactory()
    offer = InternshipOfferFactory(contact=None)
    PlacementFactory(pupil=PupilFactory(stay=stay), offer=offer)
    CompanyAdminFactory(company=offer.company, user=UserFactory(email="aktiv@example.org"))
    CompanyAdminFactory(
        company=offer.company, user=UserFactory(email="weg@example.org", is_active=False)
    )

    [entry] = selectors.stay_placement_lists(stay)

    assert entry.recipient == "aktiv@example.org"


def test_without_an_active_recipient_nothing_is_sent():
    stay = SchoolStayFactory()
    offer = InternshipOfferFactory(contact=None, company=CompanyFactory(name="Saarblick AG"))
    PlacementFactory(pupil=PupilFactory(stay=stay), offer=offer)
    CompanyAdminFactory(company=offer.company, user=UserFactory(is_active=False))

    with pytest.raises(Exception, match="Saarblick AG"):
        services.placement_lists_send(stay=stay, by_user=CoordinatorFactory())
    assert not OutboxMail.objects.exists()


# --- 3. The log's label of a placement ------------------------------------------------------


def test_the_log_names_the_pupil_only_in_the_personal_details():
    stay = SchoolStayFactory()
    pupil = PupilFactory(stay=stay, first_name="Ane", last_name="Etxeberria")
    offer = InternshipOfferFactory(periods=[(30, 90)])
    coordinator = CoordinatorFactory()

    with translation.override("de"):
        placement = services.placement_create(pupil=pupil, offer=offer, by_user=coordinator)
        services.placement_remove(placement=placement, by_user=coordinator)

    entries = ActivityEntry.objects.filter(action__startswith="internships.placement.")
    assert entries.count() == 2
    for entry in entries:
        assert "Etxeberria" not in entry.object_label
        assert entry.object_label.startswith(f"Zuteilung #{placement.pk}: ")
        assert entry.details["pupil"] == "Ane Etxeberria"

    erase_personal_data(objects=[placement])
    for entry in entries.all():
        assert "pupil" not in entry.details


# --- 4. The consent names what the public page shows ---------------------------------------


def test_the_consent_names_everything_the_public_page_shows(client, company_user):
    client.force_login(company_user)
    page = client.get(reverse("internships:offer_create")).content.decode()
    assert "den Namen, den Ort und die Website des Unternehmens" in page
    assert "die Beschreibung" in page
    with translation.override("en"):
        help_text = str(InternshipOffer._meta.get_field("public_consent").help_text)
    for shown in ("website", "detail", "description", "city", "periods", "places"):
        assert shown in help_text


# --- 5. Removing a placement the company already received ----------------------------------


def test_removing_a_sent_placement_is_confirmed_and_leads_to_sending_again(coordinator_client):
    stay = SchoolStayFactory()
    offer = InternshipOfferFactory(company=CompanyFactory(name="Moselblick Pflege GmbH"))
    sent = timezone.now()
    ane = PlacementFactory(
        pupil=PupilFactory(stay=stay, first_name="Ane", last_name="Garay"),
        offer=offer,
        sent_at=sent,
    )
    PlacementFactory(pupil=PupilFactory(stay=stay), offer=offer, sent_at=sent)
    url = reverse("admin:internships_schoolstay_unplace", args=[stay.pk, ane.pk])

    page = coordinator_client.post(url).content.decode()
    assert "Moselblick Pflege GmbH hat die Zuteilungsliste mit Ane Garay bereits" in page
    assert "aktualisierte Liste" in page
    assert Placement.objects.filter(pk=ane.pk).exists()

    response = coordinator_client.post(url, {"confirmed": "yes"})
    assert not Placement.objects.filter(pk=ane.pk).exists()
    assert response["Location"] == reverse("admin:internships_schoolstay_send", args=[stay.pk])
    assert ActivityEntry.objects.filter(action="internships.placement.removed").count() == 1


def test_removing_the_companys_last_sent_pupil_says_to_tell_the_company(coordinator_client):
    stay = SchoolStayFactory()
    offer = InternshipOfferFactory(company=CompanyFactory(name="Moselblick Pflege GmbH"))
    placement = PlacementFactory(pupil=PupilFactory(stay=stay), offer=offer, sent_at=timezone.now())
    url = reverse("admin:internships_schoolstay_unplace", args=[stay.pk, placement.pk])

    page = coordinator_client.post(url).content.decode()
    assert "Bitte teilen Sie dem Unternehmen selbst mit" in page

    response = coordinator_client.post(url, {"confirmed": "yes"})
    assert not Placement.objects.exists()
    assert (
        response["Location"]
        == reverse("admin:internships_schoolstay_placements", args=[stay.pk])
        + f"#pupil-{placement.pupil.pk}"
    )


def test_an_unsent_placement_is_removed_in_one_step(coordinator_client):
    stay = SchoolStayFactory()
    placement = PlacementFactory(pupil=PupilFactory(stay=stay))
    coordinator_client.post(
        reverse("admin:internships_schoolstay_unplace", args=[stay.pk, placement.pk])
    )
    assert not Pupil.objects.filter(placement__isnull=False).exists()


# --- 6. German of the refusals ---------------------------------------------------------------


def test_a_change_that_would_drop_a_placed_pupil_points_to_the_coordination_office():
    offer = InternshipOfferFactory(periods=[(30, 90)], places=1)
    PlacementFactory(offer=offer)
    data = {"field": offer.field, "places": 1, "contact": offer.contact}

    with translation.override("de"), pytest.raises(Exception) as refused:
        services.offer_update(
            offer=offer, by_user=UserFactory(), data=data, periods=[(in_days(70), in_days(90))]
        )
    assert "Bitte wenden Sie sich zuerst an die Koordinierungsstelle" in str(refused.value)
