"""A real Celery worker on Redis delivers outbox mails to a real SMTP server, each once."""

import time

import pytest
from django.db import transaction

from network_portal.mail import mail_enqueue
from network_portal.models import OutboxMail
from network_portal.tasks import send_pending_mail
from tests.services import celery_worker, wait_until
from tests.smtp_sink import SMTPSink

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_worker_sends_each_outbox_mail_exactly_once(real_broker):
    recipients = [f"kontakt{i}@moselblick.example" for i in range(12)]
    with SMTPSink() as sink, celery_worker(email_url=sink.url, queue=real_broker) as worker:
        with transaction.atomic():
            for to in recipients:
                mail_enqueue(
                    key=f"worker-test:{to}",
                    to=to,
                    template="members/emails/company_approved",
                    context={"company_name": "Moselblick Pflege GmbH", "profile_url": "http://x/"},
                    language="de",
                )
        delivered = wait_until(lambda: len(sink.recipients()) >= len(recipients))
        # The same task again, and a sweep over everything: nothing goes out twice.
        send_pending_mail.delay()
        send_pending_mail.delay(mail_ids=list(OutboxMail.objects.values_list("pk", flat=True)))
        wait_until(lambda: OutboxMail.objects.filter(status="pending").count() == 0, timeout=20)
        time.sleep(2)  # give a wrongly repeated send the chance to show up
        got = sink.recipients()
        log = worker.log()
    assert delivered, log
    assert sorted(got) == sorted(recipients)
    assert OutboxMail.objects.filter(status="sent").count() == len(recipients)
