"""Hostile input for every form, and one way to submit it and judge the answer.

``Probe.submit`` sends a request in German and checks that

- the portal never answers with a server error (the test client re-raises view exceptions),
- a rejected request (an error status, form errors, an error message, a problem on a link
  page) leaves the database (but for the sessions) and the stored files untouched,
- every message shown (form errors, flash messages, problems on link pages, the title of an
  error page) is German: the same request is replayed in English from the same state (in a
  savepoint that is rolled back) and every message must differ from its English counterpart.
  A German message already shown to differ is not replayed again, which keeps this fast.

``strict_database`` makes SQLite refuse what PostgreSQL refuses (NUL characters, lone
surrogates, overlong values, integers out of range), so these tests find on SQLite what would
crash in production. It also refuses to save a control or invisible character into a field
under the rule of ``network_portal.text``, whichever way the value came in. ``fuzz`` runs a
fixed, derandomized set of examples (for CI); ``FORMS_FUZZ_EXAMPLES=500`` explores that many
random examples per test instead.
"""

import operator
import os
import re
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import pre_save
from django.forms import BaseForm
from django.template.context import Context
from django.test.utils import ContextList
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from network_portal.text import hidden_characters, validate_multi_line, validate_single_line

# --- Settings ----------------------------------------------------------------------------------

# CI runs a fixed set of examples (derandomized); FORMS_FUZZ_EXAMPLES=500 explores at random.
EXPLORE_EXAMPLES = int(os.environ.get("FORMS_FUZZ_EXAMPLES", "0"))


def fuzz(examples: int):
    return settings(
        max_examples=EXPLORE_EXAMPLES or examples,
        derandomize=not EXPLORE_EXAMPLES,
        database=None,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


# --- Strategies --------------------------------------------------------------------------------

# Everything the test client can encode: all of Unicode but lone surrogates.
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))
CONTROL = st.characters(max_codepoint=0x1F) | st.sampled_from(
    "\x00\x7f\x85\u2028\u2029\u200b\u202e\ufeff\ufffe\uffff"
)
SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "null",
    "None",
    "[]",
    "{}",
    "true",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "a\r\nX-Injected: 1",
    "\u202egnp.exe",
    "😀" * 20,
    "Straße",
    "٥٤٢٩٢",  # Arabic-Indic digits: \d matches them
    "５４２９２",  # fullwidth digits
    "=cmd|' /C calc'!A0",
]
NUMBERS = [
    "0",
    "-1",
    "-0",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "9" * 40,
    "1e309",
    "NaN",
    "inf",
    "-Infinity",
    "0x10",
    " 3 ",
    "3.0",
    "١",
    "３",
]


def numeric_text():
    return st.one_of(
        st.sampled_from(NUMBERS),
        st.integers().map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
    )


def long_text():
    """Overlong input: a few characters repeated up to 100 000 times."""
    return st.builds(
        operator.mul,
        st.text(ANY_CHARACTER, min_size=1, max_size=2),
        st.sampled_from([51, 101, 201, 255, 1001, 2001, 5001, 100_000]),
    )


def hostile_text():
    return st.one_of(
        st.sampled_from(SPECIAL),
        long_text(),
        st.text(CONTROL, min_size=1, max_size=8),
        numeric_text(),
        st.text(ANY_CHARACTER, max_size=30),
    )


@dataclass(frozen=True)
class FileSpec:
    """An upload, made afresh for every request (an uploaded file is read once)."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"

    def upload(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.content, content_type=self.content_type)


def tiny_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#8c1c2b").save(buffer, format="PNG")
    return buffer.getvalue()


TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = tiny_png()
BOGUS_CONTENTS = [
    b"",
    b"<html><script>alert(1)</script></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows executable
    b"PK\x03\x04not really a zip",
    b"%PDF-",  # a PDF header and nothing else
    PNG[:20],  # a truncated PNG
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
    b"\xff\xd8\xff\xe0garbage",
    b"GIF89a\x01\x00\x01\x00",
]
FILE_NAMES = [
    "nachweis.pdf",
    "logo.png",
    '../../evil"\r\nX: y.pdf',
    "a\x00b.pdf",
    "x" * 300 + ".pdf",
    "rechnung.pdf.exe",
    ".htaccess",
    "logo.svg",
    "bild.html",
    "😀.png",
    "CON.png",
]


def bogus_file():
    return st.builds(
        FileSpec,
        name=st.one_of(st.sampled_from(FILE_NAMES), st.text(ANY_CHARACTER, max_size=20)).filter(
            # The test client cannot send a file without a name.
            lambda name: os.path.basename(name) not in {"", ".", ".."}
        ),
        content=st.one_of(
            st.sampled_from([*BOGUS_CONTENTS, PNG, TINY_PDF]), st.binary(max_size=64)
        ),
        content_type=st.sampled_from(
            ["application/pdf", "image/png", "text/html", "image/svg+xml", "application/x-bad"]
        ),
    )


def invalid_utf8():
    """Bytes a browser would never send: broken UTF-8, an encoded surrogate, Latin-1."""
    return st.one_of(
        st.sampled_from([b"\xff\xfe", b"\xed\xa0\x80", b"caf\xe9", b"\xc3", b"\x00\xff"]),
        st.binary(min_size=1, max_size=16),
    )


def hostile_value():
    """Text of any kind, broken bytes, a list where one value is expected, or a file."""
    return st.one_of(
        hostile_text(),
        hostile_text(),
        invalid_utf8(),
        st.lists(hostile_text(), min_size=2, max_size=3),
        bogus_file(),
    )


def received(value) -> str | None:
    """The text a view reads for a field sent as ``value``: the last of a list, broken bytes
    decoded with replacement characters, nothing for a file."""
    if isinstance(value, list):
        value = value[-1] if value else None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else None


@st.composite
def form_data(draw, fields: dict, *, extra: bool = True):
    """Each field valid, hostile or missing; sometimes an extra field nobody asked for.

    ``fields`` maps a field name to a strategy for a valid value. Shrinking prefers valid
    values, so a failing example keeps only the input that matters.
    """
    data = {}
    for name, valid in fields.items():
        kind = draw(st.sampled_from(["valid", "valid", "hostile", "missing"]))
        if kind == "valid":
            data[name] = draw(valid)
        elif kind == "hostile":
            data[name] = draw(hostile_value())
    if extra and draw(st.booleans()):
        data[draw(st.sampled_from(["id", "pk", "company", "status", "role", "is_staff", "x"]))] = (
            draw(hostile_value())
        )
    return data


def around(good: list[str]):
    """Genuine tokens (most of the time), tampered ones and anything else."""
    tampered = st.one_of(
        st.builds(lambda token, tail: token + tail, st.sampled_from(good), hostile_text()),
        st.builds(lambda token, tail: token[:-4] + tail, st.sampled_from(good), hostile_text()),
    )
    return st.sampled_from(["good", "good", "tampered", "junk"]).flatmap(
        lambda kind: {"good": st.sampled_from(good), "tampered": tampered}.get(kind, path_segment())
    )


def path_segment():
    """Whatever may stand where a URL expects an id, a slug or a token."""
    return st.one_of(
        st.integers(min_value=0, max_value=2**80).map(str),
        hostile_text().filter(lambda s: s not in ("", ".", "..")),
    )


def quote(segment) -> str:
    return urllib.parse.quote(str(segment), safe="")


def ids_or_junk(*ids):
    """An id from ``ids`` (own and other companies' objects) or anything else."""
    known = st.sampled_from([str(i) for i in ids])
    # Mostly the real ids: a nested one_of would give them only a small share of examples.
    return st.sampled_from(["known", "known", "junk"]).flatmap(
        lambda kind: known if kind == "known" else path_segment()
    )


def url_with(name, segment, *before):
    """``name``'s URL with ``segment`` (any text, quoted) where its last argument goes."""
    from django.urls import reverse

    sentinel = 987654321
    url = reverse(name, args=[*before, sentinel])
    return url.replace(str(sentinel), quote(segment))


# Valid text for names and the like, and valid email addresses (some longer than a column).
# Not valid: the Hangul fillers, letters that print as nothing (network_portal.text).
BLANK_LETTERS = "\u115f\u1160\u3164\uffa0"
WORDS = st.text(
    st.characters(categories=("L", "N", "Zs"), exclude_characters=BLANK_LETTERS),
    min_size=1,
    max_size=40,
).filter(str.strip)
OPTIONAL_WORDS = st.one_of(st.just(""), WORDS)
EMAIL = st.one_of(
    st.from_regex(r"\A[a-z]{1,20}\.[a-z]{1,10}@moselblick\.example\Z"),
    # Valid by the letter of the standard, and longer than an address column takes.
    st.sampled_from([235, 236, 301]).map(lambda n: "x" * n + "@moselblick.example"),
)


# --- Postgres-like strictness ------------------------------------------------------------------

PG_INTEGER_RANGES = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "PositiveIntegerField": (0, 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}
LENGTH_LIMITED = {"CharField", "SlugField", "EmailField", "URLField", "FileField", "ImageField"}


class WouldFailOnPostgres(AssertionError):
    pass


class HiddenCharactersStored(AssertionError):
    pass


def _hidden_characters_problem(model_field, value: str) -> list[str]:
    for rule, multiline in ((validate_single_line, False), (validate_multi_line, True)):
        if any(validator is rule for validator in model_field.validators):
            return hidden_characters(value, multiline=multiline)
    return []


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character"
    if any("\ud800" <= char <= "\udfff" for char in text):
        return "contains a lone surrogate"
    return None


def _walk_json(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _walk_json(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk_json(item)
    else:
        yield value


def _check_instance(sender, instance, raw=False, **kwargs):
    for model_field in instance._meta.concrete_fields:
        value = getattr(instance, model_field.attname, None)
        if isinstance(value, FieldFile):
            value = value.name
        internal = model_field.get_internal_type()
        where = f"{sender.__name__}.{model_field.name}"
        if isinstance(model_field, models.JSONField):
            for item in _walk_json(value):
                if isinstance(item, str) and (problem := _text_problem(item)):
                    raise WouldFailOnPostgres(f"{where} {problem}: {value!r:.200}")
            continue
        if isinstance(value, str):
            if problem := _text_problem(value):
                raise WouldFailOnPostgres(f"{where} {problem}: {value!r:.200}")
            if found := _hidden_characters_problem(model_field, value):
                raise HiddenCharactersStored(f"{where} stores {found}: {value!r:.200}")
            if (
                internal in LENGTH_LIMITED
                and model_field.max_length
                and len(value) > model_field.max_length
            ):
                raise WouldFailOnPostgres(
                    f"{where} is {len(value)} characters long, the column takes "
                    f"{model_field.max_length}: {value!r:.100}"
                )
        elif (
            isinstance(value, int) and not isinstance(value, bool) and internal in PG_INTEGER_RANGES
        ):
            low, high = PG_INTEGER_RANGES[internal]
            if not low <= value <= high:
                raise WouldFailOnPostgres(f"{where} = {value} is out of range for {internal}")


def _check_parameters(execute, sql, params, many, context):
    rows = params if many else [params]
    for row in rows or []:
        values = row.values() if isinstance(row, dict) else (row or [])
        for value in values:
            if isinstance(value, str) and (problem := _text_problem(value)):
                raise WouldFailOnPostgres(f"A query parameter {problem}: {value!r:.200}\n{sql}")
            out_of_range = isinstance(value, int) and not -(2**63) <= value < 2**63
            if out_of_range:
                raise WouldFailOnPostgres(f"A query parameter is out of range: {value}\n{sql}")
    return execute(sql, params, many, context)


@contextmanager
def strict_database():
    pre_save.connect(_check_instance, dispatch_uid="forms-strict-database")
    try:
        with connection.execute_wrapper(_check_parameters):
            yield
    finally:
        pre_save.disconnect(dispatch_uid="forms-strict-database")


# --- State -------------------------------------------------------------------------------------


class _RollBack(Exception):
    pass


@contextmanager
def rolled_back():
    """Run the block in a savepoint that is always rolled back."""
    try:
        with transaction.atomic():
            yield
            raise _RollBack
    except _RollBack:
        pass


# Tables no form of the portal writes to; reading them for every example only costs time.
UNWATCHED = {
    "sessions.Session",
    "contenttypes.ContentType",
    "auth.Permission",
    "auth.Group_permissions",
    "sites.Site",
    "flatpages.FlatPage",
    "flatpages.FlatPage_sites",
    "admin.LogEntry",
}


def database_state() -> dict:
    """Every row of every table but the sessions and the static ones (raw SQL: fast)."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.label not in UNWATCHED
            and model._meta.app_label != "django_celery_beat"
            and not model._meta.proxy
            and model._meta.managed
        }
    )
    state = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
            state[table] = cursor.fetchall()
    return state


def stored_files() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


# --- Submitting and judging --------------------------------------------------------------------


def _materialise(value):
    if isinstance(value, FileSpec):
        return value.upload()
    if isinstance(value, list):
        return [_materialise(item) for item in value]
    return value


def _has_bytes(data) -> bool:
    return any(
        isinstance(v, bytes) or (isinstance(v, list) and any(isinstance(i, bytes) for i in v))
        for v in data.values()
    )


def _shown_forms(response) -> list[BaseForm]:
    found, seen = [], set()

    def collect(value, depth=0):
        if isinstance(value, BaseForm) and id(value) not in seen:
            seen.add(id(value))
            found.append(value)
        elif isinstance(value, list | tuple) and depth < 2:
            for item in value:
                collect(item, depth + 1)

    contexts = response.context
    if contexts is None:
        return []
    if isinstance(contexts, Context):
        contexts = [contexts]
    for context in contexts if isinstance(contexts, ContextList | list) else [contexts]:
        for layer in context.dicts:
            for value in layer.values():
                collect(value)
    return found


TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@dataclass
class Shown:
    """What the user sees of one answer: messages, form errors, problems, an error page's title."""

    status: int
    messages: list[str]
    form_errors: list[str]
    problems: list[str]
    flashed_error: bool
    title: str | None

    @property
    def rejected(self) -> bool:
        return (
            self.status >= 400
            or bool(self.form_errors)
            or bool(self.problems)
            or self.flashed_error
        )

    @property
    def has_message(self) -> bool:
        return bool(self.form_errors or self.problems or self.flashed_error or self.title)


def _context_value(response, key):
    try:
        return response.context[key]
    except KeyError:
        return None


def shown(response) -> Shown:
    form_errors = []
    for form in _shown_forms(response):
        if form.is_bound:
            for errors in form.errors.values():
                form_errors.extend(str(message) for message in errors)
    flashed = list(get_messages(response.wsgi_request))
    problems = []
    if response.context is not None:
        problems += [
            str(v) for v in (_context_value(response, k) for k in ("problem", "refused")) if v
        ]
        if response.status_code == 403 and (exception := _context_value(response, "exception")):
            problems.append(str(exception))
    if response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        if isinstance(body, dict) and "message" in body:
            problems.append(str(body["message"]))
    title = None
    if response.status_code >= 400 and response.get("Content-Type", "").startswith("text/html"):
        match = TITLE.search(response.content.decode())
        title = match.group(1).strip() if match else ""
    return Shown(
        status=response.status_code,
        messages=[str(message) for message in flashed],
        form_errors=form_errors,
        problems=problems,
        flashed_error=any(message.level >= 40 for message in flashed),
        title=title,
    )


@dataclass
class Stats:
    """How many examples were accepted and how many rejections had their messages checked."""

    accepted: int = 0
    rejected: int = 0
    messages_compared: int = 0
    rejections_with_messages: int = 0
    statuses: dict = field(default_factory=dict)

    def require(self, *, accepted=True, rejected_with_messages=True):
        if accepted:
            assert self.accepted, f"no example was accepted: {self}"
        if rejected_with_messages:
            assert self.rejections_with_messages, f"no rejection message was checked: {self}"


# German messages already shown to differ from the English text of the same request: a message
# seen again needs no second run in English (the templates and the crispy forms are slow).
VERIFIED_GERMAN: set[str] = set()


class Probe:
    def __init__(self, client):
        self.client = client
        self.stats = Stats()

    def _send(self, method, url, data, language, headers, body):
        client = self.client
        client.cookies.pop(django_settings.LANGUAGE_COOKIE_NAME, None)
        client.cookies.pop("messages", None)  # left over from an earlier example
        headers = {"Accept-Language": language, **(headers or {})}
        if body is not None:
            content, content_type = body
            return client.generic(method.upper(), url, content, content_type, headers=headers)
        if method == "get":
            return client.get(url, data or {}, headers=headers)
        data = {key: _materialise(value) for key, value in (data or {}).items()}
        has_files = any(isinstance(v, SimpleUploadedFile) for v in data.values())
        if _has_bytes(data) and has_files:
            # Multipart carries text: send the bytes as the Latin-1 characters they are.
            data = {k: v.decode("latin-1") if isinstance(v, bytes) else v for k, v in data.items()}
        elif _has_bytes(data):
            encoded = urllib.parse.urlencode(data, doseq=True)
            return client.post(
                url, encoded, content_type="application/x-www-form-urlencoded", headers=headers
            )
        return client.post(url, data, headers=headers)

    def _cookies(self) -> dict:
        return {key: morsel.value for key, morsel in self.client.cookies.items()}

    def _restore(self, cookies: dict) -> None:
        self.client.cookies = SimpleCookie()
        for key, value in cookies.items():
            self.client.cookies[key] = value

    @contextmanager
    def example(self):
        """One example: whatever it changes in the database or the client's cookies is undone."""
        cookies = self._cookies()
        try:
            with rolled_back():
                yield
        finally:
            self._restore(cookies)

    def submit(self, url, data=None, *, method="post", headers=None, body=None, reset=None):
        """Send the request in German and judge the answer; the same request in English
        (rolled back) shows that every message is translated.

        ``reset`` runs before each send, for state outside the database (e.g. a cache).
        """
        if reset is not None:
            send = self._send

            def _send(*args):
                reset()
                return send(*args)

            self._send = _send
        try:
            return self._submit(url, data, method=method, headers=headers, body=body)
        finally:
            self.__dict__.pop("_send", None)

    def _submit(self, url, data, *, method, headers, body):
        cookies = self._cookies()
        before, files_before = database_state(), stored_files()
        savepoint = transaction.savepoint()
        response = self._send(method, url, data, "de", headers, body)
        german = shown(response)
        assert response.status_code < 500, response.status_code

        self.stats.statuses[german.status] = self.stats.statuses.get(german.status, 0) + 1
        if german.rejected:
            self.stats.rejected += 1
            self.stats.rejections_with_messages += german.has_message
            # Nothing half-written: no row and no file changed.
            assert database_state() == before, "a rejected request changed the database"
            assert stored_files() == files_before, "a rejected request left files behind"
        else:
            self.stats.accepted += 1

        texts = [*german.form_errors, *german.messages, *german.problems]
        if german.title is not None:
            texts.append(german.title)
        if all(text in VERIFIED_GERMAN for text in texts):
            transaction.savepoint_commit(savepoint)
            return response
        # Replay in English from the same state, then (if it changed anything) in German again.
        transaction.savepoint_rollback(savepoint)
        self._restore(cookies)
        with rolled_back():
            english = shown(self._send(method, url, data, "en", headers, body))
        self._restore(cookies)
        assert german.status == english.status, (english, german)
        self._compare(german.form_errors, english.form_errors)
        self._compare(german.messages, english.messages)
        self._compare(german.problems, english.problems)
        if german.title is not None:
            assert german.title and german.title != english.title, (german.title, english.title)
            VERIFIED_GERMAN.add(german.title)
        if not german.rejected:
            response = self._send(method, url, data, "de", headers, body)
            assert shown(response).status == german.status
        return response

    def _compare(self, german: list[str], english: list[str]):
        assert len(german) == len(english), (german, english)
        for de, en in zip(german, english, strict=True):
            assert de != en, f"not translated: {de!r:.300}"
            VERIFIED_GERMAN.add(de)
            self.stats.messages_compared += 1
