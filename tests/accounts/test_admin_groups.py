"""The admin's lists are grouped by task (accounts.admin_site.ADMIN_GROUPS), in German; the
technical models only for superusers, under „System“."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from accounts.admin_site import ADMIN_GROUPS
from accounts.roles import COORDINATOR_GROUP
from tests.factories import UserFactory
from tests.mfa import login_with_second_factor

pytestmark = pytest.mark.django_db

TASK_GROUPS = {
    "Mitglieder": [
        "Mitgliedsunternehmen",
        "Beitrittsanfragen",
        "Ansprechpartner/innen",
        "Einladungen",
        "Angebote der Unternehmen",
        "Fachthemen",
        "Benutzer/innen",
    ],
    "Netzwerktreffen": [
        "Netzwerktreffen",
        "Anmeldungen",
        "Themenvorschläge",
        "Anfragen für Beiträge",
        "Fragen an die Fachleute",
        "Rückmeldung",
    ],
    "Siegel": ["Vergaberunden", "Bewerbungen", "Kategorien", "Kriterien", "Urkunden"],
    "Kooperationen und Praktika": [
        "Kooperationsprojekte",
        "Buchungen",
        "Interesse an Projekten",
        "Nachrichten an interessierte Unternehmen",
        "Praktikumsangebote",
        "Partnerschulen",
        "Schulaufenthalte",
    ],
    "Verteiler": ["Ausgaben", "Verteiler", "Abonnenten", "Zustellungen", "Unzustellbarkeiten"],
    "Website-Inhalte": ["Impressum, Datenschutz, Barrierefreiheit"],
}
SYSTEM = [
    "Gruppen",
    "E-Mail-Adressen",
    "Zweite Faktoren",
    "Websites",
    "Crontabs",
    "Getaktet",
    "Intervalle",
    "Periodische Aufgaben",
    "Sonnenereignisse",
]


def _registered(app_label: str) -> bool:
    return any(model._meta.app_label == app_label for model in admin.site._registry)


def app_list_for(user) -> dict[str, list[str]]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return {
        str(group["name"]): [str(model["name"]) for model in group["models"]]
        for group in admin.site.get_app_list(request)
    }


def expected_groups(*, superuser: bool) -> list[str]:
    names = list(TASK_GROUPS)
    if _registered("reports"):
        names.append("Auswertungen")
    names.append("Protokoll und Postausgang")
    if superuser:
        names.append("System")
    return names


@pytest.fixture
def coordinator():
    user = UserFactory(email="koordination@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    return user


@pytest.fixture
def superuser():
    return UserFactory(email="technik@example.org", is_staff=True, is_superuser=True)


def test_a_coordinator_sees_the_task_groups_and_no_system(coordinator):
    groups = app_list_for(coordinator)
    assert list(groups) == expected_groups(superuser=False)
    for name, models in TASK_GROUPS.items():
        assert groups[name] == models
    assert "Ausgehende E-Mails" in groups["Protokoll und Postausgang"]


def test_a_superuser_also_sees_the_technical_models_under_system(superuser):
    groups = app_list_for(superuser)
    assert list(groups) == expected_groups(superuser=True)
    for name, models in TASK_GROUPS.items():
        assert groups[name] == models
    assert groups["System"] == SYSTEM


def test_every_model_of_the_admin_has_its_group():
    """A model named in no group would be shown under its app's name: give it a place."""
    named = {reference for group in ADMIN_GROUPS for reference in group.models}
    for model in admin.site._registry:
        opts = model._meta
        assert opts.label_lower in named or opts.app_label in named, opts.label_lower


def test_the_start_page_and_the_side_bar_show_the_groups(client, coordinator):
    login_with_second_factor(client, coordinator)
    index = client.get(reverse("admin:index")).content.decode()
    changelist = client.get(reverse("admin:members_company_changelist")).content.decode()
    captions = re.compile(r'<caption>\s*<span class="section">([^<]+)</span>')
    assert captions.findall(index) == expected_groups(superuser=False)
    assert captions.findall(changelist) == expected_groups(superuser=False)
    assert "Flat Pages" not in index and "Authenticators" not in index
