"""Contacts: the logged meetings with people, append-only."""

from flask import Flask

from . import fields  # noqa: F401 - declares the record type, its mutation types


def init_app(app: Flask) -> None:
    from . import operations  # noqa: F401 - registers the mutation handlers
    from .views import bp, participants

    app.register_blueprint(bp)
    # Lists of contacts anywhere name only the people the reader may see.
    app.jinja_env.globals["participants"] = participants
