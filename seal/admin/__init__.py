"""The coordinators' side of the seal, one module per screen: award cycles (:mod:`.cycles`)
with the copy of an earlier catalogue (:mod:`.copy_catalogue`) and the ranking with threshold,
decisions and sending (:mod:`.ranking`); the catalogue of categories, criteria and scale levels
(:mod:`.catalogue`); applications (:mod:`.applications`) and their jurors (:mod:`.jury`);
certificates (:mod:`.certificates`).

Every state change goes through :mod:`seal.services`; the admin binds forms, calls one service,
reports the outcome as a message and redirects (the plumbing of the screens is
:mod:`network_portal.admin_views`). Once the first application of a cycle is submitted, its
catalogue is shown read-only.
"""

# Importing the screens registers them with the admin site.
from . import applications, catalogue, certificates, copy_catalogue, cycles, jury, ranking  # noqa: F401
