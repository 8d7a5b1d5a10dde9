"""Default settings; the instance file and HANDVAST_* environment variables override them."""

import os
from datetime import timedelta


class Defaults:
    SECRET_KEY = "dev-only-change-me"
    SQLALCHEMY_DATABASE_URI = ""  # filled in by the factory: DATABASE_URL or instance SQLite
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    BABEL_TRANSLATION_DIRECTORIES = "translations"
    LANGUAGES: list[str] | None = None  # None: the default, then every catalog in translations/
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS (see README)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMITS = "10 per 15 minutes"
    INVITE_DAYS = 7
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_SENDER = "handvast@localhost"
    SYNC_TOMBSTONE_DAYS = 90
    SYNC_MAX_MUTATIONS = 500
    SYNC_MAX_BYTES = 2 * 1024 * 1024
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    DEMO = False
    PROXY_FIX = False  # trust one proxy's X-Forwarded-* headers (set with HTTPS=1)
    PUBLIC_URL = ""  # the address people open, for links in invitations; needed with HTTPS=1


def from_environment(config: dict) -> None:
    """Plain, conventional variable names that deployments expect."""
    if url := os.environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    if url := os.environ.get("REDIS_URL"):
        config["RATELIMIT_STORAGE_URI"] = url
    if key := os.environ.get("SECRET_KEY"):
        config["SECRET_KEY"] = key
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
