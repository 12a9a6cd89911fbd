"""The jurors of an application: assigned and removed on the application's page."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from accounts.models import User
from accounts.roles import JURY_GROUP

from .. import services
from ..models import JurorAssignment


class JurorAssignmentFormSet(forms.BaseInlineFormSet):
    """New jurors are assigned through services.juror_assign, which refuses users outside the
    jury and anyone who works for the applying company, and mailed their new applications;
    removed through services.juror_remove, which keeps a juror who has scored (saved or
    submitted: no score is lost)."""

    by_user = None

    def clean(self):
        super().clean()
        # Forms marked for deletion are not validated, so the refusal is the formset's.
        refusals = []
        for form in self.initial_forms:
            if not self._should_delete_form(form):
                continue
            count = getattr(form.instance, "score_count", None)  # annotated by the inline
            try:
                services.require_removable(
                    form.instance, scored=None if count is None else count > 0
                )
            except ValidationError as error:
                refusals += error.messages
        if refusals:
            raise ValidationError(refusals)
        for form in self.extra_forms:
            juror = getattr(form, "cleaned_data", {}).get("juror")
            if juror is None or self._should_delete_form(form) or form.errors:
                continue
            # A trial run of the service, rolled back: its refusal becomes the form error, and
            # nothing is stored while another part of the page may still be invalid.
            try:
                with transaction.atomic():
                    services.juror_assign(
                        application=self.instance, juror=juror, by_user=self.by_user
                    )
                    transaction.set_rollback(True)
            except ValidationError as error:
                form.add_error("juror", error.messages)

    def delete_existing(self, obj, commit=True):
        if commit:
            services.juror_remove(assignment=obj, by_user=self.by_user)

    def save_new(self, form, commit=True):
        return services.juror_assign(
            application=self.instance,
            juror=form.cleaned_data["juror"],
            by_user=self.by_user,
            notify=True,
        )


class JurorAssignmentInline(admin.TabularInline):
    """Jurors are added or removed here; an existing assignment is not edited (the juror's
    scores belong to it)."""

    model = JurorAssignment
    formset = JurorAssignmentFormSet
    extra = 0
    fields = ["juror", "conflict_declared_at", "submitted_at"]
    readonly_fields = ["conflict_declared_at", "submitted_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("juror")
            .annotate(score_count=Count("scores"))
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.by_user = request.user
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "juror":
            kwargs["queryset"] = User.objects.filter(
                groups__name=JURY_GROUP, is_active=True
            ).order_by("last_name", "first_name", "email")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "juror":
            # No "add user" next to the choice: a new user would not be in the jury.
            widget = formfield.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
        return formfield

    def has_change_permission(self, request, obj=None):
        return False

    # Once decided, the jury of an application stays as it was.
    def has_add_permission(self, request, obj=None):
        return not (obj is not None and obj.decision) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.decision) and super().has_delete_permission(
            request, obj
        )
