"""Certificates: issued when decisions are sent; looked up, downloaded and, if need be,
revoked here."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import MailNoteForm, PortalAdminMixin, admin_url, object_link
from network_portal.downloads import pdf_attachment
from network_portal.text import validate_multi_line

from .. import documents, services
from ..models import Certificate


class ValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "valid"

    def lookups(self, request, model_admin):
        return [("yes", _("valid")), ("expired", _("expired")), ("revoked", _("revoked"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(revoked_at__isnull=True, valid_until__gte=today)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, valid_until__lt=today)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class RevocationReasonForm(MailNoteForm):
    """The reason for revoking, asked on the confirmation page (kept with the certificate and
    in the activity log; the public verification page shows only the date)."""

    note = forms.CharField(
        label=_("Reason for the revocation"),
        help_text=_(
            "Kept with the certificate and in the activity log; the verification page shows "
            "only the date of the revocation."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        validators=[validate_multi_line],
    )


@admin.register(Certificate)
class CertificateAdmin(PortalAdminMixin, admin.ModelAdmin):
    """Certificates are issued when decisions are sent; here they are looked up, downloaded
    and, if need be, revoked (the verification page then no longer confirms them)."""

    list_display = [
        "company",
        "cycle",
        "verification_code",
        "issued_on",
        "valid_until",
        "is_valid",
        "revoked_at",
        "pdf_link",
    ]
    list_filter = [("application__cycle", admin.RelatedOnlyFieldListFilter), ValidityFilter]
    search_fields = ["verification_code", "application__company__name"]
    fields = [
        "company",
        "cycle",
        "verification_code",
        "issued_on",
        "valid_until",
        "revoked_at",
        "revocation_reason",
        "pdf_link",
    ]
    readonly_fields = fields
    actions = ["revoke"]
    not_by_hand = ("add", "change", "delete")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("application__company", "application__cycle")
        )

    def has_revoke_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")

    @admin.display(description=_("Company"), ordering="application__company__name")
    def company(self, certificate):
        return certificate.application.company

    @admin.display(description=_("Cycle"), ordering="application__cycle__applications_open_at")
    def cycle(self, certificate):
        return certificate.application.cycle

    @admin.display(description=_("valid"), boolean=True)
    def is_valid(self, certificate):
        return certificate.is_valid

    @admin.display(description=_("Certificate (PDF)"))
    def pdf_link(self, certificate):
        return object_link("admin:seal_certificate_pdf", certificate, gettext("Download"))

    @admin.action(description=_("Revoke the seal"), permissions=["revoke"])
    def revoke(self, request, queryset):
        reason_form = RevocationReasonForm(
            request.POST if request.POST.get("post") == "yes" else None
        )
        return self.run_after_confirmation(
            request,
            queryset.filter(revoked_at__isnull=True).order_by("application__company__name"),
            lambda certificate: services.certificate_revoke(
                certificate=certificate, reason=reason_form.note_or_none(), by_user=request.user
            ),
            note_form=reason_form,
            action="revoke",
            done_message=ngettext_lazy(
                "%(n)d certificate revoked; its verification page no longer confirms it.",
                "%(n)d certificates revoked; their verification pages no longer confirm them.",
                "n",
            ),
            title=gettext("Revoke the seal?"),
            warning=gettext(
                "The verification pages of these certificates will say that the seal was revoked "
                "on today's date; the seal image disappears. This cannot be undone here."
            ),
            label=lambda certificate: (
                f"{certificate.application.company.name} – "
                f"{certificate.application.cycle.name} ({certificate.verification_code})"
            ),
            list_id="revoke-certificates",
            submit_label=gettext("Yes, revoke the seal"),
            nothing_to_do=gettext("The selected certificates are already revoked."),
            back_label=gettext("Back to the certificates"),
        )

    @admin_url("<int:pk>/pdf/", name="seal_certificate_pdf", pdf=True)
    def pdf_view(self, request, pk):
        certificate = self.object_for(
            request,
            pk,
            queryset=Certificate.objects.select_related(
                "application__company", "application__cycle"
            ),
        )
        application = certificate.application
        return pdf_attachment(
            documents.certificate_pdf(certificate),
            filename=f"urkunde-{application.cycle.slug}-{application.company.slug}.pdf",
        )
