"""Referrals (toeleiding): a person sent to a service, followed until it lands."""

from flask import Flask


def init_app(app: Flask) -> None:
    from ..sync.registry import on_access_change, record_type
    from . import operations  # its handlers register as it is imported
    from .models import Referral
    from .queries import sync_data, visible_referrals
    from .views import bp

    app.register_blueprint(bp)
    record_type("referral", Referral, visible=visible_referrals, data=sync_data)
    # Who may see a person's referrals follows the person.
    on_access_change("person", operations.relog_for_person)
