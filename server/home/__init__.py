"""The home screen per role and the coordinator's municipality overview."""

from flask import Flask


def init_app(app: Flask) -> None:
    from ..working_set import ANY, keep
    from .views import bp

    app.register_blueprint(bp)
    keep(app, "/", concerns=(ANY,))
    keep(app, "/more")
