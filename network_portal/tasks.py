from celery import shared_task

from .mail import send_pending


@shared_task(name="network_portal.send_pending_mail")
def send_pending_mail(mail_ids: list[int] | None = None) -> int:
    return send_pending(mail_ids=mail_ids)
