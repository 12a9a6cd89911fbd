"""The coordinators' side of members, one module per screen: member companies with their
status actions and export (:mod:`.companies`) and the CSV import (:mod:`.csv_import`), contact
persons (:mod:`.contacts`), join requests (:mod:`.join_requests`) and invitations
(:mod:`.invitations`).

Every state change goes through :mod:`members.services`; the plumbing of the screens is
:mod:`network_portal.admin_views`.
"""

# Importing the screens registers them with the admin site.
from . import (  # noqa: F401
    companies,
    contacts,
    csv_import,
    expertise,
    invitations,
    join_requests,
)
