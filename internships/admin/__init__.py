"""The coordinators' side of internships, one module per screen: partner schools
(:mod:`.schools`), school stays with their pupils (:mod:`.stays`), the placement of the pupils
with the placement lists (:mod:`.placements`), and the companies' offers (:mod:`.offers`, read
only: companies keep them in the portal).

Every state change goes through :mod:`internships.services`; the plumbing of the screens is
:mod:`network_portal.admin_views`.
"""

# Importing the screens registers them with the admin site.
from . import offers, schools, stays  # noqa: F401
