"""Municipalities, neighbourhoods, teams; the coordinator's user and team pages."""

from flask import Flask


def init_app(app: Flask) -> None:
    from ..auth.operations import on_leaving_municipality
    from .operations import leave_teams
    from .views import bp

    app.register_blueprint(bp)
    on_leaving_municipality(leave_teams)
