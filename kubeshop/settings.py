"""KubeShop settings: read once from the environment (django-environ), failing loudly."""
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from kubeshop.registry import DOMAIN_APPS, DOMAIN_SERVICES, SERVICES, peer_url_variables

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
KUBESHOP_SERVICE_TOKEN = env.str("KUBESHOP_SERVICE_TOKEN", default="")
if KUBESHOP_SERVICE != "all" and len(KUBESHOP_SERVICE_TOKEN) < 32:
    raise ImproperlyConfigured(
        "KUBESHOP_SERVICE_TOKEN is not set or shorter than 32 characters: "
        "split services need a strong shared credential"
    )
# Connect and read timeouts (seconds) of every call to a peer service.
SERVICE_TIMEOUT = (env.float("KUBESHOP_CONNECT_TIMEOUT", default=2.0), env.float("KUBESHOP_READ_TIMEOUT", default=5.0))

# --- security ------------------------------------------------------------------------------------
DEV_SECRET_KEY = "django-insecure-kubeshop-development-key-never-use-in-production"
# Development values by default (DESIGN.md); deployments set DJANGO_DEBUG=false and a real secret.
DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a real secret when DJANGO_DEBUG is off")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])  # e.g. https://shop.example.com
CSRF_FAILURE_VIEW = "frontend.pages.errors.csrf_failure"  # a page a customer understands, not a bare 403
LOGIN_URL = "/signin"

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
    "kubeshop",
    *DOMAIN_APPS,
]
MIDDLEWARE = [
    "kubeshop.health.HealthCheckMiddleware",  # first: probes answer before host checks and redirects
    "kubeshop.security.SecurityMiddleware",  # Django's, minus the HTTPS redirect for service calls
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kubeshop.request_id.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

# --- API -----------------------------------------------------------------------------------------
TOKEN_MAX_AGE = env.int("KUBESHOP_TOKEN_MAX_AGE", default=60 * 60 * 12)
KUBESHOP_SIGN_IN_RATE = env.str("KUBESHOP_SIGN_IN_RATE", default="20/min")  # per client address
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
    # Proxies in front of the app (the ingress): the client address is read from X-Forwarded-For.
    "NUM_PROXIES": env.int("KUBESHOP_NUM_PROXIES", default=None),
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
