from django.contrib import admin
from django.contrib.flatpages import views as flatpage_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import dev_mailbox, views

admin.site.site_header = _("Attraktive Unternehmen Trier – Coordination")
admin.site.site_title = _("Coordination")
admin.site.index_title = _("Network administration")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("newsletter/", include("newsletter.urls")),
    path("seal/", include("seal.urls")),
    path("cooperation/", include("cooperation.urls")),
    path("internships/", include("internships.urls")),
    # Django's language switch; a logged-in person's choice is kept with the account.
    path("i18n/", include("accounts.i18n_urls")),
    path("account/", include("accounts.urls")),
    path("impressum/", flatpage_views.flatpage, {"url": "/impressum/"}, name="imprint"),
    path("datenschutz/", flatpage_views.flatpage, {"url": "/datenschutz/"}, name="privacy"),
    path(
        "barrierefreiheit/",
        flatpage_views.flatpage,
        {"url": "/barrierefreiheit/"},
        name="accessibility",
    ),
    path("admin/", admin.site.urls),
    # The development mailbox: 404 unless DJANGO_DEBUG is on and mails are written as files.
    path("dev/mails/", dev_mailbox.mailbox, name="dev_mailbox"),
    path("dev/mails/<str:name>/", dev_mailbox.mail_detail, name="dev_mail"),
    path("dev/mails/<str:name>/html/", dev_mailbox.mail_html, name="dev_mail_html"),
    path(
        "dev/mails/<str:name>/attachments/<int:number>/",
        dev_mailbox.mail_attachment,
        name="dev_mail_attachment",
    ),
]

# Error pages that never read the request's body (see network_portal.errors).
handler400 = "network_portal.errors.bad_request"
handler403 = "network_portal.errors.permission_denied"
handler404 = "network_portal.errors.page_not_found"
handler500 = "network_portal.errors.server_error"
