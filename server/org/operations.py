"""Every write to teams, and the check of the neighbourhood a record names."""

from sqlalchemy import delete, select

from ..audit import audit
from ..auth.models import Membership, User
from ..core.access import Actor
from ..core.errors import N_, ValidationFailed
from ..core.validate import Checker
from ..extensions import db, one_or_not_found
from .models import Neighbourhood, Team, TeamMember


def _team_name(actor: Actor, data: dict, team_id: str | None = None) -> str:
    check = Checker(data, ("name",))
    name = check.text("name", max_len=120, required=True)
    check.done()
    taken = db.session.scalar(select(Team.id).where(
        Team.municipality_id == actor.municipality_id, Team.name == name))
    if taken and taken != team_id:
        raise ValidationFailed.single("name", N_("a team with this name exists"))
    return name or ""


def create_team(actor: Actor, data: dict) -> Team:
    team = Team(municipality_id=actor.municipality_id, name=_team_name(actor, data))
    db.session.add(team)
    db.session.flush()
    audit("create_team", user_id=actor.user_id, municipality_id=actor.municipality_id,
          object_type="team", object_id=team.id)
    db.session.flush()
    return team


def rename_team(actor: Actor, team: Team, data: dict) -> None:
    team.name = _team_name(actor, data, team.id)
    audit("rename_team", user_id=actor.user_id, municipality_id=actor.municipality_id,
          object_type="team", object_id=team.id)
    db.session.flush()


def get_team(actor: Actor, team_id: str) -> Team:
    return one_or_not_found(select(Team).where(Team.id == team_id,
                                               Team.municipality_id == actor.municipality_id))


def set_member(actor: Actor, team: Team, user_id: str, member: bool) -> None:
    """Add or remove a user who holds a role in this municipality."""
    in_municipality = db.session.scalar(select(Membership.id).where(
        Membership.user_id == user_id, Membership.municipality_id == actor.municipality_id))
    if in_municipality is None:
        raise ValidationFailed.single("user_id", N_("not found or not allowed"))
    existing = db.session.get(TeamMember, (team.id, user_id))
    user = db.session.get(User, user_id)
    if user is not None and (existing is None) == member:
        user.sync_epoch += 1  # their phone re-syncs what they may now see
    if member and existing is None:
        db.session.add(TeamMember(team_id=team.id, user_id=user_id))
    elif not member and existing is not None:
        db.session.delete(existing)
    audit("team_member", user_id=actor.user_id, municipality_id=actor.municipality_id,
          object_type="team", object_id=team.id)
    db.session.flush()


def check_neighbourhood(check: Checker, actor: Actor,
                        known: frozenset[str] | None = None) -> str | None:
    """A neighbourhood of the actor's municipality; ``known``: those looked up beforehand."""
    neighbourhood_id = check.ident("neighbourhood_id")
    if not neighbourhood_id:
        return None
    if known is None:
        known = frozenset(db.session.scalars(select(Neighbourhood.id).where(
            Neighbourhood.id == neighbourhood_id,
            Neighbourhood.municipality_id == actor.municipality_id)))
    if neighbourhood_id not in known:
        check.fail("neighbourhood_id", N_("not found or not allowed"))
        return None
    return neighbourhood_id


def join_invited_team(user_id: str, municipality_id: str, team_id: str | None) -> None:
    """An accepted invitation that names a team (of its municipality) makes the user a member."""
    if team_id is None or db.session.get(TeamMember, (team_id, user_id)) is not None:
        return
    team = db.session.get(Team, team_id)
    if team is not None and team.municipality_id == municipality_id:
        db.session.add(TeamMember(team_id=team_id, user_id=user_id))


def leave_teams(user_id: str, municipality_id: str) -> None:
    """A user removed from a municipality leaves its teams."""
    db.session.execute(delete(TeamMember).where(
        TeamMember.user_id == user_id,
        TeamMember.team_id.in_(select(Team.id).where(Team.municipality_id == municipality_id))))
