"""The meeting form as coordinators fill it in: reminders as a list of days ("7, 1"), the venue
taken from the host company, speakers named with their company, and a confirmation before the
seats drop below the people already seated. The technical fields (short name, calendar
revision) are read-only in a collapsed section of :class:`~meetings.admin.meetings.MeetingAdmin`.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members.models import ContactPerson

from ..models import AgendaItem, Meeting

# Reminders further ahead than this are not reminders but a second invitation.
MAX_REMINDER_DAYS = 60

# The venue fields a host company fills when they are left empty, and where from.
VENUE_FROM_HOST = {"venue_name": "name", "venue_street": "street", "venue_postcode": "postcode"}


class ReminderDaysField(forms.Field):
    """Whole days before the meeting, typed as a comma list ("7, 1"); the value is the list,
    largest first. Empty: no reminders."""

    widget = forms.TextInput
    default_error_messages = {
        "not_a_number": _(
            "“%(value)s” is not a whole number of days. Please enter days separated by "
            "commas, e.g. 7, 1."
        ),
        "out_of_range": _(
            "Reminders can be sent 1 to %(max)d days before the meeting; “%(value)s” is not "
            "possible."
        ),
        "duplicate": _("The day %(value)s appears more than once."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(day) for day in value)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, list | tuple):
            return list(value)
        # "[7, 1]" (the old notation) and "7; 1" are understood as well.
        parts = [part for part in re.split(r"[,;\s]+", str(value).strip("[] \t")) if part]
        days, seen = [], set()
        for part in parts:
            if not part.isdigit():
                raise ValidationError(
                    self.error_messages["not_a_number"],
                    code="not_a_number",
                    params={"value": part},
                )
            day = int(part)
            if not 1 <= day <= MAX_REMINDER_DAYS:
                raise ValidationError(
                    self.error_messages["out_of_range"],
                    code="out_of_range",
                    params={"value": part, "max": MAX_REMINDER_DAYS},
                )
            if day in seen:
                raise ValidationError(
                    self.error_messages["duplicate"], code="duplicate", params={"value": day}
                )
            seen.add(day)
            days.append(day)
        return sorted(days, reverse=True)


def unique_meeting_slug(title: str, *, meeting: Meeting | None = None) -> str:
    """The short name in the meeting's address, made from its title; unique."""
    base = slugify(title)[:200].strip("-") or "netzwerktreffen"
    others = Meeting.objects.all()
    if meeting is not None and meeting.pk:
        others = others.exclude(pk=meeting.pk)
    slug, n = base, 2
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class MeetingFormBase(forms.ModelForm):
    """What the meeting's admin form (``MeetingAdminForm``) builds on: reminders as a comma
    list, the venue from the host, the confirmation before fewer seats than people seated, the
    short name made from the title."""

    reminder_days = ReminderDaysField(
        label=_("Reminders (days before)"),
        help_text=_(
            "Days before the meeting on which everyone registered gets a reminder, separated "
            "by commas, e.g. “7, 1” for a week and a day before. Leave empty for no reminder."
        ),
    )
    # Shown (as a checkbox) only when the seats would drop below the people already seated.
    confirm_fewer_seats = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out (an older form, a script), the kind stays what it is: see clean_kind().
        if "kind" in self.fields:
            self.fields["kind"].required = False
        # Filled from the host company in clean() when left empty.
        for name in VENUE_FROM_HOST:
            if name in self.fields:
                self.fields[name].required = False
        if "host" in self.fields:
            self.fields["host"].help_text = _(
                "The member company at whose premises the meeting takes place."
            )
        if "venue_name" in self.fields:
            self.fields["venue_name"].help_text = _(
                "Leave venue, street and postcode empty to take the host company's name and "
                "address."
            )

    def clean_kind(self):
        return self.cleaned_data.get("kind") or self.instance.kind or Meeting.Kind.NETWORK_MEETING

    def clean(self):
        cleaned = super().clean()
        self._fill_venue_from_host(cleaned)
        self._confirm_fewer_seats(cleaned)
        return cleaned

    def _fill_venue_from_host(self, cleaned):
        host = cleaned.get("host")
        if host is not None and not cleaned.get("venue_street") and "venue_street" in cleaned:
            cleaned["venue_city"] = host.city
        for name, host_field in VENUE_FROM_HOST.items():
            if name not in cleaned or cleaned[name]:
                continue
            if host is not None:
                cleaned[name] = getattr(host, host_field)
            if not cleaned[name]:
                self.add_error(
                    name,
                    ValidationError(self.fields[name].error_messages["required"], "required"),
                )

    def _confirm_fewer_seats(self, cleaned):
        capacity = cleaned.get("capacity")
        if not self.instance.pk or capacity is None or cleaned.get("confirm_fewer_seats"):
            return
        seated = self.instance.registrations.seated().count()
        if capacity >= seated:
            return
        self.add_error(
            "capacity",
            ngettext(
                "%(seated)d person already has a seat, more than the %(capacity)d seats you "
                "entered. Nobody loses their seat, but nobody moves up from the waitlist until "
                "fewer are seated than there are seats. To save anyway, tick the box below.",
                "%(seated)d people already have a seat, more than the %(capacity)d seats you "
                "entered. Nobody loses their seat, but nobody moves up from the waitlist until "
                "fewer are seated than there are seats. To save anyway, tick the box below.",
                seated,
            )
            % {"seated": seated, "capacity": capacity},
        )
        field = self.fields["confirm_fewer_seats"]
        field.widget = forms.CheckboxInput()
        field.label = ngettext(
            "I know that %(seated)d person already has a seat, and I still want %(capacity)d "
            "seats.",
            "I know that %(seated)d people already have a seat, and I still want %(capacity)d "
            "seats.",
            seated,
        ) % {"seated": seated, "capacity": capacity}
        self["confirm_fewer_seats"].label = field.label  # the bound field is made already

    def save(self, commit=True):
        meeting = self.instance
        # The short name follows the title while the meeting is a draft: no link to it has
        # been sent yet. A published meeting keeps its address.
        if not meeting.slug or (
            meeting.status == Meeting.Status.DRAFT and "title" in self.changed_data
        ):
            meeting.slug = unique_meeting_slug(meeting.title, meeting=meeting)
        return super().save(commit)


class SpeakerChoiceField(forms.ModelChoiceField):
    """A member company's contact person as "Name (Company)": two people of the same name are
    told apart by their company."""

    def label_from_instance(self, obj):
        return obj.name_with_company


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["starts_at", "title", "speaker_contact", "speaker_name", "speaker_organisation"]
        field_classes = {"speaker_contact": SpeakerChoiceField}


def speaker_queryset():
    """The contact persons a speaker is chosen from, each with their company (its label)."""
    return ContactPerson.objects.select_related("company")
