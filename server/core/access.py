"""Who may see and do what: the role table of the design as plain rules.

Queries apply these rules in SQL (see each feature's queries module); the rules
that need no database live here so that every feature decides the same way. What an
actor may read of a note or a person is decided only here: pages, htmx fragments and
pull all read through the features' queries, which call these rules.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from .vocab import next_referral_steps


class Role(StrEnum):
    VOLUNTEER = "volunteer"
    BUDDY = "buddy"
    OFFICER = "officer"
    WORKER = "worker"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class Visibility(StrEnum):
    TEAM = "team"
    PRIVATE = "private"
    SENSITIVE = "sensitive"


# Who may grant or remove whose roles: nobody ever above their own rank.
_RANK = {Role.ADMIN: 2, Role.COORDINATOR: 1}


def rank(roles: "frozenset[Role] | set[Role]") -> int:
    return max((_RANK.get(role, 0) for role in roles), default=0)


# Roles that work a team's caseload and see its people in full.
CASELOAD_ROLES = frozenset({Role.VOLUNTEER, Role.WORKER})
# Roles that may log contacts and referrals.
FIELD_ROLES = frozenset({Role.VOLUNTEER, Role.OFFICER, Role.WORKER, Role.COORDINATOR})
# Roles that visit the population register's new households. Police separation: a user who
# is a neighbourhood police officer receives no register data at all, whatever other role
# they hold (docs/welcome.md).
WELCOME_ROLES = frozenset({Role.VOLUNTEER, Role.WORKER, Role.COORDINATOR})


@dataclass(frozen=True)
class Actor:
    """The signed-in user as seen inside one municipality."""

    user_id: str
    municipality_id: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    team_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_coordinator(self) -> bool:
        return Role.COORDINATOR in self.roles

    @property
    def works_caseload(self) -> bool:
        return bool(self.roles & CASELOAD_ROLES)

    @property
    def is_officer(self) -> bool:
        return Role.OFFICER in self.roles

    @property
    def is_field_user(self) -> bool:
        return bool(self.roles & FIELD_ROLES)

    def has(self, role: Role) -> bool:
        return role in self.roles


def may_read_note(actor: Actor, author_id: str, visibility: str, *,
                  on_case: bool = True) -> bool:
    """Team notes go to the caseload roles that hold the case (for a contact: who may see it);
    private and sensitive ones only to author and coordinator. Officers and buddies therefore
    read only what they wrote themselves: never anyone's social or health notes."""
    if actor.user_id == author_id or actor.is_coordinator:
        return True
    return visibility == Visibility.TEAM and actor.works_caseload and on_case


def note_shown(actor: Actor, author_id: str, visibility: str, *, on_case: bool = True) -> str:
    """How a page or a pull carries a note, since phones keep both: only a team note is in
    them as text ("text"); a private one the reader may read comes live ("live"), a sensitive
    one on the reader's explicit request, audited ("on_request"); else "withheld"."""
    if not may_read_note(actor, author_id, visibility, on_case=on_case):
        return "withheld"
    return {Visibility.TEAM: "text", Visibility.PRIVATE: "live"}.get(
        Visibility(visibility), "on_request")


def holds_case(actor: Actor, team_id: str | None, created_by: str | None) -> bool:
    """The actor works this person's case: on one of their teams' caseloads, or a person they
    entered who is not on a team yet."""
    if actor.is_coordinator:
        return True
    if not actor.works_caseload:
        return False
    return team_id in actor.team_ids if team_id is not None else created_by == actor.user_id


def may_see_person(actor: Actor, team_id: str | None, created_by: str | None, *,
                   logged_by_actor: bool) -> bool:
    """Whether the actor may see a person of their municipality at all (name, id): the rule
    people.queries.visible_people applies in SQL. ``logged_by_actor``: the actor logged a
    contact with them (an officer sees the people they logged)."""
    if actor.is_coordinator:
        return True
    if actor.works_caseload and team_id is not None and team_id in actor.team_ids:
        return True
    if actor.is_field_user and team_id is None and created_by == actor.user_id:
        return True
    return actor.is_officer and logged_by_actor


def referral_steps_allowed(actor: Actor, status: str, *, is_author: bool,
                           on_case: bool) -> tuple[str, ...]:
    """Which next steps of a referral the actor may record. What happens once it is sent
    (accepted, started, declined, ...) is welfare work: the coordinator's and that of the
    caseload roles holding the case. Whoever proposed it (an officer, say) may send or drop
    their proposal, nothing after that."""
    steps = next_referral_steps(status)
    if actor.is_coordinator or (actor.works_caseload and on_case):
        return steps
    if is_author and actor.is_field_user and status == "proposed":
        return tuple(s for s in steps if s in ("sent", "dropped"))
    return ()


def receives_register_data(roles: "frozenset[Role] | set[Role] | set[str]") -> bool:
    """Whether a user with these roles may be given, see or pull households from the
    population register (names, address, ages, languages): never an officer."""
    return bool(set(roles) & WELCOME_ROLES) and Role.OFFICER not in roles


def may_break_glass(actor: Actor) -> bool:
    """Who may open a person outside their own scope for a while, with a stated reason, every
    time recorded: the caseload roles (coordinators see the whole municipality already;
    officers and buddies never get more than their own contacts' people)."""
    return actor.works_caseload and not actor.is_coordinator


def may_manage_privacy(actor: Actor) -> bool:
    """Exports, erasures and the audit log: the coordinator of the municipality."""
    return actor.is_coordinator

