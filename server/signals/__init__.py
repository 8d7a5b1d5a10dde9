"""Signals (beleidssignalen): what the field sees that policy must hear, and where it stands."""

from flask import Flask

from ..core.errors import N_
from . import fields  # noqa: F401 - declares the record type, its mutation types


def init_app(app: Flask) -> None:
    from ..core import privacy
    from ..sync.registry import record_type
    from ..working_set import field_users, keep, keep_per_record
    from . import operations, queries  # the operations register their handlers
    from .labels import AGE_LABELS, STATUS_LABELS, URGENCY_LABELS, theme_label
    from .models import Signal
    from .views import CREATE_SPEC, bp, updates_for_page

    app.register_blueprint(bp)
    keep(app, "/signals/", who=field_users, concerns=("signal",))
    keep(app, "/signals/new", who=field_users, concerns=("gathering", "outreach_round"))
    keep_per_record(app, "signal", "/signals/{id}", who=field_users)
    record_type("signal", Signal, visible=queries.visible_signals, data=queries.sync_data)
    privacy.retention("signal", 24, expired=queries.expired, forget=operations.anonymise,
                      action=privacy.ANONYMISE, label=N_("Descriptions and notes of signals"))
    # The reporter's updates on home, and a one-tap signal from elsewhere (a topic raised).
    app.jinja_env.globals.update(
        signal_updates=updates_for_page, signal_create_spec=CREATE_SPEC, theme_label=theme_label,
        signal_status_labels=STATUS_LABELS, urgency_labels=URGENCY_LABELS,
        signal_age_labels=AGE_LABELS)
    app.jinja_env.filters["signal_theme_option"] = lambda theme: (theme, theme_label(theme))
    app.jinja_env.filters["signal_status_option"] = lambda s: (s, STATUS_LABELS[s])
