"""People: who the first line works with."""

from flask import Flask, url_for

from ..core.errors import N_
from . import fields  # noqa: F401 - declares the record type, its mutation types


def init_app(app: Flask) -> None:
    from ..core import privacy
    from ..sync.registry import Resolving, record_type
    from ..working_set import field_users, keep, keep_per_record
    from . import operations  # noqa: F401 - registers the mutation handlers
    from .models import Person
    from .queries import inactive_since, pulled_people, subject_data, sync_data, writable_people
    from .views import bp

    app.register_blueprint(bp)
    keep(app, "/people/", concerns=("person",))
    keep(app, "/people/new", who=field_users)
    keep_per_record(app, "person", "/people/{id}")
    keep_per_record(app, "person", "/people/{id}/edit", who=field_users)
    record_type("person", Person, visible=pulled_people, data=sync_data, resolving=Resolving(
        writable_people, "person.update", title=lambda person: person.display_name,
        show_url=lambda person: url_for("people.show", person_id=person.id),
        edit_url=lambda person: url_for("people.edit", person_id=person.id)))
    privacy.retention("person", 24, expired=inactive_since, forget=operations.erase_people,
                      label=N_("People"))
    privacy.subject_data("person", subject_data)
