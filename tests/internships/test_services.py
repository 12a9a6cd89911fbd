"""The rules of offers and placements: capacity over overlapping dates, offered periods,
withdrawal, and the placement lists in the outbox with their PDF."""

import base64
import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from internships import services
from internships.models import InternshipOffer, Placement
from members.models import Company
from network_portal.models import OutboxMail
from tests.factories import CompanyFactory, ContactPersonFactory, CoordinatorFactory, UserFactory
from tests.internships.factories import (
    InternshipOfferFactory,
    PartnerSchoolFactory,
    PlacementFactory,
    PupilFactory,
    SchoolStayFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


def test_a_company_offers_places_with_periods_and_a_contact():
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    contact = ContactPersonFactory(company=company)
    user = UserFactory()

    offer = services.offer_create(
        company=company,
        by_user=user,
        data={
            "field": "care",
            "field_detail": "Altenpflege",
            "places": 2,
            "description": "",
            "contact": contact,
            "public_consent": True,
        },
        periods=[(in_days(60), in_days(80)), (in_days(10), in_days(30))],
    )

    assert offer.field_label == "Pflege und Betreuung (Altenpflege)"
    assert [(p.starts_on, p.ends_on) for p in offer.periods.all()] == [
        (in_days(10), in_days(30)),
        (in_days(60), in_days(80)),
    ]
    assert offer.created_by == user


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"places": 0}, "mindestens einen Platz"),
        ({"contact": "other"}, "Ansprechperson Ihres Unternehmens"),
        ({"periods": []}, "mindestens einen Zeitraum"),
        ({"periods": [(in_days(30), in_days(10))]}, "endet, bevor er beginnt"),
        ({"status": Company.Status.PAUSED}, "aktive Mitgliedsunternehmen"),
    ],
)
def test_an_offer_is_refused_with_a_reason(change, message):
    company = CompanyFactory(status=change.get("status", Company.Status.ACTIVE))
    contact = ContactPersonFactory(company=CompanyFactory() if "contact" in change else company)
    data = {"field": "it", "places": change.get("places", 1), "contact": contact}

    with pytest.raises(ValidationError) as error:
        services.offer_create(
            company=company,
            by_user=UserFactory(),
            data=data,
            periods=change.get("periods", [(in_days(1), in_days(20))]),
        )
    assert message in " ".join(error.value.messages)


def test_placements_fill_an_offer_and_then_it_is_full(coordinator):
    offer = InternshipOfferFactory(places=2, periods=[(30, 90)])
    stay = SchoolStayFactory()
    first, second, third = PupilFactory.create_batch(3, stay=stay)

    services.placement_create(pupil=first, offer=offer, by_user=coordinator)
    services.placement_create(pupil=second, offer=offer, by_user=coordinator)
    with pytest.raises(ValidationError) as error:
        services.placement_create(pupil=third, offer=offer, by_user=coordinator)

    assert "Alle 2 Plätze" in error.value.messages[0]
    assert "sind vom" in error.value.messages[0]
    assert not Placement.objects.filter(pupil=third).exists()


def test_pupils_at_different_times_share_a_place(coordinator):
    """Capacity counts pupils on the same days: one place holds a pupil in June and one in
    July, but not a third whose weeks overlap both."""
    offer = InternshipOfferFactory(places=1, periods=[(1, 100)])
    early = PupilFactory(starts_on=in_days(10), ends_on=in_days(30))
    late = PupilFactory(starts_on=in_days(40), ends_on=in_days(60))
    across = PupilFactory(starts_on=in_days(25), ends_on=in_days(45))

    services.placement_create(pupil=early, offer=offer, by_user=coordinator)
    services.placement_create(pupil=late, offer=offer, by_user=coordinator)
    with pytest.raises(ValidationError, match="Alle 1 Plätze"):
        services.placement_create(pupil=across, offer=offer, by_user=coordinator)


def test_two_places_hold_a_pupil_across_two_others_who_do_not_meet(coordinator):
    offer = InternshipOfferFactory(places=2, periods=[(1, 100)])
    for start, end in [(10, 30), (40, 60), (25, 45)]:
        services.placement_create(
            pupil=PupilFactory(starts_on=in_days(start), ends_on=in_days(end)),
            offer=offer,
            by_user=coordinator,
        )
    assert offer.placements.count() == 3


def test_a_pupil_outside_the_offered_periods_is_refused(coordinator):
    offer = InternshipOfferFactory(periods=[(30, 50)])
    pupil = PupilFactory(starts_on=in_days(45), ends_on=in_days(65))

    with pytest.raises(ValidationError) as error:
        services.placement_create(pupil=pupil, offer=offer, by_user=coordinator)

    assert "außerhalb der angebotenen Zeiträume" in error.value.messages[0]


def test_a_pupil_is_placed_once_and_a_withdrawn_offer_takes_nobody(coordinator):
    placement = PlacementFactory()
    other_offer = InternshipOfferFactory()
    with pytest.raises(ValidationError, match="bereits zugeteilt"):
        services.placement_create(pupil=placement.pupil, offer=other_offer, by_user=coordinator)

    withdrawn = InternshipOfferFactory(status=InternshipOffer.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="nicht mehr offen"):
        services.placement_create(pupil=PupilFactory(), offer=withdrawn, by_user=coordinator)


def test_removing_a_placement_frees_the_place(coordinator):
    offer = InternshipOfferFactory(places=1)
    placement = PlacementFactory(offer=offer)

    services.placement_remove(placement=placement, by_user=coordinator)
    services.placement_create(pupil=PupilFactory(), offer=offer, by_user=coordinator)

    assert offer.placements.count() == 1


def test_an_offer_with_placed_pupils_is_not_withdrawn_nor_shrunk_below_them(coordinator):
    offer = InternshipOfferFactory(places=2)
    PlacementFactory(offer=offer)
    PlacementFactory(offer=offer)
    user = UserFactory()

    with pytest.raises(ValidationError, match="Koordinierungsstelle"):
        services.offer_withdraw(offer=offer, by_user=user)
    with pytest.raises(ValidationError, match="gleichzeitig"):
        services.offer_update(
            offer=offer,
            by_user=user,
            data={"field": "care", "places": 1, "contact": offer.contact},
            periods=[(in_days(30), in_days(90))],
        )
    with pytest.raises(ValidationError, match="abdecken"):
        services.offer_update(
            offer=offer,
            by_user=user,
            data={"field": "care", "places": 2, "contact": offer.contact},
            periods=[(in_days(50), in_days(90))],
        )


def test_the_placement_lists_go_to_each_company_once_with_the_pdf(coordinator):
    school = PartnerSchoolFactory(name="Deutsche Schule Bilbao", city="Bilbao", country="Spanien")
    stay = SchoolStayFactory(school=school)
    care = InternshipOfferFactory(
        company=CompanyFactory(name="Moselblick Pflege GmbH"),
        contact=None,
        field="care",
    )
    care.contact = ContactPersonFactory(
        company=care.company,
        first_name="Petra",
        last_name="Thiel",
        email="petra@moselblick.example",
    )
    care.save()
    it = InternshipOfferFactory(company=CompanyFactory(name="Porta Digital UG"), field="it")
    for name, offer in [("Ane", care), ("Jon", care), ("Irati", it)]:
        services.placement_create(
            pupil=PupilFactory(stay=stay, first_name=name, last_name="Garay"),
            offer=offer,
            by_user=coordinator,
        )

    sent = services.placement_lists_send(stay=stay, by_user=coordinator)

    assert sent == 2
    mails = {mail.to: mail for mail in OutboxMail.objects.all()}
    assert set(mails) == {"petra@moselblick.example", it.contact.email}
    mail = mails["petra@moselblick.example"]
    assert mail.subject.endswith(
        "Praktikumszuteilung: Schülerinnen und Schüler der Schule „Deutsche Schule Bilbao“"
    )
    assert mail.body_text.startswith("Guten Tag Petra Thiel,\n\nvielen Dank, dass Sie")
    assert "Ane Garay" in mail.body_text and "Irati" not in mail.body_text
    (attachment,) = mail.attachments
    assert attachment["mimetype"] == "application/pdf"
    assert attachment["filename"] == f"praktika-{stay.starts_on:%Y-%m-%d}-{care.company.slug}.pdf"
    text = pdf_text(base64.b64decode(attachment["content"]))
    assert "Deutsche Schule Bilbao" in text
    assert "Ane Garay" in text and "Jon Garay" in text and "Irati" not in text
    assert "Pflege und Betreuung" in text
    assert "Wirtschaftsförderung" in text
    assert Placement.objects.filter(sent_at__isnull=False).count() == 3

    # Sent again after a change: new mails, the old ones stay.
    services.placement_lists_send(stay=stay, by_user=coordinator)
    assert OutboxMail.objects.count() == 4


def test_nothing_placed_nothing_sent(coordinator):
    stay = SchoolStayFactory()
    PupilFactory(stay=stay)
    with pytest.raises(ValidationError, match="noch keine"):
        services.placement_lists_send(stay=stay, by_user=coordinator)
    assert not OutboxMail.objects.exists()
