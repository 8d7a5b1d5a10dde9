"""Municipalities, neighbourhoods, teams; the coordinator's user and team pages."""

from flask import Flask


def init_app(app: Flask) -> None:
    from ..auth.invitations import on_joining
    from ..auth.operations import on_leaving_municipality
    from . import place_views, team_views, user_views  # noqa: F401 - their routes join bp
    from .operations import join_invited_team, leave_teams
    from .views import bp

    app.register_blueprint(bp)
    on_leaving_municipality(leave_teams)
    on_joining(join_invited_team)
