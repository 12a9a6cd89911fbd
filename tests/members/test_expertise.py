"""„Was wir teilen“: a company's users say what their company offers the network (a report from
practice on the coordinators' topics, its premises for a meeting); other companies' users never
see or touch them."""

import pytest
from django.urls import reverse

from members import services
from members.models import Company, ExpertiseOffer
from network_portal.models import ActivityEntry
from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    ContactPersonFactory,
    ExpertiseOfferFactory,
    ExpertiseTopicFactory,
    MembershipFactory,
)
from tests.utils import message_texts

pytestmark = pytest.mark.django_db

LIST = reverse("members:expertise")
ADD = reverse("members:expertise_add")


@pytest.fixture
def topics():
    return {
        "ausbildung": ExpertiseTopicFactory(name="Ausbildung in Teilzeit"),
        "ausland": ExpertiseTopicFactory(name="Fachkräfte aus dem Ausland"),
    }


@pytest.fixture
def contact(company, company_user):
    return ContactPersonFactory(
        company=company, first_name="Anna", last_name="Schmitt", email="anna@moselblick.example"
    )


def test_the_list_starts_empty_and_says_what_to_do(client, company_user):
    client.force_login(company_user)
    html = client.get(LIST).content.decode()
    assert '<h1 class="mb-1">Was wir teilen</h1>' in html
    assert "Ihr Unternehmen hat noch nichts angeboten." in html
    assert f'href="{ADD}"' in html


def test_the_company_page_leads_to_the_offers(client, company_user):
    client.force_login(company_user)
    html = client.get(reverse("members:company")).content.decode()
    assert "Unser Wissen teilen" in html
    assert html.count(f'href="{LIST}"') == 1  # under "Mein Unternehmen" in the navigation


def test_a_company_user_adds_a_report_offer_with_a_topic(client, company_user, contact, topics):
    client.force_login(company_user)
    form = client.get(ADD).content.decode()
    assert "Ausbildung in Teilzeit" in form and 'type="checkbox"' in form

    response = client.post(
        ADD,
        {
            "kind": "report",
            "topics": [topics["ausbildung"].pk],
            "description": "Zwei Azubis in Teilzeit seit 2023.",
            "contact": contact.pk,
        },
    )

    assert response.status_code == 302 and response["Location"] == LIST
    assert message_texts(response) == ["Ihr Angebot wurde gespeichert."]
    offer = ExpertiseOffer.objects.get()
    assert (offer.company, offer.kind, offer.contact, offer.created_by) == (
        contact.company,
        "report",
        contact,
        company_user,
    )
    assert list(offer.topics.all()) == [topics["ausbildung"]]
    html = client.get(LIST).content.decode()
    assert "Bericht aus der Praxis" in html or offer.get_kind_display() in html
    assert "Ausbildung in Teilzeit" in html
    assert "Zwei Azubis in Teilzeit seit 2023." in html
    assert "Anna Schmitt (anna@moselblick.example)" in html
    entry = ActivityEntry.objects.get(action="members.expertise_offer.added")
    assert entry.actor == company_user
    assert entry.details == {"kind": "report", "topics": ["Ausbildung in Teilzeit"]}


def test_hosting_needs_a_room_and_seats(client, company_user, contact):
    client.force_login(company_user)
    response = client.post(ADD, {"kind": "host", "contact": contact.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte nennen Sie den Raum für das Treffen." in html
    assert "Bitte geben Sie an, wie viele Gäste der Raum fasst." in html
    assert not ExpertiseOffer.objects.exists()

    client.post(
        ADD,
        {"kind": "host", "contact": contact.pk, "room": "Kantine, EG", "seats": "40"},
    )
    offer = ExpertiseOffer.objects.get()
    assert (offer.kind, offer.room, offer.seats) == ("host", "Kantine, EG", 40)


def test_a_report_needs_a_topic_or_a_description(client, company_user, contact):
    client.force_login(company_user)
    response = client.post(ADD, {"kind": "report", "contact": contact.pk})
    assert "Bitte wählen Sie mindestens ein Thema" in response.content.decode()
    assert not ExpertiseOffer.objects.exists()


def test_the_contact_must_be_one_of_the_own_company(client, company_user, topics):
    stranger = ContactPersonFactory(company=CompanyFactory())
    client.force_login(company_user)
    response = client.post(
        ADD, {"kind": "report", "topics": [topics["ausland"].pk], "contact": stranger.pk}
    )
    assert response.status_code == 200
    assert "gültige Auswahl" in response.content.decode()
    assert not ExpertiseOffer.objects.exists()


def test_editing_logs_the_changed_fields(client, company, company_user, contact, topics):
    offer = ExpertiseOfferFactory(company=company, contact=contact, topics=[topics["ausbildung"]])
    client.force_login(company_user)
    url = reverse("members:expertise_edit", args=[offer.pk])
    assert "Zwei" not in client.get(url).content.decode()

    client.post(
        url,
        {
            "kind": "report",
            "topics": [topics["ausbildung"].pk, topics["ausland"].pk],
            "description": offer.description,
            "contact": contact.pk,
        },
    )

    assert set(offer.topics.values_list("name", flat=True)) == {
        "Ausbildung in Teilzeit",
        "Fachkräfte aus dem Ausland",
    }
    entry = ActivityEntry.objects.get(action="members.expertise_offer.changed")
    assert entry.details["fields"] == ["topics"]
    # Saving again without a change writes nothing.
    client.post(
        url,
        {
            "kind": "report",
            "topics": [topics["ausbildung"].pk, topics["ausland"].pk],
            "description": offer.description,
            "contact": contact.pk,
        },
    )
    assert ActivityEntry.objects.filter(action="members.expertise_offer.changed").count() == 1


def test_removing_an_offer_is_confirmed_first(client, company, company_user, topics):
    offer = ExpertiseOfferFactory(company=company, topics=[topics["ausland"]])
    client.force_login(company_user)
    url = reverse("members:expertise_delete", args=[offer.pk])

    page = client.get(url).content.decode()
    assert "Angebot entfernen" in page
    assert "Fachkräfte aus dem Ausland" in page
    assert "das Koordinationsteam findet Ihr Unternehmen dafür nicht mehr" in page.replace(
        "Das Angebot wird entfernt: Das", "das"
    )
    assert ExpertiseOffer.objects.exists()  # the GET changed nothing

    response = client.post(url)
    assert response["Location"] == LIST
    assert message_texts(response) == ["Das Angebot wurde entfernt."]
    assert not ExpertiseOffer.objects.exists()
    assert ActivityEntry.objects.filter(action="members.expertise_offer.deleted").count() == 1


def test_another_companys_offer_does_not_exist_for_a_user(client, company, other_company_admin):
    offer = ExpertiseOfferFactory(company=company, description="Geheimes Angebot 4711")
    client.force_login(other_company_admin)
    assert "Geheimes Angebot 4711" not in client.get(LIST).content.decode()
    for name in ("members:expertise_edit", "members:expertise_delete"):
        url = reverse(name, args=[offer.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"kind": "report", "description": "x"}).status_code == 404
    assert ExpertiseOffer.objects.get().description == "Geheimes Angebot 4711"


def test_users_of_a_company_awaiting_approval_cannot_offer_yet(client):
    pending = CompanyFactory(status=Company.Status.PENDING)
    user = CompanyAdminFactory(company=pending).user
    client.force_login(user)
    assert client.get(LIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert "Unser Wissen teilen" not in client.get(reverse("members:company")).content.decode()


def test_the_service_refuses_an_inactive_company(company_user, company):
    company.status = Company.Status.PAUSED
    company.save()
    offer = ExpertiseOffer(company=company, kind="report", description="x")
    with pytest.raises(Exception, match="Nur aktive Mitgliedsunternehmen"):
        services.expertise_offer_save(offer=offer, topics=[], by_user=company_user)


def _offers(company, n):
    topics = [ExpertiseTopicFactory(name=f"Thema {i}") for i in range(3)]
    for i in range(n):
        ExpertiseOfferFactory(company=company, topics=topics[: 1 + i % 3])
    ExpertiseOfferFactory(company=company, kind="host", room="Aula", seats=30)


@pytest.mark.parametrize("n", [1, 12])
def test_the_list_runs_the_same_queries_with_one_offer_or_many(
    client, company, django_assert_num_queries, n
):
    user = MembershipFactory(company=company).user
    _offers(company, n)
    client.force_login(user)
    client.get(LIST)  # sessions and caches warmed
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert response.content.decode().count('class="card mb-3"') == n + 1
