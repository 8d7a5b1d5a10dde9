"""Serving the installable app: service worker at the root scope, manifest, offline page."""

from flask import Flask


def init_app(app: Flask) -> None:
    from .views import bp

    app.register_blueprint(bp)
