"""The coordinator's audit pages: the municipality's log with filters, one person's access log.
Read-only: nothing here (or anywhere in the app) changes or removes an audit row."""

from flask import Blueprint, request

from ..auth.current import actor
from ..auth.models import User
from ..core.access import Actor, may_manage_privacy
from ..core.clock import parse_iso_date
from ..core.errors import NotFound
from ..extensions import db
from ..people import queries as people
from ..people import timeline
from ..web import not_kept, page
from . import audit_log as queries

bp = Blueprint("audit", __name__)


def _coordinator() -> Actor:
    current = actor()
    if not may_manage_privacy(current):
        raise NotFound
    return current


@bp.get("/audit")
def log():
    current = _coordinator()
    args = request.args
    users = queries.members(current)
    user_id = args.get("user") if args.get("user") in {u.id for u in users} else None
    action = args.get("action") if args.get("action") in queries.ACTION_LABELS else None
    filters = queries.Filters(user_id, action, parse_iso_date(args.get("since")),
                              parse_iso_date(args.get("until")))
    return not_kept(page("privacy/audit_log.html", "results", events=queries.log(current, filters),
                         filters=filters, users=users, actions=queries.ACTION_LABELS,
                         page_size=queries.PAGE_SIZE))


@bp.get("/people/<id:person_id>/log")
def person_log(person_id: str):
    current = _coordinator()
    person = people.get_visible(current, person_id)
    ids = [person.id] + [entry.item.id for entry in timeline.for_person(current, person.id)]
    authors = {user.id: user.display_name for user in db.session.scalars(
        db.select(User).where(User.id.in_(set(person.field_authors.values()))))}
    changes = sorted(((name, person.field_versions.get(name, 1),
                       authors.get(author_id, "")) for name, author_id in
                      person.field_authors.items()), key=lambda c: (-c[1], c[0]))
    return not_kept(page("privacy/person_log.html", person=person, events=queries.about(current, ids),
                         changes=changes, actions=queries.ACTION_LABELS))
