"""Reading the bounce reports that mail systems send back: which addresses failed, and how.

The addresses come from flufl.bounce (GNU Mailman's maintained bounce detectors): RFC 3464
delivery status notifications (Postfix, Exim, Exchange and Microsoft 365, Gmail, …) and the
older formats of qmail, Exim, GroupWise and others. flufl.bounce sorts them only by the DSN's
``Action`` (``failed`` = permanent, ``delayed`` = temporary) and keeps no reason. Postfix and
others send ``Action: failed`` for a temporary cause as well, once they give up retrying
(``Status: 4.2.2`` mailbox full, ``4.4.1`` no answer): so for a DSN the kind is read from the
recipient's ``Status`` with the email module (RFC 3464 and RFC 3463: class 5 = permanent, a
hard bounce; class 4 = temporary, a soft one), with its ``Diagnostic-Code`` as the diagnostic.

Anyone can send mail to the bounce mailbox, so a report's word alone proves nothing:
:func:`returned_message_ids` finds the Message-IDs of the mail a report returns (its
message/rfc822 or text/rfc822-headers part, the ``Original-Message-ID`` /
``X-Original-Message-ID`` fields, the copy below qmail's line), and
:mod:`newsletter.bounce_mailbox` records a failure only for a Message-ID the portal gave a mail
it sent to that very address.
"""

import re
from dataclasses import dataclass
from email import message_from_string
from email.iterators import typed_subpart_iterator
from email.message import Message
from email.utils import parseaddr

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .models import Bounce

# A Message-ID in a header's text; a field may hold several (References).
MESSAGE_ID = re.compile(r"<[^<>\s]{3,250}>")
ORIGINAL_ID_FIELDS = ("original-message-id", "x-original-message-id")
# qmail returns the message as text below this line (QSBMF).
QMAIL_COPY = "--- Below this line is a copy of the message."
# An enhanced mail system status code (RFC 3463): class.subject.detail.
STATUS_CODE = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")
MAX_DIAGNOSTIC = 1000
MAX_ADDRESS = 254  # the address column (Bounce.email)


@dataclass(frozen=True)
class Failure:
    """One address a report says failed: ``kind`` hard or soft, and the reason given."""

    email: str
    kind: str
    diagnostic: str


def kind_of_status(status: str, *, default: str) -> str:
    """Hard for a permanent status (5.x.x), soft for a temporary one (4.x.x); ``default`` for
    a text without either."""
    match = STATUS_CODE.search(status or "")
    if match is None or match.group(1) == "2":
        return default
    return Bounce.Kind.HARD if match.group(1) == "5" else Bounce.Kind.SOFT


def one_line(text, *, limit: int = MAX_DIAGNOSTIC) -> str:
    """A header's or a provider's text as one line of at most ``limit`` characters, without
    what PostgreSQL refuses (NUL characters, lone surrogates)."""
    text = " ".join(str(text or "").split())
    return text.encode("utf-8", "replace").decode().replace("\x00", "")[:limit]


def clean_address(value) -> str | None:
    """The address of a recipient field (``rfc822; a@b.example``, ``<a@b.example>``), lower
    case, or None if it is none we could mail."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    value = str(value or "")
    if ";" in value:  # an address type: "rfc822; a@b.example"
        address_type, _sep, value = value.partition(";")
        if address_type.strip().lower() != "rfc822":
            return None
    address = parseaddr(value.strip())[1].strip().lower()
    if not address or len(address) > MAX_ADDRESS:
        return None
    try:
        validate_email(address)
    except ValidationError:
        return None
    return address


def _dsn_failures(message: Message) -> dict[str, Failure]:
    """The failed and delayed recipients of the message's delivery-status parts (RFC 3464),
    by address."""
    found = {}
    for part in typed_subpart_iterator(message, "message", "delivery-status"):
        if not part.is_multipart():
            continue
        for block in part.get_payload():
            action = str(block.get("action", "")).strip().lower()
            if action.startswith("delayed"):
                default = Bounce.Kind.SOFT
            elif action.startswith(("failed", "fail", "error")):
                default = Bounce.Kind.HARD
            else:  # delivered, relayed, expanded: no failure
                continue
            address = clean_address(block.get("original-recipient")) or clean_address(
                block.get("final-recipient")
            )
            if address is None:
                continue
            status = one_line(block.get("status", ""), limit=20)
            if action.startswith("delayed"):
                kind = Bounce.Kind.SOFT  # a warning: the mail is still being tried
            else:
                kind = kind_of_status(status, default=default)
            diagnostic = one_line(f"{status} {one_line(block.get('diagnostic-code', ''))}")
            found[address] = Failure(address, kind, diagnostic)
    return found


def failures(message: Message) -> list[Failure]:
    """Every address the bounce report ``message`` says failed, each once (a hard failure
    wins over a soft one); none for a mail that is no bounce report (an out-of-office reply).
    """
    from flufl.bounce import all_failures  # imported where used, like every heavy library

    temporary, permanent = all_failures(message)
    dsn = _dsn_failures(message)
    subject = one_line(message.get("subject", ""), limit=200)
    found: dict[str, Failure] = {}
    for addresses, kind in ((temporary, Bounce.Kind.SOFT), (permanent, Bounce.Kind.HARD)):
        for raw in addresses:
            address = clean_address(raw)
            if address is None:
                continue
            # A DSN says more than flufl.bounce keeps (the status, the reason); other
            # formats have only flufl.bounce's word and the report's subject.
            failure = dsn.get(address) or Failure(address, kind, subject)
            known = found.get(address)
            if known is None or (
                known.kind == Bounce.Kind.SOFT and failure.kind == Bounce.Kind.HARD
            ):
                found[address] = failure
    for address, failure in dsn.items():  # where flufl.bounce stopped at another detector
        found.setdefault(address, failure)
    return sorted(found.values(), key=lambda failure: failure.email)


def _ids_in(values) -> list[str]:
    return [found for value in values for found in MESSAGE_ID.findall(" ".join(str(value).split()))]


def returned_message_ids(message: Message) -> list[str]:
    """The Message-IDs of the mail the report ``message`` returns, each once: of its
    message/rfc822 or text/rfc822-headers part, its ``Original-Message-ID`` and
    ``X-Original-Message-ID`` fields (in the report's header or its delivery-status part), and of
    the copy qmail puts below its line. Not the report's own Message-ID."""
    values = [value for name in ORIGINAL_ID_FIELDS for value in message.get_all(name, [])]
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status" and part.is_multipart():
            for block in part.get_payload():
                values += [v for name in ORIGINAL_ID_FIELDS for v in block.get_all(name, [])]
        elif content_type == "message/rfc822" and part.is_multipart():
            values += [returned.get("message-id", "") for returned in part.get_payload()]
        elif content_type == "text/rfc822-headers":
            headers = message_from_string(_text(part))
            values.append(headers.get("message-id", ""))
        elif content_type == "text/plain" and QMAIL_COPY in (text := _text(part)):
            copy = message_from_string(text.partition(QMAIL_COPY)[2].lstrip("\r\n"))
            values.append(copy.get("message-id", ""))
    return list(dict.fromkeys(_ids_in(values)))


def _text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(part.get_payload() or "")
    return payload.decode(part.get_content_charset() or "utf-8", "replace")
