"""The home screen per role and the coordinator's municipality overview."""

from flask import Flask


def init_app(app: Flask) -> None:
    from .views import bp

    app.register_blueprint(bp)
