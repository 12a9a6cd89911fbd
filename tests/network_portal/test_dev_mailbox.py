"""The development mailbox /dev/mails/: the mail files to read and click through, only in debug
mode with mails written as files; a 404 everywhere else."""

import re

import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from network_portal.mail_files import write_message

pytestmark = pytest.mark.django_db

BACKEND = "network_portal.mail_files.EmailBackend"


@pytest.fixture
def mail_dir(settings, tmp_path):
    """Debug mode, mails written as files to a folder of the test's own."""
    folder = tmp_path / "mail"
    settings.DEBUG = True
    settings.EMAIL_BACKEND = BACKEND
    settings.EMAIL_FILE_PATH = str(folder)
    return folder


def write(
    folder, *, subject="Hallo", to="anna@example.org", text="Text", html=None, files=(), date=None
):
    headers = {"Date": date} if date else {}
    message = EmailMultiAlternatives(subject, text, "netzwerk@example.org", [to], headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in files:
        message.attach(filename, content, mimetype)
    return write_message(folder, message.message().as_bytes(), subject).name


def urls(name="x.eml"):
    return [
        reverse("dev_mailbox"),
        reverse("dev_mail", args=[name]),
        reverse("dev_mail_html", args=[name]),
        reverse("dev_mail_attachment", args=[name, 1]),
    ]


def test_without_debug_mode_the_mailbox_does_not_exist(client, settings, mail_dir):
    name = write(mail_dir, html="<p>x</p>", files=[("a.txt", "a", "text/plain")])
    settings.DEBUG = False
    for url in urls(name):
        assert client.get(url).status_code == 404, url


def test_without_mail_files_the_mailbox_does_not_exist(client, settings, mail_dir):
    name = write(mail_dir, html="<p>x</p>", files=[("a.txt", "a", "text/plain")])
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for url in urls(name):
        assert client.get(url).status_code == 404, url


def test_the_list_shows_newest_first_with_recipient_and_subject(client, mail_dir):
    write(mail_dir, subject="Erste Mail", to="anna@example.org")
    write(
        mail_dir, subject="[Attraktive Unternehmen Trier] Zweite Mail „Test“", to="ben@example.org"
    )
    page = client.get(reverse("dev_mailbox")).content.decode()
    entries = re.findall(r'<a class="list-group-item[^"]*" href="([^"]+)">(.*?)</a>', page, re.S)
    assert len(entries) == 2
    newest, oldest = (re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)) for _, body in entries)
    assert "[Attraktive Unternehmen Trier] Zweite Mail „Test“" in newest
    assert "An: ben@example.org" in newest
    assert "Erste Mail" in oldest and "anna@example.org" in oldest


def test_dates_show_in_the_portals_time_zone(client, mail_dir):
    # Django writes the date in UTC as "-0000"; Trier is an hour ahead in winter.
    name = write(mail_dir, date="Thu, 03 Dec 2026 13:38:43 -0000")
    write(mail_dir, date="Thu, 03 Dec 2026 09:05:00 +0100")
    assert "3. Dezember 2026 14:38" in client.get(reverse("dev_mail", args=[name])).content.decode()
    page = client.get(reverse("dev_mailbox")).content.decode()
    assert "3. Dezember 2026 14:38" in page and "3. Dezember 2026 09:05" in page


def test_an_empty_mailbox_says_how_mail_gets_there(client, mail_dir):
    page = client.get(reverse("dev_mailbox")).content.decode()
    assert "Noch keine E-Mails. Legen Sie zum Beispiel ein Konto an" in page


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_is_paginated_with_the_same_queries(
    client, mail_dir, count, django_assert_num_queries
):
    for n in range(count):
        write(mail_dir, subject=f"Mail {n:02}")
    with django_assert_num_queries(0):
        page = client.get(reverse("dev_mailbox")).content.decode()
    assert page.count('class="list-group-item') == min(count, 25)
    assert f"Mail {count - 1:02}" in page  # the newest on the first page
    if count == 30:
        second = client.get(reverse("dev_mailbox"), {"page": 2}).content.decode()
        assert second.count('class="list-group-item') == 5
        assert "Mail 00" in second and "Seite 2 von 2" in second


def test_a_mail_shows_headers_text_with_clickable_links_and_attachments(client, mail_dir):
    name = write(
        mail_dir,
        subject="Bitte bestätigen Sie Ihre E-Mail-Adresse",
        to="katrin@example.org",
        text="Bitte öffnen Sie:\nhttp://127.0.0.1:8000/accounts/confirm-email/abc123/\n\nDanke",
        html="<p>Bitte <a href='http://127.0.0.1:8000/x/'>bestätigen</a></p>",
        files=[("programm.pdf", b"%PDF-1.4\x00\xff", "application/pdf")],
    )
    response = client.get(reverse("dev_mail", args=[name]))
    page = response.content.decode()
    assert "<h1" in page and "Bitte bestätigen Sie Ihre E-Mail-Adresse</h1>" in page
    assert "katrin@example.org" in page and "netzwerk@example.org" in page
    # The date in the reader's time zone and words: "3. Dezember 2026 14:38".
    assert re.search(r"<dt[^>]*>Datum</dt>\s*<dd[^>]*>\d{1,2}\. \w+ \d{4} \d{2}:\d{2}</dd>", page)
    assert '<a href="http://127.0.0.1:8000/accounts/confirm-email/abc123/" rel="nofollow">' in page
    assert f'src="{reverse("dev_mail_html", args=[name])}"' in page
    attachment_url = reverse("dev_mail_attachment", args=[name, 1])
    assert f'href="{attachment_url}" download>programm.pdf</a>' in page
    # The page itself keeps the portal's strict policy.
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]

    download = client.get(attachment_url)
    assert download.content == b"%PDF-1.4\x00\xff"
    assert download["Content-Disposition"] == 'attachment; filename="programm.pdf"'
    assert client.get(reverse("dev_mail_attachment", args=[name, 2])).status_code == 404


def test_the_html_part_is_served_sandboxed_for_the_portals_own_frame(client, mail_dir):
    name = write(
        mail_dir,
        html="<html><head><title>t</title></head><body><a href='http://x/'>Link</a>"
        "<script>alert(1)</script></body></html>",
    )
    response = client.get(reverse("dev_mail_html", args=[name]))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "sandbox allow-popups allow-popups-to-escape-sandbox" in policy
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert "script-src" not in policy  # no script at all: default-src 'none'
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # Links open in the whole window (the portal's pages refuse to be framed).
    assert response.content.decode().startswith('<html><head><base target="_top"><title>')


def test_a_mail_without_html_has_no_frame(client, mail_dir):
    name = write(mail_dir)
    assert "<iframe" not in client.get(reverse("dev_mail", args=[name])).content.decode()
    assert client.get(reverse("dev_mail_html", args=[name])).status_code == 404


def test_only_mail_files_listed_in_the_folder_can_be_opened(client, mail_dir):
    write(mail_dir)
    (mail_dir.parent / "secret.eml").write_bytes(b"Subject: geheim\n\nx")
    (mail_dir / ".writing-abc.tmp").write_bytes(b"Subject: halb\n\nx")
    (mail_dir / "notes.txt").write_bytes(b"Subject: notiz\n\nx")
    for name in ("..%2Fsecret.eml", "..", ".writing-abc.tmp", "notes.txt", "nothing.eml"):
        assert client.get(f"/dev/mails/{name}/").status_code == 404, name
    assert client.get("/dev/mails/../secret.eml/").status_code == 404
    page = client.get(reverse("dev_mailbox")).content.decode()
    assert "geheim" not in page and "halb" not in page and "notiz" not in page


def test_the_sign_up_page_points_to_the_mailbox_in_debug_mode_only(client, settings, mail_dir):
    url = reverse("account_email_verification_sent")
    page = client.get(url).content.decode()
    assert f'<a href="{reverse("dev_mailbox")}">Postfach der Entwicklung öffnen</a>' in page
    settings.DEBUG = False
    assert reverse("dev_mailbox") not in client.get(url).content.decode()
