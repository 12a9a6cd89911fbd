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
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The default key is only good for development; `check --deploy` flags it (security.W009).
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="django-insecure-development-key-do-not-use-in-production"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The admin with the portal's site: login through allauth, coordinators only after 2FA.
    "network_portal.apps.PortalAdminConfig",
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
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "csp",
    "network_portal",
    "members",
    "meetings",
    "seal",
    "newsletter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "network_portal.middleware.SessionExpiryMiddleware",
    "members.middleware.SecondFactorRequiredMiddleware",
    "network_portal.middleware.NoStoreForPersonalPagesMiddleware",
]

ROOT_URLCONF = "network_portal.urls"
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
                "members.context_processors.current_company",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Worker, beat and web server share the file: wait for locks instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # a website typed without scheme becomes https://

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    # allauth first, so an inactive account is told so instead of "wrong password".
    "allauth.account.auth_backends.AuthenticationBackend",
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

# django-allauth: login by email, mandatory verification, rate limits left at allauth's defaults.
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell users when their password or address changes
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Attraktive Unternehmen Trier] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupNameForm"
# Changing the password, email or second factor asks for the password again after this long.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=300)

# Two-factor authentication (allauth.mfa): coordinators and jurors must use TOTP; anyone else
# may. Recovery codes come with it, for a lost phone.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Attraktive Unternehmen Trier")
MFA_ADAPTER = "members.adapters.MFAAdapter"
# Encrypts the TOTP secrets in the database. Its own variable, so that rotating
# DJANGO_SECRET_KEY does not lock everybody out of their authenticator app.
MFA_ENCRYPTION_KEY = env.str("MFA_ENCRYPTION_KEY", default="") or SECRET_KEY
# Development only (allauth refuses it unless DJANGO_DEBUG is on): a code that always passes.
MFA_TOTP_INSECURE_BYPASS_CODE = env.str("MFA_TOTP_INSECURE_BYPASS_CODE", default="") or None

# Sessions end after SESSION_IDLE_TIMEOUT of inactivity and, however active, after
# SESSION_MAX_AGE since the login (seconds).
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
    EMAIL_FILE_PATH = str(BASE_DIR / (EMAIL_FILE_PATH or "var/mail"))  # noqa: F821
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Netzwerk Attraktive Unternehmen Trier <netzwerk@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. The default broker is a SQLite file, so development needs no Redis.
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # Safety net: a mail whose enqueue was lost (broker down at commit time) still goes out.
    "send-pending-mail": {"task": "network_portal.send_pending_mail", "schedule": 120.0},
    "meeting-reminders": {"task": "meetings.send_reminders", "schedule": 15 * 60.0},
    "meeting-feedback-requests": {"task": "meetings.send_feedback_requests", "schedule": 3600.0},
    # Starts scheduled issues when their time has come, and resumes a send a dead worker left.
    "newsletter-dispatch": {"task": "newsletter.dispatch", "schedule": 60.0},
    "newsletter-sync-member-lists": {"task": "newsletter.sync_member_lists", "schedule": 3600.0},
}

# Links in mails and invitations.
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=14)
# Meetings: remind companies that have not answered this many days before the RSVP deadline.
MEETING_DEADLINE_REMINDER_DAYS = env.int("MEETING_DEADLINE_REMINDER_DAYS", default=3)
MATERIAL_MAX_BYTES = env.int("MATERIAL_MAX_BYTES", default=20 * 1024 * 1024)

# Newsletter (Verteiler).
NEWSLETTER_FROM_EMAIL = env.str("NEWSLETTER_FROM_EMAIL", default=DEFAULT_FROM_EMAIL)
NEWSLETTER_UNSUBSCRIBE_MAILTO = env.str(
    "NEWSLETTER_UNSUBSCRIBE_MAILTO", default="abmelden@localhost"
)
# Messages per second a send may go out at (0: as fast as the SMTP server takes them).
NEWSLETTER_RATE_PER_SECOND = env.float("NEWSLETTER_RATE_PER_SECOND", default=10.0)
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=50)
# Senders working through one issue at the same time, each over its own SMTP connection.
NEWSLETTER_PARALLEL_SENDERS = env.int("NEWSLETTER_PARALLEL_SENDERS", default=2)
NEWSLETTER_MAX_ATTEMPTS = env.int("NEWSLETTER_MAX_ATTEMPTS", default=5)
NEWSLETTER_CONFIRM_DAYS = env.int("NEWSLETTER_CONFIRM_DAYS", default=7)
# Shared secret of the bounce webhook (Authorization: Bearer …); empty switches it off.
NEWSLETTER_BOUNCE_TOKEN = env.str("NEWSLETTER_BOUNCE_TOKEN", default="")
ATTACHMENT_MAX_BYTES = env.int("NEWSLETTER_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)

# Seal "Mein Top Job Trier".
SEAL_EVIDENCE_MAX_BYTES = env.int("SEAL_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
SEAL_EVIDENCE_MAX_FILES = env.int("SEAL_EVIDENCE_MAX_FILES", default=5)  # per criterion
# Jurors apart by this share of a criterion's scale (0.5: 2 of 4 points) are flagged.
SEAL_SPREAD_SHARE_FOR_DISCUSSION = env.float("SEAL_SPREAD_SHARE_FOR_DISCUSSION", default=0.5)

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
FILE_UPLOAD_HANDLERS = [
    "network_portal.uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every step of every PDF at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
