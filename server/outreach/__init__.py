"""Outreach rounds: straathoekwerk, a stand at the market, door to door. Aggregate only."""

from flask import Flask

from ..core.errors import N_
from . import fields  # noqa: F401 - declares the record type, its mutation types


def init_app(app: Flask) -> None:
    from ..core import privacy
    from ..sync.registry import record_type
    from . import operations, queries  # the operations register their handlers
    from .labels import COUNTER_LABELS, KIND_LABELS
    from .models import OutreachRound
    from .views import bp

    app.register_blueprint(bp)
    record_type("outreach_round", OutreachRound, visible=queries.visible_rounds,
                data=queries.sync_data)
    privacy.retention("outreach_round", 24, expired=queries.expired,
                      forget=operations.anonymise, action=privacy.ANONYMISE,
                      label=N_("Topics noted on outreach rounds"))
    app.jinja_env.globals.update(round_kinds=KIND_LABELS, round_counter_labels=COUNTER_LABELS)
