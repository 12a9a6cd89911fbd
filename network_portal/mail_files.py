"""Mails as files, one ``.eml`` per message: the demo's and development's mail backend.

Django's file backend writes one file per connection (every message the sender sends over it,
and an empty file for a connection that sent none). This one writes each message on its own,
as the RFC 822 bytes an SMTP server would receive, so any mail program opens it, and
``/dev/mails/`` (network_portal.dev_mailbox) lists it.

Names sort by the time of writing: ``20250314-093012-123456-a1b2c3-bestatigen-sie-ihre.eml``
(UTC; a random part keeps two processes writing in the same microsecond apart; then the subject).
Each file is written under a temporary name and renamed, so a reader never sees half a mail.
"""

import os
import re
import secrets
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.text import slugify

SUFFIX = ".eml"
SLUG_LENGTH = 40
# The portal's subject prefix, "[Attraktive Unternehmen Trier] ", would begin every name.
_SUBJECT_PREFIX = re.compile(r"^\s*\[[^\]]*\]\s*")


class EmailBackend(BaseEmailBackend):
    """Writes every message to its own ``.eml`` file in ``EMAIL_FILE_PATH``."""

    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_path = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            try:
                write_message(self.file_path, message.message().as_bytes(), message.subject)
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent


def file_name(subject: str, *, now: datetime | None = None) -> str:
    """A name that sorts by time and says what the mail is about."""
    now = now or datetime.now(UTC)
    slug = slugify(_SUBJECT_PREFIX.sub("", subject or ""))[:SLUG_LENGTH].strip("-") or "mail"
    return f"{now:%Y%m%d-%H%M%S-%f}-{secrets.token_hex(3)}-{slug}{SUFFIX}"


def write_message(folder: Path, content: bytes, subject: str) -> Path:
    """Write ``content`` to a new file in ``folder`` (created if missing); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file_name(subject)
    # A hidden temporary name without the suffix: nothing lists it before it is complete.
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".writing-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o640)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
