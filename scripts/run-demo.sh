#!/usr/bin/env bash
# Start the portal on the embedded defaults (SQLite, SQLite broker, mails in var/mail/):
# web server, Celery worker and Celery beat together; Ctrl-C stops all three.
# PORT (default 8000): the web server's port; links in mails follow it unless SITE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
# The demo's coordinator and juror must give a second factor; here 000000 always passes.
export MFA_TOTP_INSECURE_BYPASS_CODE="${MFA_TOTP_INSECURE_BYPASS_CODE:-000000}"
VENV="${VENV:-.venv}"
# Exported: worker and beat render the mails, their links follow PORT (network_portal.settings).
export PORT="${PORT:-8000}"
SITE="${SITE_URL:-http://127.0.0.1:$PORT}"
SITE="${SITE%/}"
MAIL_DIR="${DJANGO_VAR_DIR:-var}/mail"
mkdir -p "$MAIL_DIR"
if [[ -z "${EMAIL_URL:-}" ]]; then
  MAILS="$SITE/dev/mails/  (one .eml file per mail in $MAIL_DIR/)"
else
  MAILS="sent through EMAIL_URL (the mailbox $SITE/dev/mails/ shows mails of filemail:// only)"
fi

"$VENV/bin/python" manage.py migrate --noinput
"$VENV/bin/python" manage.py seed_demo

trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT
"$VENV/bin/celery" -A network_portal worker --loglevel=INFO --pool=solo &
"$VENV/bin/celery" -A network_portal beat --loglevel=INFO --scheduler network_portal.beat:HeartbeatScheduler &

cat <<TXT

  Portal:  $SITE/        Admin: $SITE/admin/
  Mails:   $MAILS
  Logins:  koordination@demo.example, personal@demo.example, jury@demo.example
           password: demo-trier; coordinator and juror: second-factor code 000000
  Ctrl-C stops web server, worker and beat.

TXT
"$VENV/bin/python" manage.py runserver "127.0.0.1:$PORT"
