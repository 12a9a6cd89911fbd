"""The coordinators' own admin screens, written once: their URLs, object, permission, context,
confirmation, messages and redirect.

A ModelAdmin with screens beside Django's own (a participant overview, a ranking, a preview,
an import) inherits :class:`PortalAdminMixin` and marks each of their views with
:func:`admin_url`; the mixin adds them to the admin's URLs behind the admin site's guard (login,
staff, second factor). A view then reads like any other of the portal's: the object and the
permission (``object_for``), one service (``run_service``), a message, a redirect.

Mass actions call one service per selected object (``run_service_per_object``, or
:func:`service_action` for an action that is nothing else); irreversible ones, and those that
send mail, pass a confirmation page first (``run_after_confirmation``, or ``service_action``
with ``confirm=``). A screen's own irreversible step of one object shows
``admin/portal/confirm.html`` (:meth:`PortalAdminMixin.render_confirmation`): the same
:class:`~network_portal.confirmation.Confirmation` the portal's own pages use (what happens, the
facts, which mails go out to how many), with an optional note for the mail
(:class:`MailNoteForm`); its GET changes nothing, its POST calls the service. A service that
refuses raises a ``ValidationError``, which becomes one message (:func:`refusal_text`).

Messages of done work are plural forms with the number as ``%(n)d``, made with
``ngettext_lazy(singular, plural, "n")``: the number is only known once the work is done.

Each object's history page ("Geschichte") shows its activity log entries (who, what, the
details) with the admin's own records of changes made by hand
(``network_portal.activity.object_history``), newest first, in a fixed number of queries.
"""

from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .activity import object_history
from .confirmation import Confirmation
from .downloads import pdf_view
from .mail import mails_written_by
from .text import validate_multi_line

CONFIRM_ACTION_TEMPLATE = "admin/portal/confirm_action.html"
CONFIRM_TEMPLATE = "admin/portal/confirm.html"
HISTORY_TEMPLATE = "admin/portal/object_history.html"


@dataclass(frozen=True)
class AdminUrl:
    route: str
    name: str
    post_only: bool = False
    pdf: bool = False


def admin_url(route: str, *, name: str, post_only: bool = False, pdf: bool = False):
    """Mark a ModelAdmin method as a view of its own at ``route`` (below the model's admin URL),
    reversed as ``admin:<name>``. ``post_only``: other methods get 405. ``pdf``: it renders a
    PDF, and one that takes too long becomes a "try again later" page."""

    def mark(view):
        view.admin_url = AdminUrl(route, name, post_only, pdf)
        return view

    return mark


class MailNoteForm(forms.Form):
    """An optional note of the coordinator's, printed in the mails a confirmed step writes
    (an update of a meeting, its cancellation)."""

    note = forms.CharField(
        label=_("Note for the email (optional)"),
        help_text=_(
            "A few words of your own, e.g. the reason. They appear in every email of this step."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        validators=[validate_multi_line],
    )

    def note_or_none(self) -> str | None:
        """The note once the form is valid (maybe empty), else None."""
        return self.cleaned_data["note"].strip() if self.is_valid() else None


def object_link(view_name: str, obj, text) -> str:
    """A link to ``obj``'s page ``admin:<view_name>`` (a column of a list, a read-only field)."""
    return format_html('<a href="{}">{}</a>', reverse(view_name, args=[obj.pk]), text)


def refusal_text(reasons, *, about=None) -> str:
    """The reasons a service or a form gave for refusing, as one message; ``about`` names the
    object it was refused for (in a mass action)."""
    text = " ".join(str(reason) for reason in reasons)
    return f"{about}: {text}" if about is not None else text


class QuickActionCheckbox:
    """A ModelAdmin's changelist: each row's checkbox for the actions written directly, as
    Django's form widget writes it. Rendered through the widget's template it cost about a
    fifth of a list of 100 rows."""

    def action_checkbox(self, obj):
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )


class PortalAdminMixin(QuickActionCheckbox):
    """For a ModelAdmin (or a screen mixed into one) with views of its own; see the module."""

    # Permissions ("add", "change", "delete") nobody has in this admin, whatever their group:
    # what the portal's workflows create, or keep as a record, is not made or undone by hand.
    not_by_hand: tuple[str, ...] = ()
    # False: no "delete selected" action, where only some objects may be deleted (one by one,
    # on their page).
    mass_delete = True
    # The newest events an object's history page shows; older ones are in the activity log.
    history_limit = 100

    # --- URLs -----------------------------------------------------------------------------

    def get_urls(self):
        return [*self._marked_urls(), *super().get_urls()]

    def _marked_urls(self) -> list:
        """The views marked with ``admin_url`` on this class and its bases, in the order they
        are defined, before Django's own (whose ``<path:object_id>/`` would catch them)."""
        urls, seen = [], set()
        for klass in type(self).__mro__:
            for attribute, value in vars(klass).items():
                spec = getattr(value, "admin_url", None)
                if not isinstance(spec, AdminUrl) or attribute in seen:
                    continue
                seen.add(attribute)
                view = getattr(self, attribute)
                if spec.pdf:
                    view = pdf_view(view)
                if spec.post_only:
                    view = require_POST(view)
                urls.append(path(spec.route, self.admin_site.admin_view(view), name=spec.name))
        return urls

    # --- Permissions and object -------------------------------------------------------------

    def has_add_permission(self, request):
        return "add" not in self.not_by_hand and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return "change" not in self.not_by_hand and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return "delete" not in self.not_by_hand and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.mass_delete:
            actions.pop("delete_selected", None)
        return actions

    def check_permissions(self, request, obj=None, *, require=(), perms=()) -> None:
        """403 unless the user has each of ``require`` in this admin (``"view"`` asks
        ``has_view_permission(request, obj)``; a name of the admin's own, such as ``"send"``,
        its ``has_send_permission``) and each Django permission in ``perms``."""
        for name in require:
            check = getattr(self, f"has_{name}_permission")
            if not (check(request, obj) if obj is not None else check(request)):
                raise PermissionDenied
        if perms and not request.user.has_perms(perms):
            raise PermissionDenied

    def object_for(self, request, pk, *, require=("view",), perms=(), queryset=None):
        """The object with ``pk`` (404 if there is none), if the user may do ``require`` with it
        and has ``perms`` (403 otherwise); see :meth:`check_permissions`."""
        if queryset is None:
            queryset = self.model._default_manager.all()
        obj = get_object_or_404(queryset, pk=pk)
        self.check_permissions(request, obj, require=require, perms=perms)
        return obj

    # --- Pages and redirects ----------------------------------------------------------------

    def admin_context(self, request, title, **extra) -> dict:
        """What every admin page needs (site, ``opts``, ``title``), and ``extra``. A page of
        one object passes it as ``original``: the breadcrumbs of ``admin/portal/page.html``
        link it."""
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            **extra,
        }

    def render_admin_page(self, request, template, title, *, status=200, **extra):
        return TemplateResponse(
            request, template, self.admin_context(request, title, **extra), status=status
        )

    def render_confirmation(
        self,
        request,
        confirmation: Confirmation,
        *,
        original=None,
        crumb="",
        note_form: MailNoteForm | None = None,
        hidden=(),
        notices=(),
        action_url="",
        back_in_history=False,
        nothing_to_do="",
        back_label="",
        **extra,
    ):
        """The confirmation page of one step (``admin/portal/confirm.html``): what
        ``confirmation`` says, a field for a note to the mail (``note_form``), ``notices``
        (warnings above the button); its button posts ``hidden`` (name, value) pairs to
        ``action_url`` (default: the page itself). Nothing is done before that POST. The way
        back leads to ``confirmation.cancel_url``; ``back_in_history``: with JavaScript, back
        in the browser's history (to a form with the entries not yet saved). With
        ``nothing_to_do`` (why there is nothing to confirm), the page says so instead, with a
        link back named ``back_label``. ``extra``: more context for the template."""
        return self.render_admin_page(
            request,
            CONFIRM_TEMPLATE,
            confirmation.title,
            confirmation=confirmation,
            original=original,
            crumb=crumb or confirmation.title,
            note_form=note_form,
            hidden=list(hidden),
            notices=list(notices),
            action_url=action_url,
            back_in_history=back_in_history,
            nothing_to_do=nothing_to_do,
            back_label=back_label,
            **extra,
        )

    def _admin_url_name(self, view: str) -> str:
        return f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}"

    def redirect_to_change(self, obj) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse(self._admin_url_name("change"), args=[obj.pk]))

    def redirect_to_changelist(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse(self._admin_url_name("changelist")))

    # --- History ----------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        """The object's history: its activity log entries and the changes made by hand in the
        admin, newest first (``history_limit``; the rest in the activity log's list)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        rows, more = object_history(obj, limit=self.history_limit)
        log_url = ""
        if more and request.user.has_perm("network_portal.view_activityentry"):
            query = urlencode(
                {
                    "object_type__id__exact": ContentType.objects.get_for_model(obj).pk,
                    "object_id": obj.pk,
                }
            )
            log_url = f"{reverse('admin:network_portal_activityentry_changelist')}?{query}"
        return self.render_admin_page(
            request,
            HISTORY_TEMPLATE,
            gettext("Change history: %s") % obj,
            original=obj,
            rows=rows,
            more=more,
            limit=self.history_limit,
            log_url=log_url,
            **(extra_context or {}),
        )

    # --- Services and messages --------------------------------------------------------------

    def message_refusal(self, request, error: ValidationError, *, about=None, level=None):
        """A service's refusal as one message: an error, or ``level``."""
        self.message_user(
            request, refusal_text(error.messages, about=about), level or messages.ERROR
        )

    def message_form_errors(self, request, form) -> None:
        """The errors of a form posted from a page that does not show it again: one error
        message per field."""
        for errors in form.errors.values():
            self.message_user(request, refusal_text(errors), messages.ERROR)

    def run_service(self, request, call, *, done_message) -> bool:
        """``call()``, a service; its refusal (a ValidationError) becomes an error message,
        else ``done_message(<what it returned>)`` a success. Returns whether it was done."""
        try:
            result = call()
        except ValidationError as error:
            self.message_refusal(request, error)
            return False
        self.message_user(request, done_message(result), messages.SUCCESS)
        return True

    # --- Mass actions -----------------------------------------------------------------------

    def run_service_per_object(
        self, request, objects, call, *, done_message=None, refusal_label=str
    ) -> int:
        """``call(obj)`` for each of ``objects``; returns how many it did. A refusal (a
        ValidationError) is a warning, naming the object with ``refusal_label(obj)`` (None:
        unnamed); ``done_message`` (``%(n)d``) reports the ones done as a success, if any."""
        done = 0
        for obj in objects:
            try:
                call(obj)
            except ValidationError as error:
                about = refusal_label(obj) if refusal_label is not None else None
                self.message_refusal(request, error, about=about, level=messages.WARNING)
            else:
                done += 1
        if done and done_message is not None:
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)
        return done

    def run_after_confirmation(
        self,
        request,
        objects,
        call,
        *,
        action: str,
        done_message,
        title,
        warning,
        submit_label,
        label=str,
        details="",
        list_id="",
        nothing_to_do="",
        back_label="",
        mails=None,
        note_form: MailNoteForm | None = None,
    ):
        """An irreversible mass action, or one that sends mail: first the confirmation page
        (what will happen: ``warning`` and ``details``; to how many and which of ``objects``,
        each shown as ``label(obj)``; ``mails(objects)``, the lines saying which mails go out to
        how many people, counted as the service writes them; a field for a note to the mail,
        ``note_form``; a button that posts ``action`` again with ``post=yes``, and a way back;
        with no objects, ``nothing_to_do`` and a link back to the list, ``back_label``). Once
        confirmed (and the note valid), ``call(obj)`` for each, and ``done_message``
        (``%(n)d``) as a success."""
        objects = list(objects)
        confirmed = request.POST.get("post") == "yes"
        if confirmed and not objects:  # gone meanwhile (another coordinator, another tab)
            self.message_user(request, nothing_to_do, messages.WARNING)
            return None
        if confirmed and (note_form is None or note_form.is_valid()):
            done = self.run_service_per_object(request, objects, call)
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)
            return None
        mail_lines = list(mails(objects)) if mails is not None and objects else []
        objects = [(obj.pk, label(obj)) for obj in objects]
        return self.render_admin_page(
            request,
            CONFIRM_ACTION_TEMPLATE,
            title,
            action=action,
            # By name among this admin's actions (module-level functions included).
            action_description=self.get_actions(request)[action][2],
            warning=warning,
            details=details,
            objects=objects,
            model_count=[(self.opts.verbose_name_plural, len(objects))],
            list_id=list_id,
            submit_label=submit_label,
            nothing_to_do=nothing_to_do,
            back_label=back_label,
            mails=mail_lines,
            note_form=note_form,
            action_checkbox_name=helpers.ACTION_CHECKBOX_NAME,
            media=self.media,
        )


@dataclass(frozen=True)
class ConfirmFirst:
    """The confirmation page a :func:`service_action` shows before it acts (see
    :meth:`PortalAdminMixin.run_after_confirmation`). ``eligible(queryset)``: the selected
    objects the service would act on (the page lists them, the action acts on them);
    ``mails(objects)``: the lines saying which mails go out to how many, counted as the
    service writes them; ``note``: the page asks for a note to the mail, passed to the service
    as ``note`` (or ``note_argument``). ``dry_run``: the mails are counted by running the
    service for the objects in a transaction that is rolled back
    (:func:`network_portal.mail.mails_written_by`), where they follow from several rules (an
    approval also invites to the open meetings)."""

    title: str
    warning: str
    submit_label: str
    nothing_to_do: str
    back_label: str
    eligible: object = None
    mails: object = None
    details: str = ""
    note: bool = False
    note_argument: str = "note"
    dry_run: bool = False


def dry_run_mail_lines(call, objects) -> list[str]:
    """The line of a confirmation page saying how many mails ``call(obj)`` for each of
    ``objects`` writes, to how many people: counted by a dry run. A refusal writes none."""

    def run_all():
        for obj in objects:
            with suppress(ValidationError):  # refused: writes nothing
                call(obj)

    addresses = mails_written_by(run_all)
    if not addresses:
        return [gettext("No email goes out.")]
    people = len({address.lower() for address in addresses})
    return [
        ngettext(
            "%(n)d email goes out (recipients: %(people)d).",
            "%(n)d emails go out (recipients: %(people)d).",
            len(addresses),
        )
        % {"n": len(addresses), "people": people}
    ]


def service_action(
    service,
    *,
    name: str,
    description,
    done_message,
    permissions=("change",),
    refusal_label=str,
    confirm: ConfirmFirst | None = None,
    **service_kwargs,
):
    """An admin action that calls ``service(<model name>=obj, by_user=…, **service_kwargs)``
    (the portal's services are keyword-only and name their object after its model, e.g.
    ``meeting_publish(meeting=…)``) for each selected object; see
    :meth:`PortalAdminMixin.run_service_per_object`. With ``confirm``, after a confirmation
    page (:class:`ConfirmFirst`)."""

    def action(modeladmin, request, queryset):
        argument = modeladmin.opts.model_name
        if confirm is None:
            modeladmin.run_service_per_object(
                request,
                queryset,
                lambda obj: service(**{argument: obj}, by_user=request.user, **service_kwargs),
                done_message=done_message,
                refusal_label=refusal_label,
            )
            return None
        note_form = None
        if confirm.note:
            note_form = MailNoteForm(request.POST if request.POST.get("post") == "yes" else None)
        objects = confirm.eligible(queryset) if confirm.eligible is not None else queryset

        def call(obj):
            note = {confirm.note_argument: note_form.note_or_none()} if note_form else {}
            return service(**{argument: obj}, by_user=request.user, **note, **service_kwargs)

        mails = confirm.mails
        if confirm.dry_run:

            def mails(objects):
                return dry_run_mail_lines(
                    lambda obj: service(**{argument: obj}, by_user=request.user, **service_kwargs),
                    objects,
                )

        return modeladmin.run_after_confirmation(
            request,
            objects,
            call,
            action=name,
            done_message=done_message,
            title=confirm.title,
            warning=confirm.warning,
            details=confirm.details,
            submit_label=confirm.submit_label,
            nothing_to_do=confirm.nothing_to_do,
            back_label=confirm.back_label,
            mails=mails,
            note_form=note_form,
            list_id=f"confirm-{name}",
        )

    action.__name__ = name
    action.short_description = description
    action.allowed_permissions = tuple(permissions)
    return action
