"""Settings of the ITA Portal, read from the environment (django-environ).

With nothing set, a development copy runs: DEBUG on, SQLite file in the
project folder, a throw-away secret key. Production sets DJANGO_DEBUG=false,
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL; the secure cookie,
SSL and HSTS settings follow from DEBUG being off.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from ita_portal.cache import shared_cache_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105 - development only
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Public address of the portal, used for absolute links (e.g. the ITAS link sheet).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # django.contrib.admin with the operators-only site (ita_portal/admin_site.py).
    "ita_portal.apps.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    # The task queue (django.tasks in Django 6) and its database backend: PDFs are
    # rendered by `manage.py db_worker`, never in a web request (ita_portal/pdf_store.py).
    "django_tasks",
    "django_tasks_db",
    "ita_portal.apps.ItaPortalConfig",
    "assessments",
    "measures",
    "disclosures",
    "complaints",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP, Permissions-Policy and no-store for staff pages (ita_portal/middleware.py).
    "ita_portal.middleware.ContentSecurityPolicyMiddleware",
    "ita_portal.middleware.SecurityHeadersMiddleware",
    "ita_portal.middleware.RefuseControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ita_portal.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Outside the fast path, so that a stored page gets the header too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Stored public pages and PDFs for visitors without a session, before the
    # middleware they do not need (assessments/public_cache.py).
    "assessments.public_cache.PublicFastPathMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "assessments.middleware.OneTimePasswordMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a lock-out noticed during the login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ita_portal.urls"

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
                "ita_portal.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "ita_portal.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# A new database connection per request costs more than a cached page: production
# keeps one a minute (gunicorn's sync workers each hold one), and so does SQLite
# (opening one registers Django's SQL functions on it). The development server
# opens a thread per request, so with PostgreSQL and DEBUG it does not keep them.
_SQLITE = DATABASES["default"]["ENGINE"].endswith("sqlite3")
DATABASES["default"].setdefault(
    "CONN_MAX_AGE",
    env.int("DJANGO_CONN_MAX_AGE", default=60 if _SQLITE or not DEBUG else 0),
)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: a writing transaction takes the database's write
    # lock from its first statement (IMMEDIATE) and waits up to 20 s for it, so
    # simultaneous adds queue instead of failing with "database is locked". Tests
    # use a file (one per run) rather than shared memory, where waiting is impossible.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(Path(tempfile.gettempdir()) / f"ita-portal-test-{os.getpid()}.sqlite3")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Public pages are cached whole in two tiers, this process's memory in front of
# CACHE_URL, under keys that carry the organisation's content version, so a copy is
# never stale: a change shows as soon as it is committed (assessments/public_cache.py).
# Copies are dropped after PUBLIC_PAGE_SECONDS, the bound for changes made by hand in SQL.
PUBLIC_PROCESS_CACHE_ENTRIES = env.int("PUBLIC_PROCESS_CACHE_ENTRIES", default=3000)
PUBLIC_PAGE_SECONDS = env.int("PUBLIC_PAGE_SECONDS", default=600)
# A redis:// CACHE_URL gets a backend that fails open (a dead Redis is a cache miss,
# logged, never an error page) with sockets that give up after CACHE_SOCKET_TIMEOUT
# seconds; the rate limits count in "ratelimit", which falls back to this process's
# memory while the shared cache is down (ita_portal/cache.py).
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.25)
CACHES = {
    "default": shared_cache_config(
        env.str("CACHE_URL", default="locmemcache://"), socket_timeout=CACHE_SOCKET_TIMEOUT
    ),
    "ratelimit": {"BACKEND": "ita_portal.cache.FailSafeCache", "LOCATION": "default"},
    "public-pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "public-pages",
        "OPTIONS": {"MAX_ENTRIES": max(PUBLIC_PROCESS_CACHE_ENTRIES, 1)},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "staff:login"

# Login throttling (django-axes): an account+address pair is locked for
# AXES_COOLOFF_MINUTES after AXES_FAILURE_LIMIT wrong passwords, on every form that
# calls authenticate() (staff and admin login). Operators unlock in the admin
# ("Access attempts") or with `manage.py axes_reset_username <name>`; a password
# reset unlocks too (ita_portal/accounts.py).
AUTHENTICATION_BACKENDS = [
    "ita_portal.accounts.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "ita_portal.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "ita_portal.accounts.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Log lines name the account and the address (axes masks them by default, which
# leaves an operator nothing to act on); the password is always masked.
AXES_SENSITIVE_PARAMETERS: list[str] = []

# Thai first: the interface is Thai unless the visitor picks English.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
# Ours first; then Thai for the third-party apps operators see (import-export,
# simple-history) and Django messages its own Thai lacks, kept apart because
# makemessages, which finds only our msgids, would drop them from ours.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background work: a queue in the portal's own database (no other service to run).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# How stored PDFs leave the server: "" (Django streams the file), "x-accel-redirect"
# (nginx sends it: PDF_SENDFILE_PREFIX is an `internal` location aliased to
# MEDIA_ROOT) or "x-sendfile" (Apache mod_xsendfile, lighttpd: the absolute path).
PDF_SENDFILE = env.str("PDF_SENDFILE", default="")
PDF_SENDFILE_PREFIX = env.str("PDF_SENDFILE_PREFIX", default="/protected-media/")

# Largest upload accepted (bytes); the forms check it and say so in Thai.
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_SIZE + 1024 * 1024

FORMS_URLFIELD_ASSUME_HTTPS = True


# Complaints: days the office has to acknowledge (screen) a complaint, and years
# a closed case keeps the complainant's identity before purge_complainant_data blanks it.
COMPLAINT_ACKNOWLEDGE_DAYS = env.int("COMPLAINT_ACKNOWLEDGE_DAYS", default=15)
COMPLAINT_RETENTION_YEARS = env.int("COMPLAINT_RETENTION_YEARS", default=5)
# Rate limits of the public complaint pages (django-ratelimit, counted in the shared
# cache). Hundreds of citizens may share one address (a carrier's NAT), so the limit
# per browser (a signed cookie, ita_portal/ratelimits.py) is the tight one and the
# limit per client address the loose one. Failed look-ups of a code and PIN are also
# counted per tracking code, whatever the browser or address: guessing a PIN stays hard.
COMPLAINT_FILE_RATE = env.str("COMPLAINT_FILE_RATE", default="5/h")
COMPLAINT_FILE_ADDRESS_RATE = env.str("COMPLAINT_FILE_ADDRESS_RATE", default="100/h")
COMPLAINT_TRACK_RATE = env.str("COMPLAINT_TRACK_RATE", default="10/h")
COMPLAINT_TRACK_ADDRESS_RATE = env.str("COMPLAINT_TRACK_ADDRESS_RATE", default="100/h")
COMPLAINT_TRACK_CODE_RATE = env.str("COMPLAINT_TRACK_CODE_RATE", default="20/d")
# Rate limits of the public survey form (assessments/surveys/public_views.py), per
# client address: many respondents share one address (an office's Wi-Fi, a mobile
# carrier's NAT), so the limits are generous and only slow down a script; a
# browser that answered an open round is stopped by a signed cookie instead.
# Failed one-time codes are counted apart, so guessing codes does not pay.
SURVEY_SUBMIT_RATE = env.str("SURVEY_SUBMIT_RATE", default="60/h")
SURVEY_SUBMIT_DAY_RATE = env.str("SURVEY_SUBMIT_DAY_RATE", default="300/d")
SURVEY_CODE_RATE = env.str("SURVEY_CODE_RATE", default="20/h")
# The header the reverse proxy sets to the client's address (e.g. HTTP_X_REAL_IP with
# nginx `proxy_set_header X-Real-IP $remote_addr;`); empty: REMOTE_ADDR. Never the raw
# X-Forwarded-For, which clients can forge.
CLIENT_IP_HEADER = env.str("DJANGO_CLIENT_IP_HEADER", default="")
# Rate limits read the address through ita_portal.client_ip (validated, never raises).
RATELIMIT_IP_META_KEY = "ita_portal.client_ip.client_ip"
RATELIMIT_USE_CACHE = "ratelimit"
# Quotas of what the public may store through the complaint channel, per complaint
# (the filing and all replies together), and the complainant's replies per complaint
# (counted in the database) and per client address (django-ratelimit).
COMPLAINT_MAX_FILES = env.int("COMPLAINT_MAX_FILES", default=20)
COMPLAINT_MAX_BYTES = env.int("COMPLAINT_MAX_BYTES", default=50 * 1024 * 1024)
COMPLAINT_REPLY_RATE = env.str("COMPLAINT_REPLY_RATE", default="10/h")
COMPLAINT_REPLY_ADDRESS_RATE = env.str("COMPLAINT_REPLY_ADDRESS_RATE", default="30/h")

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
# Seconds before a silent mail server is given up on (a complaint's request waits
# for it; the failure is logged and the case is in the queue regardless).
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="ita-portal@localhost")

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Imports refuse hostile files before they cost time or memory (ita_portal/spreadsheets.py).
IMPORT_MAX_FILE_SIZE = env.int("IMPORT_MAX_FILE_SIZE", default=5 * 1024 * 1024)
IMPORT_MAX_UNPACKED_SIZE = env.int("IMPORT_MAX_UNPACKED_SIZE", default=20 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=100)
IMPORT_MAX_XLSX_MEMBERS = env.int("IMPORT_MAX_XLSX_MEMBERS", default=200)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
IMPORT_MAX_SECONDS = env.int("IMPORT_MAX_SECONDS", default=10)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The portal runs no JavaScript but the survey form's static/js/survey.js, and keeps
# its styles in static/css: no inline script or style is allowed. /admin/ alone may
# run its inline scripts and styles (ita_portal.middleware.ADMIN_POLICY_RELAXATION).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
    # The reverse proxy terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # Errors 500 by e-mail to ADMINS (none set: nothing is sent). Plain text only,
        # and ita_portal.reporting.NoPostDataFilter keeps form data out of it.
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false"],
            "include_html": False,
        },
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Replaces Django's default handlers of "django" (its own mail_admins among them).
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        # Font subsetting logs every table at INFO.
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        # Failures and lock-outs are warnings; resets and start-up lines are not worth a line each.
        "axes": {"level": "WARNING"},
    },
}

# Error reports: "Name <address>, Other <address>" in DJANGO_ADMINS.
ADMINS = [
    (name, address)
    for name, address in getaddresses([env.str("DJANGO_ADMINS", default="")])
    if address
]
SERVER_EMAIL = env.str("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Reports never show what a visitor typed (complainants' identities, passwords).
DEFAULT_EXCEPTION_REPORTER_FILTER = "ita_portal.reporting.NoPostDataFilter"

SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from ita_portal.reporting import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
