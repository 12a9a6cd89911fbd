"""Every state change of the internships app: companies offer, change and withdraw internship
places; coordinators place pupils and send each company its placement list.

Keyword-only, one transaction each, one activity log entry each; mails through the outbox.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from members.models import Company
from network_portal.activity import log_activity
from network_portal.mail import binary_attachment, mail_enqueue, send_outbox
from network_portal.signing import absolute_url

from .documents import placement_list_filename, placement_list_pdf
from .models import InternshipOffer, OfferPeriod, Placement, Pupil, SchoolStay
from .selectors import occupied_at_most, stay_left_out_companies, stay_placement_lists

OFFER_FIELDS = ("field", "field_detail", "places", "description", "contact", "public_consent")


def _day(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _check_offer(*, company: Company, data: dict, periods: list[tuple[date, date]]) -> None:
    if not company.is_active_member:
        raise ValidationError(_("Only active member companies can offer internship places."))
    contact = data.get("contact")
    if contact is not None and contact.company_id != company.pk:
        raise ValidationError(_("Please choose a contact person of your company."))
    if (data.get("places") or 0) < 1:
        raise ValidationError(_("Please offer at least one place."))
    if not periods:
        raise ValidationError(_("Please give at least one period in which the places are free."))
    for starts_on, ends_on in periods:
        if ends_on < starts_on:
            raise ValidationError(_("A period ends before it starts."))


def _placements_fit(offer: InternshipOffer, periods, places: int) -> None:
    """Changed periods and places must still hold the pupils placed on the offer."""
    placements = list(offer.placements.select_related("pupil"))
    for placement in placements:
        pupil = placement.pupil
        if not any(start <= pupil.starts_on and pupil.ends_on <= end for start, end in periods):
            raise ValidationError(
                _(
                    "%(pupil)s is placed here from %(start)s to %(end)s: the periods must still "
                    "cover that time. Please ask the coordination office to move the placement "
                    "first."
                )
                % {
                    "pupil": pupil.full_name,
                    "start": _day(pupil.starts_on),
                    "end": _day(pupil.ends_on),
                }
            )
        if occupied_at_most(placements, pupil.starts_on, pupil.ends_on) > places:
            raise ValidationError(
                _(
                    "More pupils are placed on this offer at the same time than %(places)d "
                    "places. Please ask the coordination office to move a placement first."
                )
                % {"places": places}
            )


def _save_periods(offer: InternshipOffer, periods) -> None:
    offer.periods.all().delete()
    OfferPeriod.objects.bulk_create(
        OfferPeriod(offer=offer, starts_on=start, ends_on=end) for start, end in sorted(periods)
    )


@transaction.atomic
def offer_create(
    *, company: Company, by_user, data: dict, periods: list[tuple[date, date]]
) -> InternshipOffer:
    """Offer internship places: ``data`` holds the offer's fields (``OFFER_FIELDS``),
    ``periods`` the (from, to) dates in which the places are free."""
    _check_offer(company=company, data=data, periods=periods)
    offer = InternshipOffer.objects.create(
        company=company,
        created_by=by_user,
        **{name: data[name] for name in OFFER_FIELDS if name in data},
    )
    _save_periods(offer, periods)
    log_activity(
        action="internships.offer.created",
        obj=offer,
        by_user=by_user,
        details={"field": offer.field, "places": offer.places, "public": offer.public_consent},
    )
    return offer


@transaction.atomic
def offer_update(
    *, offer: InternshipOffer, by_user, data: dict, periods: list[tuple[date, date]]
) -> InternshipOffer:
    """Change an open offer; its periods and places must still hold the pupils placed on it."""
    offer = InternshipOffer.objects.select_for_update().select_related("company").get(pk=offer.pk)
    if not offer.is_open:
        raise ValidationError(_("A withdrawn offer can no longer be changed."))
    _check_offer(company=offer.company, data=data, periods=periods)
    _placements_fit(offer, periods, data["places"])
    old_periods = list(offer.periods.values_list("starts_on", "ends_on"))
    changed = [name for name in OFFER_FIELDS if name in data and getattr(offer, name) != data[name]]
    for name in changed:
        setattr(offer, name, data[name])
    offer.save()
    details = {"changed": changed}
    if sorted(old_periods) != sorted(periods):
        _save_periods(offer, periods)
        details["periods"] = ", ".join(f"{_day(start)}–{_day(end)}" for start, end in periods)
    log_activity(action="internships.offer.updated", obj=offer, by_user=by_user, details=details)
    return offer


@transaction.atomic
def offer_withdraw(*, offer: InternshipOffer, by_user) -> InternshipOffer:
    """Withdraw an offer: it leaves the public page and takes no more pupils. Refused while
    pupils placed on it have not finished their internship."""
    offer = InternshipOffer.objects.select_for_update().get(pk=offer.pk)
    if not offer.is_open:
        raise ValidationError(_("This offer has already been withdrawn."))
    if offer.placements.filter(pupil__ends_on__gte=timezone.localdate()).exists():
        raise ValidationError(
            _(
                "Pupils are placed on this offer. Please ask the coordination office before you "
                "withdraw it."
            )
        )
    offer.status = InternshipOffer.Status.WITHDRAWN
    offer.withdrawn_at = timezone.now()
    offer.save(update_fields=["status", "withdrawn_at", "updated_at"])
    log_activity(action="internships.offer.withdrawn", obj=offer, by_user=by_user)
    return offer


@transaction.atomic
def placement_create(*, pupil: Pupil, offer: InternshipOffer, by_user) -> Placement:
    """Place ``pupil`` on ``offer`` for the pupil's dates. The offer's row is locked, so two
    coordinators placing at once cannot both take its last place."""
    offer = InternshipOffer.objects.select_for_update().select_related("company").get(pk=offer.pk)
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    if Placement.objects.filter(pupil=pupil).exists():
        raise ValidationError(
            _("%(pupil)s is already placed. Remove that placement first.")
            % {"pupil": pupil.full_name}
        )
    if not offer.is_open or not offer.company.is_active_member:
        raise ValidationError(_("This offer is no longer open for pupils."))
    periods = list(offer.periods.all())
    if not any(period.covers(pupil.starts_on, pupil.ends_on) for period in periods):
        raise ValidationError(
            _(
                "%(company)s offers no place from %(start)s to %(end)s: the internship of "
                "%(pupil)s lies outside the offered periods (%(periods)s)."
            )
            % {
                "company": offer.company.name,
                "start": _day(pupil.starts_on),
                "end": _day(pupil.ends_on),
                "pupil": pupil.full_name,
                "periods": ", ".join(f"{_day(p.starts_on)}–{_day(p.ends_on)}" for p in periods),
            }
        )
    taken = list(offer.placements.select_related("pupil"))
    if occupied_at_most(taken, pupil.starts_on, pupil.ends_on) >= offer.places:
        raise ValidationError(
            _(
                "All %(places)d places of %(company)s (%(field)s) are taken from %(start)s to "
                "%(end)s. Please choose another offer."
            )
            % {
                "places": offer.places,
                "company": offer.company.name,
                "field": offer.field_label,
                "start": _day(pupil.starts_on),
                "end": _day(pupil.ends_on),
            }
        )
    placement = Placement.objects.create(pupil=pupil, offer=offer, placed_by=by_user)
    log_activity(
        action="internships.placement.created",
        obj=placement,
        by_user=by_user,
        details={"pupil": pupil.full_name, "company": offer.company.name},
    )
    return placement


@transaction.atomic
def placement_remove(*, placement: Placement, by_user) -> None:
    """Take a pupil off an offer (the place is free again)."""
    # The placement's row only: locking the stay too would cross placement_lists_send, which
    # locks the stay first and then its placements.
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("pupil__stay__school", "offer__company")
        .get(pk=placement.pk)
    )
    log_activity(
        action="internships.placement.removed",
        obj=placement,
        by_user=by_user,
        details={"pupil": placement.pupil.full_name, "company": placement.offer.company.name},
    )
    placement.delete()


@transaction.atomic
def placement_lists_send(*, stay: SchoolStay, by_user) -> int:
    """Send each company with pupils of the stay one mail with its placement list as PDF;
    from then on the company sees these placements in the portal. Returns the number of
    mails. Sending again (after changes) writes new mails. Companies that are no longer
    active members get no list (``stay_left_out_companies``)."""
    stay = SchoolStay.objects.select_for_update().select_related("school").get(pk=stay.pk)
    lists = stay_placement_lists(stay)
    left_out = [company.name for company in stay_left_out_companies(stay)]
    if not lists:
        raise ValidationError(_("No pupil of this stay is placed yet."))
    missing = [entry.company.name for entry in lists if not entry.recipient]
    if missing:
        raise ValidationError(
            _("No contact person to send the list to: %(companies)s.")
            % {"companies": ", ".join(missing)}
        )
    stay.lists_sent += 1
    stay.lists_sent_at = timezone.now()
    stay.save(update_fields=["lists_sent", "lists_sent_at"])
    for entry in lists:
        with translation.override(entry.language):
            pdf = placement_list_pdf(stay=stay, company_list=entry)
        mail_enqueue(
            key=f"internships:stay:{stay.pk}:lists-{stay.lists_sent}:company:{entry.company.pk}",
            to=entry.recipient,
            template="internships/emails/placement_list",
            context={
                "recipient_name": entry.recipient_name,
                "company_name": entry.company.name,
                "school_name": stay.school.name,
                "school_place": f"{stay.school.city}, {stay.school.country}",
                "starts_on": stay.starts_on,
                "ends_on": stay.ends_on,
                "pupils": [
                    {
                        "name": p.pupil.full_name,
                        "starts_on": p.pupil.starts_on,
                        "ends_on": p.pupil.ends_on,
                        "field": p.offer.field_label,
                    }
                    for p in entry.placements
                ],
                "offers_url": absolute_url(reverse("internships:offers")),
            },
            language=entry.language,
            attachments=[
                binary_attachment(
                    filename=placement_list_filename(stay=stay, company_list=entry),
                    content=pdf,
                    mimetype="application/pdf",
                )
            ],
            send=False,
        )
    placement_ids = [p.pk for entry in lists for p in entry.placements]
    Placement.objects.filter(pk__in=placement_ids).update(sent_at=stay.lists_sent_at)
    log_activity(
        action="internships.stay.lists_sent",
        obj=stay,
        by_user=by_user,
        details={
            "recipients": len(lists),
            "companies": len(lists),
            "pupils": len(placement_ids),
            **({"left_out": ", ".join(left_out)} if left_out else {}),
        },
    )
    send_outbox()
    return len(lists)
