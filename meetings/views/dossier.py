"""The dossier of a meeting that took place ("Nachlese"): short minutes, materials, the
experts' answers to the members' questions and the agenda with its speakers. For the users of
active member companies and the coordinators (:class:`~meetings.permissions.MeetingsMemberMixin`),
whether their company came or not; it exists once the coordinators published it
(:func:`meetings.services.dossier_publish`), before that the page is not found."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from ..permissions import MeetingsMemberMixin
from ..selectors import dossier_of, published_dossiers


class DossierView(MeetingsMemberMixin, DetailView):
    template_name = "meetings/dossier.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        return get_object_or_404(
            published_dossiers().select_related("host"), slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**dossier_of(self.object), **kwargs)
