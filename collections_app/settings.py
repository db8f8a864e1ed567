"""Settings, read from the environment (see README "Configuration").

The contract's variables: DATABASE_URL, REDIS_URL (cache), CELERY_BROKER_URL, EMAIL_URL,
SECRET_KEY, DEBUG, ALLOWED_HOSTS. Production (DEBUG off) refuses to start without a real secret.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
DEV_SECRET = "insecure-development-secret-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET)
if not DEBUG and (SECRET_KEY == DEV_SECRET or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 32 characters when DEBUG is off."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "template_partials",
    "django_tables2",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "accounts",
    "collections_app",
    "compliance",
    "communications",
    "analytics",
    "desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "collections_app.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
]

# pghistory's context (user and URL on every tracked change) is left out on these URL names: they
# write no tracked model, and the context costs every statement they run two set_config calls.
HISTORY_UNTRACKED_URLS = ["compliance-check"]
# Nor on reads: a GET changes no tracked model, and a desk page's reads are not all plain selects
# (the gate's set-based eligibility creates and analyses a temporary table): pghistory's default
# also wraps GET.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

ROOT_URLCONF = "collections_app.urls"
WSGI_APPLICATION = "collections_app.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://root@127.0.0.1:5432/collections"),
}
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})
if env.str("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"]["NAME"] = env.str("TEST_DATABASE_NAME")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="collections"),
    }
}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
CELERY_BEAT_SCHEDULE["money-nightly-evaluate"] = {
    # 10:00 UTC: the previous day has ended in every US zone (Hawaii included).
    "task": "collections_app.money_nightly_evaluate",
    "schedule": crontab(hour=10, minute=0),
}
# Work is routed by kind: outbound sends, portfolio imports, analytics; the rest on "celery".
CELERY_TASK_ROUTES = {
    "communications.tasks.*": {"queue": "sends"},
    "collections_app.imports.tasks.*": {"queue": "imports"},
    "analytics.tasks.*": {"queue": "analytics"},
}
CELERY_TASK_QUEUE_NAMES = ("celery", "sends", "imports", "analytics")
CELERY_WORKER_LOG_FORMAT = "time=%(asctime)s level=%(levelname)s process=%(processName)s %(message)s"
CELERY_WORKER_TASK_LOG_FORMAT = ("time=%(asctime)s level=%(levelname)s process=%(processName)s "
                                 "task=%(task_name)s task_id=%(task_id)s %(message)s")
# The batch eligibility facts of accounts changed or loaded since (triggers delete the stale ones).
CELERY_BEAT_SCHEDULE["compliance-eligibility-facts"] = {
    "task": "compliance.tasks.eligibility_facts_refresh",
    "schedule": 300.0,
    "options": {"expires": 290},
}
CELERY_BEAT_SCHEDULE["communications-sweep"] = {
    "task": "communications.tasks.sweep",
    "schedule": 60.0,
    "options": {"expires": 55},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Collections <noreply@collections.example>")

# Outbound communications: who we are in every message, and the SMS transport.
AGENCY_NAME = env.str("AGENCY_NAME", default="Northwind Recovery Services")
AGENCY_ADDRESS = env.str("AGENCY_ADDRESS", default="PO Box 1000, Springfield, IL 62701")
AGENCY_PHONE = env.str("AGENCY_PHONE", default="1-800-555-0199")
AGENCY_EMAIL = env.str("AGENCY_EMAIL", default="disputes@collections.example")
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# Where messages send debtors to pay or set up a plan (the debtor portal; a deployment may point at its own).
PORTAL_URL = env.str("PORTAL_URL", default=f"{PUBLIC_BASE_URL}/portal/")
SMS_BACKEND = env.str("SMS_BACKEND", default="communications.channels.sms.FileSmsBackend")
SMS_FILE_PATH = env.path("SMS_FILE_PATH", default=BASE_DIR / ".var" / "sms.log")
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
INBOUND_EMAIL_SECRET = env.str("INBOUND_EMAIL_SECRET", default="")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".var" / "media")
MEDIA_URL = "media/"

# Sensitive fields (DOB, SSN) are encrypted with keys derived from these.
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default=SECRET_KEY)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "COERCE_DECIMAL_TO_STRING": True,
    "EXCEPTION_HANDLER": "collections_app.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Collections platform API",
    "DESCRIPTION": "External contract v1: clients, debtors, accounts, case events, compliance, "
    "messages, payments and imports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Structured (logfmt) lines; messages carry ids and counts only, never names, numbers or addresses.
    "formatters": {"logfmt": {"format": "time=%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "logfmt"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)

# Portfolio imports: the worker task lives outside collections_app/tasks.py; big uploads run on their own queue.
CELERY_IMPORTS = ["collections_app.imports.tasks"]
CELERY_TASK_ROUTES = {  # added to any routes defined above
    **globals().get("CELERY_TASK_ROUTES", {}),
    "collections_app.imports.tasks.import_job_run": {"queue": "imports"},
}
# Uploads up to this size are imported during the request; larger ones by the worker.
IMPORT_INLINE_MAX_BYTES = env.int("IMPORT_INLINE_MAX_BYTES", default=2_000_000)
# How rows an import creates are written: "" = the fastest this database role allows ("replica" for a
# superuser, else "untracked"); "audited" keeps every trigger (bench/README.md, "Audit").
IMPORT_INSERT_MODE = env.str("IMPORT_INSERT_MODE", default="")
