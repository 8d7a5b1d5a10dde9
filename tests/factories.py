"""Plain factory functions; every record goes through the app's own operations."""

from dataclasses import dataclass, field

from server.auth.models import Membership, User
from server.auth.passwords import hash_password
from server.core.access import Actor, Role
from server.core.changes import ensure_counter
from server.core.ids import new_id
from server.core.mutations import Mutation
from server.extensions import db
from server.org.models import Municipality, Neighbourhood, Team, TeamMember
from server.services.operations import add_service
from server.sync.apply import apply_one

from .records import contact_fields, person_fields, referral_fields

PASSWORD = "correct horse battery"


def make_municipality(name: str = "Testgem") -> Municipality:
    municipality = Municipality(slug=f"{name.lower()}-{new_id()[:8]}", name=name)
    db.session.add(municipality)
    db.session.flush()
    db.session.add(Neighbourhood(municipality_id=municipality.id, name="Centrum"))
    db.session.flush()
    return municipality


def make_team(municipality: Municipality, name: str = "Team") -> Team:
    team = Team(municipality_id=municipality.id, name=name)
    db.session.add(team)
    db.session.flush()
    return team


_hash_cache: dict[str, str] = {}


def make_user(email: str, municipality: Municipality | None, *roles: str,
              teams: tuple[Team, ...] = (), password: str = PASSWORD) -> User:
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    user = User(email=email, display_name=email.split("@")[0].title(),
                password_hash=_hash_cache[password])
    db.session.add(user)
    db.session.flush()
    for role in roles:
        db.session.add(Membership(user_id=user.id, municipality_id=municipality.id, role=role))
    for team in teams:
        db.session.add(TeamMember(team_id=team.id, user_id=user.id))
    db.session.flush()
    return user


def actor_for(user: User, municipality: Municipality) -> Actor:
    db.session.refresh(user)
    roles = frozenset(Role(m.role) for m in user.memberships
                      if m.municipality_id == municipality.id)
    teams = frozenset(t.team_id for t in db.session.query(TeamMember).join(Team).filter(
        TeamMember.user_id == user.id, Team.municipality_id == municipality.id))
    return Actor(user.id, municipality.id, roles, teams)


def apply(actor: Actor, mutation_type: str, fields: dict, record_id: str | None = None,
          base_version: int | None = None) -> str:
    result = apply_one(actor, Mutation(id=new_id(), type=mutation_type,
                                       record_id=record_id or new_id(), fields=fields,
                                       base_version=base_version))
    assert result.status in ("applied", "merged"), result
    return result.record_id


def make_person(actor: Actor, **overrides) -> str:
    return apply(actor, "person.create", person_fields(**overrides))


def make_contact(actor: Actor, person_ids: list[str] = (), **overrides) -> str:
    return apply(actor, "contact.create", contact_fields(person_ids, **overrides))


def make_service(municipality: Municipality, name: str = "Huis van het Nederlands") -> str:
    service = add_service(municipality.id, "language", {"nl": name, "fr": f"{name} (fr)",
                                                        "en": f"{name} (en)"},
                          {"nl": "Nederlandse les", "fr": "cours de néerlandais",
                           "en": "Dutch lessons"})
    return service.id


def make_referral(actor: Actor, person_id: str, service_id: str, **overrides) -> str:
    return apply(actor, "referral.create", referral_fields(person_id, service_id, **overrides))


@dataclass
class World:
    """Municipality A with one user per role and a team; municipality B beside it."""

    a: Municipality
    b: Municipality
    team: Team
    users: dict[str, User]
    actors: dict[str, Actor]
    records: dict[str, str] = field(default_factory=dict)

    def actor(self, key: str) -> Actor:
        return self.actors[key]


def build_world() -> World:
    a, b = make_municipality("Alpha"), make_municipality("Beta")
    team, team_b = make_team(a, "Onthaal"), make_team(b, "Onthaal B")
    users = {
        "admin": make_user("admin@a.test", a, "admin"),
        "coordinator": make_user("coordinator@a.test", a, "coordinator"),
        "worker": make_user("worker@a.test", a, "worker", teams=(team,)),
        "volunteer": make_user("volunteer@a.test", a, "volunteer", teams=(team,)),
        "buddy": make_user("buddy@a.test", a, "buddy"),
        "officer": make_user("officer@a.test", a, "officer"),
        "worker_b": make_user("worker@b.test", b, "worker", teams=(team_b,)),
        "coordinator_b": make_user("coordinator@b.test", b, "coordinator"),
    }
    actors = {k: actor_for(u, b if k.endswith("_b") else a) for k, u in users.items()}
    world = World(a, b, team, users, actors)
    worker, worker_b = actors["worker"], actors["worker_b"]
    records = world.records
    records["person"] = make_person(worker, display_name="Amina El Idrissi", phone="+32 470 00")
    records["service"] = make_service(a)
    records["contact"] = make_contact(worker, [records["person"]])
    records["referral"] = make_referral(worker, records["person"], records["service"])
    records["person_b"] = make_person(worker_b, display_name="Person in B")
    records["service_b"] = make_service(b, "Service in B")
    records["contact_b"] = make_contact(worker_b, [records["person_b"]])
    records["referral_b"] = make_referral(worker_b, records["person_b"], records["service_b"])
    return world


def empty_database() -> None:
    """Every row gone and the change counter back at zero (inside an app context)."""
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
    ensure_counter(db.session)
    db.session.commit()
