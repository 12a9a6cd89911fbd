"""Phases bind actions: scoring after the deadline (or opened early), decisions on all scores
(or with a reason), nothing public before the award ceremony (or published early), corrections
before publication, revocation on the verification page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone, translation

from members.models import CompanyMembership
from network_portal.models import ActivityEntry, OutboxMail
from seal import services
from seal.models import Application, Certificate
from tests.factories import CompanyAdminFactory
from tests.mfa import login_with_second_factor
from tests.seal.factories import (
    AwardCycleFactory,
    CertificateFactory,
    CriterionFactory,
    JurorAssignmentFactory,
    SubmittedApplicationFactory,
    juror,
    submitted_scores,
)
from tests.utils import messages_of

pytestmark = pytest.mark.django_db

REASON = "Der dritte Juror ist länger erkrankt; die Jury hat gemeinsam beraten."


def german_date(value) -> str:
    with translation.override("de"):
        return formats.date_format(value, "DATE_FORMAT")


def refusal(call) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return " ".join(error.value.messages)


def entries(action):
    return list(ActivityEntry.objects.filter(action=action))


# --------------------------------------------------------------------------------------------
# Scoring opens after the application deadline


@pytest.fixture
def early():
    """A submitted application of a cycle whose deadline is three weeks ahead, one criterion,
    a juror assigned."""
    application = SubmittedApplicationFactory(company__name="Moselblick Pflege GmbH")
    criterion = CriterionFactory(category__cycle=application.cycle)
    jury_member = juror(first_name="Petra", last_name="Jurytest")
    assignment = services.juror_assign(application=application, juror=jury_member)
    return application, criterion, assignment


def test_scoring_before_the_deadline_is_refused_with_the_date(client, early):
    application, criterion, assignment = early
    deadline = german_date(timezone.localtime(application.cycle.deadline))
    expected = f"Die Bewertung beginnt nach dem Bewerbungsschluss am {deadline}."

    assert refusal(
        lambda: services.score_save(assignment=assignment, criterion=criterion, points=3)
    ) == (expected)
    assert not assignment.scores.exists()

    login_with_second_factor(client, assignment.juror)
    listing = client.get(reverse("seal:jury")).content.decode()
    assert f"Bewertung nach dem Bewerbungsschluss am {deadline}" in listing
    page = client.get(reverse("seal:jury_score", args=[assignment.pk])).content.decode()
    assert f"{expected} Sie können die Bewerbung schon lesen." in page
    assert f'name="points_{criterion.pk}"' not in page  # no score form

    response = client.post(
        reverse("seal:jury_score", args=[assignment.pk]),
        {"action": "save", f"points_{criterion.pk}": "3"},
    )
    assert messages_of(response) == [("error", expected)]
    assert not assignment.scores.exists()


def test_coordinator_opens_scoring_early_after_confirmation(coordinator_client, early):
    application, criterion, assignment = early
    cycle = application.cycle
    url = reverse("admin:seal_awardcycle_changelist")
    form = {"action": "open_scoring_early", "_selected_action": [cycle.pk]}

    page = coordinator_client.post(url, form)
    assert page.status_code == 200
    assert "Bewertung vor dem Bewerbungsschluss öffnen?" in page.content.decode()
    cycle.refresh_from_db()
    assert cycle.scoring_opened_at is None and not cycle.scoring_open

    response = coordinator_client.post(url, {**form, "post": "yes"})
    assert messages_of(response) == [("success", "Bewertung für 1 Vergaberunde geöffnet.")]
    cycle.refresh_from_db()
    assert cycle.scoring_opened_at is not None and cycle.scoring_open
    [entry] = entries("seal.cycle.scoring_opened_early")
    assert entry.actor_id == page.wsgi_request.user.pk

    services.score_save(assignment=assignment, criterion=criterion, points=3)
    assert assignment.scores.get().points == 3
    # Twice is refused.
    assert refusal(lambda: services.cycle_open_scoring_early(cycle=cycle, by_user=None)) == (
        f"Die Bewertung für {cycle.name} ist bereits geöffnet."
    )


# --------------------------------------------------------------------------------------------
# A decision needs every assigned juror's submitted scores, or a reason


def test_decision_before_scoring_is_open_is_refused(early):
    application = early[0]
    deadline = german_date(timezone.localtime(application.cycle.deadline))
    assert refusal(
        lambda: services.decision_record(
            application=application, awarded=True, override_reason=REASON
        )
    ) == (
        "Entscheidungen sind erst möglich, wenn die Bewertung begonnen hat: nach dem "
        f"Bewerbungsschluss am {deadline}."
    )
    application.refresh_from_db()
    assert application.decision == ""


@pytest.fixture
def scored():
    """An application of a cycle after its deadline: three jurors assigned, two submitted, a
    fourth declared a conflict (does not count)."""
    cycle = AwardCycleFactory(scoring=True)
    criterion = CriterionFactory(category__cycle=cycle)
    application = SubmittedApplicationFactory(cycle=cycle, company__name="Porta Digital UG")
    for _ in range(2):
        submitted_scores(application, juror(), {criterion: 3})
    pending = submitted_scores(application, juror(), {criterion: 1}, submitted=False)
    JurorAssignmentFactory(application=application, conflict_declared_at=timezone.now())
    return application, pending


def test_decision_without_all_scores_is_refused_and_accepted_with_a_reason(scored):
    application, pending = scored

    assert refusal(lambda: services.decision_record(application=application, awarded=True)) == (
        "2 von 3 Juror*innen haben bewertet. Um zu entscheiden, bevor alle bewertet haben, "
        "geben Sie bitte eine Begründung an."
    )
    application.refresh_from_db()
    assert application.decision == ""

    services.decision_record(application=application, awarded=True, override_reason=REASON)
    application.refresh_from_db()
    assert application.decision == "awarded"
    assert application.decision_override_reason == REASON
    [entry] = entries("seal.application.decided")
    assert entry.details["override_reason"] == REASON
    assert entry.details["jurors"] == "2/3"

    # Once the third juror has submitted, no reason is needed (nor kept).
    pending.submitted_at = timezone.now()
    pending.save()
    services.decision_record(application=application, awarded=False)
    application.refresh_from_db()
    assert (application.decision, application.decision_override_reason) == ("not_awarded", "")


def test_ranking_names_the_open_jurors_and_takes_the_reason(coordinator_client, scored):
    application, _pending = scored
    url = reverse("admin:seal_awardcycle_decisions", args=[application.cycle_id])

    response = coordinator_client.post(url, {f"a{application.pk}-decision": "awarded"})

    assert messages_of(response) == [
        (
            "warning",
            "Porta Digital UG: 2 von 3 Juror*innen haben bewertet. Um zu entscheiden, bevor "
            "alle bewertet haben, geben Sie bitte eine Begründung an.",
        ),
        ("info", "0 Entscheidungen gespeichert."),
    ]
    response = coordinator_client.post(
        url,
        {f"a{application.pk}-decision": "awarded", f"a{application.pk}-override_reason": REASON},
    )
    # (The messages of the first post were not shown yet: they come along.)
    assert messages_of(response)[-1] == ("success", "1 Entscheidung gespeichert.")
    application.refresh_from_db()
    assert application.decision_override_reason == REASON


def test_sending_states_the_companies_and_the_emails(coordinator_client, scored):
    application, _pending = scored
    for email in ("chefin@porta.example", "personal@porta.example"):
        CompanyAdminFactory(company=application.company, user__email=email)
    services.decision_record(application=application, awarded=True, override_reason=REASON)

    page = coordinator_client.get(
        reverse("admin:seal_awardcycle_send_decisions", args=[application.cycle_id])
    )

    html = page.content.decode()
    assert "Insgesamt: 2 E-Mails an 1 Unternehmen." in html
    assert "Entscheidungen an 2 Personen versenden" in html
    assert "Vor der Preisverleihung am" in html


# --------------------------------------------------------------------------------------------
# Nothing public before the award ceremony


def _certificate(ceremony_in_days: int) -> Certificate:
    cycle = AwardCycleFactory(
        scoring=True, ceremony_on=timezone.localdate() + timedelta(days=ceremony_in_days)
    )
    return CertificateFactory(
        application__cycle=cycle, application__company__name="Moselblick Pflege GmbH"
    )


def test_verification_page_and_badge_are_unknown_before_the_ceremony(client):
    certificate = _certificate(ceremony_in_days=10)
    code = certificate.verification_code

    response = client.get(reverse("seal:verify", args=[code]))
    assert response.status_code == 404
    html = response.content.decode()
    assert f"Es gibt kein Siegel „Mein Top Job Trier“ mit dem Prüfcode „{code}“." in html
    assert "Moselblick Pflege GmbH" not in html
    assert client.get(reverse("seal:badge", args=[code])).status_code == 404


def test_verification_page_and_badge_say_valid_from_the_ceremony_on(client):
    certificate = _certificate(ceremony_in_days=0)
    code = certificate.verification_code

    response = client.get(reverse("seal:verify", args=[code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Moselblick Pflege GmbH" in html
    assert f"<strong>gültig bis {german_date(certificate.valid_until)}</strong>" in html
    assert client.get(reverse("seal:badge", args=[code])).status_code == 200


def test_the_company_sees_its_certificate_before_the_ceremony(client):
    certificate = _certificate(ceremony_in_days=10)
    admin = CompanyAdminFactory(company=certificate.application.company).user
    client.force_login(admin)

    html = client.get(reverse("seal:application")).content.decode()

    assert "Herzlichen Glückwunsch" in html
    ceremony = german_date(certificate.application.cycle.ceremony_on)
    assert f"Ihr Siegel wird mit der Preisverleihung am {ceremony} öffentlich" in html
    assert client.get(reverse("seal:certificate_pdf")).status_code == 200


def test_coordinator_publishes_early_after_confirmation(client, coordinator_client):
    certificate = _certificate(ceremony_in_days=10)
    cycle = certificate.application.cycle
    url = reverse("admin:seal_awardcycle_changelist")
    form = {"action": "publish_early", "_selected_action": [cycle.pk]}

    page = coordinator_client.post(url, form)
    assert "Ergebnisse vor der Preisverleihung veröffentlichen?" in page.content.decode()
    verify_url = reverse("seal:verify", args=[certificate.verification_code])
    assert client.get(verify_url).status_code == 404  # nothing public before confirming

    response = coordinator_client.post(url, {**form, "post": "yes"})
    assert messages_of(response) == [
        ("success", "Die Ergebnisse von 1 Vergaberunde sind öffentlich.")
    ]
    cycle.refresh_from_db()
    assert cycle.published_at is not None and cycle.is_published
    assert len(entries("seal.cycle.published_early")) == 1
    response = client.get(verify_url)
    assert response.status_code == 200
    assert "gültig bis" in response.content.decode()


# --------------------------------------------------------------------------------------------
# Corrections before publication


@pytest.fixture
def sent(scored, django_capture_on_commit_callbacks):
    """Porta Digital awarded with a reason, the decision sent to its two admins."""
    application, _pending = scored
    for email in ("chefin@porta.example", "personal@porta.example"):
        CompanyAdminFactory(company=application.company, user__email=email)
    services.decision_record(application=application, awarded=True, override_reason=REASON)
    with django_capture_on_commit_callbacks(execute=True):
        services.decisions_send(cycle=application.cycle)
    application.refresh_from_db()
    return application


def corrections():
    return OutboxMail.objects.filter(key__contains="decision-corrected").order_by("key")


def test_a_sent_decision_is_corrected_with_a_mail_and_the_certificate_follows(sent):
    assert Certificate.objects.filter(application=sent).exists()

    services.decision_record(
        application=sent, awarded=False, note="Nachweise fehlten.", override_reason=REASON
    )

    sent.refresh_from_db()
    assert sent.decision == "not_awarded"
    assert not Certificate.objects.filter(application=sent).exists()
    mails = list(corrections())
    assert sorted(m.to for m in mails) == ["chefin@porta.example", "personal@porta.example"]
    body = mails[0].body_text
    assert mails[0].subject.endswith(
        f"Korrektur: Ihre Bewerbung um das Siegel „Mein Top Job Trier“ {sent.cycle.name}"
    )
    assert "Anders als in unserer früheren Nachricht mitgeteilt" in body
    assert "Nachweise fehlten." in body
    entry = ActivityEntry.objects.filter(action="seal.application.decided").latest("pk")
    assert entry.details["decision"] == ["awarded", "not_awarded"]
    assert entry.details["recipients"] == 2
    assert "corrected" in entry.details

    # Back to awarded: a certificate again, and a second correction under its own key.
    services.decision_record(application=sent, awarded=True, override_reason=REASON)
    certificate = Certificate.objects.get(application=sent)
    assert certificate.valid_until > sent.cycle.ceremony_on
    assert corrections().count() == 4
    newest = corrections().exclude(pk__in=[m.pk for m in mails]).first()
    assert "nun doch mit dem Siegel aus" in newest.body_text
    assert certificate.verification_code in newest.body_text


def test_correcting_a_sent_decision_on_the_ranking_is_confirmed_first(coordinator_client, sent):
    url = reverse("admin:seal_awardcycle_decisions", args=[sent.cycle_id])
    data = {
        f"a{sent.pk}-decision": "not_awarded",
        f"a{sent.pk}-note": "",
        f"a{sent.pk}-override_reason": REASON,
    }

    page = coordinator_client.post(url, data)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Versendete Entscheidungen der Vergaberunde" in html
    assert "ausgezeichnet → nicht ausgezeichnet – an 2 Personen" in html
    assert "Korrekturen: 2 E-Mails an 1 Unternehmen." in html
    sent.refresh_from_db()
    assert sent.decision == "awarded" and not corrections().exists()

    response = coordinator_client.post(url, {**data, "confirm_corrections": "yes"})
    assert messages_of(response) == [("success", "1 Entscheidung gespeichert.")]
    sent.refresh_from_db()
    assert sent.decision == "not_awarded"
    assert corrections().count() == 2


def test_a_correction_reaches_who_got_the_decision_also_after_admins_changed(sent):
    """The admin who received the decision has left the company since; a new admin came."""
    CompanyMembership.objects.filter(user__email="personal@porta.example").delete()
    CompanyAdminFactory(company=sent.company, user__email="neu@porta.example")

    services.decision_record(application=sent, awarded=False, override_reason=REASON)

    assert sorted(m.to for m in corrections()) == [
        "chefin@porta.example",
        "neu@porta.example",
        "personal@porta.example",
    ]


def test_a_sent_decision_cannot_be_corrected_once_published(sent):
    services.cycle_publish_early(cycle=sent.cycle, by_user=None)

    assert refusal(
        lambda: services.decision_record(application=sent, awarded=False, override_reason=REASON)
    ) == (
        f"Die Ergebnisse von {sent.cycle.name} sind veröffentlicht: Diese versendete "
        "Entscheidung kann nicht mehr geändert werden. Falls nötig, widerrufen Sie die Urkunde."
    )
    sent.refresh_from_db()
    assert sent.decision == Application.Decision.AWARDED
    assert not corrections().exists()


# --------------------------------------------------------------------------------------------
# Revocation


def test_a_revoked_seal_says_so_with_the_date_on_the_verification_page(client):
    certificate = CertificateFactory(application__company__name="Moselblick Pflege GmbH")
    reason = "Das Unternehmen erfüllt die Kriterien nicht mehr."

    assert (
        refusal(lambda: services.certificate_revoke(certificate=certificate, reason=" "))
        == "Bitte geben Sie den Grund für den Widerruf an."
    )
    services.certificate_revoke(certificate=certificate, reason=reason)

    response = client.get(reverse("seal:verify", args=[certificate.verification_code]))
    html = response.content.decode()
    assert f"<strong>am {german_date(timezone.localdate())} widerrufen</strong>" in html
    assert reason not in html  # the reason stays internal
    assert (
        client.get(reverse("seal:badge", args=[certificate.verification_code])).status_code == 404
    )
    [entry] = entries("seal.certificate.revoked")
    assert entry.details == {"reason": reason}


def test_an_expired_seal_says_when(client):
    certificate = CertificateFactory(valid_until=timezone.localdate() - timedelta(days=3))
    html = client.get(reverse("seal:verify", args=[certificate.verification_code])).content
    expected = f"<strong>am {german_date(certificate.valid_until)} abgelaufen</strong>"
    assert expected in html.decode()
