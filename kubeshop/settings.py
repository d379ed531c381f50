"""KubeShop settings: read once from the environment (django-environ), failing loudly."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from kubeshop import keys, logs
from kubeshop.registry import (
    DOMAIN_APPS,
    DOMAIN_SERVICES,
    SERVICES,
    account_apps,
    admin_prefix,
    peer_url_variables,
)

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# --- which service this process is -------------------------------------------------------------
KUBESHOP_SERVICE = env.str("KUBESHOP_SERVICE", default="all")
if KUBESHOP_SERVICE not in SERVICES:
    raise ImproperlyConfigured(
        f"KUBESHOP_SERVICE={KUBESHOP_SERVICE!r} is not a service; expected one of {', '.join(SERVICES)}"
    )

# Base URLs of the peers, by the variable names of the original design (CATALOG_SERVICE_URL, …).
SERVICE_URLS = {name: env.str(s.url_env, default="").rstrip("/") for name, s in DOMAIN_SERVICES.items()}
for variable in peer_url_variables(KUBESHOP_SERVICE):
    if not env.str(variable, default=""):
        raise ImproperlyConfigured(
            f"{variable} is not set: KUBESHOP_SERVICE={KUBESHOP_SERVICE} needs it to reach a peer service"
        )
# The credential split services present to each other. One process calls nobody over HTTP, so there
# it opens nothing (kubeshop.authentication.ServiceAuthentication) and need not be set.
KUBESHOP_SERVICE_TOKEN = env.str("KUBESHOP_SERVICE_TOKEN", default="")
# Values published in this repository: the manifests' placeholders (REPLACE-ME-…) and development keys.
PUBLISHED_CREDENTIAL_MARKERS = ("replace-me", "django-insecure")
if KUBESHOP_SERVICE != "all" and len(KUBESHOP_SERVICE_TOKEN) < 32:
    raise ImproperlyConfigured(
        "KUBESHOP_SERVICE_TOKEN is not set or shorter than 32 characters: "
        "split services need a strong shared credential"
    )
if KUBESHOP_SERVICE != "all" and any(m in KUBESHOP_SERVICE_TOKEN.lower() for m in PUBLISHED_CREDENTIAL_MARKERS):
    raise ImproperlyConfigured(
        "KUBESHOP_SERVICE_TOKEN is still a placeholder: generate a real one "
        "(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
    )
# Connect and read timeouts (seconds) of every call to a peer service.
SERVICE_TIMEOUT = (env.float("KUBESHOP_CONNECT_TIMEOUT", default=2.0), env.float("KUBESHOP_READ_TIMEOUT", default=5.0))
# One overall deadline (seconds) per request: every call to a peer within it is capped by the time left.
KUBESHOP_REQUEST_DEADLINE = env.float("KUBESHOP_REQUEST_DEADLINE", default=8.0)

# --- security ------------------------------------------------------------------------------------
DEV_SECRET_KEY = "django-insecure-kubeshop-development-key-never-use-in-production"
# Production by default: a process started without DJANGO_DEBUG must not run on the published
# development key. `make run` and the test suite (pyproject.toml, pytest-env) turn development mode on.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a real secret when DJANGO_DEBUG is off")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])  # e.g. https://shop.example.com
CSRF_FAILURE_VIEW = "frontend.pages.errors.csrf_failure"  # a page a customer understands, not a bare 403
LOGIN_URL = "/signin"
# A split service other than the frontend has only its admin at /admin/<service>/ (kubeshop.registry):
# its session and CSRF cookies are named for it and kept to that path, so that on one host they
# neither collide with the storefront's nor with another service's admin.
if not SERVICES[KUBESHOP_SERVICE].owns_accounts:
    SESSION_COOKIE_NAME = f"sessionid_{KUBESHOP_SERVICE}"
    CSRF_COOKIE_NAME = f"csrftoken_{KUBESHOP_SERVICE}"
    SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = f"/{admin_prefix(KUBESHOP_SERVICE)}"

# TLS ends at the ingress; DJANGO_HTTPS turns on everything that assumes the browser speaks HTTPS.
HTTPS = env.bool("DJANGO_HTTPS", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# W001 wants Django's SecurityMiddleware by name; ours subclasses it, and kubeshop.W001 checks for it.
SILENCED_SYSTEM_CHECKS = ["security.W001"]

# --- applications --------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    *account_apps(KUBESHOP_SERVICE),
    "kubeshop",
    *DOMAIN_APPS,
]
MIDDLEWARE = [
    "kubeshop.health.HealthCheckMiddleware",  # first: probes answer before host checks and redirects
    "kubeshop.access.AccessMiddleware",  # then every other request is counted and logged, whoever answers it
    "kubeshop.security.SecurityMiddleware",  # Django's, minus the HTTPS redirect for service calls
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kubeshop.request_id.RequestIdMiddleware",
    "kubeshop.deadline.DeadlineMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kubeshop.outage.DatabaseOutageMiddleware",  # a database error in a view: 503 + Retry-After, not 500
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in (admin, pages) into a 429
]
ROOT_URLCONF = "kubeshop.urls"
WSGI_APPLICATION = "kubeshop.wsgi.application"
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
            ]
        },
    }
]

# --- data ----------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Readiness must fail faster than the probe's timeout when the database is gone.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers may write at once (make split, the tests): take the write lock when a
    # transaction begins and wait for it, rather than fail with "database is locked" on upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=20, init_command="PRAGMA journal_mode=WAL;"
    )
DATABASE_ROUTERS = ["kubeshop.db_router.ServiceRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every authenticate() — the token route, the storefront's sign-in page, the admin — is counted, where
# it is made; the password is checked against the frontend's accounts, wherever those run.
AUTHENTICATION_BACKENDS = ["kubeshop.lockout.SignInLockoutBackend", "frontend.backends.AccountsBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{v}"}
    for v in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("KUBESHOP_COMPRESS_STATIC", default=True)
        # Without gzip/brotli copies: the test shops' collectstatic takes seconds instead of minutes.
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="shop@kubeshop.local")
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10.0)  # mail goes out from the outbox dispatcher, never a request

# --- orders: recovery and retention --------------------------------------------------------------
KUBESHOP_SWEEP_AFTER = env.int("KUBESHOP_SWEEP_AFTER", default=300)  # seconds a checkout may stay PENDING
KUBESHOP_RETENTION_DAYS = env.int("KUBESHOP_RETENTION_DAYS", default=7)  # idempotency keys, delivered events
KUBESHOP_OUTBOX_MAX_ATTEMPTS = env.int("KUBESHOP_OUTBOX_MAX_ATTEMPTS", default=20)  # then parked as dead

# --- cache: shared by every worker and replica (throttling, sign-in limits) -----------------------
# Redis in Kubernetes and CI (redis://host:6379/0); local memory, per process, for `make run`.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if "key_prefix" in CACHES["default"]:  # ?key_prefix=… in the URL; django-environ leaves it lower-case
    CACHES["default"]["KEY_PREFIX"] = CACHES["default"].pop("key_prefix")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "kubeshop.redis_cache.RedisCache"  # one Redis client per pool, not per call

# --- identity tokens (kubeshop.identity) ---------------------------------------------------------
# Short-lived access tokens that every service verifies with the public key alone; refresh tokens
# that only the service owning the accounts honours, checked against its users and its blacklist.
ACCESS_TOKEN_LIFETIME = env.int("KUBESHOP_ACCESS_TOKEN_LIFETIME", default=300)
REFRESH_TOKEN_LIFETIME = env.int("KUBESHOP_REFRESH_TOKEN_LIFETIME", default=60 * 60 * 24 * 7)
KUBESHOP_JWT_PRIVATE_KEY = env.str("KUBESHOP_JWT_PRIVATE_KEY", default="", multiline=True).strip()
KUBESHOP_JWT_PUBLIC_KEY = env.str("KUBESHOP_JWT_PUBLIC_KEY", default="", multiline=True).strip()
_SIGNS_TOKENS = SERVICES[KUBESHOP_SERVICE].owns_accounts
if DEBUG and not KUBESHOP_JWT_PRIVATE_KEY and not KUBESHOP_JWT_PUBLIC_KEY:
    KUBESHOP_JWT_PUBLIC_KEY = keys.DEV_PUBLIC_KEY
    KUBESHOP_JWT_PRIVATE_KEY = keys.DEV_PRIVATE_KEY if _SIGNS_TOKENS else ""
if KUBESHOP_JWT_PRIVATE_KEY and not _SIGNS_TOKENS:
    raise ImproperlyConfigured(
        f"KUBESHOP_JWT_PRIVATE_KEY is set for KUBESHOP_SERVICE={KUBESHOP_SERVICE}: only the service that "
        "holds the accounts may sign identity tokens; give this one KUBESHOP_JWT_PUBLIC_KEY alone"
    )
if _SIGNS_TOKENS and not KUBESHOP_JWT_PRIVATE_KEY:
    raise ImproperlyConfigured(
        f"KUBESHOP_JWT_PRIVATE_KEY is not set: KUBESHOP_SERVICE={KUBESHOP_SERVICE} signs identity tokens"
    )
try:
    if KUBESHOP_JWT_PRIVATE_KEY:
        _derived = keys.public_pem_of(KUBESHOP_JWT_PRIVATE_KEY)
        if KUBESHOP_JWT_PUBLIC_KEY and not keys.same_public_key(KUBESHOP_JWT_PUBLIC_KEY, _derived):
            raise ImproperlyConfigured("KUBESHOP_JWT_PUBLIC_KEY is not the public half of KUBESHOP_JWT_PRIVATE_KEY")
        KUBESHOP_JWT_PUBLIC_KEY = KUBESHOP_JWT_PUBLIC_KEY or _derived
    if not KUBESHOP_JWT_PUBLIC_KEY:
        raise ImproperlyConfigured(
            "KUBESHOP_JWT_PUBLIC_KEY is not set: every service verifies identity tokens with it (PEM text)"
        )
    keys.public_key(KUBESHOP_JWT_PUBLIC_KEY)
except keys.BadKey as exc:
    raise ImproperlyConfigured(f"KUBESHOP_JWT_PRIVATE_KEY/KUBESHOP_JWT_PUBLIC_KEY: {exc}") from None
if not DEBUG and keys.same_public_key(KUBESHOP_JWT_PUBLIC_KEY, keys.DEV_PUBLIC_KEY):
    raise ImproperlyConfigured(
        "KUBESHOP_JWT_PUBLIC_KEY is the published development key pair: set a real one when DJANGO_DEBUG is off"
    )
# simplejwt makes and checks the refresh tokens (and keeps their blacklist) with the same keys.
SIMPLE_JWT = {
    "ALGORITHM": keys.ALGORITHM,
    "SIGNING_KEY": KUBESHOP_JWT_PRIVATE_KEY,
    "VERIFYING_KEY": KUBESHOP_JWT_PUBLIC_KEY,
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=ACCESS_TOKEN_LIFETIME),
    "REFRESH_TOKEN_LIFETIME": timedelta(seconds=REFRESH_TOKEN_LIFETIME),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "USER_ID_FIELD": "username",
    "USER_ID_CLAIM": "sub",
    "UPDATE_LAST_LOGIN": False,
}

# --- sign-in limits --------------------------------------------------------------------------------
KUBESHOP_SIGN_IN_RATE = env.str("KUBESHOP_SIGN_IN_RATE", default="20/min")  # per client address
KUBESHOP_SIGN_IN_USERNAME_RATE = env.str("KUBESHOP_SIGN_IN_USERNAME_RATE", default="10/min")  # per username
# django-axes: failed authenticate() calls, counted in this service's database (where its users
# are), lock out the address and, separately, the username — whichever reaches the limit first.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("KUBESHOP_SIGN_IN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(seconds=env.int("KUBESHOP_SIGN_IN_LOCKOUT", default=15 * 60))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "kubeshop.throttling.client_address"  # the same address the throttles see
AXES_USERNAME_CALLABLE = "kubeshop.lockout.attempted_username"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins need no row each
AXES_VERBOSE = False  # no banner on every manage.py command; lockouts are still logged
AXES_HTTP_RESPONSE_CODE = 429

# --- API -----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kubeshop.authentication.BearerTokenAuthentication",  # first: its challenge makes anonymous calls 401
        "kubeshop.authentication.ServiceAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["kubeshop.permissions.DenyAll"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["kubeshop.parsers.SafeJSONParser"],
    "EXCEPTION_HANDLER": "kubeshop.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    # Proxies in front of the app (the ingress): the client address is read from X-Forwarded-For, as
    # many entries from the right as there are proxies; 0 ignores the header, which a client can forge.
    "NUM_PROXIES": env.int("KUBESHOP_NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KubeShop API",
    "DESCRIPTION": "Catalog, carts, orders, payments and notifications of KubeShop.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- logs and metrics (kubeshop.logs, kubeshop.metrics, gunicorn.conf.py) -----------------------
# json in the image and the pods: one object per line with the service, the request id and the order id.
KUBESHOP_LOG_FORMAT = env.str("KUBESHOP_LOG_FORMAT", default="plain")
if KUBESHOP_LOG_FORMAT not in logs.FORMATS:
    raise ImproperlyConfigured(f"KUBESHOP_LOG_FORMAT={KUBESHOP_LOG_FORMAT!r}; expected {' or '.join(logs.FORMATS)}")
# Where /metrics is served, away from the public port (0: nowhere). gunicorn.conf.py reads the same variables.
KUBESHOP_METRICS_PORT = env.int("KUBESHOP_METRICS_PORT", default=0)
KUBESHOP_METRICS_ADDRESS = env.str("KUBESHOP_METRICS_ADDRESS", default="0.0.0.0")  # noqa: S104 (a pod's port)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "kubeshop.logs.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "kubeshop.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": KUBESHOP_LOG_FORMAT, "filters": ["context"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per request (kubeshop.access) in JSON mode, where gunicorn's access log is off; in plain
        # text runserver's and gunicorn's own access lines already say it.
        "kubeshop.access": {"level": "INFO" if KUBESHOP_LOG_FORMAT == "json" else "WARNING"},
        # Its 4xx warnings repeat the access line; 5xx errors (with the traceback) are still logged.
        **({"django.request": {"level": "ERROR"}} if KUBESHOP_LOG_FORMAT == "json" else {}),
    },
}
