"""`flask seed-scale`: a reproducible synthetic region for benchmarks, written in bulk.

The rows are the ones the operations would write (people with their field versions,
contacts with their first version, referrals with their steps, ...), each with its
change-log row, so a phone pulls them as if they had been entered one by one.
"""

import math
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select, text

from ..auth.models import Membership, User
from ..auth.passwords import hash_password
from ..core.changes import ensure_counter
from ..core.clock import now
from ..extensions import db
from ..org.models import Municipality, Neighbourhood, Team, TeamMember
from ..services.models import Service
from ..services.queries import search_text
from . import scale_records
from .bulk import Loader
from .data import SERVICES
from .scale_data import COMMUNITIES, MUNICIPALITY_NAMES, NEIGHBOURHOODS
from .scale_records import CASELOAD, UNASSIGNED_SHARE, Case
from .seed import DEMO_PASSWORD

WORKER_EMAIL = "scale.worker@example.org"
COORDINATOR_EMAIL = "scale.coordinator@example.org"
SLUG_PREFIX = "scale-"


@dataclass(frozen=True)
class Size:
    municipalities: int = 30
    people: int = 100_000
    contacts: int = 1_000_000
    referrals: int = 200_000


SMALL = Size(municipalities=3, people=2_000, contacts=20_000, referrals=4_000)


class RegionPresent(Exception):
    """The database already holds a synthetic region."""


@dataclass
class Seat:
    """A team with the worker and the volunteer who work its caseload."""

    id: str
    worker: str
    volunteer: str
    people: list[str] = field(default_factory=list)


@dataclass
class Place:
    """A municipality of the region as the generators need it."""

    id: str
    slug: str
    share: int  # people
    hoods: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    coordinator: str = ""
    officer: str = ""
    teams: list[Seat] = field(default_factory=list)
    buddies: list[str] = field(default_factory=list)

    @property
    def field_users(self) -> list[str]:
        return [u for seat in self.teams for u in (seat.worker, seat.volunteer)] + [self.officer]


@dataclass
class Region:
    rng: random.Random
    places: list[Place]
    loader: Loader
    cases: list[Case] = field(default_factory=list)
    worker_id: str = ""
    coordinator_id: str = ""

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def present() -> bool:
    """A region's municipalities or its two accounts are there already."""
    accounts = select(User.id).where(User.email.in_([WORKER_EMAIL, COORDINATOR_EMAIL]))
    places = select(Municipality.id).where(Municipality.slug.like(f"{SLUG_PREFIX}%"))
    return db.session.scalar(accounts.union(places).limit(1)) is not None


def check_size(size: Size) -> None:
    """The largest municipality must hold the worker's full caseload."""
    if size.municipalities < 1 or min(size.people, size.contacts, size.referrals) < 0:
        raise ValueError("sizes must be positive")
    largest = _shares(random.Random(0), size.people, size.municipalities)[0]
    if largest - math.ceil(largest * UNASSIGNED_SHARE) < CASELOAD:
        raise ValueError(f"too few people: the largest municipality needs {CASELOAD} on the "
                         f"worker's team (try --people {CASELOAD * (size.municipalities + 3)})")


def seed_scale(size: Size, seed: int = 1, echo: Callable[[str], None] = print) -> Region:
    """Build the region in one transaction; RegionPresent when one is there already."""
    check_size(size)
    if present():
        raise RegionPresent
    started = time.perf_counter()
    ensure_counter(db.session)
    rng = random.Random(seed)
    loader = Loader(db.session.connection(), now(), echo)
    region = Region(rng, [], loader)
    stages: list[tuple[str, Callable[[], None]]] = [
        ("municipalities, services and accounts", lambda: _organisation(region, size)),
        ("people", lambda: scale_records.people(region)),
        ("contacts", lambda: scale_records.contacts(region, size.contacts)),
        ("referrals", lambda: scale_records.referrals(region, size.referrals)),
        ("buddies", lambda: scale_records.buddies(region)),
        ("gatherings", lambda: scale_records.gatherings(region)),
        ("signals", lambda: scale_records.signals(region)),
        ("households", lambda: scale_records.households(region)),
    ]
    for name, build in stages:
        before, start = _rows(loader), time.perf_counter()
        build()
        rows, seconds = _rows(loader) - before, time.perf_counter() - start
        echo(f"{name}: {rows:,} rows in {seconds:.1f} s ({rows / max(seconds, 1e-9):,.0f} rows/s)")
    loader.finish()
    db.session.commit()
    with db.engine.begin() as connection:  # fresh statistics, as autovacuum would gather
        connection.execute(text("ANALYZE"))
    echo("per table:")
    loader.report()
    echo(f"total: {_rows(loader):,} rows in {time.perf_counter() - started:.1f} s")
    return region


def _rows(loader: Loader) -> int:
    return sum(t.rows for t in loader.tallies.values())


def _shares(rng: random.Random, total: int, count: int) -> list[int]:
    """People per municipality: the first is the largest, about three times the others."""
    weights = [3.0] + [rng.uniform(0.5, 1.5) for _ in range(count - 1)]
    shares = [int(total * w / sum(weights)) for w in weights]
    shares[0] += total - sum(shares)
    return shares


def _organisation(region: Region, size: Size) -> None:
    loader = region.loader
    shares = _shares(random.Random(0), size.people, size.municipalities)
    for n, share in enumerate(shares):
        name = MUNICIPALITY_NAMES[n % len(MUNICIPALITY_NAMES)]
        name = name if n < len(MUNICIPALITY_NAMES) else f"{name} {n // len(MUNICIPALITY_NAMES) + 1}"
        place = Place(region.new_id(), SLUG_PREFIX + name.lower().replace(" ", "-"), share)
        region.places.append(place)
        loader.write(Municipality.__table__, ("id", "slug", "name", "default_locale", "active"),
                     [(place.id, place.slug, name, "nl", True)])
        place.hoods = [region.new_id() for _ in NEIGHBOURHOODS]
        loader.write(Neighbourhood.__table__, ("id", "municipality_id", "name", "active"),
                     [(i, place.id, hood, True) for i, hood in zip(place.hoods, NEIGHBOURHOODS,
                                                                    strict=True)])
        _services(region, place, name)
    hashed = hash_password(DEMO_PASSWORD)
    for n, place in enumerate(region.places):
        _accounts(region, place, first=n == 0, hashed=hashed)


def _services(region: Region, place: Place, name: str) -> None:
    rows = []
    for category, names, descriptions, phone, website in SERVICES:
        local = {k: v.replace("OCMW – Sociaal Huis", f"OCMW {name} – Sociaal Huis")
                 for k, v in names.items()}
        service_id = region.new_id()
        place.services.append(service_id)
        rows.append((service_id, place.id, category, local, descriptions, phone, website, name,
                     True, 1, search_text(local, descriptions)))
    region.loader.write(Service.__table__, (
        "id", "municipality_id", "category", "names", "descriptions", "phone", "website",
        "address", "active", "version", "search_text"), rows)
    region.loader.log("service", ((s, place.id, 1) for s in place.services))


def _accounts(region: Region, place: Place, *, first: bool, hashed: str) -> None:
    """A coordinator, an officer, a worker and a volunteer per team of CASELOAD people, and
    buddies. Only the two accounts outside checks use can sign in (the demo password)."""
    users: list[tuple] = []
    roles: list[tuple] = []
    town = place.slug.removeprefix(SLUG_PREFIX)

    def user(role: str, email: str, password: str | None = None) -> str:
        user_id = region.new_id()
        given, family, *_ = COMMUNITIES[region.rng.randrange(len(COMMUNITIES))]
        users.append((user_id, email, f"{region.rng.choice(given)} {region.rng.choice(family)}",
                      password, True, region.loader.stamp, 0, 0))
        roles.append((region.new_id(), user_id, place.id, role))
        return user_id

    place.coordinator = user("coordinator", COORDINATOR_EMAIL if first else
                             f"coordinator@{town}.scale.example.org", hashed if first else None)
    place.officer = user("officer", f"officer@{town}.scale.example.org")
    assigned = place.share - math.ceil(place.share * UNASSIGNED_SHARE)
    teams = []
    for k in range(max(1, math.ceil(assigned / CASELOAD))):
        worker_email = WORKER_EMAIL if first and k == 0 else f"worker.{k}@{town}.scale.example.org"
        worker = user("worker", worker_email, hashed if first and k == 0 else None)
        volunteer = user("volunteer", f"volunteer.{k}@{town}.scale.example.org")
        place.teams.append(Seat(region.new_id(), worker, volunteer))
        teams.append((place.teams[-1].id, place.id, f"Team {k + 1}"))
    place.buddies = [user("buddy", f"buddy.{k}@{town}.scale.example.org")
                     for k in range(max(2, place.share // 1000))]
    if first:
        region.worker_id, region.coordinator_id = place.teams[0].worker, place.coordinator
    loader = region.loader
    loader.write(User.__table__, ("id", "email", "display_name", "password_hash", "active",
                                  "created_at", "sync_epoch", "session_generation"), users)
    loader.write(Membership.__table__, ("id", "user_id", "municipality_id", "role"), roles)
    loader.write(Team.__table__, ("id", "municipality_id", "name"), teams)
    loader.write(TeamMember.__table__, ("team_id", "user_id"),
                 [(s.id, u) for s in place.teams for u in (s.worker, s.volunteer)])
