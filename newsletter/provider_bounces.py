"""Bounces and complaints from the mail provider's tracking webhook, in the form providers
really send them, through django-anymail.

The setting ``BOUNCE_WEBHOOK_PROVIDER`` names the provider (one of :data:`PROVIDERS`); the
provider calls ``/newsletter/bounces/provider/``, which is anymail's tracking webhook view
for that provider (``views.bounces.provider_bounce_webhook``): it checks HTTP basic auth
(``ANYMAIL_WEBHOOK_SECRET``, required here) and the provider's signature where it signs
(Mailgun, SendGrid, MailerSend, Postal), and turns the provider's payload into anymail's
normalised tracking events (signal ``anymail.signals.tracking``). :func:`tracking_received`
records those that say an address cannot be reached with ``services.bounce_record``:

- ``bounced`` (the receiving server refused the mail) and ``complained`` (the person marked
  it as spam): a hard bounce, which suppresses the address, unless the server's answer
  carries a temporary status (4.x.x), the provider says it timed out or calls it soft;
- ``rejected`` (the provider refused to send it): hard where the address is invalid or
  bounced before, else (blocked, the provider's limits) soft;
- ``deferred`` (still being tried): a soft bounce, recorded only.

Each event is recorded under the provider's event id, so a webhook the provider posts again
counts once. With the provider or the secret unset, the URL answers 404.
"""

import logging
from importlib import import_module

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured

from network_portal.activity import Process

from . import services
from .bounce_reports import STATUS_CODE, clean_address, kind_of_status, one_line
from .models import Bounce

logger = logging.getLogger(__name__)

# The providers whose tracking webhooks anymail reads and whose checks need no extra package:
# setting value -> anymail's view.
PROVIDERS = {
    "amazon_ses": "anymail.webhooks.amazon_ses.AmazonSESTrackingWebhookView",
    "brevo": "anymail.webhooks.brevo.BrevoTrackingWebhookView",
    "mailersend": "anymail.webhooks.mailersend.MailerSendTrackingWebhookView",
    "mailgun": "anymail.webhooks.mailgun.MailgunTrackingWebhookView",
    "mailjet": "anymail.webhooks.mailjet.MailjetTrackingWebhookView",
    "mailtrap": "anymail.webhooks.mailtrap.MailtrapTrackingWebhookView",
    "postal": "anymail.webhooks.postal.PostalTrackingWebhookView",
    "postmark": "anymail.webhooks.postmark.PostmarkTrackingWebhookView",
    "sendgrid": "anymail.webhooks.sendgrid.SendGridTrackingWebhookView",
    "sparkpost": "anymail.webhooks.sparkpost.SparkPostTrackingWebhookView",
}
HARD_EVENTS = {"bounced", "rejected", "complained"}
SOFT_EVENTS = {"deferred"}
# Why a provider refuses to send that says the address is the problem (anymail's
# RejectReason): an invalid address, or one that bounced before.
REJECTED_ADDRESS = {"invalid", "bounced"}


def webhook_view():
    """anymail's tracking webhook view for ``BOUNCE_WEBHOOK_PROVIDER``, or None while no
    provider or no basic auth secret is set (the webhook is off)."""
    name = settings.BOUNCE_WEBHOOK_PROVIDER
    if name not in PROVIDERS or not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return None
    module, _dot, attribute = PROVIDERS[name].rpartition(".")
    return getattr(import_module(module), attribute).as_view()


def event_kind(event) -> str | None:
    """Hard or soft for an anymail tracking event that reports a failure; None for others
    (delivered, opened, clicked, …)."""
    if event.event_type in SOFT_EVENTS:
        return Bounce.Kind.SOFT
    if event.event_type not in HARD_EVENTS:
        return None
    if event.event_type == "complained":
        return Bounce.Kind.HARD  # the person does not want our mail: stop sending it
    if event.event_type == "rejected" and event.reject_reason not in REJECTED_ADDRESS:
        return Bounce.Kind.SOFT  # refused for another reason (blocked, the provider's limits)
    if event.reject_reason == "timed_out":
        return Bounce.Kind.SOFT
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    if raw.get("Type") == "SoftBounce":  # Postmark: "bounced", but temporary
        return Bounce.Kind.SOFT
    return kind_of_status(f"{event.mta_response or ''} {event.description or ''}", default="hard")


def _diagnostic(event) -> str:
    parts = [event.mta_response, event.description]
    if event.event_type == "complained":
        parts.insert(0, "spam complaint")
    elif event.reject_reason:
        parts.insert(0, event.reject_reason)
    text = " – ".join(one_line(part) for part in parts if part)
    if not STATUS_CODE.search(text) and event.event_type != "complained":
        text = " – ".join(filter(None, [event.event_type, text]))
    return one_line(text)


def tracking_received(sender, event, esp_name, **kwargs):
    """Receiver of ``anymail.signals.tracking``: record a bounce for a failure event."""
    kind = event_kind(event)
    if kind is None:
        return
    address = clean_address(event.recipient)
    if address is None:
        logger.warning("%s reported a %s without a usable address.", esp_name, event.event_type)
        return
    reference = f"{esp_name}:{event.event_id}" if event.event_id else ""
    services.bounce_record(
        email=address,
        kind=kind,
        diagnostic=_diagnostic(event),
        source=esp_name.lower()[: Bounce._meta.get_field("source").max_length],
        reference=reference,
        process=Process.WEBHOOK,
    )


def check_settings(app_configs=None, **kwargs):
    """A system check: the bounce sources' settings make sense."""
    from .bounce_mailbox import Mailbox

    errors = []
    name = settings.BOUNCE_WEBHOOK_PROVIDER
    if name and name not in PROVIDERS:
        errors.append(
            Error(
                f"BOUNCE_WEBHOOK_PROVIDER {name!r} is none of {', '.join(sorted(PROVIDERS))}.",
                id="newsletter.E001",
            )
        )
    if name and not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        errors.append(
            Error(
                "BOUNCE_WEBHOOK_PROVIDER is set but ANYMAIL_WEBHOOK_SECRET is not: the "
                "webhook stays off until it has a secret (user:password).",
                id="newsletter.E002",
            )
        )
    if name in PROVIDERS and settings.ANYMAIL.get("WEBHOOK_SECRET"):
        # anymail checks the provider's own settings (e.g. Mailgun's signing key) when the
        # view is made; missing ones would answer every call with a 500.
        module, _dot, attribute = PROVIDERS[name].rpartition(".")
        try:
            getattr(import_module(module), attribute)()
        except ImproperlyConfigured as error:
            errors.append(Error(str(error), id="newsletter.E004"))
    if settings.BOUNCE_MAILBOX_URL:
        try:
            Mailbox.from_url(settings.BOUNCE_MAILBOX_URL)
        except Exception as error:
            errors.append(Error(str(error), id="newsletter.E003"))
    return errors
