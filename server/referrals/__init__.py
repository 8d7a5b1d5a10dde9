"""Referrals (toeleiding): a person sent to a service, followed until it lands."""

from flask import Flask

from . import fields  # noqa: F401 - declares the record type, its mutation types


def init_app(app: Flask) -> None:
    from . import operations  # noqa: F401 - registers the mutation handlers
    from .views import bp

    app.register_blueprint(bp)
