"""Outcomes for policy: indicators declared once, precomputed per municipality and period,
the coordinator's dashboard and the figures' API."""

from flask import Flask


def init_app(app: Flask) -> None:
    from ..sync import openapi as api_document
    from . import cli, models  # noqa: F401 - the table
    from .openapi import PATHS, SCHEMAS
    from .views import bp

    app.register_blueprint(bp)
    cli.init_app(app)
    api_document.register(PATHS, SCHEMAS)
