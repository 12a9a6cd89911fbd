"""The coordinators' side of the newsletter: lists, issues (preview, test, send, schedule,
progress), subscribers (export, erasure), bounces and deliveries.

Every state change goes through :mod:`newsletter.services`; the admin binds forms, calls one
service, reports the outcome as a message and redirects. An issue that is no longer a draft is
shown read-only, and only drafts can be deleted. Subscribers are never deleted here: the erase
action also removes the address from past deliveries, which a plain delete would keep.
"""

import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from network_portal.downloads import attachment
from network_portal.uploads import DOCUMENT_EXTENSIONS, validate_document_upload

from . import rendering, services
from .models import (
    Bounce,
    ConsentRecord,
    Delivery,
    Issue,
    IssueAttachment,
    MailingList,
    Subscriber,
    Subscription,
)

# How many failed addresses the issue page lists; the rest are in the delivery list.
FAILED_SHOWN = 50
# The language of the browser preview: most subscribers read German.
PREVIEW_LANGUAGE = "de"


def _error_messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --------------------------------------------------------------------------------------------
# Mailing lists


@admin.register(MailingList)
class MailingListAdmin(admin.ModelAdmin):
    change_list_template = "admin/newsletter/mailinglist/change_list.html"
    list_display = ["name", "kind", "contact_function", "confirmed_count", "pending_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "kind", "contact_function", "description"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed_count=Count(
                    "subscriptions",
                    filter=Q(
                        subscriptions__status=Subscription.Status.CONFIRMED,
                        subscriptions__subscriber__suppressed_at__isnull=True,
                    ),
                ),
                pending_count=Count(
                    "subscriptions",
                    filter=Q(subscriptions__status=Subscription.Status.PENDING),
                ),
            )
        )

    @admin.display(description=_("Confirmed subscribers"), ordering="confirmed_count")
    def confirmed_count(self, mailing_list):
        return mailing_list.confirmed_count

    @admin.display(description=_("Awaiting confirmation"), ordering="pending_count")
    def pending_count(self, mailing_list):
        return mailing_list.pending_count

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_sync": self.has_change_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "sync/",
                self.admin_site.admin_view(require_POST(self.sync_view)),
                name="newsletter_mailinglist_sync",
            ),
            *super().get_urls(),
        ]

    def sync_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        services.sync_member_lists()
        self.message_user(
            request,
            gettext("The member lists now match the contact persons of the member companies."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:newsletter_mailinglist_changelist"))


# --------------------------------------------------------------------------------------------
# Issues


class IssueAdminForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["subject", "preheader", "body", "lists", "is_public"]
        widgets = {"lists": forms.CheckboxSelectMultiple}
        help_texts = {
            "body": _(
                "Markdown: **bold**, *italic*, [link text](https://…), lists with “- ”, "
                "headings with “## ”. Every mail starts with a personal salutation and ends "
                "with the unsubscribe links and the legal notice: please leave them out here."
            ),
        }


def attachment_filename(original: str, content_type: str) -> str:
    """A safe file name: the uploaded name's stem, cleaned, with the extension of the type
    read from the content."""
    stem = original.replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    try:
        stem = get_valid_filename(stem).lstrip(".")[:150]
    except SuspiciousFileOperation:
        stem = ""
    return f"{stem or slugify(gettext('attachment'))}{DOCUMENT_EXTENSIONS[content_type]}"


class IssueAttachmentForm(forms.ModelForm):
    """An attachment is checked by its content; the stored name and type follow from it."""

    class Meta:
        model = IssueAttachment
        fields = ["file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            content_type = validate_document_upload(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)
            upload.name = attachment_filename(upload.name, content_type)
            self.instance.filename = upload.name
            self.instance.content_type = content_type
        return upload


class IssueAttachmentInline(admin.TabularInline):
    model = IssueAttachment
    form = IssueAttachmentForm
    extra = 0
    fields = ["file", "filename", "content_type"]
    readonly_fields = ["filename", "content_type"]

    # ``obj`` is the issue: its attachments are fixed once it is no longer a draft.
    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Send at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at <= timezone.now():
            raise ValidationError(_("Please choose a time in the future."))
        return at


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    form = IssueAdminForm
    change_form_template = "admin/newsletter/issue/change_form.html"
    list_display = ["subject", "status", "list_names", "scheduled_at", "sent_at", "progress"]
    list_filter = ["status", "is_public", "lists"]
    search_fields = ["subject"]
    inlines = [IssueAttachmentInline]
    readonly_fields = ["status", "scheduled_at", "sending_started_at", "sent_at", "created_by"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ["subject", "preheader", "body", "lists", "is_public"]})]
        if obj is not None:
            fieldsets.append(
                (
                    _("Status"),
                    {
                        "fields": [
                            "status",
                            "scheduled_at",
                            "sending_started_at",
                            "sent_at",
                            "created_by",
                        ]
                    },
                )
            )
        return fieldsets

    def get_queryset(self, request):
        # Subqueries, not a join: the page's count query and the list filter stay untouched.
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent_count=_delivery_count(Delivery.Status.SENT),
                failed_count=_delivery_count(Delivery.Status.FAILED),
                pending_count=_delivery_count(Delivery.Status.PENDING),
            )
            .prefetch_related("lists")
        )

    @admin.display(description=_("Lists"))
    def list_names(self, issue):
        return ", ".join(mailing_list.name for mailing_list in issue.lists.all()) or "–"

    @admin.display(description=_("Sent / failed / pending"))
    def progress(self, issue):
        if issue.status in (Issue.Status.DRAFT, Issue.Status.SCHEDULED):
            return "–"
        return f"{issue.sent_count} / {issue.failed_count} / {issue.pending_count}"

    # A scheduled, sending or sent issue is read-only; only drafts can be deleted.
    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                {
                    "progress": services.issue_progress(obj),
                    "failed_deliveries": list(
                        obj.deliveries.filter(status=Delivery.Status.FAILED).order_by("email")[
                            :FAILED_SHOWN
                        ]
                    ),
                    "failed_list_url": _delivery_list_url(obj, Delivery.Status.FAILED),
                    "can_send": self.has_change_permission(request),
                    "schedule_form": ScheduleForm(),
                }
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # ----------------------------------------------------------------------------------------
    # Preview, test, send, schedule

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview_view), name="newsletter_issue_preview"),
            path(
                "<int:pk>/preview/text/",
                wrap(self.preview_text_view),
                name="newsletter_issue_preview_text",
            ),
            path(
                "<int:pk>/send-test/",
                wrap(require_POST(self.send_test_view)),
                name="newsletter_issue_send_test",
            ),
            path(
                "<int:pk>/send/", wrap(require_POST(self.send_view)), name="newsletter_issue_send"
            ),
            path(
                "<int:pk>/schedule/",
                wrap(require_POST(self.schedule_view)),
                name="newsletter_issue_schedule",
            ),
            path(
                "<int:pk>/unschedule/",
                wrap(require_POST(self.unschedule_view)),
                name="newsletter_issue_unschedule",
            ),
            *super().get_urls(),
        ]

    def _issue_for(self, request, pk, *, send=False) -> Issue:
        """The issue, if the user may see it (``send``: may also send and schedule issues)."""
        issue = Issue.objects.filter(pk=pk).first()
        if issue is None:
            raise Http404
        allowed = self.has_change_permission(request) if send else True
        if not allowed or not self.has_view_permission(request, issue):
            raise PermissionDenied
        return issue

    def _back(self, issue) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:newsletter_issue_change", args=[issue.pk]))

    def preview_view(self, request, pk):
        issue = self._issue_for(request, pk)
        with translation.override(PREVIEW_LANGUAGE):
            salutation = rendering.salutation(None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Preview: %(subject)s") % {"subject": issue.subject},
            "issue": issue,
            "salutation": salutation,
            # Sanitised by rendering.body_html: only harmless tags, no scripts or handlers.
            "body_html": mark_safe(rendering.body_html(issue.body)),  # noqa: S308
            "attachments": list(issue.attachments.all()),
        }
        return TemplateResponse(request, "admin/newsletter/issue/preview.html", context)

    def preview_text_view(self, request, pk):
        issue = self._issue_for(request, pk)
        rendered = rendering.render_issue(issue, None, language=PREVIEW_LANGUAGE)
        return HttpResponse(rendered["text"], content_type="text/plain; charset=utf-8")

    def send_test_view(self, request, pk):
        issue = self._issue_for(request, pk, send=True)
        services.issue_send_test(issue=issue, to_user=request.user)
        self.message_user(
            request,
            gettext("A test copy is on its way to %(email)s.") % {"email": request.user.email},
            messages.SUCCESS,
        )
        return self._back(issue)

    def send_view(self, request, pk):
        issue = self._issue_for(request, pk, send=True)
        try:
            services.issue_send(issue=issue, by_user=request.user)
        except ValidationError as error:
            self.message_user(request, _error_messages(error), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("The issue is being sent. The progress is shown on this page."),
                messages.SUCCESS,
            )
        return self._back(issue)

    def schedule_view(self, request, pk):
        issue = self._issue_for(request, pk, send=True)
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                self.message_user(request, " ".join(errors), messages.ERROR)
            return self._back(issue)
        try:
            issue = services.issue_send(
                issue=issue, at=form.cleaned_data["at"], by_user=request.user
            )
        except ValidationError as error:
            self.message_user(request, _error_messages(error), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("The issue will be sent on %(at)s.") % {"at": _local(issue.scheduled_at)},
                messages.SUCCESS,
            )
        return self._back(issue)

    def unschedule_view(self, request, pk):
        issue = self._issue_for(request, pk, send=True)
        try:
            services.issue_unschedule(issue=issue, by_user=request.user)
        except ValidationError as error:
            self.message_user(request, _error_messages(error), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("The issue is a draft again and will not be sent."),
                messages.SUCCESS,
            )
        return self._back(issue)


def _delivery_count(status: str):
    """The number of the issue's deliveries in ``status``, as a correlated subquery."""
    deliveries = (
        Delivery.objects.filter(issue=OuterRef("pk"), status=status)
        .order_by()
        .values("issue")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(deliveries), 0)


def _local(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _delivery_list_url(issue: Issue, status: str) -> str:
    url = reverse("admin:newsletter_delivery_changelist")
    return f"{url}?issue__id__exact={issue.pk}&status__exact={status}"


# --------------------------------------------------------------------------------------------
# Subscribers


class SuppressedFilter(admin.SimpleListFilter):
    title = _("suppressed")
    parameter_name = "suppressed"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(suppressed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(suppressed_at__isnull=True)
        return queryset


class SubscriptionListFilter(admin.SimpleListFilter):
    """On a list; together with the status filter: with that status on that list."""

    title = _("mailing list")
    parameter_name = "list"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in MailingList.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        lookup = {"subscriptions__mailing_list_id": int(self.value())}
        status = request.GET.get(SubscriptionStatusFilter.parameter_name)
        if status:
            lookup["subscriptions__status"] = status
        return queryset.filter(**lookup).distinct()


class SubscriptionStatusFilter(admin.SimpleListFilter):
    title = _("subscription status")
    parameter_name = "subscription_status"

    def lookups(self, request, model_admin):
        return Subscription.Status.choices

    def queryset(self, request, queryset):
        if not self.value() or request.GET.get(SubscriptionListFilter.parameter_name):
            return queryset  # applied together with the list by SubscriptionListFilter
        return queryset.filter(subscriptions__status=self.value()).distinct()


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    can_delete = False
    fields = ["mailing_list", "status", "source", "created_at", "confirmed_at", "unsubscribed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ConsentRecordInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    fields = ["created_at", "mailing_list", "action", "form", "consent_text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Addresses and their consent log. Subscriptions change only through the subscriber's own
    links (confirmation, preferences, unsubscribe) and the member list sync."""

    list_display = ["email", "full_name", "confirmed_lists", "language", "suppressed_at"]
    list_filter = [SuppressedFilter, SubscriptionListFilter, SubscriptionStatusFilter]
    search_fields = ["email", "first_name", "last_name"]
    fields = [
        "email",
        "salutation",
        "title",
        "first_name",
        "last_name",
        "language",
        "contact",
        "suppressed_at",
        "suppression_reason",
        "created_at",
    ]
    # A new address would need its own confirmation: it is never typed in here.
    readonly_fields = ["email", "contact", "suppressed_at", "suppression_reason", "created_at"]
    inlines = [SubscriptionInline, ConsentRecordInline]
    actions = ["export_json", "erase"]

    def get_queryset(self, request):
        confirmed = Subscription.objects.filter(
            status=Subscription.Status.CONFIRMED
        ).select_related("mailing_list")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("subscriptions", confirmed, to_attr="confirmed"))
        )

    @admin.display(description=_("Name"))
    def full_name(self, subscriber):
        return " ".join(
            p for p in (subscriber.title, subscriber.first_name, subscriber.last_name) if p
        )

    @admin.display(description=_("Confirmed lists"))
    def confirmed_lists(self, subscriber):
        return ", ".join(s.mailing_list.name for s in subscriber.confirmed) or "–"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting would keep the address in past deliveries; erasure removes it there too.
        return False

    def has_erase_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.delete_{self.opts.model_name}")

    @admin.action(description=_("Export as JSON (data and consent log)"), permissions=["view"])
    def export_json(self, request, queryset):
        subscribers = list(queryset.order_by("email"))
        if len(subscribers) == 1:
            content = services.subscriber_export(subscribers[0])
            filename = f"newsletter-{slugify(subscribers[0].email)}.json"
        else:
            content = json.dumps(
                [json.loads(services.subscriber_export(s)) for s in subscribers],
                ensure_ascii=False,
                indent=2,
            )
            filename = "newsletter-subscribers.json"
        return attachment(
            content, filename=filename, content_type="application/json; charset=utf-8"
        )

    @admin.action(description=_("Erase personal data"), permissions=["erase"])
    def erase(self, request, queryset):
        if request.POST.get("post") == "yes":
            count = 0
            for subscriber in queryset:
                services.subscriber_erase(subscriber=subscriber)
                count += 1
            self.message_user(
                request,
                ngettext(
                    "The personal data of %(n)d address has been erased.",
                    "The personal data of %(n)d addresses has been erased.",
                    count,
                )
                % {"n": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Erase personal data?"),
            "subscribers": queryset.order_by("email"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(
            request, "admin/newsletter/subscriber/erase_confirmation.html", context
        )


# --------------------------------------------------------------------------------------------
# Bounces and deliveries (records of what happened; read-only)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Bounce)
class BounceAdmin(ReadOnlyAdmin):
    list_display = ["email", "kind", "source", "received_at", "diagnostic"]
    list_filter = ["kind", "source"]
    search_fields = ["email"]
    fields = ["email", "kind", "source", "received_at", "diagnostic"]
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["email", "issue", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = [("issue", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = ["issue"]
    search_fields = ["email"]
    fields = [
        "issue",
        "email",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
