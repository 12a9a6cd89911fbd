"""The check-in at the door, made for a phone or tablet: everyone seated, searchable by name or
company, one tap to check a person in or out, walk-ins added on the spot, and the count of
who is here. Mixed into :class:`~meetings.admin.meetings.MeetingAdmin`.

The page works as plain forms (search by GET, each tap a POST that comes back to the page);
``static/meetings/check-in.js`` makes the search filter as one types and sends a tap with
``fetch``, which the check-in view answers with JSON, so the page does not reload.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from members.models import Company
from network_portal.admin_views import PortalAdminMixin, admin_url, refusal_text
from network_portal.text import validate_single_line

from .. import selectors, services
from ..models import Meeting, Registration

SEARCH_MAX_LENGTH = 100


class WalkInForm(forms.Form):
    """Someone who came without registering: name, company (a member company from the list or
    any other name), and an address if they give one."""

    name = forms.CharField(label=_("Name"), max_length=200, validators=[validate_single_line])
    company = forms.CharField(
        label=_("Company"),
        max_length=200,
        validators=[validate_single_line],
        help_text=_("Choose a member company from the list or enter another name."),
        widget=forms.TextInput(attrs={"list": "member-companies", "autocomplete": "off"}),
    )
    # max_length: the registration's column takes 254 characters.
    email = forms.EmailField(
        label=pgettext_lazy("person", "Email"),
        required=False,
        max_length=254,
        validators=[validate_single_line],
        help_text=_("Optional: for the request for feedback after the meeting."),
    )


def wants_json(request) -> bool:
    """The check-in script asks for JSON; a plain form gets the page back."""
    return "application/json" in request.headers.get("Accept", "")


class CheckInScreen(PortalAdminMixin):
    """Checking in needs the meeting's and the registrations' change permission."""

    def _door(self, request, pk) -> Meeting:
        return self.object_for(
            request,
            pk,
            require=("change",),
            perms=("meetings.view_registration", "meetings.change_registration"),
            queryset=Meeting.objects.select_related("host"),
        )

    @admin_url("<int:pk>/check-in/", name="meetings_meeting_check_in_page")
    def check_in_page_view(self, request, pk):
        meeting = self._door(request, pk)
        return self._render_door(request, meeting, WalkInForm())

    def _render_door(self, request, meeting, walk_in_form, *, status=200):
        search = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
        return self.render_admin_page(
            request,
            "admin/meetings/meeting/check_in.html",
            gettext("Check-in: %(meeting)s") % {"meeting": meeting.title},
            status=status,
            original=meeting,
            meeting=meeting,
            search=search,
            registrations=selectors.check_in_list(meeting, search=search),
            counts=selectors.check_in_counts(meeting),
            walk_in_form=walk_in_form,
            member_companies=Company.objects.active()
            .order_by("name")
            .values_list("name", flat=True),
            door_open=meeting.status in services.CHECK_IN_STATUSES,
        )

    @admin_url("<int:pk>/participants/check-in/", name="meetings_meeting_check_in", post_only=True)
    def check_in_view(self, request, pk):
        """One tap: check a seated person in (``present=1``) or take it back (``present=0``).
        Answers the script with JSON; a plain form goes back to the page it came from."""
        meeting = self._door(request, pk)
        registration_id = request.POST.get("registration", "")
        if not registration_id.isdigit():
            raise Http404
        registration = get_object_or_404(Registration, pk=registration_id, meeting=meeting)
        present = request.POST.get("present") == "1"
        try:
            registration = services.check_in(
                registration=registration, present=present, by_user=request.user
            )
        except ValidationError as error:
            if wants_json(request):
                return JsonResponse({"error": refusal_text(error.messages)}, status=400)
            self.message_refusal(request, error)
        else:
            if present:
                message = gettext("%(name)s is checked in.")
            else:
                message = gettext("The check-in of %(name)s has been undone.")
            message %= {"name": registration.name}
            if wants_json(request):
                return JsonResponse(
                    {
                        "registration": registration.pk,
                        "present": registration.checked_in_at is not None,
                        "time": _checked_in_text(registration),
                        "button": _button_label(registration),
                        "message": message,
                        **selectors.check_in_counts(meeting),
                    }
                )
            self.message_user(request, message, messages.SUCCESS)
        if request.POST.get("back") == "check-in":
            return self._back_to_door(meeting, registration, request.POST.get("q", ""))
        url = reverse("admin:meetings_meeting_participants", args=[meeting.pk])
        return HttpResponseRedirect(f"{url}#registration-{registration.pk}")

    @admin_url("<int:pk>/check-in/walk-in/", name="meetings_meeting_walk_in", post_only=True)
    def walk_in_view(self, request, pk):
        """Add someone who came without registering, checked in at once."""
        meeting = self._door(request, pk)
        form = WalkInForm(request.POST)
        if not form.is_valid():
            return self._render_door(request, meeting, form, status=400)
        data = form.cleaned_data
        company = Company.objects.active().filter(name__iexact=data["company"].strip()).first()
        try:
            registration = services.walk_in_add(
                meeting=meeting,
                name=data["name"],
                company=company,
                company_name="" if company else data["company"],
                email=data["email"],
                by_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self._render_door(request, meeting, form, status=400)
        self.message_user(
            request,
            gettext("%(name)s (%(company)s) is checked in.")
            % {"name": registration.name, "company": registration.company_label},
            messages.SUCCESS,
        )
        return self._back_to_door(meeting, registration, "")

    def _back_to_door(self, meeting, registration, search) -> HttpResponseRedirect:
        url = reverse("admin:meetings_meeting_check_in_page", args=[meeting.pk])
        search = search.strip()[:SEARCH_MAX_LENGTH]
        query = f"?{urlencode({'q': search})}" if search else ""
        return HttpResponseRedirect(f"{url}{query}#registration-{registration.pk}")


def _checked_in_text(registration: Registration) -> str:
    if registration.checked_in_at is None:
        return ""
    return gettext("checked in at %(time)s") % {
        "time": date_format(timezone.localtime(registration.checked_in_at), "H:i")
    }


def _button_label(registration: Registration) -> str:
    return gettext("Undo") if registration.checked_in_at else gettext("Check in")
