"""Gatherings: buurtbabbels, praatcafés, info sessions and parties, counted in one tap."""

from flask import Flask

from ..core.errors import N_
from . import fields  # noqa: F401 - declares the record type, its mutation types


def init_app(app: Flask) -> None:
    from flask import url_for

    from ..core import privacy
    from ..labels import native_language_name
    from ..sync.registry import Resolving, on_access_change, record_type
    from ..working_set import field_users, keep, keep_per_record
    from . import operations, queries  # the operations register their mutation handlers
    from .labels import KIND_LABELS
    from .models import Gathering
    from .views import bp

    app.register_blueprint(bp)
    keep(app, "/gatherings/", who=field_users, concerns=("gathering",))
    keep(app, "/gatherings/new", who=field_users)
    keep(app, "/gatherings/count", who=field_users)  # counting at one planned offline
    # The gathering's page names attendees and offers the user's people to name: it changes
    # with them (a person leaving the caseload leaves it at the next sync).
    keep_per_record(app, "gathering", "/gatherings/{id}", who=field_users, concerns=("person",))
    for template in ("/gatherings/{id}/count", "/gatherings/{id}/invitation"):
        keep_per_record(app, "gathering", template, who=field_users)
    record_type("gathering", Gathering, visible=queries.visible_gatherings,
                data=queries.sync_data, resolving=Resolving(
                    queries.editable_gatherings, "gathering.update",
                    title=queries.title,
                    show_url=lambda g: url_for("gatherings.show", gathering_id=g.id),
                    edit_url=lambda g: url_for("gatherings.edit", gathering_id=g.id)))
    on_access_change("person", operations.relog_for_person)  # named attendees follow the person
    privacy.retention("gathering", 24, expired=queries.expired, forget=operations.anonymise,
                      action=privacy.ANONYMISE, label=N_("Named attendees of gatherings"))
    privacy.activity("gatherings", queries.people_active_since)
    privacy.subject_data("gatherings", queries.subject_data)
    privacy.on_erase(operations.erase_person_attendance)
    app.jinja_env.globals.update(gathering_title=queries.title, gathering_kinds=KIND_LABELS)
    app.jinja_env.filters["invitation_language"] = lambda code: (
        code, native_language_name(code))

