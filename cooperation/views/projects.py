"""The board, a project's page, proposals and changes by the owner, status steps and the
companies' interest."""

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from network_portal.confirmation import Confirmation, confirmation_page
from network_portal.flash import flash_errors

from .. import selectors, services
from ..forms import BookingForm, CancelForm, FilterForm, ProjectForm
from ..models import Project
from ..permissions import CooperationMemberMixin, can_manage


class BoardView(CooperationMemberMixin, ListView):
    """The Kooperationsbörse: every project, filtered by kind and status."""

    template_name = "cooperation/board.html"
    context_object_name = "projects"
    paginate_by = 20

    def get_queryset(self):
        self.filters = FilterForm(self.request.GET or None)
        kind = status = ""
        if self.filters.is_valid():
            kind = self.filters.cleaned_data["kind"]
            status = self.filters.cleaned_data["status"]
        return selectors.board(company=self.company, kind=kind, status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filters"] = self.filters
        context["can_take_part"] = self.company is not None
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


class MyCooperationsView(CooperationMemberMixin, ListView):
    """„Meine Kooperationen“: the projects the company owns, is interested in or has places
    on."""

    template_name = "cooperation/mine.html"
    context_object_name = "projects"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        self.require_company()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.my_projects(company=self.company)


class ProposeView(CooperationMemberMixin, View):
    """A company proposes a project; it owns it."""

    template_name = "cooperation/project_form.html"

    def get(self, request):
        self.require_company()
        return self._render(ProjectForm())

    def post(self, request):
        self.require_company()
        form = ProjectForm(request.POST)
        if form.is_valid():
            try:
                project = services.project_propose(
                    company=self.company, by_user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. Your project is on the board; other companies can now say "
                        "they are interested."
                    ),
                )
                return redirect("cooperation:detail", pk=project.pk)
        return self._render(form, status=200)

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "title": _("Propose a cooperation project")},
            status=status,
        )


class _ProjectMixin(CooperationMemberMixin):
    def get_project(self, pk) -> Project:
        return get_object_or_404(Project.objects.select_related("company"), pk=pk)


class ProjectDetailView(_ProjectMixin, View):
    template_name = "cooperation/detail.html"

    def get(self, request, pk):
        project = get_object_or_404(selectors.projects_with_figures(company=self.company), pk=pk)
        manager = can_manage(request.user, project)
        booking = selectors.company_booking(project, self.company)
        context = {
            "project": project,
            "can_manage": manager,
            "can_take_part": self.company is not None,
            "booking": booking,
            "waitlist_position": selectors.waitlist_position(booking) if booking else None,
            "free_places": (
                max(project.total_places - project.booked, 0) if project.has_places else None
            ),
        }
        if project.takes_bookings and self.company is not None:
            held = booking.places + booking.waiting_places if booking else 0
            left = project.company_limit - held
            context["places_left_for_company"] = left
            # A company on the waitlist asks for more once its waiting places are settled.
            if left > 0 and not (booking and booking.waiting_places):
                context["booking_form"] = BookingForm(limit=left)
            if booking:
                context["cancel_form"] = CancelForm(initial={"places": 1})
        if manager:
            context["bookings"] = list(selectors.bookings_of(project)) if project.has_places else []
            context["messages_sent"] = list(project.messages.all()[:10])
            context["interested_companies"] = list(
                project.interests.select_related("company").order_by("company__name")
            )
        return render(request, self.template_name, context)


class ProjectEditView(_ProjectMixin, View):
    template_name = "cooperation/project_form.html"

    def get(self, request, pk):
        project = self.get_project(pk)
        self.require_manager(project)
        return self._render(project, ProjectForm(instance=project))

    def post(self, request, pk):
        project = self.get_project(pk)
        self.require_manager(project)
        form = ProjectForm(request.POST, instance=project)
        if form.is_valid():
            try:
                services.project_save(
                    project=form.instance, by_user=request.user, changed=form.changed_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The project has been saved."))
                return redirect("cooperation:detail", pk=project.pk)
        return self._render(project, form)

    def _render(self, project, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "project": project, "title": _("Change the project")},
        )


def _status_confirmation(project: Project, status: str) -> Confirmation:
    new = Project.Status(status)
    consequences = [
        _("The project changes from “%(old)s” to “%(new)s”.")
        % {"old": project.get_status_display(), "new": new.label}
    ]
    if new == Project.Status.OPEN and project.has_places:
        consequences.append(_("Member companies can book places from now on."))
    if new == Project.Status.RUNNING and project.has_places:
        consequences.append(_("Bookings close; companies can no longer book or give back places."))
    if new == Project.Status.COMPLETED:
        consequences.append(_("This step cannot be undone."))
    return Confirmation(
        title=_("Change the project's status"),
        facts=[(_("Project"), project.title), (_("Status now"), project.get_status_display())],
        consequences=consequences,
        submit_label=_("Yes, change the status"),
        cancel_url=reverse("cooperation:detail", args=[project.pk]),
        danger=new == Project.Status.COMPLETED,
    )


class ProjectStatusView(_ProjectMixin, View):
    """GET ``?status=…`` shows what the step does, POST takes it."""

    def _status(self, request, project):
        status = request.GET.get("status", "")
        if status not in Project.Status.values:
            raise BadRequest
        return status

    def get(self, request, pk):
        project = self.get_project(pk)
        self.require_manager(project)
        status = self._status(request, project)
        if status not in project.next_statuses:
            messages.info(request, _("The project cannot take this step now."))
            return redirect("cooperation:detail", pk=project.pk)
        return confirmation_page(request, _status_confirmation(project, status))

    def post(self, request, pk):
        project = self.get_project(pk)
        self.require_manager(project)
        status = self._status(request, project)
        try:
            project = services.project_set_status(
                project=project, status=status, by_user=request.user
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                _("The project is now “%(status)s”.") % {"status": project.get_status_display()},
            )
        return redirect("cooperation:detail", pk=project.pk)


class InterestView(_ProjectMixin, View):
    """Say the company is interested (``interested=yes``) or withdraw it (``no``)."""

    def post(self, request, pk):
        self.require_company()
        choice = request.POST.get("interested")
        if choice not in ("yes", "no"):
            raise BadRequest
        project = self.get_project(pk)
        try:
            if choice == "yes":
                services.interest_mark(project=project, company=self.company, by_user=request.user)
            else:
                services.interest_withdraw(
                    project=project, company=self.company, by_user=request.user
                )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            if choice == "yes":
                messages.success(
                    request,
                    _("Your company is marked as interested; the project's mails reach you."),
                )
            else:
                messages.success(request, _("Your company is no longer marked as interested."))
        return redirect("cooperation:detail", pk=project.pk)
