"""Questions to the experts: members submit them before the meeting (to one expert or to all,
with or without their company's name), change or withdraw their company's own until they are
sent; coordinators see them grouped, send them to each expert as one mail with a PDF, and
record the answers."""

import base64
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings import services
from meetings.models import ExpertQuestion, Meeting
from network_portal.models import ActivityEntry, OutboxMail
from tests.factories import CompanyFactory, MembershipFactory
from tests.meetings.factories import ExpertGuestFactory, ExpertQuestionFactory, MeetingFactory

pytestmark = pytest.mark.django_db

HIDDEN = "Verschwiegen Logistik GmbH"
SHOWN = "Offene Bäckerei Ruwer"


def pdf_text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def attachment_pdf(mail: OutboxMail) -> bytes:
    (attachment,) = mail.attachments
    assert attachment["mimetype"] == "application/pdf"
    assert attachment["filename"].endswith(".pdf")
    return base64.b64decode(attachment["content"])


@pytest.fixture
def expert():
    meeting = MeetingFactory(collects_questions=True, title="Fachkräfte aus dem Ausland")
    return ExpertGuestFactory(
        meeting=meeting,
        name="Petra Amtmann",
        organisation="Ausländerbehörde Trier",
        email="amtmann@trier.example",
    )


@pytest.fixture
def meeting(expert):
    return expert.meeting


def questions_url(meeting):
    return reverse("meetings:questions", args=[meeting.slug])


def member_of(name):
    return MembershipFactory(company=CompanyFactory(name=name)).user


# --- Services ------------------------------------------------------------------------------


def test_a_member_submits_questions_to_one_expert_and_to_all(
    meeting, expert, company, company_user
):
    to_expert = services.question_submit(
        meeting=meeting,
        company=company,
        user=company_user,
        text=" Wie lange dauert es? ",
        expert=expert,
        show_company=False,
    )
    to_all = services.question_submit(
        meeting=meeting, company=company, user=company_user, text="Gibt es Förderung?"
    )
    assert (to_expert.expert, to_expert.text, to_expert.show_company) == (
        expert,
        "Wie lange dauert es?",
        False,
    )
    assert to_all.expert is None and to_all.show_company
    assert list(
        ActivityEntry.objects.filter(action="meetings.question.submitted").values_list(
            "actor", flat=True
        )
    ) == [company_user.pk, company_user.pk]


@pytest.mark.parametrize(
    "change",
    [
        {"collects_questions": False},
        {"status": Meeting.Status.DRAFT},
        {"status": Meeting.Status.CANCELLED},
        {"starts_at": timezone.now() - timedelta(minutes=5)},
    ],
)
def test_questions_are_taken_only_while_the_published_meeting_collects_and_has_not_begun(
    meeting, company, company_user, change
):
    for name, value in change.items():
        setattr(meeting, name, value)
    if "starts_at" in change:
        meeting.ends_at = meeting.starts_at + timedelta(hours=2)
        meeting.rsvp_deadline = meeting.starts_at - timedelta(days=1)
    meeting.save()
    expected = "weitergegeben" if "starts_at" in change else "nimmt keine Fragen"
    with pytest.raises(ValidationError, match=expected):
        services.question_submit(meeting=meeting, company=company, user=company_user, text="?")
    assert not ExpertQuestion.objects.exists()


def test_a_question_to_an_expert_of_another_meeting_is_refused(meeting, company, company_user):
    stranger = ExpertGuestFactory()
    with pytest.raises(ValidationError, match="Fachleute dieses Treffens"):
        services.question_submit(
            meeting=meeting, company=company, user=company_user, text="?", expert=stranger
        )


def test_only_the_asking_company_changes_or_withdraws_and_only_before_sending(
    meeting, expert, company, company_user
):
    question = ExpertQuestionFactory(meeting=meeting, company=company, asked_by=company_user)
    colleague = MembershipFactory(company=company).user
    services.question_update(
        question=question,
        by_user=colleague,
        text="Neu formuliert",
        expert=expert,
        show_company=False,
    )
    question.refresh_from_db()
    assert (question.text, question.expert, question.show_company) == (
        "Neu formuliert",
        expert,
        False,
    )
    entry = ActivityEntry.objects.get(action="meetings.question.changed")
    assert sorted(entry.details["changed"]) == ["expert", "show_company", "text"]

    with pytest.raises(ValidationError, match="Nur Personen des fragenden Unternehmens"):
        services.question_withdraw(question=question, by_user=member_of(SHOWN))

    ExpertQuestion.objects.filter(pk=question.pk).update(sent_at=timezone.now())
    with pytest.raises(ValidationError, match="bereits an die Fachperson gesendet"):
        services.question_withdraw(question=question, by_user=company_user)
    assert ExpertQuestion.objects.filter(pk=question.pk).exists()


def test_withdrawing_deletes_the_question_and_logs_it(meeting, company, company_user):
    question = ExpertQuestionFactory(meeting=meeting, company=company)
    services.question_withdraw(question=question, by_user=company_user)
    assert not ExpertQuestion.objects.exists()
    entry = ActivityEntry.objects.get(action="meetings.question.withdrawn")
    assert entry.actor == company_user and entry.object_id == str(question.pk)


def test_sending_writes_one_mail_with_the_pdf_and_names_companies_only_where_allowed(
    meeting, expert, coordinator
):
    other_expert = ExpertGuestFactory(meeting=meeting, name="Jan Agentur")
    ExpertQuestionFactory(
        meeting=meeting,
        expert=expert,
        company=CompanyFactory(name=HIDDEN),
        show_company=False,
        text="Wie lange dauert die Vorabzustimmung?",
    )
    ExpertQuestionFactory(
        meeting=meeting,
        expert=None,
        company=CompanyFactory(name=SHOWN),
        text="Welche Förderprogramme gibt es?",
    )
    ExpertQuestionFactory(meeting=meeting, expert=other_expert, text="Frage an Jan allein")

    sent = services.questions_send(meeting=meeting, expert=expert, by_user=coordinator)

    assert len(sent) == 2
    mail = OutboxMail.objects.get()
    assert mail.to == "amtmann@trier.example"
    assert mail.subject.endswith("Fragen zum Netzwerktreffen „Fachkräfte aus dem Ausland“")
    assert mail.body_text.startswith("Guten Tag Petra Amtmann,\n\nvielen Dank")
    assert "2 Fragen" in mail.body_text
    text = pdf_text(attachment_pdf(mail))
    assert "Wie lange dauert die Vorabzustimmung?" in text
    assert "Welche Förderprogramme gibt es?" in text
    assert f"Gefragt von {SHOWN}" in text
    assert HIDDEN not in text
    assert "ohne Namen" in text
    assert "Frage an Jan allein" not in text
    expert.refresh_from_db()
    assert expert.questions_sent_at is not None
    assert ExpertQuestion.objects.filter(sent_at__isnull=True).count() == 1  # Jan's own
    entry = ActivityEntry.objects.get(action="meetings.question.sent")
    assert entry.actor == coordinator and entry.details["questions"] == 2


def test_a_second_send_carries_only_the_new_questions_and_all_reach_each_expert(
    meeting, expert, coordinator
):
    other_expert = ExpertGuestFactory(meeting=meeting, name="Jan Agentur")
    ExpertQuestionFactory(meeting=meeting, expert=None, text="Erste an alle")
    services.questions_send(meeting=meeting, expert=expert, by_user=coordinator)
    with pytest.raises(ValidationError, match="hat alle Fragen schon erhalten"):
        services.questions_send(meeting=meeting, expert=expert, by_user=coordinator)

    ExpertQuestionFactory(meeting=meeting, expert=expert, text="Später an Petra")
    second = services.questions_send(meeting=meeting, expert=expert, by_user=coordinator)
    assert [q.text for q in second] == ["Später an Petra"]

    # The question to all went out already, to Petra: Jan still gets it.
    to_jan = services.questions_send(meeting=meeting, expert=other_expert, by_user=coordinator)
    assert [q.text for q in to_jan] == ["Erste an alle"]
    assert OutboxMail.objects.count() == 3


def test_a_coordinator_records_an_answer(meeting, coordinator):
    question = ExpertQuestionFactory(meeting=meeting)
    with pytest.raises(ValidationError, match="Bitte geben Sie die Antwort ein"):
        services.question_answer(question=question, answer="  ", by_user=coordinator)
    services.question_answer(question=question, answer="Etwa sechs Wochen.", by_user=coordinator)
    question.refresh_from_db()
    assert question.answer == "Etwa sechs Wochen." and question.answered_at is not None
    assert ActivityEntry.objects.filter(action="meetings.question.answered").count() == 1


# --- The members' page ------------------------------------------------------------------


def test_the_page_hides_the_company_of_an_anonymous_question_from_other_members(
    client, meeting, expert
):
    hidden_user = member_of(HIDDEN)
    ExpertQuestionFactory(
        meeting=meeting,
        expert=expert,
        company=hidden_user.membership.company
        if hasattr(hidden_user, "membership")
        else CompanyFactory(name=HIDDEN),
        show_company=False,
        text="Anonyme Frage zur Blauen Karte",
    )
    ExpertQuestionFactory(
        meeting=meeting, company=CompanyFactory(name=SHOWN), text="Offene Frage an alle"
    )
    client.force_login(member_of("Dritte Firma Konz"))

    html = client.get(questions_url(meeting)).content.decode()

    assert "Anonyme Frage zur Blauen Karte" in html
    assert HIDDEN not in html
    assert "von einem Mitgliedsunternehmen (Name nicht angezeigt)" in html
    assert f"von {SHOWN}" in html
    assert "An alle Fachleute" in html
    assert "Petra Amtmann (Ausländerbehörde Trier)" in html
    assert "Ändern" not in html and "Zurückziehen" not in html


def test_the_asking_company_sees_its_own_name_and_may_change_its_question(
    client, meeting, company, company_user
):
    question = ExpertQuestionFactory(meeting=meeting, company=company, show_company=False)
    client.force_login(company_user)
    html = client.get(questions_url(meeting)).content.decode()
    assert "Frage Ihres Unternehmens" in html
    assert "Andere Mitglieder sehen den Namen Ihres Unternehmens nicht" in html
    assert reverse("meetings:question_edit", args=[meeting.slug, question.pk]) in html
    assert reverse("meetings:question_withdraw", args=[meeting.slug, question.pk]) in html


def test_a_member_submits_a_question_through_the_form(client, meeting, expert, company_user):
    client.force_login(company_user)
    response = client.post(
        questions_url(meeting),
        {"expert": expert.pk, "text": "Wie lange gilt die Zustimmung?"},
        follow=True,
    )
    html = response.content.decode()
    assert "Vielen Dank für Ihre Frage." in html
    question = ExpertQuestion.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"#question-{question.pk}")
    assert (question.expert, question.show_company) == (expert, False)  # box not ticked
    assert "Wie lange gilt die Zustimmung?" in html


def test_an_empty_question_is_refused_with_the_form_again(client, meeting, company_user):
    client.force_login(company_user)
    response = client.post(questions_url(meeting), {"text": "  ", "show_company": "on"})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not ExpertQuestion.objects.exists()


def test_the_empty_page_invites_the_first_question(client, meeting, company_user):
    client.force_login(company_user)
    html = client.get(questions_url(meeting)).content.decode()
    assert "Noch keine Fragen eingereicht. Stellen Sie die erste!" in html
    assert 'id="question-form"' in html


def test_after_the_start_the_page_is_closed(client, company_user):
    meeting = MeetingFactory(today=True, collects_questions=True)
    ExpertQuestionFactory(meeting=meeting, text="Vorher gestellt")
    client.force_login(company_user)
    html = client.get(questions_url(meeting)).content.decode()
    assert "Die Fragen wurden an die Fachleute weitergegeben." in html
    assert "Vorher gestellt" in html
    assert 'id="question-form"' not in html
    response = client.post(questions_url(meeting), {"text": "Zu spät"}, follow=True)
    assert "Die Fragen wurden an die Fachleute weitergegeben." in response.content.decode()
    assert not ExpertQuestion.objects.filter(text="Zu spät").exists()


def test_a_meeting_without_questions_has_no_page(client, company_user):
    client.force_login(company_user)
    assert client.get(questions_url(MeetingFactory())).status_code == 404
    draft = MeetingFactory(status=Meeting.Status.DRAFT, collects_questions=True)
    assert client.get(questions_url(draft)).status_code == 404


def test_the_meeting_page_leads_to_the_questions(client, meeting, company_user):
    client.force_login(company_user)
    html = client.get(reverse("meetings:detail", args=[meeting.slug])).content.decode()
    assert "Fragen an die Fachleute" in html
    assert questions_url(meeting) in html


def test_another_companys_user_cannot_change_or_withdraw_a_question(client, meeting, company):
    question = ExpertQuestionFactory(meeting=meeting, company=company, text="Meine Frage")
    client.force_login(member_of(SHOWN))
    edit = reverse("meetings:question_edit", args=[meeting.slug, question.pk])
    withdraw = reverse("meetings:question_withdraw", args=[meeting.slug, question.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"text": "Übernommen"}).status_code == 404
    assert client.get(withdraw).status_code == 404
    assert client.post(withdraw).status_code == 404
    question.refresh_from_db()
    assert question.text == "Meine Frage"


def test_the_asking_company_changes_and_withdraws_its_question(
    client, meeting, expert, company, company_user
):
    question = ExpertQuestionFactory(meeting=meeting, company=company, text="Erste Fassung")
    client.force_login(company_user)
    edit = reverse("meetings:question_edit", args=[meeting.slug, question.pk])
    assert "Erste Fassung" in client.get(edit).content.decode()
    response = client.post(
        edit, {"expert": expert.pk, "text": "Zweite Fassung", "show_company": "on"}, follow=True
    )
    assert "Ihre Frage wurde geändert." in response.content.decode()
    question.refresh_from_db()
    assert (question.text, question.expert) == ("Zweite Fassung", expert)

    withdraw = reverse("meetings:question_withdraw", args=[meeting.slug, question.pk])
    page = client.get(withdraw).content.decode()
    assert "Frage zurückziehen?" in page and "Zweite Fassung" in page
    assert ExpertQuestion.objects.filter(pk=question.pk).exists()  # a GET changes nothing
    response = client.post(withdraw, follow=True)
    assert "Ihre Frage wurde zurückgezogen." in response.content.decode()
    assert not ExpertQuestion.objects.exists()


def test_a_sent_question_can_no_longer_be_changed(client, meeting, company, company_user):
    question = ExpertQuestionFactory(meeting=meeting, company=company, sent_at=timezone.now())
    client.force_login(company_user)
    html = client.get(questions_url(meeting)).content.decode()
    assert "an die Fachperson gesendet" in html
    assert reverse("meetings:question_edit", args=[meeting.slug, question.pk]) not in html
    edit = reverse("meetings:question_edit", args=[meeting.slug, question.pk])
    response = client.get(edit, follow=True)
    assert "kann nicht mehr geändert werden" in response.content.decode()


@pytest.mark.parametrize("n", [1, 12])
def test_the_questions_page_reads_a_fixed_number_of_queries(
    client, meeting, company_user, django_assert_num_queries, n
):
    for i in range(n):
        ExpertGuestFactory(meeting=meeting)
        ExpertQuestionFactory(meeting=meeting, company=CompanyFactory(), show_company=i % 2 == 0)
    client.force_login(company_user)
    client.get(questions_url(meeting))  # the session is warm
    with django_assert_num_queries(6):
        response = client.get(questions_url(meeting))
    assert response.content.decode().count('class="card mb-3') == n


# --- The coordinators' screens -----------------------------------------------------------


def admin_questions_url(meeting):
    return reverse("admin:meetings_meeting_questions", args=[meeting.pk])


def send_url(meeting, expert):
    return reverse("admin:meetings_meeting_questions_send", args=[meeting.pk, expert.pk])


def test_coordinators_see_the_questions_grouped_by_expert_with_every_company(
    coordinator_client, meeting, expert
):
    ExpertGuestFactory(meeting=meeting, name="Jan Agentur", organisation="Agentur für Arbeit")
    ExpertQuestionFactory(
        meeting=meeting,
        expert=expert,
        company=CompanyFactory(name=HIDDEN),
        show_company=False,
        text="Anonyme Frage",
    )
    ExpertQuestionFactory(meeting=meeting, company=CompanyFactory(name=SHOWN), text="An alle")

    html = coordinator_client.get(admin_questions_url(meeting)).content.decode()

    assert "2 Fragen insgesamt." in html
    assert "Petra Amtmann (Ausländerbehörde Trier) · 1 Frage" in html
    assert "Jan Agentur (Agentur für Arbeit) · 0 Fragen" in html
    assert "An alle Fachleute · 1 Frage" in html
    assert HIDDEN in html and "für andere ohne Namen" in html
    assert SHOWN in html
    assert "2 Fragen noch nicht erhalten" in html  # Petra: her own and the one to all
    assert send_url(meeting, expert) in html
    change = coordinator_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert admin_questions_url(meeting) in change.content.decode()


def test_the_screen_without_experts_or_questions_says_so(coordinator_client):
    meeting = MeetingFactory(collects_questions=True)
    html = coordinator_client.get(admin_questions_url(meeting)).content.decode()
    assert "Noch keine Fachleute" in html
    assert "0 Fragen insgesamt." in html


def test_sending_is_confirmed_first_then_one_mail_with_the_pdf_goes_out(
    coordinator_client, meeting, expert, coordinator, django_capture_on_commit_callbacks
):
    ExpertQuestionFactory(meeting=meeting, expert=expert, text="Eigene Frage")
    ExpertQuestionFactory(meeting=meeting, expert=None, text="Frage an alle")

    page = coordinator_client.get(send_url(meeting, expert)).content.decode()
    assert "Fragen an Petra Amtmann senden?" in page
    assert "Petra Amtmann erhält 2 Fragen per E-Mail als PDF (davon 1 an alle Fachleute)." in page
    assert "Es gehen nur die Fragen hinaus, die Petra Amtmann noch nicht erhalten hat." in page
    assert "amtmann@trier.example" in page
    assert "2 Fragen senden" in page
    assert not OutboxMail.objects.exists()  # a GET sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(send_url(meeting, expert), follow=True)
    assert "2 Fragen werden an Petra Amtmann gesendet." in response.content.decode()
    mail = OutboxMail.objects.get()
    assert mail.to == "amtmann@trier.example"
    text = pdf_text(attachment_pdf(mail))
    assert "Eigene Frage" in text and "Frage an alle" in text
    assert not ExpertQuestion.objects.filter(sent_at__isnull=True).exists()

    again = coordinator_client.get(send_url(meeting, expert)).content.decode()
    assert "Petra Amtmann hat alle Fragen schon erhalten." in again


def test_an_expert_of_another_meeting_is_not_found(coordinator_client, meeting):
    stranger = ExpertGuestFactory()
    assert coordinator_client.get(send_url(meeting, stranger)).status_code == 404


def test_coordinators_record_an_answer_and_filter_the_list(
    coordinator_client, meeting, coordinator
):
    question = ExpertQuestionFactory(meeting=meeting, text="Wie lange dauert es?")
    ExpertQuestionFactory(meeting=meeting, text="Noch offen")
    url = reverse("admin:meetings_expertquestion_change", args=[question.pk])
    assert "Wie lange dauert es?" in coordinator_client.get(url).content.decode()

    response = coordinator_client.post(url, {"answer": "Etwa sechs Wochen."})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Etwa sechs Wochen." and question.answered_at is not None
    entry = ActivityEntry.objects.get(action="meetings.question.answered")
    assert entry.actor == coordinator

    changelist = reverse("admin:meetings_expertquestion_changelist")
    answered = coordinator_client.get(f"{changelist}?answered=yes").content.decode()
    assert "Wie lange dauert es?" in answered and "Noch offen" not in answered
    open_ = coordinator_client.get(f"{changelist}?answered=no&sent=no").content.decode()
    assert "Noch offen" in open_ and "Wie lange dauert es?" not in open_
    by_meeting = coordinator_client.get(f"{changelist}?meeting__id__exact={meeting.pk}")
    assert by_meeting.status_code == 200


def test_the_meeting_form_switches_questions_on_and_adds_experts(coordinator_client):
    from tests.meetings.factories import meeting_form_post

    meeting = MeetingFactory(title="Arbeitsmarkt")
    values = {
        name: getattr(meeting, name)
        for name in (
            "title",
            "topic",
            "description",
            "introduction",
            "starts_at",
            "ends_at",
            "rsvp_deadline",
            "venue_name",
            "venue_street",
            "venue_postcode",
            "venue_city",
            "room",
            "directions",
            "capacity",
            "per_company_limit",
        )
    }
    values.update(reminder_days="7, 1", host=meeting.host_id, collects_questions="on")
    data = meeting_form_post(values)
    data.update(
        {
            "experts-TOTAL_FORMS": "1",
            "experts-0-name": "Petra Amtmann",
            "experts-0-organisation": "Ausländerbehörde Trier",
            "experts-0-email": "amtmann@trier.example",
        }
    )
    response = coordinator_client.post(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.collects_questions
    assert [str(e) for e in meeting.experts.all()] == ["Petra Amtmann (Ausländerbehörde Trier)"]


@pytest.mark.parametrize("has_question", [True, False])
def test_an_expert_with_questions_is_not_deleted_in_the_meeting_form(
    coordinator_client, has_question
):
    from html import unescape

    from tests.meetings.factories import meeting_form_post

    meeting = MeetingFactory(title="Arbeitsmarkt", collects_questions=True)
    expert = ExpertGuestFactory(meeting=meeting, name="Petra Amtmann")
    if has_question:
        ExpertQuestionFactory(meeting=meeting, expert=expert, text="Wie lange dauert es?")
    values = {
        name: getattr(meeting, name)
        for name in (
            "title",
            "topic",
            "description",
            "introduction",
            "starts_at",
            "ends_at",
            "rsvp_deadline",
            "venue_name",
            "venue_street",
            "venue_postcode",
            "venue_city",
            "room",
            "directions",
            "capacity",
            "per_company_limit",
        )
    }
    values.update(reminder_days="7, 1", host=meeting.host_id, collects_questions="on")
    data = meeting_form_post(values)
    data.update(
        {
            "experts-TOTAL_FORMS": "1",
            "experts-INITIAL_FORMS": "1",
            "experts-0-id": str(expert.pk),
            "experts-0-meeting": str(meeting.pk),
            "experts-0-name": expert.name,
            "experts-0-organisation": expert.organisation,
            "experts-0-email": expert.email,
            "experts-0-DELETE": "on",
        }
    )
    response = coordinator_client.post(
        reverse("admin:meetings_meeting_change", args=[meeting.pk]), data
    )
    if has_question:
        assert response.status_code == 200
        assert "Petra Amtmann kann nicht gelöscht werden" in unescape(response.content.decode())
        assert ExpertQuestion.objects.get().expert_id == expert.pk
    else:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert not meeting.experts.exists()


# --- A change racing the mail to the expert -----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_change_while_the_questions_go_out_waits_and_is_then_refused(
    monkeypatch, coordinator, company, company_user
):
    import threading

    from django.db import connection, connections

    from tests.utils import skip_or_fail

    if connection.vendor != "postgresql":
        skip_or_fail("the race needs PostgreSQL's row locks (DATABASE_URL=postgres://…)")
    meeting = MeetingFactory(collects_questions=True, status=Meeting.Status.PUBLISHED)
    expert = ExpertGuestFactory(meeting=meeting, email="amtmann@trier.example")
    question = ExpertQuestionFactory(
        meeting=meeting, expert=expert, company=company, asked_by=company_user, text="Alt?"
    )
    rendering, go = threading.Event(), threading.Event()

    def slow_pdf(**kwargs):
        rendering.set()
        go.wait(10)
        return b"%PDF-1.4"

    monkeypatch.setattr(services, "questions_pdf", slow_pdf)
    outcome = {}

    def send():
        try:
            services.questions_send(meeting=meeting, expert=expert, by_user=coordinator)
        finally:
            connections.close_all()

    def change():
        try:
            services.question_update(
                question=question,
                by_user=company_user,
                text="Neu?",
                expert=expert,
                show_company=True,
            )
            outcome["changed"] = True
        except ValidationError as error:
            outcome["refused"] = error.messages
        finally:
            connections.close_all()

    sender = threading.Thread(target=send)
    sender.start()
    assert rendering.wait(10)
    changer = threading.Thread(target=change)
    changer.start()
    changer.join(timeout=1.5)
    waited = changer.is_alive()
    go.set()
    sender.join(timeout=30)
    changer.join(timeout=30)

    assert waited, "the change must wait for the mail to the expert"
    assert "refused" in outcome
    question.refresh_from_db()
    assert question.text == "Alt?" and question.sent_at is not None
