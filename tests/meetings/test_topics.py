"""Topic wishes: proposing, one vote per user, ranking, and who may take part."""

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, TopicProposal, TopicVote
from members.models import Company
from tests.factories import CompanyFactory, MembershipFactory
from tests.meetings.factories import MeetingFactory, TopicProposalFactory
from tests.mfa import login_with_second_factor

pytestmark = pytest.mark.django_db

TOPICS = reverse("meetings:topics")


def vote(client, proposal, choice="yes"):
    return client.post(reverse("meetings:topic_vote", args=[proposal.pk]), {"vote": choice})


def test_member_proposes_a_topic(client, company, company_user):
    client.force_login(company_user)
    response = client.post(
        TOPICS,
        {
            "title": "Sprachkurse für internationale Fachkräfte",
            "description": "Gemeinsam günstiger.",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Vielen Dank für Ihren Vorschlag." in html
    proposal = TopicProposal.objects.get()
    assert proposal.company == company and proposal.proposed_by == company_user
    assert list(proposal.votes.values_list("user", flat=True)) == [company_user.pk]
    assert "Sprachkurse für internationale Fachkräfte" in html
    assert "Vorgeschlagen von Moselblick Pflege GmbH" in html
    assert "1 Stimme" in html
    assert "Sie haben für dieses Thema gestimmt." in html


def test_proposal_needs_a_title(client, company_user):
    client.force_login(company_user)
    response = client.post(TOPICS, {"title": "", "description": "Ohne Titel"})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not TopicProposal.objects.exists()


def test_one_vote_per_user_and_unvote(client, company_user):
    proposal = TopicProposalFactory(title="Ausbildung im Verbund")
    client.force_login(company_user)

    response = vote(client, proposal)
    assert response.status_code == 302
    assert response["Location"] == f"{TOPICS}#topic-{proposal.pk}"
    vote(client, proposal)  # a second click changes nothing
    assert TopicVote.objects.filter(proposal=proposal, user=company_user).count() == 1
    html = client.get(TOPICS).content.decode()
    assert "1 Stimme" in html and "Stimme zurücknehmen" in html

    response = vote(client, proposal, "no")
    assert not TopicVote.objects.filter(proposal=proposal).exists()
    html = client.get(response["Location"]).content.decode()
    assert "Ihre Stimme wurde zurückgenommen." in html
    assert "0 Stimmen" in html and "Für dieses Thema stimmen" in html


def test_vote_needs_a_clear_choice(client, company_user):
    proposal = TopicProposalFactory()
    client.force_login(company_user)
    assert vote(client, proposal, "vielleicht").status_code == 400
    assert not TopicVote.objects.exists()


def test_proposals_are_ranked_by_votes_and_scheduled_ones_come_last(client, company_user):
    voters = [MembershipFactory().user for _ in range(3)]
    few = TopicProposalFactory(title="Thema mit einer Stimme")
    many = TopicProposalFactory(title="Thema mit drei Stimmen")
    none = TopicProposalFactory(title="Thema ohne Stimme")
    done = TopicProposalFactory(title="Thema schon eingeplant")
    meeting = MeetingFactory(title="Herbsttreffen bei der Moselblick Pflege")
    for user in voters:
        TopicVote.objects.create(proposal=many, user=user)
        TopicVote.objects.create(proposal=done, user=user)
    TopicVote.objects.create(proposal=few, user=voters[0])
    services.topic_schedule(proposal=done, meeting=meeting)

    client.force_login(company_user)
    html = client.get(TOPICS).content.decode()
    positions = [html.index(p.title) for p in (many, few, none, done)]
    assert positions == sorted(positions)
    assert "3 Stimmen" in html and "1 Stimme" in html and "0 Stimmen" in html
    assert f'href="{reverse("meetings:detail", args=[meeting.slug])}"' in html


def test_topic_scheduled_for_a_draft_meeting_does_not_reveal_it(client, company_user):
    meeting = MeetingFactory(title="Geheimer Entwurf", status=Meeting.Status.DRAFT)
    TopicProposalFactory(title="Fachkräfte aus Bilbao", scheduled_meeting=meeting)
    client.force_login(company_user)
    html = client.get(TOPICS).content.decode()
    assert "Fachkräfte aus Bilbao" in html
    assert "Auf der Tagesordnung eines kommenden Treffens" in html
    assert "Geheimer Entwurf" not in html


def test_empty_state(client, company_user):
    client.force_login(company_user)
    html = client.get(TOPICS).content.decode()
    assert "Bisher wurden noch keine Themen vorgeschlagen." in html


def test_coordinator_without_company_may_look_but_not_propose_or_vote(client, coordinator):
    proposal = TopicProposalFactory(title="Mitarbeiterbindung")
    login_with_second_factor(client, coordinator)
    html = client.get(TOPICS).content.decode()
    assert "Mitarbeiterbindung" in html
    assert "Nur Nutzerinnen und Nutzer aktiver Mitgliedsunternehmen" in html
    assert client.post(TOPICS, {"title": "Neues Thema"}).status_code == 403
    assert vote(client, proposal).status_code == 403
    assert TopicProposal.objects.count() == 1 and not TopicVote.objects.exists()


def test_user_of_a_paused_company_gets_403(client):
    proposal = TopicProposalFactory()
    user = MembershipFactory(company=CompanyFactory(status=Company.Status.PAUSED)).user
    client.force_login(user)
    assert client.get(TOPICS).status_code == 403
    assert client.post(TOPICS, {"title": "Neues Thema"}).status_code == 403
    assert vote(client, proposal).status_code == 403
    assert not TopicVote.objects.exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(TOPICS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_topic_list_paginates(client, company_user):
    for i in range(25):
        TopicProposalFactory(title=f"Thema Nummer {i:02d}")
    client.force_login(company_user)
    html = client.get(TOPICS).content.decode()
    assert "Seite 1 von 2" in html
    assert html.count('class="card mb-3"') == 20


@pytest.mark.parametrize("n", [1, 15])
def test_topic_list_query_count_is_constant(client, company_user, django_assert_num_queries, n):
    meeting = MeetingFactory()
    for i in range(n):
        proposal = TopicProposalFactory(scheduled_meeting=meeting if i % 2 else None)
        TopicVote.objects.create(proposal=proposal, user=company_user)
    client.force_login(company_user)
    # session, user with company account and company (permission), count, proposals with votes
    with django_assert_num_queries(4):
        response = client.get(TOPICS)
    assert response.context["proposals"][0].vote_count == 1


def test_voting_closes_once_a_topic_is_scheduled(client, company_user):
    proposal = TopicProposalFactory()
    services.topic_schedule(proposal=proposal, meeting=MeetingFactory())
    client.force_login(company_user)
    response = vote(client, proposal, "yes")
    assert response.status_code == 302
    assert not TopicVote.objects.filter(proposal=proposal).exists()
    page = client.get(TOPICS).content.decode()
    assert "Dieses Thema steht schon auf dem Programm; die Abstimmung ist beendet." in page


def test_tampered_vote_gets_a_german_error_page(client, company_user):
    proposal = TopicProposalFactory()
    client.force_login(company_user)
    response = vote(client, proposal, "vielleicht")
    assert response.status_code == 400
    assert "<h1>Ungültige Anfrage</h1>" in response.content.decode()
