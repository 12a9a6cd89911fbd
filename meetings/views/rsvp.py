from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View

from members.models import ContactPerson
from network_portal.confirmation import Confirmation, confirmation_page
from network_portal.flash import flash_errors, flash_form_errors
from network_portal.signing import LinkProblem, LinkProblemPageMixin, read_link

from .. import services
from ..forms import ColleagueForm
from ..models import Meeting, Registration
from ..permissions import MeetingsCompanyMixin

# A link is checked against the meeting's end; the signature itself may be a year old.
RSVP_LINK_MAX_AGE = 366 * 24 * 3600


class _MeetingActionView(MeetingsCompanyMixin, View):
    def get_meeting(self, slug):
        return get_object_or_404(Meeting.objects.visible(), slug=slug)


class AnswerView(_MeetingActionView):
    """The logged-in user answers yes or no for themselves."""

    def post(self, request, slug):
        meeting = self.get_meeting(slug)
        attending = request.POST.get("attending") == "yes"
        user = request.user
        try:
            registration = services.rsvp_answer(
                meeting=meeting,
                company=self.company,
                name=user.get_full_name() or user.email,
                email=user.email,
                contact=ContactPerson.objects.filter(user=user).first(),
                attending=attending,
                by_user=user,
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _answer_message(registration))
        return redirect("meetings:detail", slug=meeting.slug)


def _answer_message(registration: Registration) -> str:
    if registration.status == Registration.Status.CONFIRMED:
        return _("Thank you, you are registered.")
    if registration.status == Registration.Status.WAITLISTED:
        return _(
            "The meeting is full: you are on the waitlist and move up automatically when a seat "
            "frees up. We will let you know by email."
        )
    return _("Thank you for letting us know that you will not attend.")


class RegisterColleagueView(_MeetingActionView):
    def post(self, request, slug):
        meeting = self.get_meeting(slug)
        form = ColleagueForm(request.POST, company=self.company)
        if not form.is_valid():
            flash_form_errors(request, form)
            return redirect("meetings:detail", slug=meeting.slug)
        try:
            registration = services.rsvp_answer(
                meeting=meeting,
                company=self.company,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                contact=form.cleaned_data["contact"],
                attending=True,
                by_user=request.user,
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            if registration.status == Registration.Status.WAITLISTED:
                messages.warning(
                    request,
                    _("%(name)s is on the waitlist; we send an email when a seat frees up.")
                    % {"name": registration.name},
                )
            else:
                messages.success(
                    request, _("%(name)s is registered.") % {"name": registration.name}
                )
        return redirect("meetings:detail", slug=meeting.slug)


class CancelRegistrationView(_MeetingActionView):
    """Cancel one's own or a colleague's registration: GET shows what happens, POST does it."""

    def get_registration(self, slug, pk):
        meeting = self.get_meeting(slug)
        registration = get_object_or_404(Registration, pk=pk, meeting=meeting, company=self.company)
        return meeting, registration

    def get(self, request, slug, pk):
        meeting, registration = self.get_registration(slug, pk)
        if not (registration.is_attending and meeting.is_open_for_answers):
            messages.info(request, _("This registration can no longer be cancelled."))
            return redirect("meetings:detail", slug=meeting.slug)
        return confirmation_page(
            request, _cancel_confirmation(meeting, registration, own=_is_own(request, registration))
        )

    def post(self, request, slug, pk):
        meeting, registration = self.get_registration(slug, pk)
        try:
            services.registration_cancel(registration=registration, by_user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                _("The registration of %(name)s is cancelled.") % {"name": registration.name},
            )
        return redirect("meetings:detail", slug=meeting.slug)


def _is_own(request, registration: Registration) -> bool:
    return registration.email.lower() == request.user.email.lower()


def _cancel_confirmation(meeting: Meeting, registration: Registration, *, own: bool):
    name = registration.name
    seated = registration.status == Registration.Status.CONFIRMED
    someone_waits = seated and meeting.registrations.waiting().exists()
    deadline = formats.date_format(timezone.localtime(meeting.rsvp_deadline), "DATETIME_FORMAT")
    if seated:
        first = (
            _("Your registration is cancelled and your seat is released.")
            if own
            else _("The registration of %(name)s is cancelled and the seat is released.")
        )
    else:
        first = _("You leave the waitlist.") if own else _("%(name)s leaves the waitlist.")
    consequences = [first % {"name": name}]
    if someone_waits:
        consequences.append(_("The seat goes to the first person on the waitlist."))
    consequences.append(
        (
            _("Until the RSVP deadline (%(deadline)s) you can register again if seats are free.")
            if own
            else _(
                "Until the RSVP deadline (%(deadline)s) %(name)s can be registered again if "
                "seats are free."
            )
        )
        % {"deadline": deadline, "name": name}
    )
    mails = []
    if someone_waits:
        mails.append(_("The first person on the waitlist is told by email that they have a seat."))
    if not own:
        mails.append(_("%(name)s is not told by email.") % {"name": name})
    return Confirmation(
        title=_("Cancel your registration") if own else _("Cancel a registration"),
        facts=[
            (_("Meeting"), meeting.title),
            (
                _("When"),
                formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT"),
            ),
            (_("Person"), f"{name} ({registration.email})"),
            (_("Status"), registration.get_status_display()),
        ],
        consequences=consequences,
        mails=mails,
        submit_label=_("Cancel my registration") if own else _("Cancel registration"),
        cancel_url=reverse("meetings:detail", args=[meeting.slug]),
    )


class OneClickAnswerView(LinkProblemPageMixin, View):
    """ "Ich nehme teil" / "Ich nehme nicht teil" from a mail, without login.

    GET shows the meeting and the answer with a button, and changes nothing; only the person's
    press of the button (a POST with the signed token and the CSRF token the page set) records
    it. No script submits the form, so a mail scanner that opens links, even one that runs
    scripts, answers for nobody.
    """

    template_name = "meetings/rsvp_one_click.html"

    def _resolve(self, token):
        """Who answers what for which meeting, or :class:`LinkProblem`."""
        invalid = _("This link is not valid.")
        payload = read_link(
            token,
            purpose=services.RSVP_PURPOSE,
            max_age_seconds=RSVP_LINK_MAX_AGE,
            expired_message=_("This link has expired."),
            invalid_message=invalid,
        )
        meeting = Meeting.objects.visible().filter(pk=payload.get("m")).first()
        if meeting is None:
            raise LinkProblem(invalid)
        if meeting.is_over:
            raise LinkProblem(_("This meeting is over; the link has expired."), expired=True)
        if "c" in payload:
            person = ContactPerson.objects.select_related("company").filter(pk=payload["c"]).first()
            if person is None:
                raise LinkProblem(invalid)
            who = {
                "company": person.company,
                "name": person.full_name,
                "email": person.email,
                "contact": person,
            }
        else:
            registration = (
                Registration.objects.select_related("company", "contact")
                .filter(pk=payload.get("r"), meeting=meeting)
                .first()
            )
            if registration is None:
                raise LinkProblem(invalid)
            who = {
                "company": registration.company,
                "name": registration.name,
                "email": registration.email,
                "contact": registration.contact,
            }
        # A yes link of a company that is no longer an active member is dead, already when it
        # is opened: the same rule rsvp_answer refuses by, told as a link problem (410).
        if payload.get("a") and not who["company"].is_active_member:
            raise LinkProblem(
                _("This link is no longer valid: the company is not an active member.")
            )
        return {"meeting": meeting, "attending": bool(payload.get("a")), **who}

    def _current(self, answer):
        return Registration.objects.filter(
            meeting=answer["meeting"], email__iexact=answer["email"]
        ).first()

    def _other_link(self, answer):
        """The link for the opposite answer, so the page offers a way to change it."""
        kwargs = (
            {"contact": answer["contact"]}
            if answer["contact"]
            else {"registration": self._current(answer)}
        )
        if kwargs.get("registration") is None and not answer["contact"]:
            return None
        return services.rsvp_url(
            meeting=answer["meeting"], attending=not answer["attending"], **kwargs
        )

    def get(self, request, token):
        answer = self._resolve(token)
        return render(
            request,
            self.template_name,
            {"answer": answer, "registration": self._current(answer), "recorded": False},
        )

    def post(self, request, token):
        answer = self._resolve(token)
        try:
            registration = services.rsvp_answer(
                meeting=answer["meeting"],
                company=answer["company"],
                name=answer["name"],
                email=answer["email"],
                contact=answer["contact"],
                attending=answer["attending"],
            )
        except ValidationError as error:
            return render(
                request,
                self.template_name,
                {"answer": answer, "problem": " ".join(error.messages)},
                status=409,
            )
        return render(
            request,
            self.template_name,
            {
                "answer": answer,
                "registration": registration,
                "recorded": True,
                "message": _answer_message(registration),
                "change_url": self._other_link(answer),
            },
        )
