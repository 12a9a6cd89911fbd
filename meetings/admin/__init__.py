"""The coordinators' side of meetings, one module per screen: planning and publishing
(:mod:`.meetings`), the participant overview with its lists and the check-in
(:mod:`.participants`), registrations, topic proposals (:mod:`.topics`) and feedback.

Every state change goes through :mod:`meetings.services`; the admin binds forms, calls one
service, reports the outcome as a message and redirects (the plumbing of the screens is
:mod:`network_portal.admin_views`). Calendar feeds are not registered: their tokens are secrets.
"""

# Importing the screens registers them with the admin site.
from . import (  # noqa: F401
    feedback,
    meetings,
    participants,
    questions,
    registrations,
    speakers,
    topics,
)
