"""A real Celery worker on Redis delivers outbox mails to a real SMTP server, each once."""

import subprocess
import sys
import time

import pytest
from django.db import transaction

from network_portal.mail import mail_enqueue
from network_portal.models import OutboxMail
from network_portal.tasks import send_mail, sweep_mail
from tests.services import ROOT, celery_worker, service_env, wait_until
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
        # More senders, and beat's sweep over everything: nothing goes out twice.
        send_mail.delay(queue="outbox")
        send_mail.delay(queue="outbox")
        sweep_mail.delay()
        wait_until(lambda: OutboxMail.objects.filter(status="pending").count() == 0, timeout=20)
        time.sleep(2)  # give a wrongly repeated send the chance to show up
        got = sink.recipients()
        log = worker.log()
    assert delivered, log
    assert sorted(got) == sorted(recipients)
    assert OutboxMail.objects.filter(status="sent").count() == len(recipients)


def test_a_broker_that_is_down_does_not_fail_the_change_and_the_sweep_sends_later(real_broker):
    # A web process whose broker is down: the change and its mail are saved, nothing raises.
    script = (
        "from django.db import transaction\n"
        "from network_portal.mail import mail_enqueue\n"
        "with transaction.atomic():\n"
        "    mail_enqueue(key='broker-down', to='anna@moselblick.example',"
        " template='members/emails/company_approved',"
        " context={'company_name': 'Moselblick Pflege GmbH', 'profile_url': 'http://x/'},"
        " language='de')\n"
        "print('saved')\n"
    )
    env = service_env(email_url="smtp://127.0.0.1:1", queue=real_broker, extra_env=None)
    env["CELERY_BROKER_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    web = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert web.returncode == 0, web.stderr[-3000:]
    assert web.stdout.strip().endswith("saved")
    assert OutboxMail.objects.get(key="broker-down").status == "pending"

    # The broker is back: beat's sweep starts a sender.
    with SMTPSink() as sink, celery_worker(email_url=sink.url, queue=real_broker) as worker:
        sweep_mail.delay()
        delivered = wait_until(lambda: sink.recipients() == ["anna@moselblick.example"])
        log = worker.log()
    assert delivered, log
