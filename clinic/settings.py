"""Settings for the clinic site, read from the environment.

Every setting has an embedded default that lets a developer run the site with no services at
all (SQLite, tasks run in-process, emails written to ``var/mail/``). ``DEBUG`` is off unless
set: ``make run`` and the tests turn it on; with it off the site refuses to start with the
development secret key, so production must set a real one.
The README lists every variable.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    truthy, falsy = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
    lowered = value.strip().lower()
    if lowered in truthy:
        return True
    if lowered in falsy:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------

DEV_SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105
# Off unless asked for: `make run` and the test settings turn it on for development.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the development key or shorter than 50 characters. "
        "Set SECRET_KEY to a long random value (python -c 'import secrets; "
        "print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The admin lives at a configurable path so that it is not where scanners look first.
ADMIN_URL = env_str("ADMIN_URL", "admin/").strip("/") + "/"
# Absolute address of the site, used for links in emails and calendar files.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin with the two-factor site (clinic/admin_site.py) as admin.site.
    "clinic.apps.ClinicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "auditlog",
    "clinic.privacy.apps.PrivacyConfig",
    "clinic.notifications.apps.NotificationsConfig",
    "clinic.patients.apps.PatientsConfig",
    "clinic.contact.apps.ContactConfig",
    "articles.apps.ArticlesConfig",
    "bookings.apps.BookingsConfig",
    "assessments.apps.AssessmentsConfig",
    # Last, so that its ready() (audit registration) sees every other app's models.
    "clinic.apps.ClinicConfig",
]

MIDDLEWARE = [
    "clinic.request_id.RequestIdMiddleware",
    # A view that loses PostgreSQL answers the friendly 503 page (clinic/errors.py).
    "clinic.errors.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "clinic.security.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's database sessions, tolerating a database outage (clinic/sessions.py).
    "clinic.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff sessions renewed while active, ended 12 hours after sign-in (clinic/staff_session.py).
    "clinic.staff_session.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "clinic.security.SecurityHeadersMiddleware",
    "clinic.audit.AuditMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last: it needs the authenticated user and answers locked-out logins itself.
    "axes.middleware.AxesMiddleware",
]

# --- Wagtail: the articles' editing side (issue 16) ------------------------------------------
# Its admin lives at /{WAGTAIL_ADMIN_URL} behind the same sign-in and second factor as the
# Django admin (articles/cms_urls.py); articles/ holds the pages, workflow and roles.
INSTALLED_APPS[INSTALLED_APPS.index("articles.apps.ArticlesConfig") : 0] = [
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]
# A changed slug leaves a redirect from the old address (only ever consulted on a 404).
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
)
WAGTAIL_SITE_NAME = env_str("CLINIC_NAME", "Kestrel Back Clinic")
WAGTAIL_ADMIN_URL = env_str("WAGTAIL_ADMIN_URL", "cms/").strip("/") + "/"
WAGTAILADMIN_BASE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_LOGIN_URL = "/" + ADMIN_URL + "login/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True
# Approval by a practitioner publishes the approved revision (articles/services.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "articles.services.article_publish_approved"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"gif": "png", "bmp": "png", "tiff": "png", "heic": "jpeg"}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "avif"]
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILEMBEDS_FINDERS: list = []
WAGTAILREDIRECTS_AUTO_CREATE = True

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses a locked-out user before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# The benchmark adds a do-nothing view through its own URLconf (bench/urls.py).
ROOT_URLCONF = env_str("ROOT_URLCONF", "clinic.urls")
WSGI_APPLICATION = "clinic.wsgi.application"

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
                "clinic.context_processors.clinic",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Development with a worker alongside: every transaction takes SQLite's write lock up
    # front and waits for it, instead of failing with "database is locked" half-way through.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SESSION_ENGINE = "clinic.sessions"

REDIS_URL = env_str("REDIS_URL")
# The cache may live in another Redis database (or server) than the broker: the README asks
# for an eviction policy on the cache's and none on the broker's.
CACHE_REDIS_URL = env_str("CACHE_REDIS_URL", REDIS_URL)
# After a failed Redis call, skip Redis for this many seconds before trying again (per process).
REDIS_BREAKER_SECONDS = float(env_str("REDIS_BREAKER_SECONDS", "5"))
if CACHE_REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, failing open with a breaker: see clinic/cache.py.
            "BACKEND": "clinic.cache.FailOpenRedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": "clinic",
            # A cache outage must not hang a page: fail fast and let the caller carry on.
            "OPTIONS": {
                "socket_connect_timeout": 0.25,
                "socket_timeout": 0.25,
                "health_check_interval": 30,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous visitors' pages (home, articles) are served from the cache for this long at most.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# ... and from each process's memory for this long, with no trip to Redis (0 turns it off).
PAGE_CACHE_LOCAL_SECONDS = env_int("PAGE_CACHE_LOCAL_SECONDS", 5)

# --- Celery -----------------------------------------------------------------------------------

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
# Without a broker, tasks run in-process as soon as they are sent: nothing else to start.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
# A task is acknowledged only once it has run, and given back if its worker dies mid-task.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Publishing must never hold a patient's request for long when Redis is down: the database
# row is the record of truth and the outbox sweep sends whatever could not be queued.
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 0.5,
    # Bounds a publish to a Redis that accepts connections but does not answer (hung, or a
    # half-open link): the patient's response waits this long once per breaker period.
    # Workers use WORKER_BROKER_SOCKET_TIMEOUT instead (clinic/celery.py).
    "socket_timeout": 0.5,
    # Unacknowledged work is redelivered after this long (the worker died, say).
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600),
    "max_retries": 0,
}
# How long a worker waits for a hung Redis to answer (an acknowledgement, say) before it gives
# up; one that gives up on an acknowledgement stops taking tasks (see clinic/celery.py).
WORKER_BROKER_SOCKET_TIMEOUT = float(env_str("WORKER_BROKER_SOCKET_TIMEOUT", "60"))
# Workers write a heartbeat this often; /health/worker/ says 503 when it is older than the second.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 15)
WORKER_HEARTBEAT_STALE_SECONDS = env_int("WORKER_HEARTBEAT_STALE_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    "notifications-outbox-sweep": {
        "task": "clinic.notifications.tasks.outbox_sweep",
        "schedule": 60.0,
    },
    "bookings-release-lapsed-holds": {
        "task": "bookings.tasks.holds_release_lapsed",
        "schedule": 60.0,
    },
    "bookings-send-reminders": {
        "task": "bookings.tasks.reminders_send_due",
        "schedule": crontab(minute="*/10"),
    },
    "privacy-retention-purge": {
        "task": "clinic.privacy.tasks.retention_purge",
        "schedule": crontab(hour=3, minute=17),
    },
}

# --- Email ------------------------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    # Developers read outgoing mail as files, one per message, in var/mail/.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kestrel Back Clinic <hello@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFICATION_EMAILS = env_list("STAFF_NOTIFICATION_EMAILS", ["reception@example.com"])
# How long a notification may sit unsent before the outbox sweep queues it again.
NOTIFICATION_SWEEP_AFTER_SECONDS = env_int("NOTIFICATION_SWEEP_AFTER_SECONDS", 120)
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 8)
# Backoff between attempts: about base, 2 x base, 4 x base ... seconds with jitter, capped.
NOTIFICATION_RETRY_BASE_SECONDS = float(env_str("NOTIFICATION_RETRY_BASE_SECONDS", "30"))
NOTIFICATION_RETRY_MAX_SECONDS = float(env_str("NOTIFICATION_RETRY_MAX_SECONDS", "1800"))

# --- The clinic -------------------------------------------------------------------------------

CLINIC_NAME = env_str("CLINIC_NAME", "Kestrel Back Clinic")
CLINIC_ADDRESS = env_str("CLINIC_ADDRESS", "14 Wharf Street, Leeds LS2 7EQ")
CLINIC_PHONE = env_str("CLINIC_PHONE", "0113 496 0123")
CLINIC_EMAIL = env_str("CLINIC_EMAIL", "hello@example.com")
# Told to patients on the confirmation page and email.
CLINIC_DIRECTIONS = env_str(
    "CLINIC_DIRECTIONS",
    "Five minutes' walk from Leeds station: leave by the south entrance, follow the river east "
    "and we are on the first floor, with a lift. The nearest car park is Wharf Street NCP.",
)
CLINIC_WHAT_TO_BRING = env_str(
    "CLINIC_WHAT_TO_BRING",
    "Loose clothing you can bend and stretch in (shorts are ideal), a list of any medicines you "
    "take, and any scan or letter about your back. Please arrive five minutes early.",
)
# The offer shown across the site; the code itself is a DiscountCode row staff manage.
CLINIC_OFFER_CODE = env_str("CLINIC_OFFER_CODE", "SAVE15")
CLINIC_OFFER_PERCENT = Decimal(env_str("CLINIC_OFFER_PERCENT", "15"))
PRIVACY_NOTICE_VERSION = "2026-11-25"

# --- Booking policy ---------------------------------------------------------------------------

BOOKING_HORIZON_DAYS = env_int("BOOKING_HORIZON_DAYS", 60)
BOOKING_MIN_NOTICE_HOURS = env_int("BOOKING_MIN_NOTICE_HOURS", 2)
BOOKING_SLOT_STEP_MINUTES = env_int("BOOKING_SLOT_STEP_MINUTES", 15)
BOOKING_CANCEL_CUTOFF_HOURS = env_int("BOOKING_CANCEL_CUTOFF_HOURS", 24)
# How long the emailed "my bookings" link works.
MY_BOOKINGS_LINK_HOURS = env_int("MY_BOOKINGS_LINK_HOURS", 24)
# Bank holidays the clinic closes on: a `holidays` subdivision of GB (ENG is England and Wales
# bank holidays); empty opens the clinic on them.
CLINIC_BANK_HOLIDAYS = os.environ.get("CLINIC_BANK_HOLIDAYS", "ENG")
BOOKING_REMINDER_HOURS = env_int("BOOKING_REMINDER_HOURS", 24)
# Abuse caps on online booking (staff bookings are never capped). Upcoming online bookings per
# email address (0: no cap), and booking attempts per client address per day (a rate limit,
# so RATE_LIMITS_ENABLED=false lifts it; 0: no limit).
BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL = env_int("BOOKING_MAX_FUTURE_ONLINE_PER_EMAIL", 4)
BOOKING_MAX_PER_ADDRESS_PER_DAY = env_int("BOOKING_MAX_PER_ADDRESS_PER_DAY", 20)
# On: an online booking only holds its time until the patient clicks the link emailed to them,
# and is released if they have not within BOOKING_HOLD_MINUTES (staff bookings are never held).
BOOKING_REQUIRE_EMAIL_CONFIRMATION = env_bool("BOOKING_REQUIRE_EMAIL_CONFIRMATION", False)
BOOKING_HOLD_MINUTES = env_int("BOOKING_HOLD_MINUTES", 30)

# --- Self-assessment --------------------------------------------------------------------------

ASSESSMENT_RETENTION_DAYS = env_int("ASSESSMENT_RETENTION_DAYS", 365)

# --- Rate limits ------------------------------------------------------------------------------

RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
RATELIMIT_ENABLE = RATE_LIMITS_ENABLED
RATELIMIT_VIEW = "clinic.views.rate_limited"
# A count that cannot be kept (Redis down) lets the request through: see clinic/ratelimits.py.
RATELIMIT_FAIL_OPEN = True
# How many reverse proxies of ours stand in front of the site (0: clients connect directly).
# Rate limits key on the address the last of them saw; see clinic/client_ip.py and the README.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
RATELIMIT_IP_META_KEY = "clinic.client_ip.client_ip"
if not CACHE_REDIS_URL:
    # Without Redis each process counts on its own; fine for a developer's single process.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# --- Passwords, i18n, time --------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# 24-hour times everywhere (clinic/formats/en_GB).
FORMAT_MODULE_PATH = ["clinic.formats"]
# Beat's schedules (the reminders) follow the clinic's clock.
CELERY_TIMEZONE = TIME_ZONE
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Production serves hashed, compressed files collected by `collectstatic`; development and
# tests serve straight from the source folders.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Staff accounts and audit ---------------------------------------------------------------

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# Lock the username from that address, so an attacker cannot lock every account out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "clinic.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account_locked.html"
AXES_VERBOSE = False
# Authenticator apps show the issuer's name next to the code.
OTP_TOTP_ISSUER = CLINIC_NAME
AUDITLOG_MASK_CALLABLE = "clinic.audit.mask_fully"
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- UK GDPR retention (days) ------------------------------------------------------------------

CONTACT_RETENTION_DAYS = env_int("CONTACT_RETENTION_DAYS", 730)
CANCELLED_APPOINTMENT_RETENTION_DAYS = env_int("CANCELLED_APPOINTMENT_RETENTION_DAYS", 365)
NOTIFICATION_RETENTION_DAYS = env_int("NOTIFICATION_RETENTION_DAYS", 90)
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 6 * 365)

# --- Content Security Policy -------------------------------------------------------------------

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap draws its menu and form icons as data: SVGs.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Security ---------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
# Staff: renewed every few minutes of activity, but never longer than this after signing in.
STAFF_SESSION_MAX_AGE = env_int("STAFF_SESSION_MAX_AGE", 12 * 60 * 60)
STAFF_SESSION_RENEW_SECONDS = 5 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", False):
    # Only when a reverse proxy that sets this header is the sole way in (see the README).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Allows submission to the browsers' preload list (a separate, deliberate step: see README).
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# --- Logging ----------------------------------------------------------------------------------

# JSON lines in production (one object per line, for a log collector); readable text otherwise.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "clinic.request_id.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- Error reporting --------------------------------------------------------------------------

SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from clinic.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
