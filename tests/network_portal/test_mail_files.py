"""Mails as files (network_portal.mail_files): one .eml file per message, never an empty one."""

import email
from email import policy

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection

from network_portal.mail import binary_attachment, mail_enqueue, send_pending

BACKEND = "network_portal.mail_files.EmailBackend"


def eml_files(folder):
    return sorted(folder.glob("*.eml"))


def parse(path):
    with path.open("rb") as handle:
        return email.message_from_binary_file(handle, policy=policy.default)


def test_several_messages_over_one_connection_become_one_file_each(tmp_path):
    messages = [
        EmailMessage(
            f"Einladung Nr. {n}", f"Text {n}", "netzwerk@example.org", [f"p{n}@example.org"]
        )
        for n in range(3)
    ]
    with get_connection(BACKEND, file_path=tmp_path) as connection:
        assert connection.send_messages(messages) == 3

    files = eml_files(tmp_path)
    assert len(files) == 3
    parsed = sorted((parse(path) for path in files), key=lambda m: m["Subject"])
    assert [(m["To"], m["Subject"]) for m in parsed] == [
        ("p0@example.org", "Einladung Nr. 0"),
        ("p1@example.org", "Einladung Nr. 1"),
        ("p2@example.org", "Einladung Nr. 2"),
    ]
    assert parsed[1].get_content().strip() == "Text 1"
    # Nothing else is left in the folder: no temporary file, no file for the connection.
    assert sorted(tmp_path.iterdir()) == files


def test_names_sort_by_time_and_say_the_subject(tmp_path):
    with get_connection(BACKEND, file_path=tmp_path) as connection:
        for subject in (
            "[Attraktive Unternehmen Trier] Bestätigen Sie Ihre E-Mail-Adresse",
            "Zweite",
        ):
            connection.send_messages(
                [EmailMessage(subject, "x", "a@example.org", ["b@example.org"])]
            )
    first, second = eml_files(tmp_path)  # sorted by name = by time of writing
    assert first.name.endswith("-bestatigen-sie-ihre-e-mail-adresse.eml")
    assert second.name.endswith("-zweite.eml")


def test_an_empty_batch_and_an_unused_connection_write_no_file(tmp_path):
    connection = get_connection(BACKEND, file_path=tmp_path)
    connection.open()
    assert connection.send_messages([]) == 0
    connection.close()
    assert list(tmp_path.iterdir()) == []


def test_html_part_and_attachment_survive_in_the_file(tmp_path):
    message = EmailMultiAlternatives(
        "Netzwerktreffen", "Text", "netzwerk@example.org", ["anna@example.org"]
    )
    message.attach_alternative("<p>Hallo <b>Anna</b></p>", "text/html")
    message.attach("treffen.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    get_connection(BACKEND, file_path=tmp_path).send_messages([message])

    (path,) = eml_files(tmp_path)
    parsed = parse(path)
    assert "<b>Anna</b>" in parsed.get_body(preferencelist=("html",)).get_content()
    (attachment,) = parsed.iter_attachments()
    assert attachment.get_filename() == "treffen.ics"
    assert attachment.get_content_type() == "text/calendar"


@pytest.mark.django_db
def test_the_portals_sender_writes_one_file_per_outbox_mail(settings, tmp_path):
    """The one sender opens a connection per batch; each mail still gets its own file, and a
    run with nothing to send writes none."""
    settings.EMAIL_BACKEND = BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path)
    assert send_pending() == 0
    assert list(tmp_path.iterdir()) == []

    for n, address in enumerate(["anna@example.org", "ben@example.org", "cem@example.org"]):
        mail_enqueue(
            key=f"test:file:{n}",
            to=address,
            template="members/emails/company_approved",
            context={"company_name": f"Firma {n}", "profile_url": "http://x/p/"},
            language="de",
            attachments=[
                binary_attachment(
                    filename="info.pdf", content=b"%PDF-1.4", mimetype="application/pdf"
                )
            ],
            send=False,
        )
    assert send_pending() == 3

    parsed = {m["To"]: m for m in map(parse, eml_files(tmp_path))}
    assert sorted(parsed) == ["anna@example.org", "ben@example.org", "cem@example.org"]
    # (Django folds an encoded subject onto the next line; mail programs drop the space.)
    assert parsed["ben@example.org"]["Subject"].strip() == (
        "[Attraktive Unternehmen Trier] Willkommen im Netzwerk: „Firma 1“ ist freigegeben"
    )
    (attachment,) = parsed["cem@example.org"].iter_attachments()
    assert attachment.get_content() == b"%PDF-1.4"
    assert send_pending() == 0
    assert len(eml_files(tmp_path)) == 3
