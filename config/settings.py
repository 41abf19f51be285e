"""Settings for the partnership register, read from environment variables.

Development defaults are safe to run locally (`make run`); with DEBUG off a missing or
unsafe value stops start-up with ImproperlyConfigured instead of running insecurely.
"""

import datetime
import os
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env (never committed) may hold a developer's overrides.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

# Only for local development: production must set SECRET_KEY.
_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the application refuses to start "
            "without a secret key: set the SECRET_KEY environment variable to a long "
            "random string."
        )
    SECRET_KEY = _DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_countries",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files, served from our own static files (no CDN).
    "drf_spectacular_sidecar",
    "accounts",
    "core",
    "partnerships",
    "agreements",
    "governance",
    "evaluations",
    "reminders",
    "calendars",
    "webhooks",
    "api",
    "portal",
    "dashboard",
    "audit",
    "demo",
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
    # Every page requires a logged-in user unless its view opts out explicitly.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.SessionIdleRefreshMiddleware",
    "core.middleware.UserLanguageMiddleware",
    # A partner user reaches the partner portal and nothing of the staff pages.
    "portal.middleware.PartnerPortalMiddleware",
    # Records who made each change in the models' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: it says why the user must sign in again.
    "accounts.middleware.SessionAbsoluteLifetimeMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.NoStoreForSignedInMiddleware",
    # Turns a refused login into the lockout page; axes asks to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.role",
                "portal.context_processors.portal",
            ],
        },
    },
]
# Django's widget templates rendered in Python, the same markup (core/renderers.py).
FORM_RENDERER = "core.renderers.WidgetRenderer"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Reconnecting per request cost 30–45% of throughput (measured: bench/RESULTS.md).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: compiling the dashboard's overdue-evaluations query took 110 of
    # its 245 ms; our queries are short and JIT pays off only on long analytic ones.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The test database is a file, so a Celery worker started by a test can open it;
    # one per test process, so two test runs never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
    # WAL lets readers go on while a request writes; the timeout waits out short locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # At least 12 characters (OWASP ASVS 2.1.1); shorter existing passwords keep working
    # until they are changed.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Argon2 first (Django's recommendation, with OWASP's parameters: accounts.hashers); a
# password stored with an older hasher is rehashed with it at its next sign-in.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# The axes backend comes first: it refuses a locked-out user name before any password
# is checked (it checks no password itself; ModelBackend does).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.sso.OrganisationBackend",
]

# Single sign-on with the organisation's OpenID provider (accounts.sso), off by default.
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="your organisation")
# The discovery document; or give OIDC_ISSUER and it is the issuer's well-known address.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="")
OIDC_DISCOVERY_URL = env.str(
    "OIDC_DISCOVERY_URL",
    default=f"{OIDC_ISSUER.rstrip('/')}/.well-known/openid-configuration" if OIDC_ISSUER else "",
)
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGORITHM", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
OIDC_STAFF_GROUPS = env.list("OIDC_STAFF_GROUPS", default=[])
OIDC_MANAGER_GROUPS = env.list("OIDC_MANAGER_GROUPS", default=[])
# Off: staff and managers may sign in only through the provider (partner users keep
# their passwords).
OIDC_STAFF_PASSWORDS = env.bool("OIDC_STAFF_PASSWORDS", default=True)
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATE_CLASS = "accounts.sso.SignInView"
OIDC_CALLBACK_CLASS = "accounts.sso.CallbackView"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
# Login throttling: after AXES_FAILURE_LIMIT failed attempts for one user name from one
# address, that pair is refused for AXES_COOLOFF_TIME. A manager can unlock it sooner
# (accounts:login_lockouts). Failures during the lockout do not prolong it, so a
# stranger guessing cannot keep a colleague out for longer than the cool-off.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockouts.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Two-factor sign-in (accounts.two_factor): required for managers and partner users
# when on; anyone may enrol from the profile page.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = env.str("ORGANISATION_NAME", default="") or "Partnerships"
# Wrong codes are counted like wrong passwords (accounts.two_factor), not by
# django-otp's growing delays.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# How many reverse proxies of ours stand in front of the application; the login
# throttle then reads the client's address from X-Forwarded-For (accounts.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", "English"), ("sv", "Svenska")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers per language: ISO dates in English too, not Django's American ones.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STORAGES = {
    # Uploaded documents are private: served only through login-checked views.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Development serves static files straight from static/; production runs collectstatic.
WHITENOISE_AUTOREFRESH = DEBUG
FORMS_URLFIELD_ASSUME_HTTPS = True
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
# A partner import file; 5 MB holds some 15,000 rows of CSV.
PARTNER_IMPORT_MAX_SIZE = env.int("PARTNER_IMPORT_MAX_SIZE", default=5 * 1024 * 1024)

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="partnerships@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Days after a period's end before its missing evaluation counts as overdue.
EVALUATION_GRACE_DAYS = env.int("EVALUATION_GRACE_DAYS", default=30)
ORGANISATION_NAME = env.str("ORGANISATION_NAME", default="Our organisation")
# The currency of the budget; contributions in other currencies are listed apart, never
# converted silently.
ORGANISATION_CURRENCY = env.str("ORGANISATION_CURRENCY", default="SEK")
PAGE_SIZE = 25
# Most agreement summaries in one ZIP download; up to PDF_ZIP_AT_ONCE the ZIP is made
# during the request (about 0.3 s a summary), more are made by a background task.
PDF_ZIP_MAX = env.int("PDF_ZIP_MAX", default=500)
PDF_ZIP_AT_ONCE = env.int("PDF_ZIP_AT_ONCE", default=20)
# A background ZIP whose worker has not counted a summary for this long has no worker
# any more (it died): it is taken over or marked failed (agreements.exports).
SUMMARY_EXPORT_STALE_SECONDS = env.int("SUMMARY_EXPORT_STALE_SECONDS", default=180)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A session ends after this many seconds without a request (idle timeout; the expiry is
# pushed forward by core.middleware.SessionIdleRefreshMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 3600)
# However active, a session ends this long after sign-in (accounts.middleware).
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Only our own files: no inline scripts or styles, no third-party sources, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    if env.bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # What `manage.py check --deploy` asks of a key: 50 characters or more, at least 5
    # different ones, and not a key Django generated for development.
    if (
        SECRET_KEY == _DEVELOPMENT_SECRET_KEY
        or SECRET_KEY.startswith("django-insecure-")
        or len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5
    ):
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak or is a development key. With DEBUG off, set SECRET_KEY "
            "to a random string of at least 50 characters with at least 5 different ones, "
            "for example: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
        )

# The partner portal (portal/). An invitation link works this many days, once.
PORTAL_INVITATION_DAYS = env.int("PORTAL_INVITATION_DAYS", default=7)
# A partner's declaration (shared values, code of conduct, routines) is asked for again
# at the partner's due-diligence review interval (DUE_DILIGENCE_REVIEW_MONTHS below).

# How far ahead "ending soon" looks: the dashboard panels and the weekly digest.
ENDING_SOON_DAYS = env.int("ENDING_SOON_DAYS", default=90)

# The longest an agreement may run, in years: checked when it is drafted, submitted and
# approved. Multi-year agreements are the rule; decades are a typing mistake.
AGREEMENT_MAX_YEARS = env.int("AGREEMENT_MAX_YEARS", default=10)
if not 1 <= AGREEMENT_MAX_YEARS <= 100:
    raise ImproperlyConfigured(
        f"AGREEMENT_MAX_YEARS is {AGREEMENT_MAX_YEARS}; give a number of years from 1 to 100."
    )

# Agreements whose economic contribution is above this amount (in ORGANISATION_CURRENCY)
# need two approvals by two different managers. A contribution in another currency is
# compared with TWO_APPROVALS_ABOVE_OTHER_CURRENCIES ("EUR=45000,USD=50000"); a currency
# not listed there cannot be compared, so it needs two approvals (the safe side).
TWO_APPROVALS_ABOVE = env.int("TWO_APPROVALS_ABOVE", default=500_000)
TWO_APPROVALS_ABOVE_OTHER_CURRENCIES = {
    currency.strip().upper(): int(amount)
    for currency, amount in env.dict("TWO_APPROVALS_ABOVE_OTHER_CURRENCIES", default={}).items()
}
# An approval waiting this many days is chased: one email to the managers who may approve
# it, again every APPROVAL_CHASE_REPEAT_DAYS. A returned agreement not resubmitted within
# RESUBMIT_REMINDER_DAYS reminds its author once.
APPROVAL_CHASE_DAYS = env.int("APPROVAL_CHASE_DAYS", default=5)
APPROVAL_CHASE_REPEAT_DAYS = env.int("APPROVAL_CHASE_REPEAT_DAYS", default=7)
RESUBMIT_REMINDER_DAYS = env.int("RESUBMIT_REMINDER_DAYS", default=14)

# Most decisions in one audit-trail PDF (the CSV has no limit).
AUDIT_PDF_MAX_ENTRIES = env.int("AUDIT_PDF_MAX_ENTRIES", default=2000)

# Due diligence is reviewed again this many months after the last review, by risk level.
DUE_DILIGENCE_REVIEW_MONTHS = {
    "high": env.int("REVIEW_MONTHS_HIGH_RISK", default=12),
    "medium": env.int("REVIEW_MONTHS_MEDIUM_RISK", default=24),
    "low": env.int("REVIEW_MONTHS_LOW_RISK", default=36),
}
if min(DUE_DILIGENCE_REVIEW_MONTHS.values()) < 1:
    raise ImproperlyConfigured("REVIEW_MONTHS_*_RISK must be at least 1 month.")
# A review counts as "due" (a list filter, the dashboard, a reminder) this many days ahead;
# an overdue one is reminded of again every REVIEW_OVERDUE_REPEAT_DAYS.
REVIEW_DUE_SOON_DAYS = env.int("REVIEW_DUE_SOON_DAYS", default=30)
REVIEW_OVERDUE_REPEAT_DAYS = env.int("REVIEW_OVERDUE_REPEAT_DAYS", default=30)

# Reminders (reminders app). Distances are days before an agreement's end date.
REMINDER_ENDING_DAYS = sorted(
    (int(days) for days in env.list("REMINDER_ENDING_DAYS", default=["90", "30", "7"])),
    reverse=True,
)
REMINDER_OVERDUE_REPEAT_DAYS = env.int("REMINDER_OVERDUE_REPEAT_DAYS", default=14)
REMINDER_DUE_SOON_DAYS = env.int("REMINDER_DUE_SOON_DAYS", default=30)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=8)
# Run the day's reminders when a worker starts (catch-up after downtime; on by default
# in development so `make run` after 07:00 still sends today's reminders).
REMINDERS_ON_WORKER_START = env.bool("REMINDERS_ON_WORKER_START", default=DEBUG)

# Celery. With REDIS_URL (or CELERY_BROKER_URL) the broker is Redis; without, kombu's
# filesystem transport under var/ lets `make run` send reminders with no server at all.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND",
    default=REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}",
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_folder = VAR_DIR / "celery" / "queue"
    _queue_folder.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "results").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_folder),
        "data_folder_out": str(_queue_folder),
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
else:
    # A page that enqueues work must not hang while Redis is down: fail fast instead.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
# How long a page trusts its last look at the broker (core.queue.queue_available).
QUEUE_CHECK_SECONDS = env.int("QUEUE_CHECK_SECONDS", default=30)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BEAT_SCHEDULE = {
    # Hands out webhook deliveries that are due: new ones never queued, retries whose
    # pause has passed, ones stuck while sending (webhooks.services).
    "webhook-deliveries": {
        "task": "webhooks.tasks.send_due_webhooks",
        "schedule": 60.0,
    },
    "daily-reminders": {
        "task": "reminders.tasks.send_daily_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "delete-expired-summary-exports": {
        "task": "agreements.tasks.delete_expired_summary_exports",
        "schedule": crontab(hour=3, minute=30),
    },
    "fail-abandoned-summary-exports": {
        "task": "agreements.tasks.fail_abandoned_summary_exports",
        "schedule": crontab(minute="*/5"),
    },
    "weekly-manager-digest": {
        "task": "reminders.tasks.send_manager_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
}

# The JSON API (api app): personal tokens or the session, the permissions of the user
# behind them, requests per minute per token (per user for a session, per address for
# anonymous requests). The throttle counts in the cache: per process with the default
# local-memory cache, so with several gunicorn workers each allows this many.
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="120/minute")
# Most rows on one page of an API list (?page_size=).
API_MAX_PAGE_SIZE = 100
# Most unexpired, unrevoked API tokens a user may hold at once.
API_TOKENS_PER_USER = 10
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: DRF's own browsable pages use inline scripts, which our CSP refuses;
    # the reference page (/api/v1/docs/) is the browsable one.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Partnerships API",
    "DESCRIPTION": (
        "Partners, agreements, evaluations, obligations and the budget, read and written "
        "with the permissions of the user whose personal token is sent "
        "(`Authorization: Bearer <token>`; tokens are made on the profile page)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge fetched from an outside validator: the page loads only our own files.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    # Choice lists that share a field name get their own names in the schema.
    "ENUM_NAME_OVERRIDES": {
        "AgreementStatusEnum": "agreements.models.Status",
        "EvaluationStatusEnum": "evaluations.models.EvaluationStatus",
        "PartnerKindEnum": "partnerships.models.PartnerKind",
        "DialogueKindEnum": "partnerships.models.DialogueKind",
        "GoalKindEnum": "agreements.models.GoalKind",
        "WorkflowStatusEnum": "agreements.models.WORKFLOW_STATUS_CHOICES",
    },
}

# Webhooks (webhooks app). Deliveries are tried this many times, with pauses doubling
# from WEBHOOK_RETRY_SECONDS up to an hour.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_RETRY_SECONDS = env.int("WEBHOOK_RETRY_SECONDS", default=30)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
# Loopback, private, link-local and other non-public addresses are refused as webhook
# targets, when registered and again at each send (a webhook must not reach into our
# own network). Allow them only for tests, local development, or a receiver on an
# internal network you trust.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every rendering step at INFO; its warnings and errors still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
