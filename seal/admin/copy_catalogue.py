"""Copying the catalogue of an earlier cycle into a cycle (an action that leads to a page)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin, admin_url

from .. import services
from ..models import AwardCycle


class CopyCatalogueForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Copy the catalogue of"), queryset=AwardCycle.objects.none(), empty_label=None
    )

    def __init__(self, *args, target: AwardCycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (
            AwardCycle.objects.exclude(pk=target.pk)
            .filter(categories__isnull=False)
            .distinct()
            .order_by("-applications_open_at")
        )


class CopyCatalogueScreen(PortalAdminMixin):
    """Mixed into :class:`~seal.admin.cycles.AwardCycleAdmin`."""

    @admin.action(
        description=_("Copy the catalogue of another cycle into this one"),
        permissions=["change"],
    )
    def copy_catalogue(self, request, queryset):
        cycles = list(queryset[:2])
        if len(cycles) != 1:
            self.message_user(
                request,
                gettext("Please select exactly one cycle to copy a catalogue into."),
                messages.WARNING,
            )
            return None
        return HttpResponseRedirect(
            reverse("admin:seal_awardcycle_copy_catalogue", args=[cycles[0].pk])
        )

    @admin_url("<int:pk>/copy-catalogue/", name="seal_awardcycle_copy_catalogue")
    def copy_catalogue_view(self, request, pk):
        cycle = self.object_for(
            request,
            pk,
            require=("change",),
            perms=("seal.add_category", "seal.add_criterion"),
        )
        form = CopyCatalogueForm(request.POST or None, target=cycle)
        if request.method == "POST" and form.is_valid():
            source = form.cleaned_data["source"]
            try:
                copied = services.cycle_copy_catalogue(
                    source=source, target=cycle, by_user=request.user
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(n)d criterion copied from %(source)s.",
                        "%(n)d criteria copied from %(source)s.",
                        copied,
                    )
                    % {"n": copied, "source": source.name},
                    messages.SUCCESS,
                )
                return self.redirect_to_change(cycle)
        return self.render_admin_page(
            request,
            "admin/seal/awardcycle/copy_catalogue.html",
            gettext("Copy a catalogue into %(cycle)s") % {"cycle": cycle.name},
            original=cycle,
            cycle=cycle,
            form=form,
        )
