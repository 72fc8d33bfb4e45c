# Stadium's image: the Django/Channels app served by uvicorn (several worker
# processes), also used by the flusher and, with --target loadtest, by Locust;
# --target proxy is the nginx in front of it.
# The React front end is built in a node stage when frontend/package.json
# exists; otherwise the app runs without it (the API and sockets still work).

# --- front end ---------------------------------------------------------------
FROM node:20-slim AS frontend
WORKDIR /src/frontend
COPY frontend/ ./
RUN if [ -f package.json ]; then npm ci --no-audit --no-fund && npm run build; fi \
    && mkdir -p dist

# --- app ---------------------------------------------------------------------
FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PROMETHEUS_MULTIPROC_DIR=/run/stadium-metrics
WORKDIR /app
# Requirements first: the dependency layer is rebuilt only when they change.
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
COPY --from=frontend /src/frontend/dist frontend/dist
# Static files are collected at build time (no database needed for it).
RUN python manage.py collectstatic --noinput \
    && useradd --uid 10001 --no-create-home stadium \
    && mkdir -p "$PROMETHEUS_MULTIPROC_DIR" && chown stadium "$PROMETHEUS_MULTIPROC_DIR"
USER stadium
EXPOSE 8000
# The same server command as scripts/run.sh and the README; --workers comes
# from WEB_CONCURRENCY (uvicorn reads it).
CMD ["python", "-m", "uvicorn", "config.asgi:application", "--host", "0.0.0.0", "--port", "8000", \
     "--loop", "uvloop", "--http", "config.http_protocol:TimedHttpToolsProtocol", "--ws", "sockets.ws_server:WSProtocol", "--ws-max-size", "65536", "--ws-per-message-deflate", "false", \
     "--no-access-log", "--proxy-headers"]

# --- proxy (nginx in front of web: docker-compose.yml's nginx service) --------
# The shipped config, deploy/nginx/stadium.conf.template, rendered at start by
# the image's envsubst step (its STADIUM_NGINX_* names only) into
# /etc/nginx/nginx.conf; the static files (the built front end among them)
# from the app stage's collectstatic. 1.28: "resolve" on upstream servers
# (nginx 1.27.3+) follows every replica of a scaled web service.
FROM nginx:1.28 AS proxy
ENV NGINX_ENVSUBST_OUTPUT_DIR=/etc/nginx \
    NGINX_ENVSUBST_FILTER=STADIUM_NGINX_ \
    STADIUM_NGINX_STATIC_DIR=/srv/stadium/static \
    STADIUM_NGINX_RUN_DIR=/var/cache/nginx
RUN rm -f /etc/nginx/conf.d/default.conf
COPY deploy/nginx/stadium.conf.template /etc/nginx/templates/nginx.conf.template
COPY --from=app /app/staticfiles /srv/stadium/static

# --- load test (Locust master and workers) ------------------------------------
FROM app AS loadtest
USER root
COPY requirements-dev.txt ./
RUN pip install -r requirements-dev.txt
USER stadium
EXPOSE 8089
