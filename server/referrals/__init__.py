"""Referrals (toeleiding): a person sent to a service, followed until it lands."""

from flask import Flask

from ..core.errors import N_
from . import fields  # noqa: F401 - declares the record type, its mutation types


def init_app(app: Flask) -> None:
    from ..core import privacy
    from ..people import timeline
    from ..sync.registry import on_access_change, record_type
    from ..working_set import field_users, keep, keep_per_record
    from . import operations, queries  # the operations register their mutation handlers
    from .models import Referral
    from .views import bp

    app.register_blueprint(bp)
    keep(app, "/referrals/", concerns=("referral", "person", "service"))
    keep(app, "/referrals/new", who=field_users, concerns=("person", "service"))
    keep_per_record(app, "referral", "/referrals/{id}")
    record_type("referral", Referral, visible=queries.pulled_referrals, data=queries.sync_data)
    on_access_change("person", operations.relog_for_person)  # who sees them follows the person
    timeline.source("referral", queries.timeline)
    privacy.retention("referral", 24, expired=queries.expired, forget=operations.erase,
                      label=N_("Referrals and their steps"))
    privacy.activity("referral", queries.people_active_since)
    privacy.subject_data("referrals", queries.subject_data)
    privacy.on_erase(operations.erase_person_referrals)
