"""The signed-in user's current municipality and the Actor every query is scoped by."""

from flask import abort, g, session
from flask_login import current_user
from sqlalchemy import select

from ..core.access import Actor, Role
from ..extensions import db
from ..org.models import Municipality, Team, TeamMember
from ..web import actor
from .models import Membership

__all__ = ["actor", "field_actor", "load_actor", "require", "user_municipalities"]


def load_actor() -> None:
    """before_request: set g.actor and g.municipality for a signed-in user."""
    g.actor = None
    g.municipality = None
    if not current_user.is_authenticated:
        return
    memberships = db.session.scalars(
        select(Membership).join(Municipality, Municipality.id == Membership.municipality_id)
        .where(Membership.user_id == current_user.id).order_by(Municipality.name)).all()
    # first by name unless the user switched: the same default on every device
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


def require(*roles: Role) -> Actor:
    current = actor()
    if not current.roles & set(roles):
        abort(404)
    return current


def user_municipalities() -> list[Municipality]:
    if not current_user.is_authenticated:
        return []
    query = select(Municipality).join(Membership, Membership.municipality_id == Municipality.id)
    query = query.where(Membership.user_id == current_user.id).distinct()
    return list(db.session.scalars(query.order_by(Municipality.name)))


def field_actor() -> Actor:
    """Someone who logs contacts and referrals; others get a 404 for those forms."""
    current = actor()
    if not current.is_field_user:
        abort(404)
    return current
