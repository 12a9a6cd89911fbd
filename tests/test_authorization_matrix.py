"""Who gets what at every URL of the portal: one cell per URL pattern and role.

The URL patterns come from walking the root URL resolver, so a new URL without an entry in the
matrix (tests/authz/matrix.py, for the admin tests/authz/admin_matrix.py) makes this module
fail. The admin site's rule is the same for every admin URL: one sweep per login of the rule
requests them all (``test_admin_site_rule``), and the admin's cells test only what each page
adds (the coordinator, staff without permissions). The data is built once for the module
(tests/authz/world.py) and every cell runs in a savepoint of its own that is rolled back
afterwards, so cells do not depend on each other.
"""

from importlib import import_module

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import reverse

from members.models import Company, CompanyMembership
from seal.models import Application
from tests.authz.admin_matrix import ADMIN_MODELS, PAGE_ROLES, SITE_RULE, USER_ADMIN, admin_matrix
from tests.authz.matrix import SITE
from tests.authz.outcomes import OK, Redirect
from tests.authz.urls import url_patterns
from tests.authz.world import MARKERS, ROLES, build_world
from tests.mfa import login_with_second_factor

PATTERNS = url_patterns()
ADMIN = admin_matrix()
MATRIX = {**SITE, **ADMIN}
# Coordinators, jurors and every other staff account log in with the second factor passed
# (world.users["coordinator_password_only"] is the coordinator without it).
SECOND_FACTOR_ROLES = {"juror", "coordinator", "staff"}
TEXT_TYPES = ("text/", "application/json")


def _cells():
    for pattern in PATTERNS:
        entry = MATRIX.get(pattern.key)
        if entry is None:
            yield pytest.param(pattern.key, None, None, id=f"{pattern.key}-MISSING")
            continue
        for role in PAGE_ROLES if pattern.key in ADMIN else ROLES:
            yield pytest.param(pattern.key, role, None, id=f"{pattern.key}-{role}")
        for extra in entry.extras:
            yield pytest.param(
                pattern.key, extra.role, extra, id=f"{pattern.key}[{extra.label}]-{extra.role}"
            )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The matrix's data, built once; rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _log_in(client, role, user):
    if role in SECOND_FACTOR_ROLES:
        login_with_second_factor(client, user)
    else:
        client.force_login(user)


@pytest.fixture(scope="module")
def sessions(world, django_db_blocker):
    """One login per role for the whole module: role -> session key.

    The sessions are rows of the module's transaction, so a cell that changes or ends one
    (a logout) leaves it as it was for the next cell.
    """
    keys = {}
    with django_db_blocker.unblock():
        for role, user in world.users.items():
            client = Client()
            _log_in(client, role, user)
            keys[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


@pytest.fixture
def cell(world, django_db_blocker):
    """A savepoint of the module's transaction, rolled back after the test.

    Not pytest-django's ``django_db``: its TestCase closes the database connection after each
    test, which on PostgreSQL would end the module's transaction with it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def _close(response):
    """Close a response (a streamed file) the way Django's test client does: closing ends "the
    request", and Django would then close a connection inside a transaction (as after a real
    request), which on PostgreSQL would end the module's transaction."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def clients():
    """One test client per role, filled as the cells need them (the middleware chain of a
    client is loaded once)."""
    return {}


@pytest.fixture(autouse=True)
def _bounce_token(settings):
    settings.NEWSLETTER_BOUNCE_TOKEN = "authz-bounce-token"
    # The provider's bounce webhook (django-anymail), on with its basic auth secret.
    settings.BOUNCE_WEBHOOK_PROVIDER = "postmark"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "authz:provider-secret"}


def _value(spec, world):
    return spec(world) if callable(spec) else spec


def _request(client, world, key, entry, extra=None):
    """Send the entry's request (with the extra cell's replacements); returns the path and
    query requested and the response."""

    def pick(name):
        value = getattr(extra, name, None) if extra else None
        return _value(getattr(entry, name) if value is None else value, world)

    path = entry.path(world) if entry.path else reverse(key, kwargs=pick("kwargs") or None)
    query = pick("query")
    requested = f"{path}?{query}" if query else path
    data, headers = pick("data"), pick("headers") or {}
    method = pick("method")
    send = getattr(client, method)
    if method == "get":
        return requested, send(requested, headers=headers)
    if isinstance(data, str):
        return requested, send(requested, data, content_type="application/json", headers=headers)
    return requested, send(requested, data or {}, headers=headers)


def _describe(response) -> str:
    location = response.get("Location")
    return f"{response.status_code}" + (f" to {location}" if location else "")


def _unexpected(expected, response, world, requested) -> str | None:
    """What is wrong with the response's status (and redirect), or None."""
    if isinstance(expected, Redirect):
        right = response.status_code == expected.status and expected.matches(
            world, requested, response.get("Location")
        )
    else:
        right = response.status_code == expected
    return None if right else f"expected {expected}, got {_describe(response)}"


def _body(response) -> str:
    if not response.get("Content-Type", "").startswith(TEXT_TYPES):
        return ""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _client_for(role, entry, world, sessions, clients):
    cache.clear()  # allauth's rate limits count in the cache: no cell spends another's
    client = clients.setdefault(role, Client())
    client.cookies.clear()  # nothing (messages, a new session) carries over from another cell
    user = world.users.get(role)
    if user is not None and entry.fresh_login:
        _log_in(client, role, user)
    elif user is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    return client


# The marker makes pytest-django set up the test database for this module (it sets up only
# what marked tests use); the cells themselves run in the module's transaction (see ``cell``).
@pytest.mark.django_db
def test_every_url_pattern_has_a_matrix_entry():
    keys = [pattern.key for pattern in PATTERNS]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicates, f"URL names used twice (ambiguous in the matrix): {duplicates}"
    missing = sorted(set(keys) - set(MATRIX))
    extra = sorted(set(MATRIX) - set(keys))
    assert not missing, (
        "add an entry to the authorization matrix (tests/authz/matrix.py or, for the admin, "
        f"tests/authz/admin_matrix.py) for: {missing}"
    )
    assert not extra, f"the matrix has entries for URLs that no longer exist: {extra}"
    # The admin site's rule is tested on the admin's entries only (test_admin_site_rule).
    admin_keys = {pattern.key for pattern in PATTERNS if pattern.route.startswith("admin/")}
    misplaced = sorted(admin_keys ^ set(ADMIN))
    assert not misplaced, (
        f"admin URLs belong in tests/authz/admin_matrix.py, nothing else does: {misplaced}"
    )


def test_every_model_in_the_admin_is_in_the_matrix():
    from django.contrib.admin import site

    registered = {f"{m._meta.app_label}_{m._meta.model_name}" for m in site._registry}
    missing, gone = sorted(registered - set(ADMIN_MODELS)), sorted(set(ADMIN_MODELS) - registered)
    assert not missing, f"add to ADMIN_MODELS in tests/authz/admin_matrix.py: {missing}"
    assert not gone, f"no longer in the admin, remove from ADMIN_MODELS: {gone}"


@pytest.mark.usefixtures("cell")
@pytest.mark.parametrize(("key", "role", "extra"), list(_cells()))
def test_authorization(world, sessions, clients, key, role, extra):
    entry = MATRIX.get(key)
    assert entry is not None, f"add an entry to the authorization matrix for {key!r}"
    expected = extra.expect if extra else entry.expect[role]
    client = _client_for(role, entry, world, sessions, clients)
    requested, response = _request(client, world, key, entry, extra)
    cell = f"{key} as {role}" + (f" ({extra.label})" if extra else "")
    try:
        problem = _unexpected(expected, response, world, requested)
        assert problem is None, f"{cell}: {problem}"
        if response.status_code != OK:
            return
        is_page = response.get("Content-Type", "").startswith("text/html")
        if is_page and (role in world.users or entry.token):
            # Pages with personal data are kept by no browser or proxy cache.
            assert "no-store" in response.get("Cache-Control", ""), (
                f"{cell}: Cache-Control is {response.get('Cache-Control')!r}"
            )
        if not entry.token:  # a token page is its token holder's, whoever is logged in
            body = _body(response)
            leaked = [m for m, allowed in MARKERS.items() if role not in allowed and m in body]
            assert not leaked, f"{cell}: the page shows {leaked}"
    finally:
        _close(response)


@pytest.mark.usefixtures("cell")
@pytest.mark.parametrize("role", list(SITE_RULE))
def test_admin_site_rule(world, sessions, clients, role):
    """The admin site's guard, swept over every admin URL pattern: ``SITE_RULE[role]``, unless
    the entry names an exception for the role."""
    wrong = []
    for key, entry in ADMIN.items():
        expected = entry.expect.get(role, SITE_RULE[role])
        # Each request alone: what one changes (the logout of a session without the second
        # factor) is undone before the next.
        with transaction.atomic():
            client = _client_for(role, entry, world, sessions, clients)
            requested, response = _request(client, world, key, entry)
            try:
                problem = _unexpected(expected, response, world, requested)
            finally:
                _close(response)
            transaction.set_rollback(True)
        if problem:
            wrong.append(f"{key}: {problem}")
    assert not wrong, f"the admin site's rule fails for {role} at:\n" + "\n".join(wrong)


@pytest.mark.usefixtures("cell")
def test_the_admin_site_itself_requires_the_second_factor(world, sessions, rf):
    """The second-factor middleware stops a staff session without the second factor before the
    admin sees it (the sweep's "coordinator_password_only"); behind it, the admin site's own
    guard refuses such a session as well (403, PortalAdminSite.admin_view)."""
    from django.contrib.admin import site

    store = import_module(settings.SESSION_ENGINE).SessionStore

    def admitted(role):
        request = rf.get("/admin/")
        request.user, request.session = world.users[role], store(sessions[role])
        return site.has_permission(request)

    assert admitted("coordinator") and admitted("staff")
    assert not admitted("coordinator_password_only")
    assert not admitted("juror")


# The leak check above only proves something if the marked texts do show where they belong.
MARKER_PAGES = [
    ("members:company", "company_admin", "antrag-3b1e@example.org"),
    ("members:company", "company_admin", "einladung-9c4d@example.org"),
    ("meetings:detail", "member", "Teilnehmerin Geheim88d2"),
    ("seal:jury_score", "juror", "Antwort-Geheimnis 51c9"),
    ("admin:members_company_change", "coordinator", "Interne Notiz 7f3a"),
    ("admin:internships_schoolstay_placements", "coordinator", "Schülerin Geheim2a6f"),
]


@pytest.mark.usefixtures("cell")
@pytest.mark.parametrize(("key", "role", "marker"), MARKER_PAGES)
def test_marked_texts_show_where_they_belong(world, sessions, clients, key, role, marker):
    assert role in MARKERS[marker]
    entry = MATRIX[key]
    _requested, response = _request(
        _client_for(role, entry, world, sessions, clients), world, key, entry
    )
    assert response.status_code == OK
    assert marker in _body(response)


@pytest.mark.usefixtures("cell")
def test_the_roles_are_what_the_matrix_assumes(world):
    users = world.users
    coordinator, juror = users["coordinator"], users["juror"]
    # The coordinator's rights come from the group that accounts.roles gives its permissions.
    assert coordinator.is_staff and not coordinator.is_superuser
    assert coordinator.has_perm("seal.view_application")
    assert not coordinator.has_perm("auth.view_group")  # auth is not a coordinators' app
    assert not users["staff"].get_all_permissions()
    assert not juror.is_staff and not CompanyMembership.objects.filter(user=juror).exists()
    assert world.assignment.juror == juror
    assert world.assignment.application.company == world.company
    assert world.application.is_submitted
    assert users["member"].membership.company == world.company
    assert not users["member"].membership.is_admin
    assert users["company_admin"].membership.is_admin
    assert users["other"].membership.company.is_active_member
    assert users["other"].membership.company != world.company
    assert users["pending"].membership.is_admin
    assert users["pending"].membership.company.status == Company.Status.PENDING
    assert users["coordinator_password_only"] == coordinator
    assert world.certificate.application.decision == Application.Decision.AWARDED


@pytest.mark.usefixtures("cell")
def test_a_coordinator_cannot_make_anyone_a_superuser(world, client):
    """Coordinators manage accounts in the admin, but superuser rights and single permissions
    are not theirs to hand out (not even to themselves)."""
    coordinator = world.users["coordinator"]
    login_with_second_factor(client, coordinator)
    response = client.post(
        reverse(f"admin:{USER_ADMIN}_change", args=[coordinator.pk]),
        {
            "email": coordinator.email,
            "first_name": coordinator.first_name,
            "last_name": coordinator.last_name,
            "language": "de",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [world.coordinators_group.pk],
            "user_permissions": [world.permission.pk],
            "date_joined_0": "2024-01-02",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302  # saved: the other fields may change
    coordinator.refresh_from_db()
    assert not coordinator.is_superuser
    assert not coordinator.user_permissions.exists()
