"""The region as the generators of `flask seed-scale` see it: municipalities with their
teams and people, and the cases (people) made so far. Shared by scale.py, which builds it,
and scale_records.py, which fills it."""

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from .bulk import Loader


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


@dataclass(slots=True)
class Case:
    id: str
    place: Place
    seat: Seat | None
    created_by: str
    created_at: datetime
    hood: str


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
