"""handvast: the field app for first-line integration work in the Vlaamse Rand."""

from pathlib import Path

from flask import Flask
from jinja2 import StrictUndefined

from . import config
from .transaction import Handvast

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    app = Handvast(__name__, instance_path=instance_path, instance_relative_config=True,
                static_folder=str(ROOT / "pwa"), static_url_path="/static")
    app.config.from_object(config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("HANDVAST")
    config.from_environment(app.config)
    if test_config:
        app.config.update(test_config)
    config.settle_secret_key(app)
    _default_database(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    app.jinja_env.undefined = StrictUndefined

    from . import extensions, i18n, logs, security, transaction, web
    from .auth import init_app as init_auth
    from .org import current

    extensions.db.init_app(app)
    extensions.compress.init_app(app)
    transaction.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(ROOT / "migrations"))
    init_auth(app)  # before CSRF: an API call without a session answers 401, not 400
    current.init_app(app)  # then who the user is here: municipality, roles, teams
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    logs.init_app(app)
    web.init_app(app)
    _register_features(app)
    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    return app


def _register_features(app: Flask) -> None:
    from . import (
        audit,
        buddies,
        calendar,
        contacts,
        demo,
        gatherings,
        home,
        insight,
        org,
        outreach,
        people,
        privacy,
        push,
        pwa,
        referrals,
        services,
        signals,
        sync,
        welcome,
    )

    for feature in (home, org, people, contacts, services, referrals, gatherings, outreach,
                    signals, sync, audit, privacy, demo, pwa, push, calendar, buddies,
                    welcome, insight):
        feature.init_app(app)


def _default_database(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'handvast.db'}"
