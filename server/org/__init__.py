"""Municipalities, neighbourhoods, teams; the coordinator's user and team pages."""

from flask import Flask


def init_app(app: Flask) -> None:
    from .views import bp

    app.register_blueprint(bp)
