# Mikrolån production image: gunicorn serves the web app; the same image runs Celery worker and beat
# (see docker-compose.yml). Build with `docker compose build` or `docker build -t mikrolaan .`.

# --- Front-end assets from npm (Bootstrap, htmx): no CDNs at run time --------------------------
FROM node:20-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- Python dependencies, static files and compiled translations --------------------------------
FROM python:3.11-slim AS build
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH
# gettext for compilemessages; needed only here, not in the final image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
WORKDIR /app
# pyproject.toml alone installs the dependencies (`packages = []`: the code runs from /app), so
# this layer is rebuilt only when the dependencies change.
COPY pyproject.toml ./
RUN pip install .
COPY . .
COPY --from=assets /assets/node_modules/bootstrap/dist node_modules/bootstrap/dist
COPY --from=assets /assets/node_modules/htmx.org/dist node_modules/htmx.org/dist
# Production settings refuse to load without their secrets. These placeholders exist only for this
# RUN (they are not ENV, so they are not in the image); nothing here connects to a database.
# compilemessages stops if no locale folder exists at all, and git does not keep an empty one.
RUN mkdir -p locale \
    && DJANGO_ENV=production \
       SECRET_KEY=build-time-placeholder-not-used-at-run-time \
       ALLOWED_HOSTS=localhost \
       CPR_ENCRYPTION_KEYS=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
       CPR_INDEX_KEY=build-time-placeholder \
       EMAIL_URL=consolemail:// \
       DATABASE_URL=postgresql://build@localhost:5432/build \
       REDIS_URL=redis://localhost:6379/0 \
       sh -c "python manage.py collectstatic --no-input -v0 && python manage.py compilemessages -v0"

# --- Run time -----------------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_ENV=production \
    DATA_DIR=/app/data
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home mikrolaan
# WeasyPrint (the loan agreement as PDF) loads Pango and HarfBuzz from the system at import; the
# slim image has no fonts at all, and a PDF/UA file embeds the ones it uses (DejaVu covers æøå).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/venv /opt/venv
# Code and static files belong to root: the application cannot rewrite itself. Only the data
# folder (uploaded documents; a volume in docker-compose.yml) is writable by the app user.
COPY --from=build /app /app
RUN mkdir -p /app/data/dokumenter && chown -R mikrolaan:mikrolaan /app/data
WORKDIR /app
USER mikrolaan
EXPOSE 8000
CMD ["gunicorn", "mikrolaan.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
