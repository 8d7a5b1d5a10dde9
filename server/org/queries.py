"""Reads of the actor's municipality: its users, teams and neighbourhoods."""

from sqlalchemy import select

from ..auth.models import Membership, RoleGrant, User
from ..core.access import Actor, Role, rank
from ..core.errors import NotFound
from ..extensions import db
from .models import Neighbourhood, Team


def users(actor: Actor) -> list[tuple[User, list[str]]]:
    rows = db.session.execute(
        select(User, Membership.role).join(Membership, Membership.user_id == User.id)
        .where(Membership.municipality_id == actor.municipality_id)
        .order_by(User.display_name, Membership.role)).all()
    grouped: dict[str, tuple[User, list[str]]] = {}
    for user, role in rows:
        grouped.setdefault(user.id, (user, []))[1].append(role)
    return list(grouped.values())


def outranking(actor: Actor, user_ids: list[str]) -> set[str]:
    """Those of ``user_ids`` who hold a role above the actor's anywhere: only an admin
    changes them."""
    above = [r.value for r in Role if rank({r}) > rank(actor.roles)]
    if not above or not user_ids:
        return set()
    return set(db.session.scalars(select(Membership.user_id).where(
        Membership.user_id.in_(user_ids), Membership.role.in_(above))))


def get_user(actor: Actor, user_id: str) -> User:
    user = db.session.scalar(select(User).join(Membership, Membership.user_id == User.id).where(
        User.id == user_id, Membership.municipality_id == actor.municipality_id).limit(1))
    if user is None:
        raise NotFound
    return user


def teams(actor: Actor) -> list[Team]:
    return list(db.session.scalars(select(Team).where(
        Team.municipality_id == actor.municipality_id).order_by(Team.name)))


def waiting_grants(actor: Actor) -> list[RoleGrant]:
    """Admins' requests for a case role for themselves, for (other) admins to approve."""
    if not actor.has(Role.ADMIN):
        return []
    return list(db.session.scalars(select(RoleGrant).where(RoleGrant.approved_at.is_(None))
                                   .order_by(RoleGrant.requested_at)))


def neighbourhood_options(actor: Actor) -> list[tuple[str, str]]:
    """(id, name) of the municipality's neighbourhoods, for a form's choice."""
    return [(n.id, n.name) for n in db.session.scalars(select(Neighbourhood).where(
        Neighbourhood.municipality_id == actor.municipality_id).order_by(Neighbourhood.name))]


def neighbourhood(actor: Actor, neighbourhood_id: str | None) -> Neighbourhood | None:
    if not neighbourhood_id:
        return None
    return db.session.scalar(select(Neighbourhood).where(
        Neighbourhood.id == neighbourhood_id, Neighbourhood.municipality_id == actor.municipality_id))


def actor_of(email: str, municipality_slug: str) -> Actor | None:
    """The Actor of a user by e-mail in a municipality by slug (for the demo seeds), or None."""
    from .models import Municipality, TeamMember

    user = db.session.scalar(select(User).where(User.email == email))
    municipality = db.session.scalar(select(Municipality).where(
        Municipality.slug == municipality_slug))
    if user is None or municipality is None:
        return None
    roles = frozenset(Role(r) for r in db.session.scalars(select(Membership.role).where(
        Membership.user_id == user.id, Membership.municipality_id == municipality.id)))
    teams = frozenset(db.session.scalars(select(TeamMember.team_id).join(Team).where(
        TeamMember.user_id == user.id, Team.municipality_id == municipality.id)))
    return Actor(user.id, municipality.id, roles, teams)
