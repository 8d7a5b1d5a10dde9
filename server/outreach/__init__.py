"""Outreach rounds: straathoekwerk, a stand at the market, door to door. Aggregate only."""

from flask import Flask

from . import fields  # noqa: F401 - declares the record type, its mutation types


def init_app(app: Flask) -> None:
    from ..sync.registry import record_type
    from . import operations, queries  # noqa: F401 - the operations register their handlers
    from .labels import COUNTER_LABELS, KIND_LABELS
    from .models import OutreachRound
    from .views import bp

    app.register_blueprint(bp)
    record_type("outreach_round", OutreachRound, visible=queries.visible_rounds,
                data=queries.sync_data)
    app.jinja_env.globals.update(round_kinds=KIND_LABELS, round_counter_labels=COUNTER_LABELS)
