# Production image of the portal: gunicorn (web), Celery worker and Celery beat all run from it.
# Pinned to Debian bookworm so the apt package names below stay valid.
FROM python:3.11-slim-bookworm

# The code runs from the source tree in /app: templates/, static/, locale/ and manage.py live at
# the repository root and settings.BASE_DIR is derived from the module's location, so PYTHONPATH
# makes /app win over the copy that `pip install .` puts into site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=network_portal.settings \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/data/media

# Runtime libraries WeasyPrint loads with dlopen (Pango pulls in GLib, HarfBuzz and fontconfig),
# HarfBuzz-Subset for font subsetting, and a font so PDFs never come out without glyphs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first (own layer, rebuilt only when pyproject.toml or constraints.txt change).
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The whole source tree (see .dockerignore), then the project itself.
COPY . .
RUN pip install -c constraints.txt . \
    && rm -rf build ./*.egg-info \
    && python -c "import weasyprint; from network_portal import settings; assert str(settings.BASE_DIR) == '/app', settings.BASE_DIR"

# Unprivileged user; it owns only what it has to write: collected static files, uploads, var/.
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --create-home --home-dir /home/portal portal \
    && mkdir -p /app/staticfiles /app/var /data/media \
    && chown portal:portal /app/staticfiles /app/var /data/media
USER portal

EXPOSE 8000

# docker-compose.yml overrides the command per service (web runs migrate + collectstatic first).
CMD ["gunicorn", "network_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
