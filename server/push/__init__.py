"""Web push: VAPID keys, each device's subscription, and reminders that carry no personal data."""

from flask import Flask


def init_app(app: Flask) -> None:
    from ..sync import openapi as api_document
    from . import models, timer  # noqa: F401 - the tables
    from .cli import push_cli
    from .openapi import PATHS, SCHEMAS
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(push_cli)
    api_document.register(PATHS, SCHEMAS)
    timer.init_app(app)
