"""The coordinators' screen for the standard texts of the mails (:mod:`.mail_texts`).

The list shows every kind of mail the apps registered, in German and English, each with the
text in use (shipped, or the coordinators' own). A text's page has the form (subject and
opening text), the placeholders it may use with an example each, the shipped text for
reference, and a preview of the real mail as it would go out now: the subject, the HTML part
in a sandboxed frame (its own page, :meth:`MailTextAdmin.preview_view`, allowed nothing but
its inline styles) and the text part. "Preview" shows the form's words without saving them;
"Save" stores them (:func:`.mail_texts.mail_text_save`); going back to the shipped text is
confirmed first (:func:`.mail_texts.mail_text_reset`).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import mail_texts
from .admin_views import PortalAdminMixin, admin_url
from .confirmation import Confirmation
from .mail import render_mail
from .models import MailText
from .signing import LinkInvalid, make_token, read_token
from .text import validate_multi_line, validate_single_line

PREVIEW_PURPOSE = "mail-text-preview"
PREVIEW_MAX_AGE = 3600
# The preview's own page may show its inline styles and nothing else: no script, no request
# anywhere (a mail loads nothing), no form, and only inside the portal's own pages.
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox"
)


class MailTextForm(forms.Form):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"class": "vLargeTextField mail-text-subject"}),
    )
    body = forms.CharField(
        label=_("Opening text"),
        max_length=4000,
        validators=[validate_multi_line],
        widget=forms.Textarea(attrs={"rows": 7, "class": "vLargeTextField"}),
        help_text=_(
            "The words after the greeting. Blank line: new paragraph; **bold**, *italic*, "
            "[link text](https://…), lists with “- ”. The details of the mail, its buttons and "
            "the signature follow by themselves."
        ),
    )

    def __init__(self, *args, kind: mail_texts.MailKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        problems = mail_texts.text_problems(self.kind, subject)
        if problems:
            raise ValidationError(problems)
        return subject

    def clean_body(self):
        body = self.cleaned_data["body"]
        problems = mail_texts.text_problems(self.kind, body)
        if problems:
            raise ValidationError(problems)
        return body

    def draft(self) -> mail_texts.Text:
        return mail_texts.Text(subject=self.cleaned_data["subject"], body=self.cleaned_data["body"])


@admin.register(MailText)
class MailTextAdmin(PortalAdminMixin, admin.ModelAdmin):
    """Not Django's own list and form: a text is edited by kind and language (a row exists
    only for an own text), and the shipped one is restored by a confirmed reset."""

    not_by_hand = ("add", "delete")

    # --- The list -----------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        self.check_permissions(request, require=("view",))
        stored = {(row.kind, row.language): row for row in MailText.objects.all()}
        languages = mail_texts.languages()
        rows = []
        for kind in mail_texts.mail_kinds():
            rows.append(
                {
                    "kind": kind,
                    "texts": [
                        {
                            "language": code,
                            "language_name": name,
                            "row": stored.get((kind.key, code)),
                            "url": self._edit_url(kind.key, code),
                        }
                        for code, name in languages
                    ],
                }
            )
        return self.render_admin_page(
            request,
            "admin/network_portal/mailtext/list.html",
            capfirst(self.opts.verbose_name_plural),
            rows=rows,
            languages=languages,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        row = self.object_for(request, object_id)
        return HttpResponseRedirect(self._edit_url(row.kind, row.language))

    def _edit_url(self, kind: str, language: str) -> str:
        return reverse("admin:network_portal_mailtext_edit", args=[kind, language])

    # --- One text -----------------------------------------------------------------------------

    def _kind(self, kind_key: str, language: str) -> mail_texts.MailKind:
        kind = mail_texts.mail_kind(kind_key)
        if kind is None or language not in dict(mail_texts.languages()):
            raise Http404
        return kind

    @admin_url("<str:kind_key>/<str:language>/text/", name="network_portal_mailtext_edit")
    def edit_view(self, request, kind_key, language):
        kind = self._kind(kind_key, language)
        self.check_permissions(request, require=("view",))
        may_change = self.has_change_permission(request)
        current = mail_texts.current_text(kind, language)
        draft = None
        if request.method == "POST":
            self.check_permissions(request, require=("change",))
            if "_reset" in request.POST or "_reset_confirmed" in request.POST:
                return self._reset(request, kind, language, current)
            form = MailTextForm(request.POST, kind=kind)
            if form.is_valid() and "_save" in request.POST:
                try:
                    mail_texts.mail_text_save(
                        kind=kind.key,
                        language=language,
                        subject=form.cleaned_data["subject"],
                        body=form.cleaned_data["body"],
                        by_user=request.user,
                    )
                except ValidationError as error:
                    self.message_refusal(request, error)
                else:
                    self.message_user(
                        request,
                        gettext("Saved: the next mails of this kind use your text."),
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(self._edit_url(kind.key, language))
            if form.is_valid():
                draft = form.draft()
        else:
            form = MailTextForm(
                initial={"subject": current.subject, "body": current.body}, kind=kind
            )
        preview_url = reverse("admin:network_portal_mailtext_preview", args=[kind.key, language])
        if draft is not None:
            token = make_token(
                purpose=PREVIEW_PURPOSE,
                payload={"k": kind.key, "l": language, "s": draft.subject, "b": draft.body},
            )
            preview_url += f"?draft={token}"
        subject, text, _html = render_mail(
            template=kind.template, context=kind.sample(), language=language, draft=draft
        )
        with translation.override(language):
            examples = mail_texts.placeholder_values(kind, kind.sample())
        placeholders = [(p.name, p.description, examples[p.name]) for p in kind.placeholders]
        row = (
            MailText.objects.filter(kind=kind.key, language=language)
            .select_related("updated_by")
            .first()
        )
        return self.render_admin_page(
            request,
            "admin/network_portal/mailtext/edit.html",
            f"{kind.label} ({dict(mail_texts.languages())[language]})",
            kind=kind,
            language=language,
            languages=[
                (code, name, self._edit_url(kind.key, code))
                for code, name in mail_texts.languages()
            ],
            form=form,
            row=row,
            shipped=mail_texts.shipped_text(kind, language),
            placeholders=placeholders,
            preview_subject=subject,
            preview_text=text,
            preview_url=preview_url,
            is_draft=draft is not None,
            may_change=may_change,
            crumb=f"{kind.label} ({dict(mail_texts.languages())[language]})",
        )

    def _reset(self, request, kind, language, current):
        edit_url = self._edit_url(kind.key, language)
        if not current.edited:
            self.message_user(request, gettext("This mail uses the shipped text already."))
            return HttpResponseRedirect(edit_url)
        if "_reset_confirmed" in request.POST:
            self.run_service(
                request,
                lambda: mail_texts.mail_text_reset(
                    kind=kind.key, language=language, by_user=request.user
                ),
                done_message=lambda _done: gettext(
                    "The shipped text is back: the next mails of this kind use it."
                ),
            )
            return HttpResponseRedirect(edit_url)
        shipped = mail_texts.shipped_text(kind, language)
        language_name = dict(mail_texts.languages())[language]
        return self.render_confirmation(
            request,
            Confirmation(
                title=gettext("Go back to the shipped text?"),
                consequences=[
                    gettext(
                        "Your own text for this mail is deleted; the next mails of this kind "
                        "use the shipped text again. Mails already written stay as they are."
                    )
                ],
                facts=[
                    (gettext("Mail"), f"{kind.label} ({language_name})"),
                    (gettext("Your subject"), current.subject),
                    (gettext("Shipped subject"), shipped.subject),
                    (gettext("Shipped opening text"), shipped.body),
                ],
                submit_label=gettext("Go back to the shipped text"),
                cancel_url=edit_url,
            ),
            crumb=gettext("Go back to the shipped text"),
            hidden=[("_reset_confirmed", "1")],
            action_url=edit_url,
        )

    @admin_url("<str:kind_key>/<str:language>/preview/", name="network_portal_mailtext_preview")
    def preview_view(self, request, kind_key, language):
        """The HTML part of the mail as it would go out, for the frame on the text's page:
        the current text, or the form's words carried signed in ``draft``."""
        kind = self._kind(kind_key, language)
        self.check_permissions(request, require=("view",))
        draft = None
        token = request.GET.get("draft", "")
        if token:
            try:
                payload = read_token(
                    purpose=PREVIEW_PURPOSE, token=token, max_age_seconds=PREVIEW_MAX_AGE
                )
            except LinkInvalid:
                payload = None
            if payload and payload.get("k") == kind.key and payload.get("l") == language:
                draft = mail_texts.Text(subject=payload["s"], body=payload["b"])
        _subject, _text, html = render_mail(
            template=kind.template, context=kind.sample(), language=language, draft=draft
        )
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = PREVIEW_POLICY
        response["X-Frame-Options"] = "SAMEORIGIN"
        response._csp_exempt = True  # its own policy above, not the portal's
        return response
