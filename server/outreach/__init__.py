"""Outreach rounds: straathoekwerk, a stand at the market, door to door. Aggregate only."""

from flask import Flask

from ..core.errors import N_
from . import fields  # noqa: F401 - declares the record type, its mutation types


def init_app(app: Flask) -> None:
    from ..core import privacy
    from ..sync.registry import record_type
    from ..working_set import field_users, keep, keep_per_record
    from . import operations, queries  # the operations register their handlers
    from .labels import COUNTER_LABELS, KIND_LABELS
    from .models import OutreachRound
    from .views import bp

    app.register_blueprint(bp)
    keep(app, "/outreach/", who=field_users, concerns=("outreach_round",))
    keep(app, "/outreach/round", who=field_users, concerns=("outreach_round",))
    keep_per_record(app, "outreach_round", "/outreach/{id}", who=field_users)
    record_type("outreach_round", OutreachRound, visible=queries.visible_rounds,
                data=queries.sync_data)
    privacy.retention("outreach_round", 24, expired=queries.expired,
                      forget=operations.anonymise, action=privacy.ANONYMISE,
                      label=N_("Topics noted on outreach rounds"))
    app.jinja_env.globals.update(round_kinds=KIND_LABELS, round_counter_labels=COUNTER_LABELS)
