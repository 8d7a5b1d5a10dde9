"""Contacts: the logged meetings with people, append-only."""

from flask import Flask

from ..core.errors import N_
from . import fields  # noqa: F401 - declares the record type, its mutation types


def init_app(app: Flask) -> None:
    from ..core import privacy
    from ..people import queries as people
    from ..people import timeline
    from ..sync.registry import on_access_change, record_type
    from ..working_set import field_users, keep, keep_per_record
    from . import operations, queries  # the operations register their mutation handlers
    from .models import Contact
    from .views import bp, participants

    app.register_blueprint(bp)
    keep(app, "/contacts/new", who=field_users, concerns=("person",))
    keep(app, "/contacts/follow-ups", who=field_users, concerns=("contact", "person"))
    keep_per_record(app, "contact", "/contacts/{id}")
    record_type("contact", Contact, visible=queries.visible_contacts, data=queries.sync_data)
    on_access_change("person", operations.relog_for_person)  # who sees them follows the person
    people.read_only_view(queries.officer_logged)
    timeline.source("contact", queries.timeline)
    privacy.retention("contact", 24, expired=queries.expired, forget=operations.anonymise,
                      action=privacy.ANONYMISE, label=N_("Contacts and their notes"))
    privacy.activity("contact", queries.people_active_since)
    privacy.subject_data("contacts", queries.subject_data)
    privacy.on_erase(operations.erase_person_contacts)
    # Lists of contacts anywhere name only the people the reader may see.
    app.jinja_env.globals["participants"] = participants
