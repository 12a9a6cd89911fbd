"""The placement of a stay's pupils: each pupil on an offer whose periods cover its dates and
that has a place left (:func:`internships.services.placement_create` checks it again, with the
offer's row locked), the removal of a placement, the placement list per company as PDF, and
sending the lists to the companies after a confirmation. Mixed into
:class:`~internships.admin.stays.SchoolStayAdmin`."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext, ngettext

from network_portal.admin_views import PortalAdminMixin, admin_url
from network_portal.confirmation import Confirmation
from network_portal.downloads import pdf_attachment

from .. import selectors, services
from ..documents import placement_list_filename, placement_list_pdf
from ..models import InternshipOffer, Placement, Pupil, SchoolStay


def _period(stay: SchoolStay) -> str:
    return (
        f"{formats.date_format(stay.starts_on, 'SHORT_DATE_FORMAT')}–"
        f"{formats.date_format(stay.ends_on, 'SHORT_DATE_FORMAT')}"
    )


class PlacementsScreen(PortalAdminMixin):
    def _stay(self, request, pk, *, require=("view",)) -> SchoolStay:
        return self.object_for(
            request, pk, require=require, queryset=SchoolStay.objects.select_related("school")
        )

    def _to_placements(self, stay, anchor=""):
        url = reverse("admin:internships_schoolstay_placements", args=[stay.pk])
        return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)

    @admin_url("<int:pk>/placements/", name="internships_schoolstay_placements")
    def placements_view(self, request, pk):
        stay = self._stay(request, pk)
        rows = selectors.stay_overview(stay)
        return self.render_admin_page(
            request,
            "admin/internships/schoolstay/placements.html",
            gettext("Placement: %(stay)s") % {"stay": stay},
            original=stay,
            stay=stay,
            rows=rows,
            placed=sum(1 for row in rows if row.placement is not None),
            company_lists=selectors.stay_placement_lists(stay),
            can_change=self.has_change_permission(request, stay),
        )

    @admin_url("<int:pk>/placements/add/", name="internships_schoolstay_place", post_only=True)
    def place_view(self, request, pk):
        stay = self._stay(request, pk, require=("change",))
        pupil = get_object_or_404(Pupil, pk=request.POST.get("pupil") or 0, stay=stay)
        offer_pk = request.POST.get("offer") or ""
        if not offer_pk.isdigit():
            self.message_user(request, gettext("Please choose an offer."), messages.ERROR)
            return self._to_placements(stay, f"pupil-{pupil.pk}")
        offer = get_object_or_404(InternshipOffer, pk=offer_pk)
        self.run_service(
            request,
            lambda: services.placement_create(pupil=pupil, offer=offer, by_user=request.user),
            done_message=lambda placement: (
                gettext("%(pupil)s is placed at %(company)s.")
                % {"pupil": pupil.full_name, "company": offer.company.name}
            ),
        )
        return self._to_placements(stay, f"pupil-{pupil.pk}")

    @admin_url(
        "<int:pk>/placements/<int:placement_pk>/remove/",
        name="internships_schoolstay_unplace",
        post_only=True,
    )
    def unplace_view(self, request, pk, placement_pk):
        stay = self._stay(request, pk, require=("change",))
        placement = get_object_or_404(
            Placement.objects.select_related("pupil", "offer__company"),
            pk=placement_pk,
            pupil__stay=stay,
        )
        if placement.sent_at is not None and request.POST.get("confirmed") != "yes":
            return self._confirm_unplace_sent(request, stay, placement)
        removed = self.run_service(
            request,
            lambda: services.placement_remove(placement=placement, by_user=request.user),
            done_message=lambda _result: (
                gettext("The placement of %(pupil)s is removed.")
                % {"pupil": placement.pupil.full_name}
            ),
        )
        company_pk = placement.offer.company.pk
        if (
            removed
            and placement.sent_at is not None
            and any(e.company.pk == company_pk for e in selectors.stay_placement_lists(stay))
        ):
            # The company has the old list: offer sending the updated lists right away.
            return HttpResponseRedirect(
                reverse("admin:internships_schoolstay_send", args=[stay.pk])
            )
        return self._to_placements(stay, f"pupil-{placement.pupil.pk}")

    def _confirm_unplace_sent(self, request, stay, placement):
        """A placement the company already got with its list: say so before removing it."""
        company = placement.offer.company
        sent_on = formats.date_format(placement.sent_at, "SHORT_DATE_FORMAT")
        consequences = [
            gettext("%(company)s already received the placement list with %(pupil)s on %(date)s.")
            % {"company": company.name, "pupil": placement.pupil.full_name, "date": sent_on},
            gettext("The place at %(company)s is free again.") % {"company": company.name},
        ]
        others = Placement.objects.filter(
            pupil__stay=stay, offer__company=company, sent_at__isnull=False
        ).exclude(pk=placement.pk)
        if others.exists():
            consequences.append(
                gettext(
                    "%(company)s should get an updated list: after the removal the page for "
                    "sending the lists opens, so that you can send them again."
                )
                % {"company": company.name}
            )
        else:
            consequences.append(
                gettext(
                    "%(company)s has no other pupil of this stay and therefore gets no new "
                    "list: please tell the company yourself that %(pupil)s will not come."
                )
                % {"company": company.name, "pupil": placement.pupil.full_name}
            )
        confirmation = Confirmation(
            title=gettext("Remove a placement the company already received?"),
            consequences=consequences,
            facts=[
                (gettext("Pupil"), placement.pupil.full_name),
                (gettext("Company"), company.name),
                (gettext("School"), stay.school.name),
                (gettext("Period"), _period(stay)),
            ],
            submit_label=gettext("Remove the placement"),
            cancel_url=reverse("admin:internships_schoolstay_placements", args=[stay.pk]),
        )
        return self.render_confirmation(
            request,
            confirmation,
            original=stay,
            crumb=gettext("Remove placement"),
            hidden=[("confirmed", "yes")],
        )

    @admin_url(
        "<int:pk>/placements/company/<int:company_pk>/pdf/",
        name="internships_schoolstay_list_pdf",
        pdf=True,
    )
    def list_pdf_view(self, request, pk, company_pk):
        stay = self._stay(request, pk)
        entry = next(
            (e for e in selectors.stay_placement_lists(stay) if e.company.pk == company_pk), None
        )
        if entry is None:
            raise Http404
        return pdf_attachment(
            placement_list_pdf(stay=stay, company_list=entry),
            filename=placement_list_filename(stay=stay, company_list=entry),
        )

    @admin_url("<int:pk>/send/", name="internships_schoolstay_send")
    def send_view(self, request, pk):
        stay = self._stay(request, pk, require=("change",))
        lists = selectors.stay_placement_lists(stay)
        back = reverse("admin:internships_schoolstay_placements", args=[stay.pk])
        if request.method == "POST":
            self.run_service(
                request,
                lambda: services.placement_lists_send(stay=stay, by_user=request.user),
                done_message=lambda n: (
                    ngettext(
                        "The placement list is being sent to %(n)d company.",
                        "The placement lists are being sent to %(n)d companies.",
                        n,
                    )
                    % {"n": n}
                ),
            )
            return HttpResponseRedirect(back)
        companies = len(lists)
        pupils = sum(len(entry.placements) for entry in lists)
        left_out = selectors.stay_left_out_companies(stay)
        consequences = [
            ngettext(
                "%(companies)d company gets its placement list: %(pupils)d pupils in all.",
                "%(companies)d companies get their placement lists: %(pupils)d pupils in all.",
                companies,
            )
            % {"companies": companies, "pupils": pupils},
            gettext("The companies then see these placements in the portal too."),
            gettext(
                "Placements changed later reach the companies only when you send the lists again."
            ),
        ]
        if left_out:
            consequences.append(
                gettext(
                    "No list goes to these companies, as they are no longer active members: "
                    "%(companies)s. Please place their pupils elsewhere."
                )
                % {"companies": ", ".join(company.name for company in left_out)}
            )
        confirmation = Confirmation(
            title=gettext("Send the placements to the companies?"),
            consequences=consequences,
            facts=[
                (gettext("School"), stay.school.name),
                (gettext("Period"), _period(stay)),
                (gettext("Placed pupils"), str(pupils)),
            ],
            mails=[
                ngettext(
                    "%(n)d email with the placement list as PDF goes out, one per company.",
                    "%(n)d emails with the placement list as PDF go out, one per company.",
                    companies,
                )
                % {"n": companies}
            ],
            recipients=[
                f"{entry.company.name}: {entry.recipient_name} <{entry.recipient}>"
                for entry in lists
            ],
            submit_label=ngettext(
                "Send %(n)d placement list", "Send %(n)d placement lists", companies
            )
            % {"n": companies},
            cancel_url=back,
            danger=False,
        )
        return self.render_confirmation(
            request,
            confirmation,
            original=stay,
            crumb=gettext("Send placements"),
            nothing_to_do=gettext("No pupil of this stay is placed yet.") if not lists else "",
            back_label=gettext("Back to the placement"),
        )
