"""The coordinators' ranking of a cycle: table, size-class filter, CSV, threshold, decisions,
sending them, certificates; and the seal's demo data."""

from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from demo import seal as seal_demo
from members.models import CompanyMembership, SizeClass
from network_portal.models import OutboxMail
from seal import services
from seal.models import Application, AwardCycle, Certificate, JurorAssignment
from tests.factories import CompanyAdminFactory, MembershipFactory
from tests.mfa import login_with_second_factor
from tests.seal.factories import (
    AwardCycleFactory,
    CategoryFactory,
    CriterionFactory,
    SubmittedApplicationFactory,
    juror,
    ranking_example,
    submitted_scores,
)
from tests.utils import messages_of

pytestmark = pytest.mark.django_db


def ranking_url(cycle, what=""):
    name = "admin:seal_awardcycle_ranking" if not what else f"admin:seal_awardcycle_{what}"
    return reverse(name, args=[cycle.pk])


class _Table(HTMLParser):
    """The text of each cell of each body row of the table with ``id``."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.inside, self.in_body = table_id, False, False
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag == "td":
            self.cell = []

    def handle_endtag(self, tag):
        if self.in_body and tag == "td":
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(response, table_id="ranking", columns=9):
    """The first ``columns`` cells of each row (all with ``None``)."""
    parser = _Table(table_id)
    parser.feed(response.content.decode())
    return [row[:columns] for row in parser.rows]


@pytest.fixture
def example():
    return ranking_example()


# Porta Digital's third juror has not submitted: deciding on it needs a reason.
ILL = "Die dritte Jurorin ist erkrankt."


PORTA = [
    "1",
    "Porta Digital Werkstatt UG",
    "klein (1–9 Beschäftigte)",
    "84,38",
    "83,33",
    "87,50",
    "2",
    "⚑ Ausbildung (1–3)",
    "–",
]
MOSELBLICK = [
    "2",
    "Moselblick Pflege GmbH",
    "mittel (10–249 Beschäftigte)",
    "78,13",
    "83,33",
    "62,50",
    "2",
    "",
    "–",
]
KLINIK = [
    "3",
    "Klinikverbund Trierer Land gGmbH",
    "groß (ab 250 Beschäftigten)",
    "50,00",
    "58,33",
    "25,00",
    "2",
    "",
    "–",
]


# --------------------------------------------------------------------------------------------
# The ranking table


def test_ranking_shows_totals_subtotals_flags_best_first(coordinator_client, example):
    # A draft of the same cycle is not ranked.
    SubmittedApplicationFactory(cycle=example["cycle"], submitted_at=None)

    response = coordinator_client.get(ranking_url(example["cycle"]))

    assert response.status_code == 200
    assert table_rows(response) == [PORTA, MOSELBLICK, KLINIK]
    html = response.content.decode()
    assert '<th scope="col">Aus- und Weiterbildung</th>' in html
    assert '<th scope="col">Gesundheit</th>' in html
    assert "Rangliste: 2029" in html


def test_ranking_is_filtered_by_size_class(coordinator_client, example):
    response = coordinator_client.get(ranking_url(example["cycle"]), {"size_class": "large"})

    assert table_rows(response) == [["1", *KLINIK[1:]]]
    assert "<strong>groß (ab 250 Beschäftigten)</strong>" in response.content.decode()

    # An unknown size class shows everything.
    response = coordinator_client.get(ranking_url(example["cycle"]), {"size_class": "huge"})
    assert len(table_rows(response)) == 3


def test_ranking_csv_export(coordinator_client, example):
    services.decision_record(
        application=example["applications"]["porta"],
        awarded=True,
        note="=Vorbildlich; klar",
        override_reason=ILL,
    )

    response = coordinator_client.get(ranking_url(example["cycle"], "ranking_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ranking-2029.csv"'
    assert response.content.decode("utf-8") == (
        "\ufeffRang;Unternehmen;Größenklasse;Gesamt (0–100);Aus- und Weiterbildung;Gesundheit;"
        "Abgegebene Bewertungen;Zur Diskussion;Entscheidung;Anmerkung zur Entscheidung\r\n"
        "1;Porta Digital Werkstatt UG;klein (1–9 Beschäftigte);84,38;83,33;87,50;2;"
        'Ausbildung (1–3);ausgezeichnet;"\'=Vorbildlich; klar"\r\n'
        "2;Moselblick Pflege GmbH;mittel (10–249 Beschäftigte);78,13;83,33;62,50;2;;;\r\n"
        "3;Klinikverbund Trierer Land gGmbH;groß (ab 250 Beschäftigten);50,00;58,33;25,00;2;;;"
        "\r\n"
    )

    response = coordinator_client.get(
        ranking_url(example["cycle"], "ranking_csv"), {"size_class": "medium"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="ranking-2029-medium.csv"'
    lines = response.content.decode("utf-8").splitlines()
    assert [line.split(";")[1] for line in lines[1:]] == ["Moselblick Pflege GmbH"]


@pytest.mark.parametrize("size", ["small", "large"])
def test_ranking_runs_a_constant_number_of_queries(
    coordinator_client, django_assert_num_queries, size
):
    applications, jurors, criteria_per_category = (1, 1, 1) if size == "small" else (6, 3, 3)
    cycle = AwardCycleFactory(scoring=True)
    criteria = [
        CriterionFactory(category=category)
        for category in CategoryFactory.create_batch(2, cycle=cycle)
        for _ in range(criteria_per_category)
    ]
    juror_users = [juror() for _ in range(jurors)]
    for n in range(applications):
        application = SubmittedApplicationFactory(
            cycle=cycle, company__size_class=SizeClass.values[n % 3]
        )
        for j, juror_user in enumerate(juror_users):
            submitted_scores(
                application, juror_user, {c: (n + j * k) % 5 for k, c in enumerate(criteria)}
            )
        if n % 2:
            services.decision_record(application=application, awarded=True)

    with django_assert_num_queries(8):
        response = coordinator_client.get(ranking_url(cycle))

    assert len(table_rows(response)) == applications
    with django_assert_num_queries(7):
        coordinator_client.get(ranking_url(cycle, "ranking_csv"))


def test_ranking_is_for_coordinators_only(client, example, other_company_admin):
    url = ranking_url(example["cycle"])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    client.force_login(other_company_admin)
    assert client.get(url).status_code == 403
    assert client.post(ranking_url(example["cycle"], "send_decisions")).status_code == 403

    # Staff without the seal's permissions may not see it either.
    other_company_admin.is_staff = True
    other_company_admin.save()
    login_with_second_factor(client, other_company_admin)
    assert client.get(url).status_code == 403
    assert client.get(ranking_url(example["cycle"], "ranking_csv")).status_code == 403
    assert not Application.objects.exclude(decision="").exists()


# --------------------------------------------------------------------------------------------
# Threshold and decisions


def test_threshold_is_saved_and_suggests_decisions(coordinator_client, example):
    cycle = example["cycle"]

    response = coordinator_client.post(
        ranking_url(cycle, "threshold"), {"award_threshold": "75", "size_class": "small"}
    )

    assert response.status_code == 302
    assert response["Location"] == ranking_url(cycle) + "?size_class=small"
    cycle.refresh_from_db()
    assert cycle.award_threshold == Decimal("75.00")
    assert messages_of(response) == [("success", "Die Vergabeschwelle ist gespeichert.")]

    response = coordinator_client.get(ranking_url(cycle), {"suggest": "1"})
    initial = {row["application"].pk: row["initial"] for row in response.context["rows"]}
    applications = example["applications"]
    assert initial[applications["porta"].pk]["decision"] == "awarded"
    assert initial[applications["moselblick"].pk]["decision"] == "awarded"
    assert initial[applications["klinik"].pk]["decision"] == "not_awarded"
    html = response.content.decode()
    porta = applications["porta"].pk
    assert f'name="a{porta}-decision" value="awarded" id="id_a{porta}-decision_0" checked' in html
    assert "Nichts wird gespeichert" in response.content.decode()
    # Only a suggestion: nothing is decided yet.
    assert not Application.objects.exclude(decision="").exists()

    response = coordinator_client.post(ranking_url(cycle, "threshold"), {"award_threshold": "101"})
    assert messages_of(response) == [("error", "Dieser Wert muss kleiner oder gleich 100 sein.")]
    cycle.refresh_from_db()
    assert cycle.award_threshold == Decimal("75.00")


def test_coordinator_records_decisions_with_notes(coordinator_client, example):
    applications = example["applications"]
    porta, moselblick, klinik = (applications[k] for k in ("porta", "moselblick", "klinik"))

    response = coordinator_client.post(
        ranking_url(example["cycle"], "decisions"),
        {
            f"a{porta.pk}-decision": "awarded",
            f"a{porta.pk}-note": "  Vorbildliche Weiterbildung.  ",
            f"a{porta.pk}-override_reason": ILL,
            f"a{klinik.pk}-decision": "not_awarded",
            f"a{klinik.pk}-note": "",
            # Moselblick: left undecided.
            f"a{moselblick.pk}-note": "",
        },
    )

    assert response.status_code == 302
    assert messages_of(response) == [("success", "2 Entscheidungen gespeichert.")]
    porta.refresh_from_db()
    klinik.refresh_from_db()
    moselblick.refresh_from_db()
    assert (porta.decision, porta.decision_note) == ("awarded", "Vorbildliche Weiterbildung.")
    assert porta.decision_override_reason == ILL
    assert porta.decided_at is not None
    assert (klinik.decision, klinik.decision_note) == ("not_awarded", "")
    assert moselblick.decision == "" and moselblick.decided_at is None

    response = coordinator_client.get(ranking_url(example["cycle"]))
    rows = table_rows(response)
    assert [row[8] for row in rows] == [
        "ausgezeichnet Vorbildliche Weiterbildung.",
        "–",
        "nicht ausgezeichnet",
    ]
    assert "2 Entscheidungen sind bereit zum Versand." in response.content.decode()

    # Posting the same again changes nothing.
    response = coordinator_client.post(
        ranking_url(example["cycle"], "decisions"),
        {
            f"a{porta.pk}-decision": "awarded",
            f"a{porta.pk}-note": "Vorbildliche Weiterbildung.",
        },
    )
    assert messages_of(response) == [("info", "0 Entscheidungen gespeichert.")]


def test_sent_decision_cannot_be_changed_once_published(coordinator_client, example):
    porta = example["applications"]["porta"]
    services.decision_record(application=porta, awarded=True, override_reason=ILL)
    services.decisions_send(cycle=example["cycle"])
    services.cycle_publish_early(cycle=example["cycle"], by_user=None)

    response = coordinator_client.post(
        ranking_url(example["cycle"], "decisions"), {f"a{porta.pk}-decision": "not_awarded"}
    )

    assert messages_of(response) == [("info", "0 Entscheidungen gespeichert.")]
    porta.refresh_from_db()
    assert porta.decision == "awarded"
    page = coordinator_client.get(ranking_url(example["cycle"]))
    assert f'name="a{porta.pk}-decision"' not in page.content.decode()


# --------------------------------------------------------------------------------------------
# Sending decisions, certificates


def test_send_decisions_mails_each_company_admin_once(
    coordinator_client, example, django_capture_on_commit_callbacks
):
    cycle = example["cycle"]
    cycle.validity_years = 3
    cycle.ceremony_on = timezone.localdate() + timedelta(days=20)
    cycle.save()
    applications = example["applications"]
    porta, moselblick, klinik = (applications[k] for k in ("porta", "moselblick", "klinik"))
    for email in ("chefin@porta.example", "personal@porta.example"):
        CompanyAdminFactory(company=porta.company, user__email=email)
    MembershipFactory(company=porta.company, user__email="azubi@porta.example")
    CompanyAdminFactory(company=klinik.company, user__email="personal@klinik.example")
    CompanyAdminFactory(company=moselblick.company, user__email="personal@moselblick.example")
    services.decision_record(
        application=porta, awarded=True, note="Weiter so!", override_reason=ILL
    )
    services.decision_record(application=klinik, awarded=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(ranking_url(cycle, "send_decisions"))

    assert response.status_code == 302
    assert response["Location"] == ranking_url(cycle)
    assert messages_of(response) == [
        ("success", "2 Entscheidungen werden an die Admins der Unternehmen verschickt.")
    ]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "chefin@porta.example",
        "personal@klinik.example",
        "personal@porta.example",
    ]
    to_porta = next(m for m in mail.outbox if m.to == ["personal@porta.example"])
    assert "Herzlichen Glückwunsch" in to_porta.subject
    assert "Weiter so!" in to_porta.body

    certificate = Certificate.objects.get()
    assert certificate.application == porta
    assert certificate.issued_on == cycle.ceremony_on
    assert certificate.valid_until == cycle.ceremony_on.replace(year=cycle.ceremony_on.year + 3)
    assert not Certificate.objects.filter(application=klinik).exists()
    assert certificate.verification_code in to_porta.body
    page = coordinator_client.get(ranking_url(cycle)).content.decode()
    assert "0 Entscheidungen sind bereit zum Versand." in page

    # Sending again sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(ranking_url(cycle, "send_decisions"))
    assert messages_of(response) == [("info", "Es sind keine Entscheidungen mehr zu versenden.")]
    assert len(mail.outbox) == 3
    assert Certificate.objects.count() == 1


def test_certificate_is_issued_on_the_day_of_sending_after_the_ceremony(example):
    cycle = example["cycle"]
    cycle.ceremony_on = timezone.localdate() - timedelta(days=10)
    cycle.save()
    services.decision_record(
        application=example["applications"]["porta"], awarded=True, override_reason=ILL
    )

    services.decisions_send(cycle=cycle)

    certificate = Certificate.objects.get()
    today = timezone.localdate()
    assert certificate.issued_on == today
    assert certificate.valid_until == today.replace(year=today.year + 4)


# --------------------------------------------------------------------------------------------
# Demo data


def test_demo_seeds_a_past_cycle_with_awards_and_an_open_cycle_twice_without_duplicates(
    client,
):
    from demo import members as members_demo

    def counts():
        return [
            model.objects.count()
            for model in (AwardCycle, Application, JurorAssignment, Certificate, OutboxMail)
        ]

    companies = members_demo.seed()
    seal_demo.seed(companies)
    first = counts()
    seal_demo.seed(members_demo.seed())
    assert counts() == first
    assert first[4] == 0  # no mails while seeding

    past = AwardCycle.objects.get(name="2025")
    assert past.ceremony_on == date(2025, 5, 22) and past.validity_years == 4
    assert past.catalogue_frozen
    assert past.categories.count() == 6
    submitted = past.applications.filter(submitted_at__isnull=False)
    assert submitted.count() == 6
    assert len({a.company.size_class for a in submitted}) == 3
    assert not past.applications.filter(decision="").exists()
    assert not past.applications.filter(decision_sent_at__isnull=True).exists()
    awarded = past.applications.filter(decision="awarded")
    assert 0 < awarded.count() < 6
    assert Certificate.objects.count() == awarded.count()
    assert set(Certificate.objects.values_list("issued_on", "valid_until")) == {
        (date(2025, 5, 22), date(2029, 5, 22))
    }
    assert (
        JurorAssignment.objects.filter(
            juror__email="jury@demo.example", application__cycle=past, submitted_at__isnull=False
        ).count()
        == 6
    )

    current = AwardCycle.objects.get(name="2027")
    assert current.accepts_applications and not current.catalogue_frozen
    assert [c.name for c in current.categories.all()] == [c.name for c in past.categories.all()]
    draft = current.applications.get()
    assert draft.company.slug == "moselblick-pflege-gmbh" and not draft.is_submitted
    assert draft.answers.count() == 3
    assert CompanyMembership.objects.get(user__email="personal@demo.example").company == (
        draft.company
    )
    assert any("2027" in line for line in seal_demo.summary())

    # The coordinator's ranking of the demo shows the decisions and a point for discussion.
    login_with_second_factor(
        client, members_demo.User.objects.get(email="koordination@demo.example")
    )
    response = client.get(ranking_url(past))
    rows = table_rows(response, columns=None)
    assert len(rows) == 6
    # Rank, company, size class, total, 6 categories, jurors, flags, decision (all sent: no
    # column to decide).
    assert {len(row) for row in rows} == {13}
    flags, decisions = [row[11] for row in rows], [row[12] for row in rows]
    assert any(flag.startswith("⚑") for flag in flags)
    assert sum(d.startswith("ausgezeichnet") for d in decisions) == awarded.count()


def test_demo_awards_exactly_the_applications_above_the_threshold():
    from demo import members as members_demo
    from seal import selectors

    seal_demo.seed(members_demo.seed())
    past = AwardCycle.objects.get(name="2025")
    for row in selectors.ranking(past):
        awarded = row.application.decision == Application.Decision.AWARDED
        assert awarded == (row.total >= past.award_threshold), row.application.company.name


def test_a_long_ranking_comes_a_hundred_rows_a_page(coordinator_client):
    """The ranks count on across pages; saving decides only the page's rows."""
    cycle = AwardCycleFactory(scoring=True)
    criterion = CriterionFactory(category=CategoryFactory(cycle=cycle))
    judge = juror()
    for n in range(103):
        application = SubmittedApplicationFactory(cycle=cycle)
        submitted_scores(application, judge, {criterion: n % 5})

    first = coordinator_client.get(ranking_url(cycle))
    second = coordinator_client.get(ranking_url(cycle), {"page": 2})

    assert [row[0] for row in table_rows(first)] == [str(n) for n in range(1, 101)]
    assert [row[0] for row in table_rows(second)] == ["101", "102", "103"]
    assert "Seite 1 von 2" in first.content.decode()
    assert 'href="?page=2" rel="next"' in first.content.decode()
