"""Calendars: each user's personal feed (a secret address a phone's calendar subscribes to)
and single events as .ics files. Features register where events come from."""

from flask import Flask


def init_app(app: Flask) -> None:
    from ..auth import PUBLIC_ENDPOINTS
    from . import models  # noqa: F401 - the feed's table
    from .views import bp

    app.register_blueprint(bp)
    PUBLIC_ENDPOINTS.add("calendar.feed")  # read by a calendar app, without a session cookie
