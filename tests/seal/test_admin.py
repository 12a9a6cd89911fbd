"""The coordinators' seal admin: cycles and their windows, frozen and copied catalogues,
jurors, reopening, certificates."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.models import CompanyMembership
from network_portal.models import ActivityEntry, OutboxMail
from seal.models import Application, AwardCycle, Category, Criterion, JurorAssignment
from tests.factories import CompanyAdminFactory, MembershipFactory, UserFactory
from tests.seal.factories import (
    AwardCycleFactory,
    CategoryFactory,
    CertificateFactory,
    CriterionFactory,
    JurorAssignmentFactory,
    SubmittedApplicationFactory,
    juror,
)
from tests.utils import messages_of

pytestmark = pytest.mark.django_db


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def cycle_form(cycle=None, **changes):
    """The add/change form of a cycle as a coordinator submits it (no category rows)."""
    now = timezone.now()
    today = timezone.localdate()
    values = {
        "name": "2031",
        "slug": "2031",
        "criteria_published_on": today + timedelta(days=400),
        "applications_open_at": now + timedelta(days=430),
        "deadline": now + timedelta(days=500),
        "jury_review_until": today + timedelta(days=530),
        "decision_on": today + timedelta(days=540),
        "ceremony_on": today + timedelta(days=560),
        "validity_years": "4",
        "award_threshold": "",
    }
    if cycle is not None:
        values.update(
            {
                field: getattr(cycle, field)
                for field in (
                    "name",
                    "slug",
                    "criteria_published_on",
                    "jury_review_until",
                    "decision_on",
                    "ceremony_on",
                    "validity_years",
                )
            }
        )
        values["applications_open_at"] = cycle.applications_open_at
        values["deadline"] = cycle.deadline
    values.update(changes)
    data = {}
    for key, value in values.items():
        if hasattr(value, "hour"):
            local_value = timezone.localtime(value)
            data[f"{key}_0"] = local_value.strftime("%d.%m.%Y")
            data[f"{key}_1"] = local_value.strftime("%H:%M:%S")
        elif hasattr(value, "year"):
            data[key] = value.strftime("%d.%m.%Y")
        else:
            data[key] = "" if value is None else str(value)
    data.update(management("categories"))
    return data


@pytest.fixture
def frozen_criterion():
    criterion = CriterionFactory(
        question="Wie planen Sie die Weiterbildung?",
        category__cycle__name="2027",
        category__cycle__slug="2027",
    )
    SubmittedApplicationFactory(cycle=criterion.category.cycle)
    return criterion


# --------------------------------------------------------------------------------------------
# Cycles: application windows


def test_overlapping_application_windows_are_refused(coordinator_client):
    existing = AwardCycleFactory(name="2027", slug="2027")  # open now, deadline in 3 weeks
    url = reverse("admin:seal_awardcycle_add")

    response = coordinator_client.post(
        url,
        cycle_form(
            applications_open_at=existing.deadline - timedelta(days=1),
            deadline=existing.deadline + timedelta(days=60),
            criteria_published_on=timezone.localdate(),
        ),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "applications_open_at": [
            "Der Bewerbungszeitraum überschneidet sich mit dem der Runde 2027."
        ]
    }
    assert AwardCycle.objects.count() == 1

    # Right after the deadline of 2027 it is fine.
    response = coordinator_client.post(
        url,
        cycle_form(
            applications_open_at=existing.deadline + timedelta(minutes=1),
            deadline=existing.deadline + timedelta(days=60),
            criteria_published_on=timezone.localdate(),
            jury_review_until=timezone.localdate() + timedelta(days=100),
        ),
    )
    assert response.status_code == 302
    assert AwardCycle.objects.filter(name="2031").exists()


def test_changing_a_cycle_into_an_overlapping_window_is_refused(coordinator_client):
    AwardCycleFactory(name="2027", slug="2027")
    today = timezone.localdate()
    later = AwardCycleFactory(
        name="2029",
        slug="2029",
        criteria_published_on=today,
        applications_open_at=timezone.now() + timedelta(days=700),
        deadline=timezone.now() + timedelta(days=760),
        jury_review_until=today + timedelta(days=780),
        decision_on=today + timedelta(days=790),
        ceremony_on=today + timedelta(days=800),
    )

    response = coordinator_client.post(
        reverse("admin:seal_awardcycle_change", args=[later.pk]),
        cycle_form(later, applications_open_at=timezone.now() + timedelta(days=1)),
    )

    assert response.status_code == 200
    assert "überschneidet sich mit dem der Runde 2027" in response.content.decode()
    later.refresh_from_db()
    assert later.applications_open_at > timezone.now() + timedelta(days=600)

    # Its own window does not count as an overlap.
    response = coordinator_client.post(
        reverse("admin:seal_awardcycle_change", args=[later.pk]),
        cycle_form(later, validity_years="5"),
    )
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.validity_years == 5


def test_dates_of_phases_reached_stay(coordinator_client):
    """Scoring began at the deadline and the results are public since the ceremony: moving
    those dates would close or open a phase by the back door."""
    cycle = AwardCycleFactory(awarded=True, name="2025", slug="2025")
    url = reverse("admin:seal_awardcycle_change", args=[cycle.pk])
    response = coordinator_client.post(
        url,
        cycle_form(
            cycle,
            deadline=timezone.now() + timedelta(days=3),
            ceremony_on=timezone.localdate() + timedelta(days=30),
        ),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["deadline"] == [
        "Der Bewerbungsschluss ist vorbei und die Bewertung hat begonnen: Er lässt sich nicht "
        "mehr verschieben."
    ]
    assert errors["ceremony_on"] == [
        "Die Ergebnisse dieser Runde sind öffentlich: Ihr Verleihungsdatum bleibt."
    ]
    # Other fields still change.
    response = coordinator_client.post(url, cycle_form(cycle, validity_years="5"))
    assert response.status_code == 302


def test_dates_cannot_open_a_phase_early_by_the_back_door(coordinator_client):
    cycle = AwardCycleFactory(name="2027", slug="2027")  # open, nothing public
    url = reverse("admin:seal_awardcycle_change", args=[cycle.pk])
    response = coordinator_client.post(
        url,
        cycle_form(
            cycle,
            deadline=timezone.now() - timedelta(hours=1),
            jury_review_until=timezone.localdate(),
            decision_on=timezone.localdate(),
            ceremony_on=timezone.localdate(),
        ),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Bewertung vor dem Bewerbungsschluss öffnen" in errors["deadline"][0]
    assert "Ergebnisse vor der Preisverleihung veröffentlichen" in errors["ceremony_on"][0]
    cycle.refresh_from_db()
    assert not cycle.scoring_open and not cycle.is_published


def test_phases_must_follow_each_other(coordinator_client):
    response = coordinator_client.post(
        reverse("admin:seal_awardcycle_add"),
        cycle_form(ceremony_on=timezone.localdate() + timedelta(days=535)),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "ceremony_on": ["Dieses Datum darf nicht vor „Entscheidung am“ liegen."]
    }


def test_cycle_list_links_to_the_ranking(coordinator_client):
    cycle = AwardCycleFactory(name="2027", slug="2027")
    SubmittedApplicationFactory(cycle=cycle)

    response = coordinator_client.get(reverse("admin:seal_awardcycle_changelist"))

    html = response.content.decode()
    assert reverse("admin:seal_awardcycle_ranking", args=[cycle.pk]) in html
    change = coordinator_client.get(reverse("admin:seal_awardcycle_change", args=[cycle.pk]))
    assert reverse("admin:seal_awardcycle_ranking", args=[cycle.pk]) in change.content.decode()


# --------------------------------------------------------------------------------------------
# Frozen catalogues


def test_criterion_of_a_frozen_cycle_cannot_be_changed(coordinator_client, frozen_criterion):
    url = reverse("admin:seal_criterion_change", args=[frozen_criterion.pk])

    response = coordinator_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ist festgeschrieben, weil bereits eine Bewerbung eingereicht wurde" in html
    assert 'name="question"' not in html  # shown read-only
    assert 'name="_save"' not in html

    response = coordinator_client.post(
        url,
        {
            "category": frozen_criterion.category_id,
            "question": "Geänderte Frage",
            "guidance": "",
            "scale_max": "4",
            "weight": "1",
            "position": "0",
            **management("levels", 5, 5),
        },
    )
    assert response.status_code == 403
    frozen_criterion.refresh_from_db()
    assert frozen_criterion.question == "Wie planen Sie die Weiterbildung?"

    response = coordinator_client.post(
        reverse("admin:seal_criterion_delete", args=[frozen_criterion.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Criterion.objects.filter(pk=frozen_criterion.pk).exists()


def test_no_criterion_or_category_can_be_added_to_a_frozen_cycle(
    coordinator_client, frozen_criterion
):
    category = frozen_criterion.category

    response = coordinator_client.post(
        reverse("admin:seal_criterion_add"),
        {
            "category": category.pk,
            "question": "Noch eine Frage",
            "guidance": "",
            "scale_max": "4",
            "weight": "1",
            "position": "1",
            **management("levels"),
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Die Kriterien der Runde 2027 sind festgeschrieben: Es wurde bereits eine Bewerbung "
        "eingereicht."
    ]

    response = coordinator_client.post(
        reverse("admin:seal_category_add"),
        {
            "cycle": category.cycle_id,
            "name": "Neue Kategorie",
            "position": "9",
            **management("criteria"),
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Die Kriterien der Runde 2027 sind festgeschrieben: Es wurde bereits eine Bewerbung "
        "eingereicht."
    ]
    assert Criterion.objects.count() == 1
    assert Category.objects.count() == 1

    # The cycle's page shows its categories read-only.
    response = coordinator_client.get(
        reverse("admin:seal_awardcycle_change", args=[category.cycle_id])
    )
    html = response.content.decode()
    assert "ist festgeschrieben" in html
    assert 'name="categories-0-name"' not in html
    assert reverse("admin:seal_awardcycle_copy_catalogue", args=[category.cycle_id]) not in html


def test_catalogue_of_an_open_cycle_can_be_edited(coordinator_client):
    criterion = CriterionFactory(question="Alte Frage")
    SubmittedApplicationFactory(cycle=criterion.category.cycle, submitted_at=None)  # a draft
    levels = list(criterion.levels.order_by("points"))
    data = {
        "category": criterion.category_id,
        "question": "Neue Frage",
        "guidance": "Hinweis",
        "scale_max": "4",
        "weight": "1.5",
        "position": "0",
        "evidence_required": "on",
        **management("levels", 5, 5),
    }
    for n, level in enumerate(levels):
        data[f"levels-{n}-id"] = level.pk
        data[f"levels-{n}-criterion"] = criterion.pk
        data[f"levels-{n}-points"] = level.points
        data[f"levels-{n}-description"] = f"Stufe {level.points} neu"

    url = reverse("admin:seal_criterion_change", args=[criterion.pk])
    assert "ist festgeschrieben" not in coordinator_client.get(url).content.decode()
    response = coordinator_client.post(url, data)

    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.question, criterion.weight, criterion.evidence_required) == (
        "Neue Frage",
        1.5,
        True,
    )
    assert list(criterion.levels.values_list("description", flat=True))[4] == "Stufe 4 neu"

    # A level above the scale is refused.
    data["levels-4-points"] = "5"
    data["scale_max"] = "4"
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert "Die Skala dieses Kriteriums endet bei 4 Punkten." in response.content.decode()


# --------------------------------------------------------------------------------------------
# Copying a catalogue


def test_catalogue_of_an_earlier_cycle_is_copied_into_a_new_one(coordinator_client):
    source = AwardCycleFactory(
        name="2025",
        slug="2025",
        applications_open_at=timezone.now() - timedelta(days=700),
        deadline=timezone.now() - timedelta(days=600),
    )
    first = CategoryFactory(cycle=source, name="Gesundheit", position=1)
    second = CategoryFactory(cycle=source, name="Vergütung", position=2)
    CriterionFactory(category=first, question="Gesundheitsangebote", weight=2)
    CriterionFactory(category=second, question="Tarif", evidence_required=True)
    CriterionFactory(category=second, question="Zusatzleistungen")
    SubmittedApplicationFactory(cycle=source)  # a frozen source can still be copied
    target = AwardCycleFactory(name="2027", slug="2027")
    AwardCycleFactory(
        name="2029",
        slug="2029",
        applications_open_at=timezone.now() + timedelta(days=800),
        deadline=timezone.now() + timedelta(days=900),
    )  # no catalogue

    # The action leads to the page where the source is chosen.
    response = coordinator_client.post(
        reverse("admin:seal_awardcycle_changelist"),
        {"action": "copy_catalogue", "_selected_action": [target.pk]},
    )
    url = reverse("admin:seal_awardcycle_copy_catalogue", args=[target.pk])
    assert response.status_code == 302 and response["Location"] == url

    response = coordinator_client.get(url)
    assert [c.name for c in response.context["form"].fields["source"].queryset] == ["2025"]

    response = coordinator_client.post(url, {"source": source.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:seal_awardcycle_change", args=[target.pk])
    assert messages_of(response) == [("success", "3 Kriterien aus 2025 übernommen.")]
    copied = list(
        Criterion.objects.filter(category__cycle=target).values_list(
            "category__name", "question", "weight", "evidence_required"
        )
    )
    assert copied == [
        ("Gesundheit", "Gesundheitsangebote", 2, False),
        ("Vergütung", "Tarif", 1, True),
        ("Vergütung", "Zusatzleistungen", 1, False),
    ]
    assert all(c.levels.count() == 5 for c in Criterion.objects.filter(category__cycle=target))

    # A second copy is refused: the cycle has its catalogue.
    response = coordinator_client.post(url, {"source": source.pk})
    assert response.status_code == 200
    assert "Diese Runde hat bereits einen Kriterienkatalog." in response.content.decode()
    assert Criterion.objects.filter(category__cycle=target).count() == 3


def test_copy_action_needs_exactly_one_cycle(coordinator_client):
    cycles = [
        AwardCycleFactory(),
        AwardCycleFactory(
            applications_open_at=timezone.now() + timedelta(days=800),
            deadline=timezone.now() + timedelta(days=900),
        ),
    ]

    response = coordinator_client.post(
        reverse("admin:seal_awardcycle_changelist"),
        {"action": "copy_catalogue", "_selected_action": [c.pk for c in cycles]},
    )

    assert messages_of(response) == [
        (
            "warning",
            "Bitte wählen Sie genau eine Runde aus, in die ein Katalog übernommen werden soll.",
        )
    ]


# --------------------------------------------------------------------------------------------
# Applications: jurors and reopening


def application_form(application, juror_pk=""):
    data = management("assignments", total=1, initial=0)
    data.update(
        {
            "assignments-0-id": "",
            "assignments-0-application": application.pk,
            "assignments-0-juror": juror_pk,
        }
    )
    return data


def test_juror_who_works_for_the_company_is_refused(coordinator_client):
    application = SubmittedApplicationFactory(company__name="Moselblick Pflege GmbH")
    employee = juror(first_name="Jana", last_name="Jäger")
    MembershipFactory(user=employee, company=application.company)
    url = reverse("admin:seal_application_change", args=[application.pk])

    response = coordinator_client.post(url, application_form(application, employee.pk))

    assert response.status_code == 200
    assert (
        "Jana Jäger arbeitet für Moselblick Pflege GmbH und kann die Bewerbung dieses "
        "Unternehmens nicht bewerten." in response.content.decode()
    )
    assert not JurorAssignment.objects.exists()


def test_coordinator_assigns_a_juror(coordinator_client):
    application = SubmittedApplicationFactory()
    independent = juror(first_name="Jens", last_name="Juror")
    url = reverse("admin:seal_application_change", args=[application.pk])

    response = coordinator_client.post(url, application_form(application, independent.pk))

    assert response.status_code == 302
    assignment = JurorAssignment.objects.get()
    assert (assignment.application, assignment.juror) == (application, independent)


def test_only_jurors_can_be_chosen(coordinator_client):
    application = SubmittedApplicationFactory()
    juror(first_name="Jens", last_name="Juror")
    outsider = UserFactory(first_name="Olaf", last_name="Außen")
    url = reverse("admin:seal_application_change", args=[application.pk])

    html = coordinator_client.get(url).content.decode()
    assert "Jens Juror" in html and "Olaf Außen" not in html

    response = coordinator_client.post(url, application_form(application, outsider.pk))
    assert response.status_code == 200
    assert not JurorAssignment.objects.exists()


def removal_form(assignment):
    data = management("assignments", total=1, initial=1)
    data.update(
        {
            "assignments-0-id": assignment.pk,
            "assignments-0-application": assignment.application.pk,
            "assignments-0-juror": assignment.juror.pk,
            "assignments-0-DELETE": "on",
        }
    )
    return data


def test_coordinator_removes_a_juror_and_the_log_says_so(coordinator_client):
    assignment = JurorAssignmentFactory(
        application=SubmittedApplicationFactory(),
        juror=juror(first_name="Jens", last_name="Juror"),
    )
    url = reverse("admin:seal_application_change", args=[assignment.application.pk])

    response = coordinator_client.post(url, removal_form(assignment))

    assert response.status_code == 302
    assert not JurorAssignment.objects.exists()
    entry = ActivityEntry.objects.get(action="seal.application.juror_removed")
    assert entry.details == {"juror": "Jens Juror"}
    assert entry.object_id == str(assignment.application.pk)


def test_a_juror_with_submitted_scores_stays_on_the_application(coordinator_client):
    assignment = JurorAssignmentFactory(
        application=SubmittedApplicationFactory(),
        juror=juror(first_name="Jens", last_name="Juror"),
        submitted_at=timezone.now(),
    )
    url = reverse("admin:seal_application_change", args=[assignment.application.pk])

    response = coordinator_client.post(url, removal_form(assignment))

    assert response.status_code == 200
    assert (
        "Jens Juror hat Bewertungen für diese Bewerbung abgegeben und bleibt ihr zugeordnet."
        in response.content.decode()
    )
    assert JurorAssignment.objects.filter(pk=assignment.pk).exists()
    assert not ActivityEntry.objects.filter(action="seal.application.juror_removed").exists()


def test_reopen_action_gives_the_application_back_to_the_company(
    coordinator_client, django_capture_on_commit_callbacks
):
    application = SubmittedApplicationFactory(company__name="Moselblick Pflege GmbH")
    CompanyAdminFactory(company=application.company, user__email="personal@moselblick.example")
    decided = SubmittedApplicationFactory(
        company__name="Schreinerei Olewig", decision="awarded", decided_at=timezone.now()
    )

    selected = {"action": "reopen", "_selected_action": [application.pk, decided.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.post(reverse("admin:seal_application_changelist"), selected)

    # First the confirmation: the application that can be reopened, the mails; nothing done.
    html = page.content.decode()
    assert page.status_code == 200
    assert "Moselblick Pflege GmbH" in html and "Schreinerei Olewig" not in html
    assert "1 E-Mail wird verschickt (Empfänger: 1)." in html
    application.refresh_from_db()
    assert application.submitted_at is not None
    assert mail.outbox == [] and not OutboxMail.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("admin:seal_application_changelist"), {**selected, "post": "yes"}
        )

    assert response.status_code == 302
    application.refresh_from_db()
    decided.refresh_from_db()
    assert application.submitted_at is None and application.reopened_at is not None
    assert decided.submitted_at is not None
    assert messages_of(response) == [
        (
            "success",
            "1 Bewerbung wieder geöffnet; die Admins des Unternehmens werden per E-Mail "
            "informiert.",
        ),
    ]
    assert [m.to for m in mail.outbox] == [["personal@moselblick.example"]]


def test_application_list_shows_status_and_filters(coordinator_client):
    cycle = AwardCycleFactory()
    SubmittedApplicationFactory(cycle=cycle, company__name="Porta Digital", submitted_at=None)
    SubmittedApplicationFactory(cycle=cycle, company__name="Moselblick Pflege GmbH")
    SubmittedApplicationFactory(
        cycle=cycle,
        company__name="Klinikverbund",
        company__size_class="large",
        decision="not_awarded",
        decided_at=timezone.now(),
    )
    url = reverse("admin:seal_application_changelist")

    response = coordinator_client.get(url)
    results = {a.company.name: a.status_label for a in response.context["cl"].result_list}
    assert {name: str(label) for name, label in results.items()} == {
        "Porta Digital": "Entwurf",
        "Moselblick Pflege GmbH": "eingereicht",
        "Klinikverbund": "nicht ausgezeichnet",
    }

    response = coordinator_client.get(url, {"company__size_class__exact": "large"})
    assert [a.company.name for a in response.context["cl"].result_list] == ["Klinikverbund"]
    response = coordinator_client.get(url, {"status": "submitted"})
    assert [a.company.name for a in response.context["cl"].result_list] == [
        "Moselblick Pflege GmbH"
    ]


# --------------------------------------------------------------------------------------------
# Certificates


def test_revoke_certificate_after_confirmation(coordinator_client):
    certificate = CertificateFactory(application__company__name="Moselblick Pflege GmbH")
    url = reverse("admin:seal_certificate_changelist")
    form = {"action": "revoke", "_selected_action": [certificate.pk]}

    response = coordinator_client.post(url, form)
    assert response.status_code == 200
    assert "Moselblick Pflege GmbH" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None and certificate.is_valid

    # The reason is asked on the confirmation page: without it, nothing is revoked.
    response = coordinator_client.post(url, {**form, "post": "yes", "note": "  "})
    assert response.status_code == 200
    assert "Grund für den Widerruf" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    reason = "Das Unternehmen erfüllt die Kriterien nicht mehr."
    response = coordinator_client.post(url, {**form, "post": "yes", "note": reason})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and not certificate.is_valid
    assert certificate.revocation_reason == reason
    assert messages_of(response) == [
        (
            "success",
            "1 Urkunde widerrufen; ihre Prüfseite bestätigt sie nicht mehr.",
        )
    ]


def test_certificates_are_read_only(coordinator_client):
    certificate = CertificateFactory()
    response = coordinator_client.get(
        reverse("admin:seal_certificate_change", args=[certificate.pk])
    )
    html = response.content.decode()
    assert certificate.verification_code in html
    assert 'name="_save"' not in html
    assert reverse("admin:seal_certificate_pdf", args=[certificate.pk]) in html
    assert coordinator_client.get(reverse("admin:seal_certificate_add")).status_code == 403


def test_company_admin_cannot_reach_the_seal_admin(client, company_admin):
    certificate = CertificateFactory()
    client.force_login(company_admin)
    assert CompanyMembership.objects.get(user=company_admin).is_admin
    for url in (
        reverse("admin:seal_application_changelist"),
        reverse("admin:seal_certificate_pdf", args=[certificate.pk]),
    ):
        assert client.get(url).status_code == 403
    assert Application.objects.count() == 1


def test_every_seal_admin_page_opens_on_the_demo_data(coordinator_client):
    from demo import members as members_demo
    from demo import seal as seal_demo
    from seal.models import Certificate

    seal_demo.seed(members_demo.seed())
    past = AwardCycle.objects.get(name="2025")
    pages = [
        reverse(f"admin:seal_{model}_add") for model in ("awardcycle", "category", "criterion")
    ]
    for model, obj in [
        ("awardcycle", past),
        ("category", past.categories.first()),
        ("criterion", Criterion.objects.filter(category__cycle=past).first()),
        ("application", past.applications.first()),
        ("certificate", Certificate.objects.first()),
    ]:
        pages += [
            reverse(f"admin:seal_{model}_changelist"),
            reverse(f"admin:seal_{model}_change", args=[obj.pk]),
        ]
    pages.append(reverse("admin:seal_awardcycle_copy_catalogue", args=[past.pk]))
    pages.append(reverse("admin:seal_awardcycle_ranking", args=[past.pk]) + "?suggest=1")

    for url in pages:
        response = coordinator_client.get(url)
        assert response.status_code == 200, url
        assert b' style="' not in response.content, url  # the strict CSP forbids inline styles


def test_catalogue_stays_frozen_after_the_only_application_is_reopened():
    from seal import services
    from tests.seal.factories import ApplicationFactory

    application = ApplicationFactory(submitted_at=timezone.now())
    assert application.cycle.catalogue_frozen
    services.application_reopen(application=application, by_user=None)
    assert application.cycle.catalogue_frozen
