"""One voice: every German text the portal shows says "Sie", never "du", and spells alike.

allauth's German catalogue says "du" ("Du hast dich abgemeldet."); the portal's catalogue
translates those msgids anew (accounts/allauth_texts.py). The checks look at what a user gets:
the translation Django picks with German active, for every msgid of allauth's catalogue and of
ours, the literal text of our overrides of allauth's templates, and the account pages as served.
"""

import html
import re
from pathlib import Path

import allauth
import polib
import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from accounts.allauth_texts import ALLAUTH_MSGIDS

ROOT = Path(__file__).resolve().parents[2]
OUR_CATALOGUE = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
ALLAUTH_CATALOGUE = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
# Our overrides of allauth's templates (and of its MFA and session pages, should any be added).
OVERRIDE_DIRS = [
    ROOT / "templates" / name for name in ("account", "allauth", "mfa", "usersessions")
]

# Informal address: the pronouns, the verb forms that go with "du", and imperatives ("Gib …",
# "Bitte wähle …"). Case-sensitive and whole words, so that "Dublin", "Direktor",
# "Deinstallation", "Steuer", a "Klick" or "Ich bestätige, dass ich … habe" do not count.
_PRONOUNS = (
    "du|Du|dich|Dich|dir|Dir|dein|deine|deinen|deinem|deiner|deines|Dein|Deine|Deinen|Deinem|"
    "Deiner|Deines|euch|Euch|euer|eure|euren|eurem|eurer|Euer|Eure"
)
_VERBS = (
    "hast|bist|kannst|möchtest|wurdest|willst|musst|sollst|solltest|wirst|brauchst|erhältst|"
    "erhälst|sendest|siehst|findest|hattest|warst|weißt|gibst|bekommst|verwendest|darfst|"
    "könntest|würdest|hättest|wärst|klickst|meldest|gehst|kommst|bestätigst|hilfst|benötigst"
)
_IMPERATIVES = (
    "gib|klicke|klick|wähle|lass|bestätige|kontaktiere|melde|versuche|gehe|folge|prüfe|"
    "überprüfe|öffne|verwende|nutze|gebe|trage|sende|schau|sieh|achte|habe|erstelle|richte|"
    "füge|speichere|scanne|lade|beachte|ändere|aktiviere|deaktiviere|registriere|entferne|"
    "fordere|logge|warte"
)
# At the start of a sentence; not the words that are also nouns ("Versuche", "Klick", "Habe").
_SENTENCE_START = "|".join(
    word[0].upper() + word[1:]
    for word in _IMPERATIVES.split("|")
    if word not in ("versuche", "klick", "habe")
)
INFORMAL = re.compile(
    rf"\b(?:{_PRONOUNS}|{_VERBS})\b"
    rf"|(?:^|[.!?:]\s+|\n)(?:{_SENTENCE_START})\b"
    rf"|\b[Bb]itte\s+(?:{_IMPERATIVES})\b"
)


def informal_words(text: str) -> list[str]:
    return [match.group().strip(" .!?:\n") for match in INFORMAL.finditer(text)]


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_check_finds_informal_address():
    """The guard: the check below would fail on allauth's own German."""
    for text in (
        "Du hast dich abgemeldet.",
        "Bitte gib dein aktuelles Passwort ein.",
        "Bitte kontaktiere uns, wenn das Zurücksetzen nicht klappt.",
        "Lass Dir bitte eine neue Bestätigungs-Mail schicken.",
        "Passwort vergessen? Gib deine E-Mail-Adresse ein.",
        "Bitte wähle nur eine aus.",
        "Bist du sicher?",
        "Zu viele Versuche. Klicke auf den Link.",
    ):
        assert informal_words(text), text
    formal = (
        "Sie haben sich abgemeldet. Bitte geben Sie Ihr Passwort ein. Treffen in Dublin mit "
        "dem Direktor; Deinstallation; Steuer. Zu viele Versuche. Mit einem Klick abmelden. "
        "Ich bestätige, dass ich einen Interessenkonflikt habe."
    )
    assert informal_words(formal) == []


def _catalogue_entries():
    for path in (ALLAUTH_CATALOGUE, OUR_CATALOGUE):
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                yield entry


def _what_the_user_reads(entry) -> list[str]:
    if entry.msgid_plural:
        if entry.msgctxt:
            return [
                translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                for n in (1, 2)
            ]
        return [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
    if entry.msgctxt:
        return [translation.pgettext(entry.msgctxt, entry.msgid)]
    return [translation.gettext(entry.msgid)]


def _german_texts_where(check) -> dict:
    """msgid: (German text, what ``check`` found) for every text in which it found something."""
    found = {}
    with translation.override("de"):
        for entry in _catalogue_entries():
            for text in _what_the_user_reads(entry):
                if hits := check(text):
                    found[entry.msgid] = (text, hits)
    return found


def test_every_german_text_of_allauth_and_of_the_portal_says_sie():
    assert _german_texts_where(informal_words) == {}
    with translation.override("de"):
        assert translation.gettext("You have signed out.") == "Sie haben sich abgemeldet."


def test_without_the_portals_catalogue_allauth_would_say_du():
    """The check fails on what allauth ships: it is the portal's catalogue that makes it pass."""
    with override_settings(LOCALE_PATHS=[]):
        informal = _german_texts_where(informal_words)
    assert informal["You have signed out."] == ("Du hast dich abgemeldet.", ["Du", "hast", "dich"])
    assert len(informal) >= 60


def test_allauths_informal_texts_are_all_translated_anew():
    """Each msgid in accounts/allauth_texts.py is one of allauth's (a typo would silently
    leave allauth's "du" in place) and has the portal's own translation."""
    allauth_ids = {entry.msgid for entry in polib.pofile(str(ALLAUTH_CATALOGUE))}
    ours = {entry.msgid: entry for entry in polib.pofile(str(OUR_CATALOGUE))}
    assert [msgid for msgid in ALLAUTH_MSGIDS if msgid not in allauth_ids] == []
    assert [msgid for msgid in ALLAUTH_MSGIDS if not ours[msgid].translated()] == []


def _literal_text(template: str) -> str:
    """What a template prints as it stands: without tags, variables, comments and the text
    inside translate blocks (that is checked in the catalogue)."""
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", template, flags=re.S)
    text = re.sub(r"{#.*?#}", " ", text, flags=re.S)
    text = re.sub(
        r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}", " ", text, flags=re.S
    )
    text = re.sub(r"{%.*?%}|{{.*?}}", " ", text, flags=re.S)
    return _visible_text(text)


def test_our_overrides_of_allauths_templates_say_sie_where_they_print_text_as_it_stands():
    templates = [path for folder in OVERRIDE_DIRS if folder.exists() for path in folder.rglob("*")]
    templates = [path for path in templates if path.suffix in (".html", ".txt")]
    assert len(templates) > 20
    informal = {
        str(path.relative_to(ROOT)): found
        for path in templates
        if (found := informal_words(_literal_text(path.read_text())))
    }
    assert informal == {}
    # The stripping keeps literal text, so a template that printed "Du" would be found.
    assert informal_words(_literal_text("{% load i18n %}<p>Bitte gib {{ x }} ein.</p>")) == [
        "Bitte gib"
    ]


# One spelling: "E-Mail", "E-Mail-Adresse" (not "E-Mailadresse", "Emailadresse", "E-Mail Adresse",
# "Email", "Mail"), and the words of /work/shared/DOMAIN.md for the portal's things.
MISSPELLINGS = re.compile(
    r"E-Mailadresse|Emailadresse|E-Mail Adresse|Email-Adresse|(?<![-\w])Mail-?[Aa]dresse"
    r"|\beMail|\bE-mail\b|\bEmails?\b|(?<![-\w])Mails?\b|Bestätigungs-?[Mm]ail\b"
    # "für es handeln": "für das Unternehmen handeln".
    r"|\bfür es\b"
    # The portal's account is a "Konto" (as in allauth's texts and "Mein Konto").
    r"|Mein Zugang|Zugang anlegen|Noch kein Zugang"
    # DOMAIN.md: Themenvorschlag, Anmeldeschluss.
    r"|Themenwunsch|Themenwünsche|Anmeldefrist"
)


def misspellings(text: str) -> list[str]:
    return MISSPELLINGS.findall(text)


def test_the_spelling_check_finds_the_variants():
    for text in (
        "E-Mailadresse %(email)s entfernt.",
        "Primäre Emailadresse festgelegt.",
        "Ihre E-Mail Adresse",
        "Email-Adresse",
        "Email ändern",
        "Bestätigungs-Mail nochmal verschicken",
        "Noch keine Mails.",
        "Bitten Sie darum, für es handeln zu dürfen.",
        "Mein Zugang",
        "Themenwünsche",
    ):
        assert misspellings(text), text
    correct = (
        "Ihre E-Mail-Adresse; E-Mails an die Hauptadresse; der Mailserver; Zugang zum "
        "Unternehmen entfernen; Themenvorschläge; Anmeldeschluss; Mein Konto."
    )
    assert misspellings(correct) == []


def test_every_german_text_of_allauth_and_of_the_portal_spells_alike():
    assert _german_texts_where(misspellings) == {}
    with override_settings(LOCALE_PATHS=[]):  # allauth's own German would not
        assert "Removed email address %(email)s." in _german_texts_where(misspellings)


ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]
SIGNED_IN_PAGES = ["account_logout", "account_email", "account_change_password", "mfa_index"]


@pytest.mark.django_db
def test_the_account_pages_say_sie(client, company_user):
    informal = {}
    pages = [(name, reverse(name)) for name in ANONYMOUS_PAGES] + [
        ("password reset, bad link", "/accounts/password/reset/key/1-x/"),
        ("email confirmation, bad link", reverse("account_confirm_email", args=["x"])),
    ]
    for name, url in pages:
        response = client.get(url, follow=True)
        if found := informal_words(_visible_text(response.content.decode())):
            informal[name] = found
    client.force_login(company_user)
    for name in SIGNED_IN_PAGES:
        response = client.get(reverse(name), follow=True)
        assert response.status_code == 200, name
        if found := informal_words(_visible_text(response.content.decode())):
            informal[name] = found
    assert informal == {}


@pytest.mark.django_db
def test_signing_out_says_so_with_sie(client, company_user):
    client.force_login(company_user)

    response = client.post(reverse("account_logout"), follow=True)

    assert [str(message) for message in response.context["messages"]] == [
        "Sie haben sich abgemeldet."
    ]
