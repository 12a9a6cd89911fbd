"""Control and invisible characters in a seal application's answers are refused with a German
message and nothing of the step is saved; explanations of several lines are kept
(network_portal.text)."""

import pytest
from django.urls import reverse

from seal.models import Answer, Application
from tests.seal.factories import AwardCycleFactory, CategoryFactory, CriterionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def step(company, company_admin):
    cycle = AwardCycleFactory(name="2027", slug="2027")
    category = CategoryFactory(cycle=cycle, name="Vergütung und Zusatzleistungen")
    Application.objects.create(cycle=cycle, company=company, started_by=company_admin)
    return {
        "url": reverse("seal:application_step", args=[category.pk]),
        "bonus": CriterionFactory(category=category, question="Zahlen Sie Zuschläge?"),
        "pension": CriterionFactory(category=category, question="Gibt es eine Betriebsrente?"),
    }


def answer(criterion, points, explanation) -> dict:
    return {
        f"criterion-{criterion.pk}-self_assessment": points,
        f"criterion-{criterion.pk}-explanation": explanation,
    }


def test_an_explanation_with_a_direction_override_saves_nothing_of_the_step(
    client, company_admin, step
):
    client.force_login(company_admin)

    response = client.post(
        step["url"],
        {
            **answer(step["bonus"], "3", "Nachtzuschlag 25 %"),
            **answer(step["pension"], "2", "Siehe Anlage \u202efdp.exe"),
            "action": "save",
        },
    )

    assert response.status_code == 200
    assert (
        "Bitte entfernen Sie die Steuer- oder unsichtbaren Zeichen aus dem Text: "
        "Richtungswechsel (U+202E)." in response.text
    )
    assert not Answer.objects.exists()


def test_an_explanation_of_several_lines_with_soft_hyphens_is_saved(client, company_admin, step):
    client.force_login(company_admin)
    explanation = (
        "Zuschläge:\r\n- Nacht 25 %\r\n- Sonntag 50 %\r\n\r\nArbeit\u00adgeber\u00adzuschuss"
    )

    response = client.post(
        step["url"], {**answer(step["bonus"], "3", explanation), "action": "save"}
    )

    assert response.status_code == 302
    assert Answer.objects.get().explanation == explanation
