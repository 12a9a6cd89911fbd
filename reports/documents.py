"""The annual report as documents: a PDF for the city council (through the one PDF helper,
charts drawn as SVG on the server) and an XLSX workbook for the federal initiative's network
database and the coordinators' own tables; and the engagement list as CSV. All of them show
the figures of :mod:`reports.selectors`, nothing computed here."""

import io
from datetime import date

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_portal.pdf import render_pdf

from .charts import ACCENT, DARK, LIGHT, Series, bar_chart, column_chart
from .selectors import AnnualReport, quiet_reasons, seal_state_label

# What each figure means: the last page of the PDF and the last sheet of the workbook.
DEFINITIONS = [
    (
        gettext_lazy("Member companies"),
        gettext_lazy(
            "Companies that were members on the day: admitted by then (the day a coordinator "
            "approved them; a company recorded without that day counts from its registration "
            "in the portal) and not marked as having left by then. Paused memberships count."
        ),
    ),
    (
        gettext_lazy("New members and departures"),
        gettext_lazy(
            "New members: companies admitted in the period. Departures: companies marked as "
            "having left in the period and not reactivated since; a reactivated company counts "
            "as a member without a break."
        ),
    ),
    (
        gettext_lazy("Size classes"),
        gettext_lazy(
            "The size classes of the federal initiative INQA: small (up to 9 employees), medium "
            "(10 to 249), large (250 and more), as recorded for each company today."
        ),
    ),
    (
        gettext_lazy("Registrations"),
        gettext_lazy(
            "People with a seat at a meeting (yes answers) when the report was made; the "
            "waitlist and the no answers (including cancellations) are counted apart."
        ),
    ),
    (
        gettext_lazy("Participants"),
        gettext_lazy(
            "People checked in at a meeting; at a meeting without any check-in, the people "
            "with a seat. Meetings that have not taken place yet have no participants."
        ),
    ),
    (
        gettext_lazy("Companies reached"),
        gettext_lazy(
            "Companies at meetings: companies with at least one participant. The shares are "
            "those of the member companies at the end of the period that came to a meeting, "
            "got the newsletter (a contact person received an issue), or either."
        ),
    ),
    (
        gettext_lazy("Feedback"),
        gettext_lazy(
            "Ratings from 1 (poor) to 5 (very good) that participants gave after a meeting; "
            "the average of all ratings."
        ),
    ),
    (
        gettext_lazy("Topic proposals"),
        gettext_lazy(
            "Proposals made by member companies in the period, the votes given in it, and the "
            "proposals taken into the period's meetings."
        ),
    ),
    (
        gettext_lazy("Seal “Mein Top Job Trier”"),
        gettext_lazy(
            "Applications submitted in the period; seals awarded: certificates issued in the "
            "period (from the award ceremony); valid seals: companies holding a certificate "
            "that was valid and not revoked at the end of the period."
        ),
    ),
    (
        gettext_lazy("Newsletter"),
        gettext_lazy(
            "Issues sent in the period; deliveries: copies the mail server accepted; addresses: "
            "different addresses that received at least one issue; bounces: reports of mail "
            "that could not be delivered (hard: the address does not exist)."
        ),
    ),
    (
        gettext_lazy("Running year"),
        gettext_lazy(
            "For the running year the figures are counted up to the day the report is made."
        ),
    ),
]


def filename(year: int, extension: str) -> str:
    return f"jahresbericht-{year}.{extension}"


def _day(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _short(text: str, length: int = 22) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def charts(report: AnnualReport) -> dict:
    """The report's charts as inline SVG: attendance per meeting, members by size class and
    by industry, new members and departures per month."""
    held = [row for row in report.meetings.rows if row.is_over]
    members = report.members
    no_data = _("No figures in this period.")
    return {
        "attendance": column_chart(
            title=_("Registrations and participants per network meeting"),
            categories=[(row.starts_at.strftime("%d.%m."), _short(row.title)) for row in held],
            series=[
                Series(_("Registrations"), [row.registered for row in held], LIGHT),
                Series(_("Participants"), [row.attended for row in held], DARK),
            ],
            empty_text=_("No network meeting has taken place in this period."),
        ),
        "size_classes": bar_chart(
            title=_("Member companies by size class"),
            items=[(row.label, row.at_end) for row in members.by_size],
            empty_text=no_data,
        ),
        "industries": bar_chart(
            title=_("Member companies by industry"),
            items=members.by_industry,
            colour=LIGHT,
            empty_text=no_data,
        ),
        "joins": column_chart(
            title=_("New members and departures per month"),
            categories=[(month, "") for month, _joined, _left in members.per_month],
            series=[
                Series(_("New members"), [joined for _m, joined, _l in members.per_month], DARK),
                Series(_("Departures"), [left for _m, _j, left in members.per_month], ACCENT),
            ],
            empty_text=_("No new members and no departures in this period."),
            height=170,
        ),
    }


def annual_report_pdf(report: AnnualReport) -> bytes:
    return render_pdf(
        template="reports/pdf/annual_report.html",
        context={"report": report, "charts": charts(report), "definitions": DEFINITIONS},
    )


# --- XLSX -------------------------------------------------------------------------------------


class _Sheet:
    """Writes a worksheet top to bottom: headings, tables with a bold header row, notes."""

    def __init__(self, worksheet, styles):
        self.ws, self.styles, self.row = worksheet, styles, 1

    def heading(self, text, *, big=False):
        if self.row > 1:
            self.row += 1
        cell = self._put(1, str(text))
        cell.font = self.styles["title" if big else "heading"]
        self.row += 1

    def note(self, text):
        self._put(1, str(text)).font = self.styles["note"]
        self.row += 1

    def _put(self, column, value):
        cell = self.ws.cell(row=self.row, column=column, value=value)
        if isinstance(value, str):
            # openpyxl stores text starting with "=" as a formula: names and titles come from
            # company users, and the file goes to the city council, so text stays text.
            cell.data_type = "s"
        return cell

    def table(self, header, rows, *, total=None, formats=None):
        for column, text in enumerate(header, start=1):
            cell = self._put(column, str(text))
            cell.font, cell.fill = self.styles["bold"], self.styles["fill"]
        self.row += 1
        for values in [*rows, *([total] if total else [])]:
            for column, value in enumerate(values, start=1):
                cell = self._put(column, _cell(value))
                if formats and formats.get(column):
                    cell.number_format = formats[column]
                if total is values:
                    cell.font = self.styles["bold"]
            self.row += 1

    def widths(self, *widths):
        from openpyxl.utils import get_column_letter

        for column, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(column)].width = width


def _cell(value):
    if value is None:
        return None
    if isinstance(value, int | float | date):
        return value
    if hasattr(value, "as_tuple"):  # Decimal: a number in the sheet
        return float(value)
    return str(value)


DATE = "DD.MM.YYYY"
DATETIME = "DD.MM.YYYY HH:MM"
PERCENT = "0%"
RATING = "0.0"


def _percent(share):
    return None if share.percent is None else share.part / share.whole


def annual_report_xlsx(report: AnnualReport) -> bytes:
    """The report as a workbook: an overview, one sheet per topic, the definitions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    styles = {
        "title": Font(bold=True, size=14),
        "heading": Font(bold=True, size=12),
        "bold": Font(bold=True),
        "note": Font(italic=True, color="555555"),
        "fill": PatternFill("solid", fgColor="E9EEF3"),
    }
    workbook = Workbook()
    period, members, meetings = report.period, report.members, report.meetings
    topics, seal, newsletter = report.topics, report.seal, report.newsletter
    end_label = _day(period.cutoff)

    overview = _Sheet(workbook.active, styles)
    overview.ws.title = _("Overview")
    overview.heading(_("Annual report %(year)d") % {"year": period.year}, big=True)
    overview.note(_("“Attraktive Unternehmen Trier” network"))
    overview.note(
        _("Period: %(start)s to %(end)s") % {"start": _day(period.start), "end": end_label}
        + (f" ({_('running year')})" if period.is_running else "")
    )
    overview.note(_("Made on %(day)s") % {"day": _day(report.made_on)})
    overview.heading(_("Key figures"))
    overview.table(
        [_("Figure"), _("Value"), _("Share")],
        [
            (_("Member companies at the start of the year"), members.at_start, None),
            (_("Member companies at the end of the period"), members.at_end, None),
            (_("New members"), len(members.joined), None),
            (_("Departures"), len(members.left), None),
            (_("Network meetings held"), meetings.held, None),
            (_("Network meetings still to come"), meetings.upcoming, None),
            (_("Network meetings cancelled"), meetings.cancelled, None),
            (_("Registrations"), meetings.registered, None),
            (_("Participants"), meetings.attended, None),
            (_("Check-ins"), meetings.checked_in, None),
            (_("Companies at meetings"), len(meetings.companies), None),
            (
                _("Member companies at meetings"),
                meetings.companies_reached.part,
                _percent(meetings.companies_reached),
            ),
            (_("Feedback ratings"), meetings.feedback_count, None),
            (_("Average rating (1–5)"), meetings.feedback_average, None),
            (_("Topic proposals"), topics.proposed, None),
            (_("Votes for topics"), topics.votes, None),
            (_("Proposals taken into the year's meetings"), topics.scheduled, None),
            (_("Seal applications submitted"), seal.totals["applications"], None),
            (_("Seals awarded"), seal.totals["awards"], None),
            (_("Valid seals at the end of the period"), seal.totals["valid"], None),
            (_("Newsletter issues"), len(newsletter.issues), None),
            (_("Newsletter deliveries"), newsletter.delivered, None),
            (_("Addresses reached by the newsletter"), newsletter.addresses, None),
            (
                _("Member companies reached by the newsletter"),
                newsletter.companies_reached.part,
                _percent(newsletter.companies_reached),
            ),
            (
                _("Member companies reached (meeting or newsletter)"),
                report.companies_reached.part,
                _percent(report.companies_reached),
            ),
            (_("Hard bounces"), newsletter.hard_bounces, None),
            (_("Soft bounces"), newsletter.soft_bounces, None),
            (_("New subscriptions to public lists"), newsletter.new_public_subscriptions, None),
        ],
        formats={3: PERCENT},
    )
    overview.widths(52, 12, 10)

    sheet = _Sheet(workbook.create_sheet(_("Members")), styles)
    sheet.heading(_("Member companies by size class"), big=True)
    size_header = [
        _("Size class"),
        _("Members on %(day)s") % {"day": _day(period.before)},
        _("New members"),
        _("Departures"),
        _("Members on %(day)s") % {"day": end_label},
    ]
    sheet.table(
        size_header,
        [(r.label, r.at_start, r.joined, r.left, r.at_end) for r in members.by_size],
        total=(
            _("Total"),
            members.totals["at_start"],
            members.totals["joined"],
            members.totals["left"],
            members.totals["at_end"],
        ),
    )
    sheet.heading(_("Member companies by industry on %(day)s") % {"day": end_label})
    sheet.table([_("Industry"), _("Members")], members.by_industry)
    sheet.heading(_("New members and departures per month"))
    sheet.table([_("Month"), _("New members"), _("Departures")], members.per_month)
    sheet.heading(_("New members"))
    sheet.table(
        [_("Company"), _("Size class"), _("Industry"), _("Member since")],
        [
            (r["name"], r["size_class_label"], r["industry_label"], r["member_since"])
            for r in members.joined
        ],
        formats={4: DATE},
    )
    sheet.heading(_("Departures"))
    sheet.table(
        [_("Company"), _("Size class"), _("Industry"), _("Left on")],
        [
            (r["name"], r["size_class_label"], r["industry_label"], r["left_on"])
            for r in members.left
        ],
        formats={4: DATE},
    )
    sheet.widths(40, 22, 22, 16, 22)

    sheet = _Sheet(workbook.create_sheet(_("Network meetings")), styles)
    sheet.heading(_("Network meetings"), big=True)
    sheet.table(
        [
            _("Date"),
            _("Title"),
            _("Topic"),
            _("Host"),
            _("Seats"),
            _("Registrations"),
            _("Waitlist"),
            _("No answers"),
            _("Participants"),
            _("Check-ins"),
            _("Companies"),
            _("Feedback ratings"),
            _("Average rating (1–5)"),
        ],
        [
            (
                row.starts_at.replace(tzinfo=None),
                row.title,
                row.topic,
                row.host,
                row.capacity,
                row.registered,
                row.waitlisted,
                row.declined,
                row.attended,
                row.checked_in,
                row.companies,
                row.feedback_count,
                row.feedback_average,
            )
            for row in meetings.rows
        ],
        total=(
            _("Total"),
            None,
            None,
            None,
            sum(row.capacity for row in meetings.rows),
            meetings.registered,
            sum(row.waitlisted for row in meetings.rows),
            sum(row.declined for row in meetings.rows),
            meetings.attended,
            meetings.checked_in,
            len(meetings.companies),
            meetings.feedback_count,
            meetings.feedback_average,
        ),
        formats={1: DATETIME, 13: RATING},
    )
    sheet.note(_("Meetings still to come have no participants yet (empty cells)."))
    sheet.heading(_("Member companies at meetings by size class"))
    sheet.table(
        [_("Size class"), _("At a meeting"), _("Members"), _("Share")],
        [
            (r.label, r.reached, r.members, r.reached / r.members if r.members else None)
            for r in meetings.reached_by_size
        ],
        formats={4: PERCENT},
    )
    sheet.widths(18, 34, 34, 28, 8, 14, 10, 12, 14, 11, 12, 14, 14)

    sheet = _Sheet(workbook.create_sheet(_("Topics")), styles)
    sheet.heading(_("Topic proposals"), big=True)
    sheet.table(
        [_("Figure"), _("Value")],
        [
            (_("Topic proposals"), topics.proposed),
            (_("of which already taken into a meeting"), topics.proposed_scheduled),
            (_("Votes for topics"), topics.votes),
            (_("Proposals taken into the year's meetings"), topics.scheduled),
        ],
    )
    sheet.heading(_("Proposals with the most votes"))
    sheet.table(
        [_("Topic"), _("Votes"), _("Taken into the meeting")],
        [(row["title"], row["votes"], row["meeting"]) for row in topics.top],
    )
    sheet.widths(50, 10, 40)

    sheet = _Sheet(workbook.create_sheet(_("Seal")), styles)
    sheet.heading(_("Seal “Mein Top Job Trier”"), big=True)
    sheet.table(
        [
            _("Size class"),
            _("Applications submitted"),
            _("Seals awarded"),
            _("Valid seals on %(day)s") % {"day": end_label},
        ],
        [(r.label, r.applications, r.awards, r.valid) for r in seal.by_size],
        total=(
            _("Total"),
            seal.totals["applications"],
            seal.totals["awards"],
            seal.totals["valid"],
        ),
    )
    sheet.heading(_("Award ceremonies"))
    sheet.table(
        [_("Cycle"), _("Award ceremony on")],
        [(row["name"], row["ceremony_on"]) for row in seal.ceremonies],
        formats={2: DATE},
    )
    sheet.widths(30, 24, 16, 26)

    sheet = _Sheet(workbook.create_sheet(_("Newsletter")), styles)
    sheet.heading(_("Newsletter issues"), big=True)
    sheet.table(
        [_("Sent on"), _("Subject"), _("Deliveries")],
        [(row["sent_on"], row["subject"], row["delivered"]) for row in newsletter.issues],
        total=(_("Total"), None, newsletter.delivered),
        formats={1: DATE},
    )
    sheet.heading(_("Reach"))
    sheet.table(
        [_("Figure"), _("Value"), _("Share")],
        [
            (_("Addresses reached by the newsletter"), newsletter.addresses, None),
            (
                _("Member companies reached by the newsletter"),
                newsletter.companies_reached.part,
                _percent(newsletter.companies_reached),
            ),
            (_("Hard bounces"), newsletter.hard_bounces, None),
            (_("Soft bounces"), newsletter.soft_bounces, None),
            (_("New subscriptions to public lists"), newsletter.new_public_subscriptions, None),
        ],
        formats={3: PERCENT},
    )
    sheet.widths(44, 60, 12)

    sheet = _Sheet(workbook.create_sheet(_("Definitions")), styles)
    sheet.heading(_("What the figures mean"), big=True)
    sheet.table([_("Figure"), _("Definition")], DEFINITIONS)
    sheet.widths(34, 100)
    for row in sheet.ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- The engagement list as CSV ---------------------------------------------------------------


def engagement_rows(companies, *, now=None):
    """The engagement list's rows for the CSV download (``companies`` from
    ``reports.selectors.with_engagement``), with a header row."""
    yield [
        _("Company"),
        _("Size class"),
        _("Industry"),
        _("Member since"),
        _("Meetings attended"),
        _("Meetings answered"),
        _("Last attended"),
        _("Topic proposals"),
        _("Votes for topics"),
        _("Seal valid until"),
        _("Latest seal application"),
        _("Contact persons"),
        _("Reachable contact persons"),
        _("Bounces"),
        _("Quiet"),
        _("Why quiet"),
    ]
    for company in companies:
        yield [
            company.name,
            company.get_size_class_display(),
            company.get_industry_display(),
            _day(company.member_since) if company.member_since else "",
            company.meetings_attended,
            company.meetings_answered,
            _day(timezone.localdate(company.last_attended)) if company.last_attended else "",
            company.topics_proposed,
            company.topic_votes,
            _day(company.seal_valid_until) if company.seal_valid_until else "",
            seal_state_label(company),
            company.contact_count,
            company.reachable_contacts,
            company.bounces,
            _("yes") if company.quiet else _("no"),
            "; ".join(quiet_reasons(company, now=now)),
        ]
