from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from meetings.models import Meeting
from members.models import Company

from .celery import app as celery_app


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        next_meeting = (
            Meeting.objects.filter(status=Meeting.Status.PUBLISHED, starts_at__gte=timezone.now())
            .select_related("host")
            .order_by("starts_at")
            .first()
        )
        return super().get_context_data(
            member_count=Company.objects.active().count(), next_meeting=next_meeting, **kwargs
        )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


@never_cache
def healthz(request):
    database, broker = _database_ok(), _broker_ok()
    return JsonResponse(
        {
            "status": "ok" if database and broker else "degraded",
            "database": database,
            "broker": broker,
        }
    )
