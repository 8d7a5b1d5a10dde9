"""Who may see and do what: the role table of the design as plain rules.

Queries apply these rules in SQL (see each feature's queries module); the rules
that need no database live here so that every feature decides the same way.
"""

from dataclasses import dataclass, field
from enum import StrEnum


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


def may_read_note(actor: Actor, author_id: str, visibility: str) -> bool:
    """Team notes follow the contact; private and sensitive ones only author and coordinator."""
    if actor.user_id == author_id or actor.is_coordinator:
        return True
    return visibility == Visibility.TEAM and actor.works_caseload


def sees_full_profile(actor: Actor, on_caseload: bool) -> bool:
    """Officers and buddies only ever get the basic profile."""
    return actor.is_coordinator or (actor.works_caseload and on_caseload)
