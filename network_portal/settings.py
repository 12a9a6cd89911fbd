"""Settings of the portal, read from environment variables only.

Every variable is documented with its default in README.md ("Configuration").
The defaults give an embedded development setup: SQLite, a broker in a SQLite
file, mails written to files under var/mail/.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Files of the embedded defaults: SQLite database, SQLite broker, mails, uploads.
VAR_DIR = Path(env.str("DJANGO_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The default key is only good for development; `check --deploy` flags it (security.W009).
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="django-insecure-development-key-do-not-use-in-production"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The port `make demo` (runserver) listens on; links in mails follow it unless SITE_URL is set.
PORT = env.int("PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    # The admin with the portal's site: login through allauth, coordinators only after 2FA.
    "accounts.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # The person's open sessions on „Mein Konto“ (list them, end the others).
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "csp",
    "network_portal",
    "accounts",
    "members",
    "meetings",
    "seal",
    "newsletter",
    "cooperation",
    "internships",
    # Engagement figures and the annual report: they read the feature apps; no app imports them.
    "reports",
    # Demo data and `manage.py seed_demo`; after the apps, nothing imports it.
    "demo",
]

MIDDLEWARE = [
    # First: closes the temporary files of uploads when the response is closed.
    "network_portal.middleware.UploadCleanupMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body; after the language is known, for the 400 page.
    "network_portal.middleware.MalformedRequestMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # The language a person chose in „Mein Konto“ follows them to every login.
    "accounts.middleware.UserLanguageMiddleware",
    "network_portal.middleware.SessionExpiryMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "network_portal.middleware.NoStoreForPersonalPagesMiddleware",
]

ROOT_URLCONF = "network_portal.urls"
# bench/load.py only: adds the bare logged-in view it compares pages with (bench/urls.py).
if env.bool("BENCH_VIEWS", default=False):
    ROOT_URLCONF = "bench.urls"
WSGI_APPLICATION = "network_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context_processors.roles",
                "network_portal.office.office_context",
                "network_portal.dev_mailbox.context",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# No `SELECT 1` before each request on a kept connection: it costs a round trip on every page.
# A connection the database dropped (a restart) fails one request per web process, after which
# Django closes it and the next request connects anew. Set it on where connections break often.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_CONN_HEALTH_CHECKS", default=False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if str(DATABASES["default"]["NAME"]).startswith(str(VAR_DIR)):
        # A fresh checkout has no var/ yet: SQLite would refuse to create the file.
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Worker, beat and web server share the file: wait for locks instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # a website typed without scheme becomes https://

# Redis in production and CI (CACHE_URL=redis://…): rate limits and the pages' shared content
# (network_portal.cache_versions) are then shared by all web processes and workers. With the
# default, a cache of each process, pages keep nothing shared (a worker's change could not
# reach another process's copy); `manage.py check --deploy` warns (network_portal.W010).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # One connection pool per process, reused by every request (no connect per call); a cache
    # that does not answer quickly is treated as empty (network_portal.cache_versions).
    cache_options = CACHES["default"].setdefault("OPTIONS", {})
    cache_options.setdefault("socket_timeout", 1)
    cache_options.setdefault("socket_connect_timeout", 1)

AUTH_USER_MODEL = "accounts.User"
# What coordinators manage in the admin: the group „Koordination“ holds every permission of
# these apps (accounts.roles).
COORDINATOR_APPS = [
    "accounts",
    "members",
    "network_portal",
    "flatpages",
    "meetings",
    "seal",
    "newsletter",
    "cooperation",
    "internships",
    "reports",
]
AUTHENTICATION_BACKENDS = [
    # allauth's first, so an inactive account is told so instead of "wrong password"; ours
    # reads the company account with the user (accounts.backends). Sessions of the plain
    # allauth backend (before this change) end once: their users log in again.
    "accounts.backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:dashboard"

# django-allauth: login by email, mandatory verification, allauth's rate limits.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell users when their password or address changes
# A password reset for an address without an account mails nobody (the page says the same),
# so the form cannot be used to send mail to strangers.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Attraktive Unternehmen Trier] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupNameForm"
ACCOUNT_FORMS = {
    # Counts valid sign-ups against the limits below (network_portal.ratelimits).
    "signup": "accounts.allauth_forms.SignupForm",
    # Refuses an address the person's contact entry could not take (accounts.account_parts).
    "add_email": "accounts.allauth_forms.AddEmailForm",
}
# The sign-up forms mail the address typed in: each (account and newsletter) takes at most
# SIGNUP_RATE_PER_CLIENT sign-ups per client address and SIGNUP_RATE_OVERALL in all, in
# allauth's syntax (amount/period, the period in s, m, h or d: "5/10m"), counted in the cache.
SIGNUP_RATE_PER_CLIENT = env.str("SIGNUP_RATE_PER_CLIENT", default="5/10m")
SIGNUP_RATE_OVERALL = env.str("SIGNUP_RATE_OVERALL", default="100/h")
# allauth's own limits (login, password reset, …) stay at its defaults; these are added.
ACCOUNT_RATE_LIMITS = dict.fromkeys(
    ("portal_signup", "portal_newsletter_signup"),
    f"{SIGNUP_RATE_PER_CLIENT}/ip,{SIGNUP_RATE_OVERALL}/key",
)
# Behind proxies that add to X-Forwarded-For: how many, so that the rate limits count the
# client's address, not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Changing the password, email or second factor asks for the password again after this long.
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # also for the login address (allauth: only MFA)
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=300)

# Two-factor authentication (allauth.mfa): coordinators and jurors must use TOTP; anyone else
# may. Recovery codes come with it, for a lost phone.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# Passkeys (WebAuthn): a second factor beside the authenticator app, and a login without a
# password (the passkey itself asks for the fingerprint or PIN of the device).
MFA_PASSKEY_LOGIN_ENABLED = True
# Browsers allow WebAuthn only on https and on http://localhost (never on an IP address such as
# 127.0.0.1); allauth accepts the plain-http origin of development only with DEBUG on.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Attraktive Unternehmen Trier")
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_FORMS = {
    "add_webauthn": "accounts.mfa_forms.AddPasskeyForm",
    "edit_webauthn": "accounts.mfa_forms.EditPasskeyForm",
}
# Encrypts the TOTP secrets in the database. Its own variable, so that rotating
# DJANGO_SECRET_KEY does not lock everybody out of their authenticator app.
MFA_ENCRYPTION_KEY = env.str("MFA_ENCRYPTION_KEY", default="") or SECRET_KEY
# Development only (allauth refuses it unless DJANGO_DEBUG is on): a code that always passes.
MFA_TOTP_INSECURE_BYPASS_CODE = env.str("MFA_TOTP_INSECURE_BYPASS_CODE", default="") or None

# allauth.usersessions records a session at login. Tracking every request (last seen, IP)
# would write to the database on every page, so it stays off.
USERSESSIONS_TRACK_ACTIVITY = False

# Sessions end after SESSION_IDLE_TIMEOUT of inactivity and, however active, after
# SESSION_MAX_AGE since the login (seconds).
# Sessions stay in the database only (no cached_db): a logout or an ended session must end
# everywhere at once, also when the cache was unreachable for a moment.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=2 * 60 * 60)
SESSION_MAX_AGE = env.int("SESSION_MAX_AGE", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
# Activity moves the idle deadline at most this often, so not every request writes the session.
SESSION_ACTIVITY_RESOLUTION = 60

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

SITE_ID = 1

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
# Uploaded files are never served from a public media URL: views stream them after a check.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LOGO_MAX_BYTES = env.int("LOGO_MAX_BYTES", default=2 * 1024 * 1024)

# Mail. EMAIL_URL examples: smtp://127.0.0.1:1025, smtp+tls://user:pass@host:587, consolemail://
vars().update(env.email_url("EMAIL_URL", default="filemail://"))
if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":  # noqa: F821
    # filemail://[path]: one .eml file per mail (network_portal.mail_files), in var/mail/ unless
    # a path is given; with DJANGO_DEBUG on, /dev/mails/ shows them (network_portal.dev_mailbox).
    EMAIL_BACKEND = "network_portal.mail_files.EmailBackend"
    EMAIL_FILE_PATH = str(BASE_DIR / (EMAIL_FILE_PATH or VAR_DIR / "mail"))  # noqa: F821
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Netzwerk Attraktive Unternehmen Trier <netzwerk@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The one sender (network_portal.sending), for the outbox and the newsletter alike.
# Messages per second over all mail (0: unlimited), shared by every sender in every process.
MAIL_RATE_PER_SECOND = env.float("MAIL_RATE_PER_SECOND", default=20.0)
# Senders sending the outbox at once, each over its own SMTP connection.
MAIL_PARALLEL_SENDERS = env.int("MAIL_PARALLEL_SENDERS", default=2)
# Tries before an outbox mail fails; the n-th retry waits MAIL_RETRY_BASE_SECONDS * 2^(n-1),
# at most an hour.
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=5)
MAIL_RETRY_BASE_SECONDS = env.float("MAIL_RETRY_BASE_SECONDS", default=60.0)
# A sender works this long, then hands over to a new task: a worker asked to stop (SIGTERM)
# finishes its slice within the grace period instead of being killed in the middle of a send.
MAIL_SENDER_SLICE_SECONDS = env.float("MAIL_SENDER_SLICE_SECONDS", default=5.0)
# A sender's slot frees itself this long after its holder was last heard of (a killed worker).
MAIL_SENDER_LEASE_SECONDS = env.float("MAIL_SENDER_LEASE_SECONDS", default=90.0)
# Beat starts senders wherever mail is due this often: what a dead worker or a lost task left
# goes out at the latest then.
MAIL_SWEEP_SECONDS = env.float("MAIL_SWEEP_SECONDS", default=60.0)

# How often beat has a worker record that it is alive (the readiness check reads it).
HEARTBEAT_SECONDS = env.float("HEARTBEAT_SECONDS", default=30.0)
# Readiness (/readyz): worker and beat count as silent after 3 * HEARTBEAT_SECONDS; mail as
# stuck when a due mail has waited this long and nothing was sent for as long.
READINESS_MAIL_STUCK_SECONDS = env.float("READINESS_MAIL_STUCK_SECONDS", default=1200.0)
# How long /readyz waits for the broker before it counts as down.
READINESS_BROKER_TIMEOUT_SECONDS = env.float("READINESS_BROKER_TIMEOUT_SECONDS", default=2.0)

# Celery. The default broker is a SQLite file, so development needs no Redis.
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
if CELERY_BROKER_URL.startswith(f"sqla+sqlite:///{VAR_DIR}"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # as for the database above
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_IGNORE_RESULT = True
# What a task is to do lives in the database (outbox rows, deliveries, meetings), and beat's
# sweeps find unfinished work there, so the broker only carries "start now" hints. Still, a
# message is acknowledged after its task ran (acks_late) and given back if the worker died
# under it, and each worker reserves one message at a time. Every task finishes within
# seconds (senders work in slices), so after a SIGKILL Redis hands the unacknowledged message
# out again after the visibility timeout of 10 minutes; the sweeps are faster.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# (The SQLite broker of development hands all its options to SQLAlchemy, which refuses this one.)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {} if CELERY_BROKER_URL.startswith("sqla+") else {"visibility_timeout": 600}
)
# On a lost broker connection Celery would otherwise kill the running tasks (a sender in the
# middle of a message: the one window for a duplicate). Tasks are safe to run twice (sender
# slots, row locks), so a redelivered message while one still runs does no harm.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
# django_celery_beat's DatabaseScheduler that also records when beat last ran (readiness).
CELERY_BEAT_SCHEDULER = "network_portal.beat:HeartbeatScheduler"
CELERY_BEAT_SCHEDULE = {
    # Sends what is due and was not sent: a lost task, a dead worker, a retry whose time came.
    "mail-sweep": {"task": "network_portal.sweep_mail", "schedule": MAIL_SWEEP_SECONDS},
    "meeting-reminders": {"task": "meetings.send_reminders", "schedule": 5 * 60.0},
    "meeting-feedback-requests": {"task": "meetings.send_feedback_requests", "schedule": 3600.0},
    # Starts scheduled issues when their time has come and marks finished ones sent.
    "newsletter-dispatch": {"task": "newsletter.dispatch", "schedule": 60.0},
    "newsletter-sync-member-lists": {"task": "newsletter.sync_member_lists", "schedule": 3600.0},
    # Reads the bounce mailbox (BOUNCE_MAILBOX_URL; does nothing while it is empty).
    "newsletter-bounce-mailbox": {"task": "newsletter.read_bounce_mailbox", "schedule": 300.0},
    # Reminds seal holders six and two months before their seal expires.
    "seal-expiry-reminders": {"task": "seal.send_expiry_reminders", "schedule": 24 * 3600.0},
    # Reminds jurors with open scores seven and two days before the scoring deadline (hourly:
    # the first run of the day writes the mails, the keys keep later runs from repeating them).
    "seal-jury-reminders": {"task": "seal.send_jury_reminders", "schedule": 3600.0},
    # A worker runs it: the readiness check reads when a worker last answered.
    "heartbeat": {"task": "network_portal.heartbeat", "schedule": HEARTBEAT_SECONDS},
}

# The coordination office: named with address, mail and phone in the footer of every page and
# every mail, and wherever a text asks people to get in touch. The defaults are the demo's
# fictional office (an example.org address, a made-up Trier number): set all of them in
# production (`check --deploy` flags the example.org address, network_portal.W005).
OFFICE_NAME = env.str(
    "OFFICE_NAME", default="Wirtschaftsförderung Trier – Koordination Attraktive Unternehmen Trier"
)
OFFICE_STREET = env.str("OFFICE_STREET", default="Beispielstraße 12")
OFFICE_POSTCODE = env.str("OFFICE_POSTCODE", default="54290")
OFFICE_CITY = env.str("OFFICE_CITY", default="Trier")
OFFICE_EMAIL = env.str("OFFICE_EMAIL", default="netzwerk@example.org")
OFFICE_PHONE = env.str("OFFICE_PHONE", default="0651 99887-0")  # fictional

# Links in mails and invitations.
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=14)
# Meetings: remind companies that have not answered this many days before the RSVP deadline.
MEETING_DEADLINE_REMINDER_DAYS = env.int("MEETING_DEADLINE_REMINDER_DAYS", default=3)
MATERIAL_MAX_BYTES = env.int("MATERIAL_MAX_BYTES", default=20 * 1024 * 1024)

# Newsletter (Verteiler).
# Empty (as docker-compose passes it when unset): DEFAULT_FROM_EMAIL.
NEWSLETTER_FROM_EMAIL = env.str("NEWSLETTER_FROM_EMAIL", default="") or DEFAULT_FROM_EMAIL
NEWSLETTER_UNSUBSCRIBE_MAILTO = env.str(
    "NEWSLETTER_UNSUBSCRIBE_MAILTO", default="abmelden@localhost"
)
# Messages per second one issue goes out at, over all its senders (0: as fast as the SMTP
# server and MAIL_RATE_PER_SECOND allow).
NEWSLETTER_RATE_PER_SECOND = env.float("NEWSLETTER_RATE_PER_SECOND", default=10.0)
# Senders working through one issue at the same time, each over its own SMTP connection.
NEWSLETTER_PARALLEL_SENDERS = env.int("NEWSLETTER_PARALLEL_SENDERS", default=2)
NEWSLETTER_MAX_ATTEMPTS = env.int("NEWSLETTER_MAX_ATTEMPTS", default=5)
NEWSLETTER_CONFIRM_DAYS = env.int("NEWSLETTER_CONFIRM_DAYS", default=7)
# Shared secret of the bounce webhook (Authorization: Bearer …); empty switches it off.
NEWSLETTER_BOUNCE_TOKEN = env.str("NEWSLETTER_BOUNCE_TOKEN", default="")
# The mailbox the mail systems' delivery status reports (bounces) arrive in, read by beat:
# imaps://user:password@host[:port]/INBOX, pop3s://user:password@host[:port] (imap:// and
# pop3:// without TLS only inside a trusted network; ?move_to=Folder keeps processed reports in
# that IMAP folder instead of deleting them). Empty: off. See newsletter/bounce_mailbox.py.
BOUNCE_MAILBOX_URL = env.str("BOUNCE_MAILBOX_URL", default="")
BOUNCE_MAILBOX_TIMEOUT = env.float("BOUNCE_MAILBOX_TIMEOUT", default=30.0)
# Reports read per run at most (beat reads every five minutes); the rest the next time.
BOUNCE_MAILBOX_BATCH = env.int("BOUNCE_MAILBOX_BATCH", default=200)
# The mail provider whose tracking webhook reports bounces and complaints, through
# django-anymail (newsletter/provider_bounces.py): one of newsletter.provider_bounces.PROVIDERS
# such as "mailgun", "postmark", "brevo", "sendgrid"; empty: off. Its URL is
# /newsletter/bounces/provider/, protected by HTTP basic auth with ANYMAIL_WEBHOOK_SECRET
# ("user:password", required) and, where the provider signs its calls, the provider's key.
BOUNCE_WEBHOOK_PROVIDER = env.str("BOUNCE_WEBHOOK_PROVIDER", default="")
ANYMAIL = {
    name: value
    for name, value in {
        "WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default=""),
        "MAILGUN_WEBHOOK_SIGNING_KEY": env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default=""),
        "MAILERSEND_WEBHOOK_SIGNING_SECRET": env.str(
            "MAILERSEND_WEBHOOK_SIGNING_SECRET", default=""
        ),
        "POSTAL_WEBHOOK_KEY": env.str("POSTAL_WEBHOOK_KEY", default=""),
        "SENDGRID_TRACKING_WEBHOOK_VERIFICATION_KEY": env.str(
            "SENDGRID_TRACKING_WEBHOOK_VERIFICATION_KEY", default=""
        ),
    }.items()
    # An empty key would be taken as the key: leave it out, so anymail asks for it.
    if value
}
ATTACHMENT_MAX_BYTES = env.int("NEWSLETTER_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)

# Seal "Mein Top Job Trier".
SEAL_EVIDENCE_MAX_BYTES = env.int("SEAL_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
SEAL_EVIDENCE_MAX_FILES = env.int("SEAL_EVIDENCE_MAX_FILES", default=5)  # per criterion
# Jurors apart by this share of a criterion's scale (0.5: 2 of 4 points) are flagged.
SEAL_SPREAD_SHARE_FOR_DISCUSSION = env.float("SEAL_SPREAD_SHARE_FOR_DISCUSSION", default=0.5)

# Engagement: an active company that has come to no meeting for this many months (or that has
# no contact person we can reach) is shown as quiet, for the coordinators to call.
ENGAGEMENT_QUIET_MONTHS = env.int("ENGAGEMENT_QUIET_MONTHS", default=12)

# PDFs: WeasyPrint's process is killed after this many seconds. Below gunicorn's worker timeout
# (30 s), so the user gets our "try again later" page rather than a dropped connection.
PDF_RENDER_TIMEOUT_SECONDS = env.float("PDF_RENDER_TIMEOUT_SECONDS", default=20.0)

# Uploads: no file beyond UPLOAD_MAX_BYTES is written anywhere, not even to a temporary file
# (the per-purpose limits above are checked after); at most UPLOAD_MAX_FILES files per request.
UPLOAD_MAX_BYTES = env.int(
    "UPLOAD_MAX_BYTES",
    default=max(LOGO_MAX_BYTES, MATERIAL_MAX_BYTES, ATTACHMENT_MAX_BYTES, SEAL_EVIDENCE_MAX_BYTES),
)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("UPLOAD_MAX_FILES", default=30)
# One handler: small requests in memory, larger ones in temporary files, cut off at
# UPLOAD_MAX_BYTES; every temporary file is deleted when its response is closed.
FILE_UPLOAD_HANDLERS = ["network_portal.uploads.BoundedUploadHandler"]
# Where those temporary files go (empty: the system's temporary folder, e.g. TMPDIR).
FILE_UPLOAD_TEMP_DIR = env.str("UPLOAD_TEMP_DIR", default="") or None

# Security. Behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=1.
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it; forms carry the token
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The portal's 403 page with a German reason instead of Django's English one.
CSRF_FAILURE_VIEW = "network_portal.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: everything from our own origin, no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    },
}

# Websites that may show the list of seal holders in a frame (/seal/holders/embed/), as CSP
# frame-ancestors sources, e.g. "https://www.trier.de"; the default allows any HTTPS site (the
# list is public and the page has no forms or scripts).
SEAL_EMBED_FRAME_ANCESTORS = env.list("SEAL_EMBED_FRAME_ANCESTORS", default=["https:"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every step of every PDF at INFO, flufl.bounce every detector it tries.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "flufl.bounce")},
}
