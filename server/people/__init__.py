"""People: who the first line works with."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import operations  # noqa: F401 - registers the mutation handlers
    from .views import bp

    app.register_blueprint(bp)
