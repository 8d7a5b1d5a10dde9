"""Builds the demo through the same operations the app uses, so sync sees it all."""

import random
from datetime import timedelta

from sqlalchemy import select

from ..auth.models import Membership, User
from ..auth.passwords import hash_password
from ..buddies.demo import seed_buddies
from ..core.access import Actor, Role
from ..core.clock import LOCAL_TZ, now, today_local
from ..core.ids import new_id
from ..core.mutations import Mutation
from ..core.vocab import CHANNELS, DOMAINS
from ..extensions import db
from ..gatherings.demo import seed_gatherings
from ..org.models import Municipality, Neighbourhood, Team, TeamMember
from ..outreach.demo import seed_rounds
from ..privacy.demo import seed_privacy
from ..services.demo import translate_services
from ..services.models import Service
from ..services.operations import add_service
from ..signals.demo import seed_signals
from ..sync.apply import apply_one
from ..welcome.demo import seed_welcome
from .data import MUNICIPALITIES, NOTES, PEOPLE, SERVICES

# The published demo password (README), seeded only by `flask seed-demo`.
DEMO_PASSWORD = "handvast-demo"  # nosec B105
LOGINS = [
    ("admin@example.org", "admin, Dilbeek"),
    ("coordinator@example.org", "coordinator, Dilbeek"),
    ("worker@example.org", "worker, Dilbeek (team Onthaal Dilbeek)"),
    ("volunteer@example.org", "volunteer, Dilbeek (team Onthaal Dilbeek)"),
    ("buddy@example.org", "buddy, Dilbeek"),
    ("officer@example.org", "neighbourhood police officer, Dilbeek"),
    ("worker.vilvoorde@example.org", "worker, Vilvoorde (team Onthaal Vilvoorde)"),
]


def _user(email: str, name: str, password_hash: str, memberships: list[tuple[str, str]]) -> User:
    user = User(email=email, display_name=name, password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    for municipality_id, role in memberships:
        db.session.add(Membership(user_id=user.id, municipality_id=municipality_id, role=role))
    return user


def _municipality(slug: str) -> Municipality:
    name, neighbourhoods = MUNICIPALITIES[slug]
    municipality = Municipality(slug=slug, name=name, default_locale="nl")
    db.session.add(municipality)
    db.session.flush()
    for hood in neighbourhoods:
        db.session.add(Neighbourhood(municipality_id=municipality.id, name=hood))
    for category, names, descriptions, phone, website in SERVICES:
        local = {k: v.replace("OCMW – Sociaal Huis", f"OCMW {name} – Sociaal Huis")
                 for k, v in names.items()}
        add_service(municipality.id, category, local, descriptions, phone, website,
                    address=f"{name}")
    db.session.flush()
    return municipality


def _apply(actor: Actor, mutation_type: str, fields: dict, record_id: str | None = None) -> str:
    result = apply_one(actor, Mutation(id=new_id(), type=mutation_type,
                                       record_id=record_id or new_id(), fields=fields))
    if result.status != "applied":
        raise RuntimeError(f"demo seed: {mutation_type} {result.status} {result.errors}")
    return result.record_id


def seed(rng_seed: int = 7) -> bool:
    """Create the demo once; return False when it is already there."""
    if db.session.scalar(select(Municipality.id).where(Municipality.slug == "dilbeek")):
        return False
    rng = random.Random(rng_seed)
    hashed = hash_password(DEMO_PASSWORD)
    places = {slug: _municipality(slug) for slug in MUNICIPALITIES}
    dilbeek, vilvoorde = places["dilbeek"].id, places["vilvoorde"].id
    users = {
        "admin": _user("admin@example.org", "Ada Beheer", hashed, [(dilbeek, "admin")]),
        "coordinator": _user("coordinator@example.org", "Sofie Claes", hashed,
                             [(dilbeek, "coordinator")]),
        "worker": _user("worker@example.org", "Youssef Amrani", hashed, [(dilbeek, "worker")]),
        "volunteer": _user("volunteer@example.org", "Lotte Peeters", hashed,
                           [(dilbeek, "volunteer")]),
        "buddy": _user("buddy@example.org", "Jan De Smet", hashed, [(dilbeek, "buddy")]),
        "officer": _user("officer@example.org", "Inspecteur Karim Wouters", hashed,
                         [(dilbeek, "officer")]),
        "worker.vilvoorde": _user("worker.vilvoorde@example.org", "Nadia Vermeulen", hashed,
                                  [(vilvoorde, "worker")]),
    }
    teams = {
        dilbeek: Team(municipality_id=dilbeek, name="Onthaal Dilbeek"),
        vilvoorde: Team(municipality_id=vilvoorde, name="Onthaal Vilvoorde"),
    }
    db.session.add_all(teams.values())
    db.session.flush()
    for key, municipality_id in (("worker", dilbeek), ("volunteer", dilbeek),
                                 ("worker.vilvoorde", vilvoorde)):
        db.session.add(TeamMember(team_id=teams[municipality_id].id, user_id=users[key].id))
    db.session.flush()
    _case_data(rng, places["dilbeek"], teams[dilbeek], users, people_slice=slice(0, 12))
    vilvoorde_users = {"worker": users["worker.vilvoorde"]}
    _case_data(rng, places["vilvoorde"], teams[vilvoorde], vilvoorde_users,
               people_slice=slice(9, 15))
    translate_services(dilbeek, users["coordinator"].id)
    seed_privacy()
    seed_buddies(places["dilbeek"], users, teams[dilbeek])
    seed_gatherings()
    seed_rounds()
    seed_signals()
    seed_welcome()
    db.session.commit()
    return True


def _actor(user: User, municipality: Municipality, team: Team | None) -> Actor:
    roles = frozenset(Role(m.role) for m in user.memberships
                      if m.municipality_id == municipality.id)
    return Actor(user.id, municipality.id, roles, frozenset({team.id}) if team else frozenset())


def _case_data(rng: random.Random, municipality: Municipality, team: Team,
               users: dict[str, User], people_slice: slice) -> None:
    hoods = list(db.session.scalars(select(Neighbourhood.id).where(
        Neighbourhood.municipality_id == municipality.id)))
    services = list(db.session.scalars(select(Service).where(
        Service.municipality_id == municipality.id)))
    worker = _actor(users["worker"], municipality, team)
    authors = [worker]
    if "volunteer" in users:
        authors.append(_actor(users["volunteer"], municipality, team))
    people = []
    for i, (name, languages, preferred) in enumerate(PEOPLE[people_slice]):
        fields = {"display_name": name, "languages": languages, "preferred_language": preferred,
                  "neighbourhood_id": rng.choice(hoods), "phone": f"+32 470 {10 + i:02d} 12 34",
                  "consent_basis": "consent", "consent_purpose": "Begeleiding en toeleiding",
                  "consent_date": (today_local() - timedelta(days=100 - i)).isoformat()}
        people.append(_apply(worker, "person.create", fields))
    coordinator = users.get("coordinator")
    if coordinator is not None:
        coord = _actor(coordinator, municipality, None)
        for person_id in people[-2:]:  # two people still without a team, for the overview
            _apply(coord, "person.assign", {"team_id": None}, record_id=person_id)
    _contacts(rng, municipality, users, team, people[:-2], hoods, authors)
    _referrals(rng, worker, people[:-2], services)


def _contacts(rng, municipality, users, team, people, hoods, authors) -> None:
    start = now() - timedelta(days=90)
    for i in range(45):
        author = authors[i % len(authors)]
        when = start + timedelta(days=rng.uniform(0, 89), hours=rng.uniform(0, 8))
        when = when.astimezone(LOCAL_TZ).replace(hour=rng.randint(9, 18))
        fields = {
            "occurred_at": when.isoformat(), "channel": rng.choice(CHANNELS),
            "domains": rng.sample(DOMAINS, rng.randint(1, 3)),
            "person_ids": [rng.choice(people)] if i % 7 else [],
            "duration_minutes": rng.choice([10, 15, 20, 30, 45, 60]),
            "note": rng.choice(NOTES), "note_visibility": "sensitive" if i % 11 == 0 else "team",
            "neighbourhood_id": rng.choice(hoods),
        }
        if i % 6 == 0:
            fields["follow_up_on"] = (today_local() + timedelta(days=rng.randint(-5, 10))).isoformat()
        _apply(author, "contact.create", fields)


def _referrals(rng, worker, people, services) -> None:
    flow = ["sent", "accepted", "started", "completed"]
    for i, person_id in enumerate(people[:8]):
        service = rng.choice(services)
        opened = today_local() - timedelta(days=rng.randint(20, 80))
        due = opened + timedelta(days=rng.randint(10, 60))
        referral_id = _apply(worker, "referral.create", {
            "person_id": person_id, "service_id": service.id, "occurred_on": opened.isoformat(),
            "follow_up_due": due.isoformat(), "note": "Samen afspraak gemaakt."})
        day = opened
        for status in flow[: i % 5]:
            day = min(day + timedelta(days=rng.randint(2, 9)), today_local())
            _apply(worker, "referral.advance", {"status": status, "occurred_on": day.isoformat()},
                   record_id=referral_id)
