"""CSV export and import of the member list (companies with their contact persons).

The export format is the import format: one row per contact person, the company columns
repeated in every row of the company; a company without contacts has one row with empty
contact columns. German Excel is the main tool on the other side, hence UTF-8 with BOM and
``;`` as delimiter on export; on import ``;`` and ``,`` are both accepted, and files saved by
older Excel versions (cp1252) as well.

Import is two-step: :func:`parse_member_csv` validates the whole file without touching the
database (a dry run the coordinator sees as a preview), :func:`import_member_csv` writes a
valid preview in one transaction. Between the two steps the CSV text travels in a signed
form field (:func:`sign_payload` / :func:`read_payload`), so it cannot be altered.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from network_portal.activity import log_activity
from network_portal.downloads import csv_attachment
from network_portal.signing import LinkExpired, LinkInvalid, make_token, read_token
from network_portal.text import reveal, validate_single_line
from network_portal.uploads import OversizedUpload

from .models import Company, ContactPerson, Industry, LegalForm, SizeClass
from .newcomers import contacts_arrived
from .services import unique_company_slug

COMPANY_COLUMNS = [
    "name",
    "legal_form",
    "industry",
    "size_class",
    "street",
    "postcode",
    "city",
    "website",
    "status",
    "directory_consent",
    "member_since",
]
CONTACT_COLUMNS = [
    "contact_salutation",
    "contact_title",
    "contact_first_name",
    "contact_last_name",
    "contact_function",
    "contact_email",
    "contact_phone",
    "contact_wants_meeting_invitations",
    "contact_wants_newsletter",
]
COLUMNS = COMPANY_COLUMNS + CONTACT_COLUMNS
REQUIRED_COLUMNS = ["name", "legal_form", "industry", "size_class", "street", "postcode", "city"]
# Needed as soon as a row names a contact person at all.
REQUIRED_CONTACT_COLUMNS = ["contact_first_name", "contact_last_name", "contact_email"]

COLUMN_LABELS = {
    "name": gettext_lazy("Name"),
    "legal_form": gettext_lazy("Legal form"),
    "industry": gettext_lazy("Industry"),
    "size_class": gettext_lazy("Size class"),
    "street": gettext_lazy("Street and house number"),
    "postcode": gettext_lazy("Postcode"),
    "city": gettext_lazy("City"),
    "website": gettext_lazy("Website"),
    "status": gettext_lazy("Membership status"),
    "directory_consent": gettext_lazy("in the directory"),
    "member_since": gettext_lazy("Member since"),
    "contact_salutation": gettext_lazy("Salutation"),
    "contact_title": gettext_lazy("Title"),
    "contact_first_name": gettext_lazy("First name"),
    "contact_last_name": gettext_lazy("Last name"),
    "contact_function": gettext_lazy("Position"),
    "contact_email": gettext_lazy("Email address"),
    "contact_phone": gettext_lazy("Phone"),
    "contact_wants_meeting_invitations": gettext_lazy("Invitations"),
    "contact_wants_newsletter": gettext_lazy("Newsletter"),
}

CHOICE_COLUMNS = {
    "legal_form": LegalForm,
    "industry": Industry,
    "size_class": SizeClass,
    "status": Company.Status,
    "contact_salutation": ContactPerson.Salutation,
    "contact_function": ContactPerson.Function,
}
BOOLEAN_COLUMNS = {
    "directory_consent",
    "contact_wants_meeting_invitations",
    "contact_wants_newsletter",
}
# The file format, not UI text: stays the same whatever language the coordinator uses.
TRUE, FALSE = "ja", "nein"
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "wahr", "1", "x"}
FALSE_WORDS = {"nein", "n", "no", "false", "falsch", "0"}

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
PAYLOAD_MAX_AGE_SECONDS = 60 * 60
_POSTCODE = re.compile(r"\d{5}")


def _model_field(column):
    if column in CONTACT_COLUMNS:
        return ContactPerson._meta.get_field(column.removeprefix("contact_"))
    return Company._meta.get_field(column)


# --------------------------------------------------------------------------------------------
# Export


def _bool_cell(value: bool) -> str:
    return TRUE if value else FALSE


def _company_cells(company: Company) -> list[str]:
    return [
        company.name,
        company.legal_form,
        company.industry,
        company.size_class,
        company.street,
        company.postcode,
        company.city,
        company.website,
        company.status,
        _bool_cell(company.directory_consent),
        company.member_since.isoformat() if company.member_since else "",
    ]


def _contact_cells(contact: ContactPerson | None) -> list[str]:
    if contact is None:
        return [""] * len(CONTACT_COLUMNS)
    return [
        contact.salutation,
        contact.title,
        contact.first_name,
        contact.last_name,
        contact.function,
        contact.email,
        contact.phone,
        _bool_cell(contact.wants_meeting_invitations),
        _bool_cell(contact.wants_newsletter),
    ]


def export_rows(companies) -> list[list[str]]:
    """Header and data rows for ``companies`` (a Company queryset): two queries in all."""
    contacts = ContactPerson.objects.order_by("last_name", "first_name", "pk")
    companies = companies.order_by("name", "pk").prefetch_related(
        Prefetch("contacts", queryset=contacts)
    )
    rows = [list(COLUMNS)]
    for company in companies:
        company_cells = _company_cells(company)
        for contact in company.contacts.all() or [None]:
            rows.append(company_cells + _contact_cells(contact))
    return rows


def export_filename() -> str:
    return f"mitgliedsunternehmen-{timezone.localdate().isoformat()}.csv"


def export_response(companies) -> HttpResponse:
    """A download of ``companies`` as CSV for German Excel; formula-like cells are defused
    (the import removes that apostrophe again)."""
    return csv_attachment(export_rows(companies), filename=export_filename())


# --------------------------------------------------------------------------------------------
# Import: result types


@dataclass
class RowError:
    line: int
    column: str | None
    message: str

    def __str__(self):
        if self.column:
            return _("Line %(line)d, column “%(column)s”: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Cell:
    column: str
    text: str
    has_error: bool = False


@dataclass
class ParsedRow:
    line: int
    raw: dict[str, str]
    company: dict = field(default_factory=dict)
    contact: dict | None = None
    errors: list[RowError] = field(default_factory=list)

    def add_error(self, column, message):
        self.errors.append(RowError(self.line, column, message))

    @property
    def error_columns(self):
        return {e.column for e in self.errors if e.column}

    @property
    def company_ok(self):
        return not (self.error_columns & set(COMPANY_COLUMNS))

    @property
    def cells(self) -> list[Cell]:
        """The row as the coordinator should see it: parsed values, raw text where invalid."""
        bad = self.error_columns
        cells = []
        for column in COLUMNS:
            if column in bad:
                # Refused control or invisible characters are shown as their code points.
                cells.append(Cell(column, reveal(self.raw.get(column, "")), has_error=True))
                continue
            if column in CONTACT_COLUMNS:
                source = self.contact or {}
                value = source.get(column.removeprefix("contact_"))
            else:
                value = self.company.get(column)
            cells.append(Cell(column, _display(column, value)))
        return cells


@dataclass
class PlannedCompany:
    """One company to create, with the rows it came from and its contact persons."""

    values: dict
    first_line: int
    contacts: list[dict] = field(default_factory=list)
    contact_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class ImportPreview:
    rows: list[ParsedRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    companies: list[PlannedCompany] = field(default_factory=list)

    @property
    def row_errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def errors(self) -> list[str]:
        """Every problem of the file, as full sentences for the coordinator."""
        return list(self.file_errors) + [str(error) for error in self.row_errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.file_errors and not self.row_errors

    @property
    def company_count(self) -> int:
        return len(self.companies)

    @property
    def contact_count(self) -> int:
        return sum(len(company.contacts) for company in self.companies)

    @property
    def summary(self) -> str:
        return summary_text(self.company_count, self.contact_count)


def summary_text(companies: int, contacts: int) -> str:
    return "%s, %s" % (  # noqa: UP031 - two translated parts
        ngettext("%(n)d company", "%(n)d companies", companies) % {"n": companies},
        ngettext("%(n)d contact person", "%(n)d contact persons", contacts) % {"n": contacts},
    )


def _display(column, value) -> str:
    if value is None or value == "":
        return ""
    if column in CHOICE_COLUMNS:
        return str(CHOICE_COLUMNS[column](value).label)
    if column in BOOLEAN_COLUMNS:
        return _bool_cell(value)
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


# --------------------------------------------------------------------------------------------
# Import: reading and checking the file


class ImportFileError(Exception):
    """The uploaded bytes are no text we can read."""


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as older German Excel writes it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The file could not be read. Please save it as “CSV UTF-8” and upload it again.")
        ) from exc


def sniff_delimiter(text: str) -> str:
    """``;`` or ``,``: whichever occurs more often in the header line (``;`` on a tie)."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    return "," if header.count(",") > header.count(";") else ";"


def _norm(text: str) -> str:
    return "".join(text.split()).casefold()


def company_key(name: str) -> str:
    """Rows whose names match case-insensitively belong to the same company."""
    return " ".join(name.split()).casefold()


def _choice_lookup(choices) -> dict[str, str]:
    """Stored value, German label and the label's short form (before " (") → stored value."""
    lookup = {}
    labels = []
    with translation.override("de"):
        labels += [(value, str(label)) for value, label in choices.choices]
    labels += [(value, str(label)) for value, label in choices.choices]
    for value, label in labels:
        for key in (value, label, label.split(" (", 1)[0]):
            lookup.setdefault(_norm(key), value)
    return lookup


def _unescape(raw: str) -> str:
    raw = raw.strip()
    if len(raw) > 1 and raw[0] == "'" and raw[1] in "=+-@":
        return raw[1:]
    return raw


class _CellError(Exception):
    pass


def _parse_choice(column, raw, lookups):
    try:
        return lookups[column][_norm(raw)]
    except KeyError:
        allowed = ", ".join(v for v in CHOICE_COLUMNS[column].values if v)
        raise _CellError(
            _("Unknown value “%(value)s”. Allowed values are %(allowed)s or the German label.")
            % {"value": raw, "allowed": allowed}
        ) from None


def _parse_bool(raw):
    word = raw.casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _CellError(
        _("Unknown value “%(value)s”. Allowed values are “ja” (yes) and “nein” (no).")
        % {"value": raw}
    )


def _parse_date(raw):
    for parse in (date.fromisoformat, lambda s: datetime.strptime(s, "%d.%m.%Y").date()):
        try:
            return parse(raw)
        except ValueError:
            continue
    raise _CellError(
        _("“%(value)s” is not a valid date (YYYY-MM-DD or DD.MM.YYYY).") % {"value": raw}
    )


def _parse_text(column, raw):
    max_length = _model_field(column).max_length
    if column == "postcode":
        if not _POSTCODE.fullmatch(raw):
            raise _CellError(_("“%(value)s” is not a valid postcode (5 digits).") % {"value": raw})
    elif column == "contact_email":
        try:
            EmailValidator()(raw)
        except ValidationError:
            raise _CellError(
                _("“%(value)s” is not a valid email address.") % {"value": raw}
            ) from None
    elif column == "website":
        try:
            raw = forms.URLField(assume_scheme="https").clean(raw)
        except ValidationError:
            raise _CellError(
                _("“%(value)s” is not a valid web address.") % {"value": raw}
            ) from None
    if max_length and len(raw) > max_length:
        raise _CellError(
            _("The value is too long (at most %(max)d characters).") % {"max": max_length}
        )
    return raw


def _parse_value(column, raw, lookups):
    try:
        validate_single_line(raw)  # the same rule as in every form, for every cell
    except ValidationError as error:
        raise _CellError(error.messages[0]) from None
    if column in CHOICE_COLUMNS:
        return _parse_choice(column, raw, lookups)
    if column in BOOLEAN_COLUMNS:
        return _parse_bool(raw)
    if column == "member_since":
        return _parse_date(raw)
    return _parse_text(column, raw)


def _default(column):
    if column == "status":
        return Company.Status.ACTIVE
    model_field = _model_field(column)
    if model_field.has_default():
        return model_field.get_default()
    return None if model_field.null else ""


def _parse_row(row: ParsedRow, lookups) -> None:
    for column in COMPANY_COLUMNS:
        raw = row.raw[column]
        if not raw:
            if column in REQUIRED_COLUMNS:
                row.add_error(column, _("A required value is missing."))
            row.company[column] = _default(column)
            continue
        try:
            row.company[column] = _parse_value(column, raw, lookups)
        except _CellError as error:
            row.add_error(column, str(error))
    if not any(row.raw[column] for column in CONTACT_COLUMNS):
        return
    row.contact = {}
    for column in CONTACT_COLUMNS:
        name = column.removeprefix("contact_")
        raw = row.raw[column]
        if not raw:
            if column in REQUIRED_CONTACT_COLUMNS:
                row.add_error(column, _("A required value for the contact person is missing."))
            row.contact[name] = _default(column)
            continue
        try:
            row.contact[name] = _parse_value(column, raw, lookups)
        except _CellError as error:
            row.add_error(column, str(error))


def _read_rows(text: str, preview: ImportPreview) -> list[tuple[int, list[str]]] | None:
    reader = csv.reader(
        io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=sniff_delimiter(text)
    )
    records = []
    last_line = 0
    try:
        for record in reader:
            records.append((last_line + 1, record))
            last_line = reader.line_num
    except csv.Error as exc:
        preview.file_errors.append(
            _("The file is not a readable CSV file (line %(line)d: %(error)s).")
            % {"line": reader.line_num, "error": exc}
        )
        return None
    return records


def _check_header(header: list[str], preview: ImportPreview) -> list[str] | None:
    names = [name.strip().lstrip("\ufeff").casefold() for name in header]
    unknown = [reveal(name) for name in names if name and name not in COLUMNS]
    doubled = sorted({name for name in names if name and names.count(name) > 1})
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if unknown:
        preview.file_errors.append(
            _("Unknown columns: %(columns)s. Allowed columns are: %(allowed)s.")
            % {"columns": ", ".join(unknown), "allowed": ", ".join(COLUMNS)}
        )
    if doubled:
        preview.file_errors.append(
            _("Duplicate columns: %(columns)s.") % {"columns": ", ".join(doubled)}
        )
    if missing:
        preview.file_errors.append(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return None if (unknown or doubled or missing) else names


def parse_member_csv(text: str) -> ImportPreview:
    """Check a member list completely, without writing anything (the dry run).

    The result lists every data row with its parsed values and errors, file-level errors,
    and the companies (with contacts) an import would create. Reads all company names once.
    """
    preview = ImportPreview()
    if not text.strip():
        preview.file_errors.append(_("The file is empty."))
        return preview
    records = _read_rows(text, preview)
    if records is None:
        return preview
    records = [(line, record) for line, record in records if any(c.strip() for c in record)]
    if not records:
        preview.file_errors.append(_("The file is empty."))
        return preview
    (_header_line, header), data = records[0], records[1:]
    names = _check_header(header, preview)
    if names is None:
        return preview
    if not data:
        preview.file_errors.append(_("The file contains no data rows."))
        return preview

    lookups = {column: _choice_lookup(choices) for column, choices in CHOICE_COLUMNS.items()}
    for line, record in data:
        raw = dict.fromkeys(COLUMNS, "")
        for name, value in zip(names, record, strict=False):
            if name:
                raw[name] = _unescape(value)
        row = ParsedRow(line=line, raw=raw)
        if len(record) > len(names) and any(v.strip() for v in record[len(names) :]):
            row.add_error(
                None,
                _("The row has %(found)d columns, the header row only %(expected)d.")
                % {"found": len(record), "expected": len(names)},
            )
        _parse_row(row, lookups)
        preview.rows.append(row)

    _group_companies(preview)
    return preview


def _group_companies(preview: ImportPreview) -> None:
    existing = {company_key(name) for name in Company.objects.values_list("name", flat=True)}
    planned: dict[str, PlannedCompany] = {}
    first_rows: dict[str, ParsedRow] = {}
    for row in preview.rows:
        if "name" in row.error_columns or not row.company.get("name"):
            continue
        key = company_key(row.company["name"])
        if key not in planned:
            planned[key] = PlannedCompany(values=dict(row.company), first_line=row.line)
            first_rows[key] = row
        else:
            first = first_rows[key]
            if row.company_ok and first.company_ok:
                differing = [
                    column
                    for column in COMPANY_COLUMNS[1:]
                    if row.company[column] != first.company[column]
                ]
                if differing:
                    row.add_error(
                        None,
                        _(
                            "The details of the company “%(name)s” differ from line %(first)d "
                            "(columns: %(columns)s)."
                        )
                        % {
                            "name": row.company["name"],
                            "first": first.line,
                            "columns": ", ".join(differing),
                        },
                    )
        company = planned[key]
        if row.contact is None:
            continue
        email = row.contact.get("email")
        if email and "contact_email" not in row.error_columns:
            first_line = company.contact_lines.get(email.casefold())
            if first_line is not None:
                row.add_error(
                    "contact_email",
                    _(
                        "The email address “%(email)s” is already given for this company in line "
                        "%(first)d."
                    )
                    % {"email": email, "first": first_line},
                )
                continue
            company.contact_lines[email.casefold()] = row.line
        company.contacts.append(row.contact)
    for key, row in first_rows.items():
        if key in existing:
            row.add_error(
                "name",
                _("A company “%(name)s” already exists in the portal.")
                % {"name": row.company["name"]},
            )
    preview.companies = list(planned.values())


# --------------------------------------------------------------------------------------------
# Import: writing


def import_member_csv(
    preview: ImportPreview, *, by_user=None
) -> tuple[list[Company], list[ContactPerson]]:
    """Create all companies and contacts of a valid preview, all or nothing; one activity log
    entry for the import."""
    if not preview.is_valid:
        raise ValueError("Only a preview without errors can be imported.")
    companies, contacts = [], []
    with transaction.atomic():
        for planned in preview.companies:
            now = timezone.now()
            company = Company(**planned.values, registered_at=now, status_changed_at=now)
            company.slug = unique_company_slug(company.name)
            company.save()
            companies.append(company)
            contacts += [ContactPerson(company=company, **values) for values in planned.contacts]
        ContactPerson.objects.bulk_create(contacts)
        log_activity(
            action="members.company.imported",
            by_user=by_user,
            details={"companies": len(companies), "contacts": len(contacts)},
        )
        # Imported members are members like the others: invited to the meetings still open.
        contacts_arrived(contacts=contacts, by_user=by_user)
    return companies, contacts


# --------------------------------------------------------------------------------------------
# Signed hand-over between preview and import


def _purpose(user) -> str:
    # Bound to the coordinator: a payload made for one login is worthless for another.
    return f"members.csv_import:{user.pk}"


def sign_payload(*, text: str, filename: str, user) -> str:
    return make_token(purpose=_purpose(user), payload={"csv": text, "name": filename})


def read_payload(payload: str, *, user) -> dict:
    """The ``{"csv": ..., "name": ...}`` signed for ``user``; ValidationError otherwise."""
    try:
        data = read_token(
            purpose=_purpose(user), token=payload, max_age_seconds=PAYLOAD_MAX_AGE_SECONDS
        )
    except LinkExpired:
        raise ValidationError(_("The preview has expired. Please upload the file again.")) from None
    except LinkInvalid:
        raise ValidationError(
            _("The import data is invalid or has been altered. Please upload the file again.")
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("csv"), str):
        raise ValidationError(_("The import data is invalid."))
    return data


class MemberCsvUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "At most 2 MB. Semicolon or comma as delimiter, a header row with the column names as "
            "in the export."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(_("Please upload a CSV file (.csv)."))
        if upload.size > MAX_UPLOAD_BYTES or isinstance(upload, OversizedUpload):
            raise ValidationError(_("The file is too large (at most 2 MB)."))
        try:
            self.text = decode_csv_bytes(upload.read())
        except ImportFileError as error:
            raise ValidationError(str(error)) from None
        return upload


class MemberCsvConfirmForm(forms.Form):
    payload = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy("The import data is missing. Please upload the file again.")
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_payload(self):
        return read_payload(self.cleaned_data["payload"], user=self.user)
