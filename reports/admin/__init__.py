"""The coordinators' side of reports: the engagement list with its CSV download and the
company panel (:mod:`.engagement`), and the annual report's downloads (:mod:`.annual_report`),
whose year is chosen on the cockpit (:mod:`reports.cockpit`).

The plumbing of the screens is :mod:`network_portal.admin_views`.
"""

# Importing the screens registers them with the admin site.
from . import engagement  # noqa: F401
