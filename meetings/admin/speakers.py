"""Speakers and hosts from the member companies (issue 16).

„Passende Angebote“: for a meeting (mixed into
:class:`~meetings.admin.meetings.MeetingAdmin`) and for a topic wish (mixed into
:class:`~meetings.admin.topics.TopicProposalAdmin`), the companies that offered to report on
one of its expertise topics, and those that offered to host a meeting (room, seats). Each offer
leads to „Um einen Beitrag bitten“: a form (whom of the company, the title, a personal
message; for a topic wish, which planned meeting), then a confirmation page naming the mail that
goes out; only its POST calls :func:`meetings.services.speaker_request_create`.

The requests themselves are listed in :class:`SpeakerRequestAdmin`, with a confirmed withdrawal
(:func:`meetings.services.speaker_request_withdraw`).
"""

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import Company, ContactPerson, ExpertiseOffer
from network_portal.admin_views import PortalAdminMixin, admin_url, object_link
from network_portal.confirmation import Confirmation
from network_portal.text import validate_multi_line, validate_single_line

from .. import services
from ..models import Meeting, SpeakerRequest, TopicProposal
from ..selectors import matching_offers

OFFERS_TEMPLATE = "admin/meetings/offers.html"
ASK_TEMPLATE = "admin/meetings/speaker_request_form.html"
ASK_PERMISSIONS = ("meetings.add_speakerrequest", "members.view_expertiseoffer")


def planned_meetings():
    """The meetings a speaker can still be asked for: drafts and published ones to come."""
    return Meeting.objects.filter(
        status__in=[Meeting.Status.DRAFT, Meeting.Status.PUBLISHED], starts_at__gt=timezone.now()
    ).order_by("starts_at")


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contact):
        return f"{contact.full_name} ({contact.email})"


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        when = date_format(timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT")
        return f"{meeting.title} ({when}, {meeting.get_status_display()})"


class SpeakerRequestForm(forms.Form):
    meeting = MeetingChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        help_text=_("The planned meeting at which the company is to report."),
    )
    contact = ContactChoiceField(
        label=_("Asked person"),
        queryset=ContactPerson.objects.none(),
        help_text=_("Receives the request by email, with links to accept or decline."),
    )
    talk_title = forms.CharField(
        label=_("Title of the contribution"), max_length=300, validators=[validate_single_line]
    )
    message = forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        validators=[validate_multi_line],
        help_text=_("Why you ask this company, what the members would like to hear, how long."),
    )

    def __init__(self, *args, offer: ExpertiseOffer, with_meeting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = offer.company.contacts.order_by("last_name", "first_name")
        if with_meeting:
            self.fields["meeting"].queryset = planned_meetings()
        else:
            del self.fields["meeting"]

    def hidden(self) -> list[tuple[str, str]]:
        """The valid entries, to post again from the confirmation page."""
        values = [(name, self.data.get(name, "")) for name in self.fields]
        return [*values, ("confirmed", "yes")]


def _talk_title(offer: ExpertiseOffer, default: str) -> str:
    topics = getattr(offer, "matched", None) or list(offer.topics.all())
    if topics:
        return gettext("Practice report: %(topics)s") % {
            "topics": ", ".join(topic.name for topic in topics)
        }
    return default


class _AskFlow(PortalAdminMixin):
    """The pages both screens share: the offers, the form, the confirmation, the service."""

    def _offers_page(self, request, *, original, topics, meeting, ask_url, title, **extra):
        can_ask = self.has_change_permission(request, original) and request.user.has_perms(
            ASK_PERMISSIONS
        )
        offers = matching_offers(topics=topics, meeting=meeting)
        for offer in (*offers["reports"], *offers["hosts"]):
            offer.ask_url = ask_url(offer)
        return self.render_admin_page(
            request,
            OFFERS_TEMPLATE,
            title,
            original=original,
            topics=list(topics),
            meeting=meeting,
            can_ask=can_ask,
            crumb=gettext("Matching offers"),
            **offers,
            **extra,
        )

    def _ask(self, request, *, original, offer, meeting, topic_proposal, back_url):
        with_meeting = topic_proposal is not None
        data = request.POST if request.method == "POST" else None
        initial = {
            "contact": offer.contact,
            "talk_title": _talk_title(offer, topic_proposal.title if topic_proposal else ""),
        }
        if with_meeting:
            initial["meeting"] = meeting
        form = SpeakerRequestForm(data, offer=offer, with_meeting=with_meeting, initial=initial)
        if data is not None and form.is_valid():
            meeting = form.cleaned_data.get("meeting", meeting)
            contact = form.cleaned_data["contact"]
            if request.POST.get("confirmed") == "yes":
                done = self.run_service(
                    request,
                    lambda: services.speaker_request_create(
                        meeting=meeting,
                        contact=contact,
                        talk_title=form.cleaned_data["talk_title"],
                        message=form.cleaned_data["message"],
                        offer=offer,
                        topic_proposal=topic_proposal,
                        by_user=request.user,
                    ),
                    done_message=lambda speaker_request: (
                        gettext(
                            "%(name)s has been asked by email; you will be told when the "
                            "answer comes."
                        )
                        % {"name": contact.full_name}
                    ),
                )
                if done:
                    return HttpResponseRedirect(back_url)
            else:
                return self.render_confirmation(
                    request,
                    _ask_confirmation(
                        meeting=meeting,
                        contact=contact,
                        talk_title=form.cleaned_data["talk_title"],
                        cancel_url=back_url,
                    ),
                    original=original,
                    hidden=form.hidden(),
                    back_in_history=True,
                )
        return self.render_admin_page(
            request,
            ASK_TEMPLATE,
            gettext("Ask for a contribution: %(company)s") % {"company": offer.company.name},
            original=original,
            offer=offer,
            meeting=meeting,
            topic_proposal=topic_proposal,
            form=form,
            back_url=back_url,
            crumb=gettext("Ask for a contribution"),
        )

    def _offer(self, pk) -> ExpertiseOffer:
        return get_object_or_404(
            ExpertiseOffer.objects.select_related("company", "contact").filter(
                company__status=Company.Status.ACTIVE
            ),
            pk=pk,
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "expertise_topics":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _ask_confirmation(*, meeting, contact, talk_title, cancel_url) -> Confirmation:
    name = contact.full_name
    return Confirmation(
        title=gettext("Ask for a contribution"),
        facts=[
            (gettext("Meeting"), str(meeting)),
            (gettext("Company"), contact.company.name),
            (gettext("Asked person"), f"{name} ({contact.email})"),
            (gettext("Title of the contribution"), talk_title),
        ],
        consequences=[
            gettext(
                "%(name)s receives your request with links to accept or decline; they work "
                "until the meeting begins."
            )
            % {"name": name},
            gettext(
                "If %(name)s accepts, the contribution goes on the meeting’s agenda after its "
                "last item, with %(name)s as speaker; you can adjust the time."
            )
            % {"name": name},
            gettext("You are told by email when %(name)s answers.") % {"name": name},
        ],
        mails=[gettext("1 email to %(email)s.") % {"email": contact.email}],
        recipients=[f"{name} · {contact.company.name} · {contact.email}"],
        submit_label=gettext("Send the request"),
        cancel_url=cancel_url,
        danger=False,
    )


class MeetingOffersScreen(_AskFlow):
    """On a meeting: who could report on its expertise topics, who could host."""

    @admin_url("<int:pk>/offers/", name="meetings_meeting_offers")
    def offers_view(self, request, pk):
        meeting = self.object_for(
            request, pk, perms=("members.view_expertiseoffer",), queryset=Meeting.objects.all()
        )
        return self._offers_page(
            request,
            original=meeting,
            topics=meeting.expertise_topics.all(),
            meeting=meeting,
            ask_url=lambda offer: reverse(
                "admin:meetings_meeting_ask", args=[meeting.pk, offer.pk]
            ),
            title=gettext("Matching offers: %(meeting)s") % {"meeting": meeting.title},
            can_ask_here=planned_meetings().filter(pk=meeting.pk).exists(),
            topics_url=reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        )

    @admin_url("<int:pk>/offers/<int:offer_pk>/ask/", name="meetings_meeting_ask")
    def ask_view(self, request, pk, offer_pk):
        meeting = self.object_for(request, pk, require=("change",), perms=ASK_PERMISSIONS)
        return self._ask(
            request,
            original=meeting,
            offer=self._offer(offer_pk),
            meeting=meeting,
            topic_proposal=None,
            back_url=reverse("admin:meetings_meeting_offers", args=[meeting.pk]),
        )


class TopicOffersScreen(_AskFlow):
    """On a topic wish: who could report on its expertise topics, asked for a planned
    meeting."""

    @admin_url("<int:pk>/offers/", name="meetings_topicproposal_offers")
    def offers_view(self, request, pk):
        proposal = self.object_for(
            request,
            pk,
            perms=("members.view_expertiseoffer",),
            queryset=TopicProposal.objects.select_related("scheduled_meeting"),
        )
        return self._offers_page(
            request,
            original=proposal,
            topics=proposal.expertise_topics.all(),
            meeting=proposal.scheduled_meeting,
            ask_url=lambda offer: reverse(
                "admin:meetings_topicproposal_ask", args=[proposal.pk, offer.pk]
            ),
            title=gettext("Matching offers: %(topic)s") % {"topic": proposal.title},
            can_ask_here=True,
            topics_url=reverse("admin:meetings_topicproposal_change", args=[proposal.pk]),
            proposal=proposal,
        )

    @admin_url("<int:pk>/offers/<int:offer_pk>/ask/", name="meetings_topicproposal_ask")
    def ask_view(self, request, pk, offer_pk):
        proposal = self.object_for(
            request,
            pk,
            require=("change",),
            perms=ASK_PERMISSIONS,
            queryset=TopicProposal.objects.select_related("scheduled_meeting"),
        )
        return self._ask(
            request,
            original=proposal,
            offer=self._offer(offer_pk),
            meeting=proposal.scheduled_meeting,
            topic_proposal=proposal,
            back_url=reverse("admin:meetings_topicproposal_offers", args=[proposal.pk]),
        )


@admin.register(SpeakerRequest)
class SpeakerRequestAdmin(PortalAdminMixin, admin.ModelAdmin):
    """The requests to speak, with their answers; made from „Passende Angebote“, answered by
    the asked person's link; a request not answered yet can be withdrawn."""

    change_form_template = "admin/meetings/speakerrequest/change_form.html"
    list_display = [
        "talk_title",
        "meeting",
        "company",
        "contact",
        "status",
        "created_at",
        "answered_at",
    ]
    list_filter = ["status", ("meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting", "company", "contact"]
    search_fields = ["talk_title", "company__name", "contact__last_name", "contact__email"]
    fields = [
        "meeting_link",
        "topic_proposal",
        "company",
        "contact",
        "talk_title",
        "message",
        "status",
        "agenda_item",
        "requested_by",
        "created_at",
        "answered_at",
    ]
    readonly_fields = fields
    # Made and answered through the workflow; kept as a record.
    not_by_hand = ("add", "change", "delete")
    date_hierarchy = "created_at"

    @admin.display(description=_("Meeting"))
    def meeting_link(self, speaker_request):
        return object_link(
            "admin:meetings_meeting_change", speaker_request.meeting, str(speaker_request.meeting)
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_withdraw": request.user.has_perm("meetings.change_speakerrequest"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin_url("<int:pk>/withdraw/", name="meetings_speakerrequest_withdraw")
    def withdraw_view(self, request, pk):
        speaker_request = self.object_for(
            request,
            pk,
            perms=("meetings.change_speakerrequest",),
            queryset=SpeakerRequest.objects.select_related("meeting", "contact", "company"),
        )
        back = reverse("admin:meetings_speakerrequest_change", args=[speaker_request.pk])
        if request.method == "POST":
            self.run_service(
                request,
                lambda: services.speaker_request_withdraw(
                    speaker_request=speaker_request, by_user=request.user
                ),
                done_message=lambda result: (
                    gettext("The request has been withdrawn; %(name)s is told by email.")
                    % {"name": speaker_request.contact.full_name}
                ),
            )
            return HttpResponseRedirect(back)
        contact = speaker_request.contact
        nothing_to_do = ""
        if speaker_request.status != SpeakerRequest.Status.PENDING:
            nothing_to_do = gettext(
                "This request has been answered or withdrawn already; it can no longer be "
                "withdrawn."
            )
        return self.render_confirmation(
            request,
            Confirmation(
                title=gettext("Withdraw the request to speak"),
                facts=[
                    (gettext("Meeting"), str(speaker_request.meeting)),
                    (gettext("Title of the contribution"), speaker_request.talk_title),
                    (gettext("Asked person"), f"{contact.full_name} ({contact.email})"),
                    (gettext("Status"), speaker_request.get_status_display()),
                ],
                consequences=[
                    gettext("The request is withdrawn: the links in the request no longer work."),
                ],
                mails=[
                    gettext("1 email to %(email)s: the request has been withdrawn.")
                    % {"email": contact.email}
                ],
                submit_label=gettext("Withdraw the request"),
                cancel_url=back,
            ),
            original=speaker_request,
            nothing_to_do=nothing_to_do,
            back_label=gettext("Back to the request"),
        )
