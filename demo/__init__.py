"""The portal's fictional demo data and ``manage.py seed_demo``.

Outside the apps: one module per app (``demo.members``, ``demo.meetings``, ``demo.newsletter``,
``demo.seal``) may import anything; nothing but tests and bench/ imports this package.
"""
