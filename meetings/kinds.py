"""The kinds of events (``Meeting.kind``) and the rule each brings with it.

- The Netzwerktreffen: every member company's contacts who want invitations; a few people per
  company (``per_company_limit``).
- The Christmas reception: the same audience, all member companies; places per company.
- The seal ceremony: only the invited companies (the awarded ones, ``invited_companies``,
  taken over from the seal: ``network_portal.company_groups``), each with its places; it
  cannot be published without them.
- A workshop: seats per company, all member companies or the invited ones.

Every kind honours ``invited_companies``: set, only they are invited and may answer; empty,
all member companies. The mails' subject and opening differ per kind (``meetings/mail_texts``).
"""

from django.utils.translation import gettext_lazy as _

from .models import Meeting

Kind = Meeting.Kind

# Kinds that invite only the companies on the guest list: without one nobody is invited.
GUESTS_ONLY = {Kind.CEREMONY}

# How pages name what each company gets: places at a reception or ceremony, seats in a
# workshop, participants at a network meeting.
PLACES_PER_COMPANY = {
    Kind.NETWORK_MEETING: _("at most %(n)d participants per company"),
    Kind.RECEPTION: _("%(n)d places per company"),
    Kind.CEREMONY: _("%(n)d places per company"),
    Kind.WORKSHOP: _("%(n)d seats per company"),
}


def needs_guest_list(meeting: Meeting) -> bool:
    return meeting.kind in GUESTS_ONLY


def places_per_company(meeting: Meeting) -> str:
    """ "je Unternehmen 2 Plätze" and the like, as the pages say it."""
    return PLACES_PER_COMPANY[meeting.kind] % {"n": meeting.per_company_limit}
