"""The coordinators' side of the cooperation board, one module per screen: projects with
their status steps (:mod:`.projects`), bookings with attendance (:mod:`.bookings`), the
companies' interest and the messages sent (:mod:`.interests`).

Every state change goes through :mod:`cooperation.services`.
"""

# Importing the screens registers them with the admin site.
from . import bookings, interests, projects  # noqa: F401
