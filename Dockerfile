# The portal's image: gunicorn for the web, the same image for the Celery worker and beat.
# Python packages come from uv.lock (prod group only, every hash checked): an image built next
# month has the same versions as today's. .dockerignore keeps tests, docs and local state out.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# The virtualenv is built in its own stage, so uv and pip's caches never reach the image.
FROM python:3.11-slim-bookworm AS python-deps
# Bytecode compiled at build time (UV_COMPILE_BYTECODE here, compileall for the portal's code
# below): the processes run with PYTHONDONTWRITEBYTECODE as a user who may not write to /app, so
# without it every gunicorn worker, Celery worker and manage.py command compiles 1,300 modules
# from source as it starts (2.2 s of CPU each on a 2-core server).
ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy UV_NO_CACHE=1 \
    UV_COMPILE_BYTECODE=1
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY tools/bootstrap_uv.py tools/
# uv as the lock pins it (pip checks its hashes), then the prod group exactly as locked.
RUN python tools/bootstrap_uv.py && uv sync --locked --group prod

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
# WeasyPrint's libraries, the Chinese fonts for PDFs, gettext for the English catalogues.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 portal
WORKDIR /app
# The same base image as python-deps, so the venv's interpreter link (/usr/local/bin) holds.
COPY --from=python-deps /opt/venv /opt/venv
COPY --from=assets /app/node_modules ./node_modules
COPY . .
# collectstatic and compilemessages need settings: build-time values, never used at run time.
RUN DEBUG=0 SECRET_KEY=build-only-secret-key-build-only-secret-key-build-only \
    FIELD_ENCRYPTION_KEY=YnVpbGQtb25seS1rZXktYnVpbGQtb25seS1rZXkhISE= \
    DATABASE_URL=postgresql://build@localhost/build \
    sh -c "python manage.py collectstatic --noinput -v 0 && python manage.py compilemessages -v 0 --ignore=node_modules" \
 && python -m compileall -q manage.py association members stations projects content \
 && mkdir -p /app/var/private && chown -R portal:portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "association.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
