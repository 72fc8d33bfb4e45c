"""Stadium settings: 12-factor through django-environ (every variable in .env.example, tuning in docs/operations.md).

Defaults run on one machine with nothing set (loopback Redis and PostgreSQL,
DEBUG off, a development secret). Production sets at least SECRET_KEY,
ALLOWED_HOSTS and STADIUM_PRODUCTION=1, which turns on the HTTPS settings that
``manage.py check --deploy`` asks for. Every variable is listed in
``.env.example``.
"""

import contextlib
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured

# quiz/admin.py subclasses ModelAdmin[Quiz] and the like for mypy; Django's own
# classes only accept the [...] at run time once this has been called.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET)
DEBUG = env.bool("DEBUG", default=False)
PRODUCTION = env.bool("STADIUM_PRODUCTION", default=False)
if PRODUCTION and SECRET_KEY in ("", DEV_SECRET):
    # The development key is public (it is in the repository): sessions and
    # CSRF tokens signed with it can be forged by anyone.
    raise ImproperlyConfigured(
        "STADIUM_PRODUCTION=1 needs a SECRET_KEY of its own: set SECRET_KEY to 50+ random "
        'characters (python -c "import secrets; print(secrets.token_urlsafe(64))")'
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
# Extra origins allowed to open WebSockets and post to the API (a front end
# served from another host, for example). Hosts in ALLOWED_HOSTS are allowed.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# JSON 403 {"error": "forbidden"} for the API, Django's page elsewhere
CSRF_FAILURE_VIEW = "quiz.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    # ninja's own Swagger UI files (static/ninja/): /api/docs works offline,
    # with no CDN (ninja renders its CDN page when it is not an app here)
    "ninja",
    "quiz",
    "sockets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/stadium"),
}
# Under ASGI every sync view runs in a thread of its own request, so Django's
# per-thread persistent connections (CONN_MAX_AGE > 0) are left behind by
# threads that never run again. Each request instead borrows a connection
# from one psycopg pool per process and gives it back when it ends; the
# pool's size bounds what one process can hold, and a request that waits
# longer than the timeout for one gets a 503 "unavailable".
# STADIUM_DB_POOL_MAX=0 turns the pool off (a new connection per request).
DB_POOL_MAX = env.int("STADIUM_DB_POOL_MAX", default=8)
DATABASES["default"]["CONN_MAX_AGE"] = 0
# a pooled connection is checked before it is lent: after a PostgreSQL
# restart the pool drops the dead ones instead of failing one request each
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DB_POOL_MAX > 0:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(env.int("STADIUM_DB_POOL_MIN", default=1), DB_POOL_MAX),
        "max_size": DB_POOL_MAX,
        "timeout": env.float("STADIUM_DB_POOL_TIMEOUT_S", default=5.0),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# redis+cluster://host:port names a Redis Cluster (see quiz/redis.py).
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# No Channels layer in play: players, hosts and screens get their frames from
# each process's relay (sockets/relay.py), never through channels-redis.
CHANNEL_LAYERS: dict[str, object] = {}

# Benchmark hooks (make bench-fanout): an extra WebSocket route and the two
# channels-redis layers it compares the relay with. Off in normal runs.
STADIUM_BENCH = env.bool("STADIUM_BENCH", default=False)
if STADIUM_BENCH:
    CHANNEL_LAYERS["bench_core"] = {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "capacity": 100_000, "expiry": 30},
    }
    CHANNEL_LAYERS["bench_pubsub"] = {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL]},
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# whitenoise warns on every request while collectstatic has never run
with contextlib.suppress(OSError):  # a read-only image has it from collectstatic
    STATIC_ROOT.mkdir(exist_ok=True)
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [FRONTEND_DIST] if FRONTEND_DIST.exists() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- Stadium tunables -------------------------------------------------------
STADIUM = {
    # leaderboard tick of the per-process relay, in milliseconds
    "TICK_MS": env.int("STADIUM_TICK_MS", default=250),
    # players' phones get the leaderboard at most this often (screens and
    # hosts every tick); the close of a question sends it to everyone at once
    "PLAYER_TICK_MS": env.int("STADIUM_PLAYER_TICK_MS", default=1000),
    # when every player has answered, the question closes this much later
    "ALL_ANSWERED_GRACE_MS": env.int("STADIUM_ALL_ANSWERED_GRACE_MS", default=1500),
    # entries in the leaderboard frame
    "TOP_N": env.int("STADIUM_TOP_N", default=10),
    # events stream MAXLEN (approximate trimming)
    "EVENTS_MAXLEN": env.int("STADIUM_EVENTS_MAXLEN", default=20_000),
    # reactions (emoji taps) a player may send per second, and in a burst;
    # past it a tap is refused with rate_limited (sockets/reactions.py)
    "REACTIONS_PER_S": env.float("STADIUM_REACTIONS_PER_S", default=2.0),
    "REACTIONS_BURST": env.int("STADIUM_REACTIONS_BURST", default=10),
    # micro-batch bound of answer submissions
    "BATCH_MAX": env.int("STADIUM_BATCH_MAX", default=512),
    # answers acknowledged only once this many replicas have them (Redis
    # WAIT after each batch; engine/replication.py), waiting at most the
    # timeout; 0: acknowledged once the primary has them
    "REDIS_WAIT_REPLICAS": env.int("STADIUM_REDIS_WAIT_REPLICAS", default=0),
    "REDIS_WAIT_TIMEOUT_MS": env.int("STADIUM_REDIS_WAIT_TIMEOUT_MS", default=1000),
    # HTTP: seconds a client has to send a request's headers (from the
    # connection, or the request's first byte), then its body
    # (config/http_protocol.py)
    "HTTP_HEADER_TIMEOUT_S": env.float("STADIUM_HTTP_HEADER_TIMEOUT_S", default=10.0),
    "HTTP_BODY_TIMEOUT_S": env.float("STADIUM_HTTP_BODY_TIMEOUT_S", default=30.0),
    # HTTP rate limits, (failures, window in seconds) per subject; only
    # failures count (quiz/ratelimit.py); a limit of 0 turns one off
    "RATE_LIMITS": {
        "login_user": (
            env.int("STADIUM_LOGIN_FAILURES_PER_USER", default=5),
            env.int("STADIUM_LOGIN_WINDOW_S", default=900),
        ),
        "login_addr": (
            env.int("STADIUM_LOGIN_FAILURES_PER_ADDR", default=20),
            env.int("STADIUM_LOGIN_WINDOW_S", default=900),
        ),
        "pin_probe": (
            env.int("STADIUM_PIN_PROBES_PER_ADDR", default=10),
            env.int("STADIUM_PIN_PROBE_WINDOW_S", default=60),
        ),
    },
    # WebSocket limits
    "HELLO_TIMEOUT_S": env.float("STADIUM_HELLO_TIMEOUT_S", default=5.0),
    "MAX_FRAME_BYTES": env.int("STADIUM_MAX_FRAME_BYTES", default=4096),
    "RATE_PER_S": env.float("STADIUM_RATE_PER_S", default=20.0),
    "RATE_BURST": env.int("STADIUM_RATE_BURST", default=40),
    "SEND_QUEUE_MAX": env.int("STADIUM_SEND_QUEUE_MAX", default=8),
    # games
    "DEFAULT_MAX_PLAYERS": env.int("STADIUM_DEFAULT_MAX_PLAYERS", default=100_000),
    # flusher
    "FLUSH_INTERVAL_S": env.float("STADIUM_FLUSH_INTERVAL_S", default=2.0),
    "FLUSH_BATCH": env.int("STADIUM_FLUSH_BATCH", default=5_000),
    # finished games' Redis keys expire this long after they are saved
    "FINISHED_TTL_S": env.int("STADIUM_FINISHED_TTL_S", default=3600),
    # webhooks (quiz/webhooks): 1 lets hosts give URLs that resolve to
    # loopback/private/link-local/reserved addresses (an operator's choice:
    # off, a host could make the server call its own network)
    "WEBHOOKS_ALLOW_PRIVATE": env.bool("STADIUM_WEBHOOKS_ALLOW_PRIVATE", default=False),
    # seconds per POST, and how long an event is retried before it is given up
    "WEBHOOK_TIMEOUT_S": env.float("STADIUM_WEBHOOK_TIMEOUT_S", default=5.0),
    "WEBHOOK_RETRY_WINDOW_S": env.float("STADIUM_WEBHOOK_RETRY_WINDOW_S", default=3600.0),
    # port where a process outside the web server (the flusher) serves its
    # Prometheus metrics; 0: off (quiz.metrics.serve_exporter)
    "METRICS_PORT": env.int("STADIUM_METRICS_PORT", default=0),
    # sockets one token may hold in one server process; past it the oldest
    # closes with 4409 (a phone that reconnects always gets in)
    "MAX_SOCKETS_PER_TOKEN": env.int("STADIUM_MAX_SOCKETS_PER_TOKEN", default=3),
    "MAX_HOST_SOCKETS_PER_TOKEN": env.int("STADIUM_MAX_HOST_SOCKETS_PER_TOKEN", default=5),
    "MAX_SCREEN_SOCKETS_PER_TOKEN": env.int("STADIUM_MAX_SCREEN_SOCKETS_PER_TOKEN", default=50),
    # a resync rebuilds the whole welcome from Redis: at most one per socket this often
    "RESYNC_INTERVAL_S": env.float("STADIUM_RESYNC_INTERVAL_S", default=1.0),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # LOG_FORMAT=json writes one JSON object per line (quiz/logfmt.py).
    "formatters": {
        "plain": {
            "()": "quiz.logfmt.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "quiz.logfmt.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
