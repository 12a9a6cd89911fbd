"""Turn an issue into the mail one subscriber receives."""

import functools

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from network_portal import rich_text
from network_portal.office import Office, office
from network_portal.signing import absolute_url, make_token, site_domain

from .models import Issue, Subscriber

UNSUBSCRIBE_PURPOSE = "newsletter-unsubscribe"
PREFERENCES_PURPOSE = "newsletter-preferences"
CONFIRM_PURPOSE = "newsletter-confirm"


def body_html(text: str) -> str:
    """Markdown to HTML, sanitised: no scripts, no event handlers, only http(s)/mailto links
    (cached: an issue's body is rendered once, not once per recipient)."""
    return rich_text.markdown_html(text)


def body_text(text: str) -> str:
    """The mail's text part: readable plain text made from the Markdown, not its source."""
    return rich_text.markdown_text(text)


def salutation(subscriber: Subscriber | None) -> str:
    """ "Sehr geehrte Frau Dr. Müller," – or "Guten Tag," when we don't know enough."""
    if subscriber is None or not subscriber.last_name or not subscriber.salutation:
        return _("Hello,")
    name = " ".join(p for p in (subscriber.title, subscriber.last_name) if p)
    if subscriber.salutation == Subscriber.Salutation.MS:
        return pgettext("letter salutation", "Dear Ms %(name)s,") % {"name": name}
    return pgettext("letter salutation", "Dear Mr %(name)s,") % {"name": name}


def subscriber_links(subscriber: Subscriber) -> dict:
    unsubscribe = make_token(purpose=UNSUBSCRIBE_PURPOSE, payload={"s": subscriber.pk})
    preferences = make_token(purpose=PREFERENCES_PURPOSE, payload={"s": subscriber.pk})
    return {
        "unsubscribe_url": absolute_url(reverse("newsletter:unsubscribe", args=[unsubscribe])),
        "preferences_url": absolute_url(reverse("newsletter:preferences", args=[preferences])),
        "unsubscribe_token": unsubscribe,
    }


# Placeholders for what differs per recipient: the issue's templates are rendered once per
# issue and language, and each mail only fills these in.
_PERSONAL = {
    "salutation": "\x00SALUTATION\x00",
    "unsubscribe_url": "\x00UNSUBSCRIBE\x00",
    "preferences_url": "\x00PREFERENCES\x00",
}


@functools.lru_cache(maxsize=16)
def _issue_layout(
    issue_pk: int, revision: str, language: str, personal: bool, site_url: str, office: Office
) -> tuple:
    issue = Issue.objects.get(pk=issue_pk)
    with translation.override(language):
        context = {
            "issue": issue,
            "body_html": rich_text.markdown_mail_html(issue.body),
            "body_text": body_text(issue.body),
            "site_url": settings.SITE_URL,
            "office": office,
            "imprint_url": absolute_url(reverse("imprint")),
            "archive_url": absolute_url(reverse("newsletter:archive")),
            "language": language,
            **(_PERSONAL if personal else {"salutation": _PERSONAL["salutation"]}),
        }
        text = render_to_string("newsletter/emails/issue.txt", context).strip()
        html = render_to_string("newsletter/emails/issue.html", context)
    return text, html


def render_issue(issue: Issue, subscriber: Subscriber | None, *, language: str) -> dict:
    """Subject, text and HTML of ``issue`` for ``subscriber`` (None: the archive's version)."""
    links = subscriber_links(subscriber) if subscriber is not None else {}
    revision = f"{issue.subject}\x00{issue.preheader}\x00{issue.body}"
    text, html = _issue_layout(
        issue.pk, revision, language, subscriber is not None, settings.SITE_URL, office()
    )
    with translation.override(language):
        greeting = salutation(subscriber)
    for key, marker in _PERSONAL.items():
        value = greeting if key == "salutation" else links.get(key, "")
        text = text.replace(marker, value)
        html = html.replace(marker, escape(value))
    return {"subject": issue.subject, "text": text, "html": html, **links}


def issue_message(issue: Issue, subscriber: Subscriber, *, attachments):
    """The complete mail, with RFC 8058 one-click unsubscribe headers."""
    rendered = render_issue(issue, subscriber, language=subscriber.language)
    mailto = (
        f"mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}"
        f"?subject=unsubscribe%20{rendered['unsubscribe_token']}"
    )
    message = EmailMultiAlternatives(
        subject=rendered["subject"],
        body=rendered["text"],
        from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{rendered['unsubscribe_url']}>, <{mailto}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"Newsletter <newsletter.{site_domain()}>",
            "Precedence": "bulk",
        },
    )
    message.attach_alternative(rendered["html"], "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message
