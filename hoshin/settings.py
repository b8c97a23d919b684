"""Hoshin settings, read from the environment (see docs/operator-guide.md).

Every piece of state a single-machine install keeps (SQLite database, uploaded
files, the generated secret key) lives under HOSHIN_DATA_DIR, so that one folder
is the whole installation to back up.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from hoshin.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("HOSHIN_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("HOSHIN_DEBUG", False)
# Serving plain HTTP on a trusted loopback (the demo) must be a deliberate choice.
HTTPS = env_bool("HOSHIN_HTTPS", True)


def _owner_only(path: Path) -> int | None:
    """Create ``path`` readable by its owner only (never briefly by others); None if it exists."""
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return None


def _secret_key() -> str:
    key = env_str("HOSHIN_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    descriptor = _owner_only(path)
    if descriptor is not None:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("HOSHIN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("HOSHIN_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("HOSHIN_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "hoshin.core",
    "hoshin.context",
    "hoshin.support",
    "hoshin.improvement",
    "hoshin.planning",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hoshin.core.middleware.AccessExpiryMiddleware",
    "hoshin.core.middleware.PasswordChangeMiddleware",
    "hoshin.core.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hoshin.urls"
WSGI_APPLICATION = "hoshin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hoshin.core.context_processors.hoshin",
            ],
        },
    },
]
# Django's widget templates with their per-option and per-attribute includes inlined
# (same HTML, half the cost of a register's filter form).
FORM_RENDERER = "hoshin.core.forms_renderer.FlatWidgetsRenderer"

# --- Database -----------------------------------------------------------------
DATABASE_URL = env_str("HOSHIN_DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    # It holds password hashes and tokens: created owner-only (SQLite gives its -wal and
    # -shm files the same mode).
    if (_descriptor := _owner_only(DATA_DIR / "hoshin.sqlite3")) is not None:
        os.close(_descriptor)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "hoshin.sqlite3"),
            # A connection kept by each worker thread: opening one runs the PRAGMAs and
            # starts with a cold page cache (at 1M records a list's count took 12 ms on a new
            # connection, 4.5 ms on a kept one). A restore is made with the service stopped.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers run beside the writer; IMMEDIATE takes the write
                # lock at the start of a transaction so two writers wait their turn
                # instead of failing halfway with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -----------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hoshin.core.backends.HoshinBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures lock the username+address pair for 15 minutes.
AXES_FAILURE_LIMIT = env_int("HOSHIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The client's address behind a reverse proxy (docs/operator-guide.md): the header the
# proxy sets and how many proxies append to it. Unset, only the connection's own address
# counts (a header anyone can send is never believed).
HOSHIN_TRUSTED_PROXY_HEADER = env_str("HOSHIN_TRUSTED_PROXY_HEADER")
HOSHIN_TRUSTED_PROXY_COUNT = env_int("HOSHIN_TRUSTED_PROXY_COUNT", 1)
AXES_CLIENT_IP_CALLABLE = "hoshin.core.addresses.client_address"

# --- Security -----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("HOSHIN_SESSION_SECONDS", 8 * 3600)
SECURE_SSL_REDIRECT = HTTPS and env_bool("HOSHIN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("HOSHIN_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The hash allows the one inline style of the API documentation page.
        "style-src": ["'self'", "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# --- Files --------------------------------------------------------------------
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"  # never served directly: attachments go through a permission check
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "HOSHIN_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
HOSHIN_MAX_UPLOAD_BYTES = env_int("HOSHIN_MAX_UPLOAD_MB", 20) * 1024 * 1024
# Longer PDFs are refused at upload: their text and controlled copies take minutes.
HOSHIN_MAX_PDF_PAGES = env_int("HOSHIN_MAX_PDF_PAGES", 1000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("de", _("German")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("HOSHIN_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Email --------------------------------------------------------------------
EMAIL_BACKEND = env_str("HOSHIN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("HOSHIN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("HOSHIN_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("HOSHIN_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("HOSHIN_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("HOSHIN_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("HOSHIN_EMAIL_FROM", "hoshin@localhost")

# --- Background tasks ---------------------------------------------------------
# Mail and slow work (stamped controlled copies) run outside the request. The database
# backend needs nothing more than the database: `hoshin db_worker` works the queue
# (make run starts it beside gunicorn). Another django-tasks backend is a dotted path
# here; see the operator guide.
TASKS = {
    "default": {
        "BACKEND": env_str("HOSHIN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    },
}
HOSHIN_MAIL_ATTEMPTS = env_int("HOSHIN_MAIL_ATTEMPTS", 5)

# --- REST API -----------------------------------------------------------------
# An API token stops working this many days after it was issued (a new one is asked for).
HOSHIN_TOKEN_TTL_DAYS = env_int("HOSHIN_TOKEN_TTL_DAYS", 90)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's token, refused once expired or when the person's access has ended.
        "hoshin.core.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON with a depth and text check (no RecursionError, no lone surrogate stored).
    "DEFAULT_PARSER_CLASSES": [
        "hoshin.core.api_errors.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "hoshin.core.api_errors.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hoshin.core.api_errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "10/minute"},
    "PAGE_SIZE": 50,
}
API_DESCRIPTION = """REST API of the Hoshin quality management system.

Where the API is more lenient or stricter than this schema can say, on purpose:

- Query parameters: an empty value is no filter (as an HTML form sends it); a repeated
  single-valued parameter counts once, the last; `page_size` that is not a whole number
  from 1 to 500 gives the default page size; an unknown `ordering` is ignored; an unknown
  `lang` of the schema gives English.
- Ids (`owner`, `process`, ...) must name a record that exists and that you may see;
  another answers 400 naming the field. An empty string is null for a relation.
- Rules across fields or against today (a detection date in the future, more items
  nonconforming than checked) answer 400 naming the fields.
- An update (PUT or PATCH) carries the `version` it read: without it 400, stale 409.
- A transition must be available from the record's state (`available_transitions`) and
  to you; a signature needs your password; otherwise 400, 403 or 409.
- A figure's `period` must have ended and have no figure yet.
- A list or a record read with `fields=id,reference,...` (or `view=brief`) has only
  those properties, in the record's order; an unknown name answers 400 naming it. Writes
  take no notice of either and answer with the whole record.
"""

SPECTACULAR_SETTINGS = {
    "TITLE": "Hoshin API",
    "DESCRIPTION": API_DESCRIPTION,
    "VERSION": "1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/favicon.svg",
    # Choice sets shared by several fields get one name in the schema.
    "ENUM_NAME_OVERRIDES": {"RiskLevelEnum": "hoshin.planning.models.risk.RiskLevel"},
    # Bodies are documented as JSON (forms are still read); refusals, versions and
    # transitions are added by hoshin.core.api_schema.
    "PARSER_WHITELIST": ["hoshin.core.api_errors.JSONParser"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hoshin.core.api_schema.complete",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("HOSHIN_LOG_LEVEL", "WARNING")},
}

HOSHIN_DEMO_PASSWORD = env_str("HOSHIN_DEMO_PASSWORD")
HOSHIN_REMIND_DAYS = env_int("HOSHIN_REMIND_DAYS", 7)
# Each seal of the audit trail (hoshin seal, and daily by hoshin remind) appends its digest
# to this file when set: put it where database access does not reach (another host's mount).
HOSHIN_SEAL_DIGEST_FILE = env_str("HOSHIN_SEAL_DIGEST_FILE")
# ...and mails it to these addresses besides the quality managers' (comma-separated): a
# mailbox outside the organisation's reach, e.g. the certification body's or a notary's.
HOSHIN_SEAL_DIGEST_EMAILS = env_list("HOSHIN_SEAL_DIGEST_EMAILS")
