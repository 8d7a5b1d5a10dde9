"""Reads of the actor's municipality: its users, teams and neighbourhoods."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from ..auth.models import Membership, RoleGrant, User
from ..core.access import Actor, Role, rank
from ..core.errors import NotFound
from ..core.ids import parse_id
from ..extensions import db
from .models import Neighbourhood, Team, TeamMember

PAGE_SIZE = 25


def users(actor: Actor) -> list[tuple[User, list[str]]]:
    rows = db.session.execute(
        select(User, Membership.role).join(Membership, Membership.user_id == User.id)
        .where(Membership.municipality_id == actor.municipality_id)
        .order_by(User.display_name, Membership.role)).all()
    grouped: dict[str, tuple[User, list[str]]] = {}
    for user, role in rows:
        grouped.setdefault(user.id, (user, []))[1].append(role)
    return list(grouped.values())


@dataclass(frozen=True)
class UserPage:
    rows: list[tuple[User, list[str]]]
    total: int
    page: int
    pages: int


def user_page(actor: Actor, text: str = "", role: str = "", page: int = 1) -> UserPage:
    """One page of the municipality's users, matching ``text`` in the name or e-mail address
    and holding ``role`` here (any role when empty), by name."""
    ids = select(Membership.user_id).where(Membership.municipality_id == actor.municipality_id)
    if role:
        ids = ids.where(Membership.role == role)
    query = select(User.id).where(User.id.in_(ids))
    for word in text.lower().split()[:5]:
        query = query.where(or_(func.lower(User.display_name).contains(word, autoescape=True),
                                func.lower(User.email).contains(word, autoescape=True)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    chosen = list(db.session.scalars(query.order_by(User.display_name, User.id)
                                     .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return UserPage(_with_roles(actor, chosen), total, page, pages)


def _with_roles(actor: Actor, user_ids: list[str]) -> list[tuple[User, list[str]]]:
    rows = db.session.execute(
        select(User, Membership.role).join(Membership, Membership.user_id == User.id)
        .where(Membership.municipality_id == actor.municipality_id, User.id.in_(user_ids))
        .order_by(User.display_name, User.id, Membership.role)).all()
    grouped: dict[str, tuple[User, list[str]]] = {}
    for user, role in rows:
        grouped.setdefault(user.id, (user, []))[1].append(role)
    return list(grouped.values())


def roles_here(actor: Actor, user_id: str) -> list[str]:
    return list(db.session.scalars(select(Membership.role).where(
        Membership.user_id == user_id, Membership.municipality_id == actor.municipality_id)
        .order_by(Membership.role)))


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


def team_members(team: Team) -> list[User]:
    return list(db.session.scalars(select(User).join(TeamMember, TeamMember.user_id == User.id)
                                   .where(TeamMember.team_id == team.id)
                                   .order_by(User.display_name)))


def members_by_team(actor: Actor) -> dict[str, list[str]]:
    """Team id -> its members' names, for the list of teams."""
    rows = db.session.execute(
        select(TeamMember.team_id, User.display_name).join(Team).join(
            User, User.id == TeamMember.user_id).where(
            Team.municipality_id == actor.municipality_id).order_by(User.display_name)).all()
    names: dict[str, list[str]] = {}
    for team_id, name in rows:
        names.setdefault(team_id, []).append(name)
    return names


def waiting_grants(actor: Actor) -> list[RoleGrant]:
    """Admins' requests for a case role for themselves in this municipality, for (other)
    admins of it to approve."""
    if not actor.has(Role.ADMIN):
        return []
    return list(db.session.scalars(select(RoleGrant).where(
        RoleGrant.approved_at.is_(None), RoleGrant.municipality_id == actor.municipality_id)
        .order_by(RoleGrant.requested_at)))


def neighbourhood_options(actor: Actor, keep: object = None) -> list[tuple[str, str]]:
    """(id, name) of the municipality's active neighbourhoods, for a form's choice; ``keep``:
    the one the record names now, offered even when deactivated so that saving keeps it."""
    shown = Neighbourhood.active.is_(True)
    kept = parse_id(keep) if isinstance(keep, str) else None  # as posted back: any text
    if kept:
        shown = or_(shown, Neighbourhood.id == kept)
    return [(n.id, n.name) for n in db.session.scalars(select(Neighbourhood).where(
        Neighbourhood.municipality_id == actor.municipality_id, shown)
        .order_by(Neighbourhood.name))]


def neighbourhoods(actor: Actor) -> list[Neighbourhood]:
    """All of the municipality's neighbourhoods, active first."""
    return list(db.session.scalars(select(Neighbourhood).where(
        Neighbourhood.municipality_id == actor.municipality_id)
        .order_by(Neighbourhood.active.desc(), Neighbourhood.name)))


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
