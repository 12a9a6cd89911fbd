from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for ``manage.py seed_demo``; no models, so nothing of it shows in the admin."""

    name = "demo"
