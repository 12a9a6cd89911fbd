"""The coordinators' side of the newsletter, one module per screen: mailing lists
(:mod:`.lists`), issues (:mod:`.issues`) with their preview (:mod:`.preview`), sending
(:mod:`.sending`) and attachments (:mod:`.attachments`), subscribers with export and erasure
(:mod:`.subscribers`), bounces and deliveries (:mod:`.records`).

Every state change goes through :mod:`newsletter.services`; the admin binds forms, calls one
service, reports the outcome as a message and redirects (the plumbing of the screens is
:mod:`network_portal.admin_views`).
"""

# Importing the screens registers them with the admin site.
from . import attachments, issues, lists, preview, records, sending, subscribers  # noqa: F401
