"""Settings for the test suite: the production settings with test-friendly switches.

The database and broker still come from DATABASE_URL / CELERY_BROKER_URL, so CI runs the
suite on PostgreSQL and Redis.
"""

import tempfile

from .settings import *  # noqa: F403
from .settings import STORAGES

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process after commit; tests marked `services` start a real worker instead.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# No overall pause between mails in tests; tests of the rate limit set it themselves.
MAIL_RATE_PER_SECOND = 0
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
