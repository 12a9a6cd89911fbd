"""Places on a project: booking, giving places back (with the waitlist moving up) and the
attendance the owner records."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from network_portal.confirmation import Confirmation, confirmation_page
from network_portal.flash import flash_errors, flash_form_errors

from .. import services
from ..forms import BookingForm, CancelForm, ParticipantFormSet
from ..models import Booking, Project
from ..permissions import CooperationMemberMixin


class BookView(CooperationMemberMixin, View):
    def post(self, request, pk):
        self.require_company()
        project = get_object_or_404(Project, pk=pk)
        form = BookingForm(request.POST, limit=project.company_limit or 1)
        if not form.is_valid():
            flash_form_errors(request, form)
            return redirect("cooperation:detail", pk=project.pk)
        try:
            booking = services.booking_book(
                project=project,
                company=self.company,
                places=form.cleaned_data["places"],
                by_user=request.user,
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Your company has booked %(n)d place.",
                    "Your company has booked %(n)d places.",
                    booking.places,
                )
                % {"n": booking.places},
            )
            if booking.waiting_places:
                messages.warning(
                    request,
                    ngettext(
                        "%(n)d place is on the waitlist; we send an email when it moves up.",
                        "%(n)d places are on the waitlist; we send an email when they move up.",
                        booking.waiting_places,
                    )
                    % {"n": booking.waiting_places},
                )
        return redirect("cooperation:detail", pk=project.pk)


class _BookingMixin(CooperationMemberMixin):
    def get_booking(self, pk, booking_pk, *, own: bool) -> Booking:
        """The booking on project ``pk``; ``own``: only the user's company's (another
        company's booking does not exist for the user)."""
        queryset = Booking.objects.select_related("project", "project__company", "company")
        if own:
            self.require_company()
            queryset = queryset.filter(company=self.company)
        return get_object_or_404(queryset, pk=booking_pk, project_id=pk)


def _places_from(request, booking: Booking) -> int | None:
    form = CancelForm(request.GET)
    if not form.is_valid():
        return None
    places = form.cleaned_data["places"]
    return places if places <= booking.places + booking.waiting_places else None


def _cancel_confirmation(booking: Booking, places: int) -> Confirmation:
    project = booking.project
    from_waitlist = min(places, booking.waiting_places)
    booked = places - from_waitlist
    consequences = []
    if from_waitlist:
        consequences.append(
            ngettext(
                "%(n)d place leaves the waitlist.",
                "%(n)d places leave the waitlist.",
                from_waitlist,
            )
            % {"n": from_waitlist}
        )
    if booked:
        consequences.append(
            ngettext(
                "%(n)d booked place is given back.", "%(n)d booked places are given back.", booked
            )
            % {"n": booked}
        )
        left = booking.places - booked
        share = project.cost_for(left)
        if share is not None:
            consequences.append(
                _("Your company's share of the cost becomes %(share)s EUR.")
                % {"share": number_format(share, decimal_pos=2, force_grouping=True)}
            )
    mails = []
    if booked and project.bookings.waiting().exists():
        consequences.append(_("The places go to the companies on the waitlist, in its order."))
        mails.append(_("Each company that moves up is told by email."))
    return Confirmation(
        title=_("Give back places"),
        facts=[
            (_("Project"), project.title),
            (_("Booked places"), str(booking.places)),
            (_("Places on the waitlist"), str(booking.waiting_places)),
        ],
        consequences=consequences,
        mails=mails,
        submit_label=_("Yes, give back the places"),
        cancel_url=reverse("cooperation:detail", args=[project.pk]),
    )


class CancelView(_BookingMixin, View):
    """GET ``?places=N`` shows what giving back N places does; POST does it."""

    def get(self, request, pk, booking_pk):
        booking = self.get_booking(pk, booking_pk, own=True)
        places = _places_from(request, booking)
        if places is None:
            messages.error(request, _("Please give a number of places your company holds."))
            return redirect("cooperation:detail", pk=pk)
        return confirmation_page(request, _cancel_confirmation(booking, places))

    def post(self, request, pk, booking_pk):
        booking = self.get_booking(pk, booking_pk, own=True)
        places = _places_from(request, booking)
        if places is None:
            messages.error(request, _("Please give a number of places your company holds."))
            return redirect("cooperation:detail", pk=pk)
        try:
            services.booking_cancel(booking=booking, places=places, by_user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                ngettext("%(n)d place given back.", "%(n)d places given back.", places)
                % {"n": places},
            )
        return redirect("cooperation:detail", pk=pk)


class AttendanceView(_BookingMixin, View):
    """The owner or the coordinators record who of a company took part."""

    template_name = "cooperation/attendance.html"

    def _formset(self, booking, data=None):
        if data is not None:
            return ParticipantFormSet(data, prefix="p")
        initial = [
            {"name": participant.name, "attended": participant.attended}
            for participant in booking.participants.all()
        ]
        initial += [{"name": "", "attended": False}] * max(booking.places - len(initial), 0)
        return ParticipantFormSet(initial=initial, prefix="p")

    def get(self, request, pk, booking_pk):
        booking = self.get_booking(pk, booking_pk, own=False)
        self.require_manager(booking.project)
        return self._render(booking, self._formset(booking))

    def post(self, request, pk, booking_pk):
        booking = self.get_booking(pk, booking_pk, own=False)
        self.require_manager(booking.project)
        formset = self._formset(booking, request.POST)
        if formset.is_valid():
            rows = [
                (form.cleaned_data.get("name", ""), form.cleaned_data.get("attended", False))
                for form in formset
            ]
            try:
                services.attendance_record(booking=booking, participants=rows, by_user=request.user)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                messages.success(
                    request,
                    _("The attendance of %(company)s has been saved.")
                    % {"company": booking.company.name},
                )
                return redirect("cooperation:detail", pk=pk)
        return self._render(booking, formset)

    def _render(self, booking, formset):
        return render(
            self.request,
            self.template_name,
            {"booking": booking, "project": booking.project, "formset": formset},
        )
