"""The signed-in user's current municipality and their Actor: roles and teams there."""

from flask import Flask, g, session
from flask_login import current_user
from sqlalchemy import select

from ..auth import needs_login
from ..auth.models import Membership
from ..core.access import Actor, Role
from ..extensions import db
from .models import Municipality, Team, TeamMember


def init_app(app: Flask) -> None:
    """Right after auth's sign-in check, before anything else may render a page."""
    app.before_request(load_actor)
    app.jinja_env.globals["user_municipalities"] = user_municipalities


def load_actor() -> None:
    """before_request: set g.actor and g.municipality for a signed-in user."""
    g.actor = None
    g.municipality = None
    if not current_user.is_authenticated or not needs_login():
        return
    memberships = db.session.scalars(
        select(Membership).join(Municipality, Municipality.id == Membership.municipality_id)
        .where(Membership.user_id == current_user.id, Municipality.active.is_(True))
        .order_by(Municipality.name)).all()
    # first by name unless the user switched: the same default on every device; a
    # deactivated municipality is never chosen
    municipality_ids = list(dict.fromkeys(m.municipality_id for m in memberships))
    if not municipality_ids:
        return
    chosen = session.get("municipality_id")
    if chosen not in municipality_ids:
        chosen = municipality_ids[0]
    roles = frozenset(Role(m.role) for m in memberships if m.municipality_id == chosen)
    team_ids = frozenset(db.session.scalars(
        select(TeamMember.team_id).join(Team).where(
            TeamMember.user_id == current_user.id, Team.municipality_id == chosen)))
    g.municipality = db.session.get(Municipality, chosen)
    g.actor = Actor(user_id=current_user.id, municipality_id=chosen, roles=roles,
                    team_ids=team_ids)


def user_municipalities() -> list[Municipality]:
    if not current_user.is_authenticated:
        return []
    query = select(Municipality).join(Membership, Membership.municipality_id == Municipality.id)
    query = query.where(Membership.user_id == current_user.id,
                        Municipality.active.is_(True)).distinct()
    return list(db.session.scalars(query.order_by(Municipality.name)))
