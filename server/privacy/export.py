"""A person's data as handvast holds it (the right of access): every feature's part, collected
through the registry with the reader's own scope rules, the export itself audited."""

from typing import Any

from flask import current_app

from ..audit import audit
from ..core import clock
from ..core.access import Actor
from ..core.privacy import SUBJECT_DATA
from ..core.values import jsonable
from ..people.models import Person


def collect(actor: Actor, person: Person, *, how: str) -> dict[str, Any]:
    """Everything each feature holds about the person, as the coordinator may read it; records
    the export (``how``: json or page) in the audit trail before anything is shown."""
    audit("export_person", user_id=actor.user_id, municipality_id=actor.municipality_id,
          object_type="person", object_id=person.id, reason=how)
    data: dict[str, Any] = {"exported_at": jsonable(clock.now()), "format": 1}
    for name, fn in SUBJECT_DATA.items():
        data[name] = fn(actor, person)
    return data


def page_language(person: Person, fallback: str) -> str:
    """The person's preferred language when the catalogs have it, else the reader's."""
    preferred = (person.preferred_language or "").split("-")[0].lower()
    return preferred if preferred in current_app.config["LANGUAGES"] else fallback
