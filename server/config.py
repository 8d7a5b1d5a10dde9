"""Default settings; the instance file and HANDVAST_* environment variables override them."""

import os
import secrets
import tempfile
from pathlib import Path

from flask import Flask

KEY_FILE = "secret_key"  # in the instance folder, for development starts only


class Defaults:
    SECRET_KEY: str | None = None  # required in production; see settle_secret_key
    SQLALCHEMY_DATABASE_URI = ""  # filled in by the factory: DATABASE_URL or instance SQLite
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    # Every text response compressed (Flask-Compress, server/extensions.py): brotli, else gzip.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br"]  # static files; its gzip does not stream
    # Files of pwa/ are asked for again after five minutes (the worker's update check reads
    # its imports through the HTTP cache); the worker's own copies are fetched with "reload".
    SEND_FILE_MAX_AGE_DEFAULT = 300
    MINIFY_ASSETS = True  # pwa/ scripts and stylesheets served minified (server/assets.py)
    BABEL_TRANSLATION_DIRECTORIES = "translations"
    LANGUAGES: list[str] | None = None  # None: the default, then every catalog in translations/
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS (see README)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # A session ends after this long without a request (a day in the field without signal fits
    # in it) and at the latest this long after signing in, however busy; see README.
    SESSION_IDLE_HOURS = 16
    # The cookie is sent again only when the session changes (seen_at, at most once a minute):
    # not on every 304 of a page the phone revalidates. The limits above are the server's.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_LIFETIME_DAYS = 7
    TRAP_BAD_REQUEST_ERRORS = False  # a missing form field is a 400 in development too
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMITS = "10 per 15 minutes"
    # Roles whose sign-in needs a second factor (an authenticator app or a passkey): they see
    # a whole municipality. Everyone else may add one (auth/twofactor.py).
    SECOND_FACTOR_ROLES: tuple[str, ...] = ("coordinator", "admin")
    INVITE_DAYS = 7
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_SENDER = "handvast@localhost"
    SYNC_TOMBSTONE_DAYS = 90
    # Privacy (docs/privacy.md): consent is asked again after this many months; each record
    # type is kept this long after its last activity ({"person": 36} overrides a default);
    # a reader who opens a person outside their scope with a reason keeps access this long.
    CONSENT_VALID_MONTHS = 24
    RETENTION_MONTHS: dict = {}
    BREAK_GLASS_HOURS = 8
    SYNC_MAX_MUTATIONS = 500
    SYNC_MAX_BYTES = 2 * 1024 * 1024
    # A snapshot page (GET /api/v1/sync/snapshot) stops reading after this long and answers
    # 202 with what it has and its token: a slow database never makes a time-out.
    SYNC_SNAPSHOT_SECONDS = 5.0
    # Any request body above this is refused with 413 before it is read; views marked
    # large_upload (the household register and street imports) take up to their own limit.
    MAX_CONTENT_LENGTH = SYNC_MAX_BYTES + 64 * 1024
    WELCOME_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    # What a household import reads of its file (server/welcome/spreadsheet.py); beyond any of
    # these the whole file is refused with the reason. An XLSX is measured unpacked, before it
    # is parsed: its parts together, and each (a part's largest text is held whole, about twice
    # its size in memory; 32 MB of sheet is some 70,000 rows of eleven columns, and larger
    # registers come as CSV). csv refuses a cell over 131,072 characters whatever this says.
    WELCOME_MAX_ROWS = 200_000
    WELCOME_MAX_CELL_CHARS = 131_072
    WELCOME_MAX_XLSX_BYTES = 64 * 1024 * 1024
    WELCOME_MAX_XLSX_MEMBER_BYTES = 32 * 1024 * 1024
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    # Passwords one process hashes at once (None: one per CPU), and how long a sign-in waits
    # for a turn before it is answered 503 with Retry-After (server/auth/passwords.py).
    PASSWORD_HASH_SLOTS: int | None = None
    PASSWORD_HASH_WAIT_SECONDS = 2.0
    DEMO = False
    PROXY_FIX = False  # trust one proxy's X-Forwarded-* headers (set with HTTPS=1)
    PUBLIC_URL = ""  # the address people open, for links in invitations; needed with HTTPS=1
    # Web push (server/push): the VAPID private key (PEM, or base64url raw/DER); without it the
    # key made by `flask push keys` in the instance folder; without either nothing is sent.
    VAPID_PRIVATE_KEY: str | None = None
    VAPID_SUBJECT = ""  # mailto: or https: contact for push services; default from PUBLIC_URL
    # Push services a subscription's endpoint may name (a host, or *.suffix for its subdomains).
    PUSH_SERVICES = ["fcm.googleapis.com", "updates.push.services.mozilla.com",
                     "web.push.apple.com", "*.notify.windows.com"]
    PUSH_LOOPBACK_STAND_IN = False  # tests only (honoured with TESTING): a push service on 127.0.0.1
    PUSH_TTL_SECONDS = 12 * 3600  # a reminder not delivered within this is dropped by the service
    PUSH_URGENCY = "normal"
    PUSH_MAX_ATTEMPTS = 5  # sends of one reminder before it is given up
    PUSH_MAX_DEVICES = 10  # subscriptions per user; the least recently confirmed goes first
    PUSH_TIMER_MINUTES = 0  # >0: the server process sends due reminders itself (make run: 5)


def from_environment(config: dict) -> None:
    """Plain, conventional variable names that deployments expect."""
    if url := os.environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    if url := os.environ.get("REDIS_URL"):
        config["RATELIMIT_STORAGE_URI"] = url
    if key := os.environ.get("SECRET_KEY"):
        config["SECRET_KEY"] = key
    if key := os.environ.get("VAPID_PRIVATE_KEY"):
        config["VAPID_PRIVATE_KEY"] = key
    if url := os.environ.get("PUBLIC_URL"):
        config["PUBLIC_URL"] = url
    if os.environ.get("HTTPS", "").lower() in ("1", "true", "yes"):
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
        config["PROXY_FIX"] = True


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def settle_secret_key(app: Flask) -> None:
    """Sessions and CSRF tokens are signed with SECRET_KEY, so it must be secret: a configured
    key; in development (debug, as `make run` starts) a random key kept in the instance folder;
    in tests without one a random key for this process. Production refuses to start without."""
    if app.config.get("SECRET_KEY"):
        return
    if app.testing:
        app.config["SECRET_KEY"] = secrets.token_urlsafe(48)
    elif app.debug:
        app.config["SECRET_KEY"] = instance_key(Path(app.instance_path) / KEY_FILE)
    else:
        raise RuntimeError(
            "handvast will not start without a secret key: anyone who knows the key can sign "
            "in as any user. Set SECRET_KEY (or HANDVAST_SECRET_KEY, or SECRET_KEY in "
            "instance/config.py) to a long random value, e.g. the output of: python3 -c "
            "'import secrets; print(secrets.token_urlsafe(48))'. Development starts (debug, "
            "as `make run`) keep a generated key in the instance folder instead.")


def instance_key(path: Path) -> str:
    """The key in ``path``, made once (random, readable by this user only) when it is missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written aside, then linked into place: two processes starting at once (the reloader)
        # both end up with the one key, and nobody ever reads a half-written file.
        fd, draft = tempfile.mkstemp(dir=path.parent, prefix=".secret_key-")  # mode 0600
        try:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_urlsafe(48) + "\n")
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it and start again to make a new key.")
    return key
