import os

from celery import Celery
from celery.signals import celeryd_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network_portal.settings")

app = Celery("network_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
def _check_database_before_the_worker_starts(**kwargs):
    """A worker on an unmigrated or unreachable database stops with one line (exit status 1)
    instead of failing every task. Beat's scheduler does the same (network_portal.beat)."""
    from .health import exit_unless_database_ready

    exit_unless_database_ready("worker")
