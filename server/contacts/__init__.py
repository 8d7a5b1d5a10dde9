"""Contacts: the logged meetings with people, append-only."""

from flask import Flask


def init_app(app: Flask) -> None:
    from ..sync.registry import on_access_change, record_type
    from . import operations  # its handlers register as it is imported
    from .models import Contact
    from .queries import sync_data, visible_contacts
    from .views import bp, participants

    app.register_blueprint(bp)
    record_type("contact", Contact, visible=visible_contacts, data=sync_data)
    # Who may see a person's contacts follows the person.
    on_access_change("person", operations.relog_for_person)
    # Lists of contacts anywhere name only the people the reader may see.
    app.jinja_env.globals["participants"] = participants
