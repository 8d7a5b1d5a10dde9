"""Welcome demo: Dilbeek's register extract (fictional people, real street names) imported
with the app's own operations, so the volunteer has a worklist and the coordinator a month
of inflow. The file's dates are moved to the last weeks before today."""

import csv
import io
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from ..auth.models import User
from ..core.access import Actor, Role
from ..core.clock import LOCAL_TZ, today_local
from ..core.ids import new_id
from ..core.mutations import Mutation
from ..extensions import db
from ..org.models import Municipality, Neighbourhood, Team, TeamMember
from ..services.models import Service
from ..sync.apply import apply_one
from . import importing, operations
from .models import Household

DATA = Path(__file__).resolve().parent / "demo_data"
PACK = [
    ("nl", "leaflet", "Welkom in Dilbeek: de belangrijkste adressen", None),
    ("nl", "link", "Huis van het Nederlands: Nederlands leren", "https://www.huizenvanhetnederlands.be"),
    ("nl", "directory", "Sociale kaart van Dilbeek", "https://www.dilbeek.be"),
    ("fr", "leaflet", "Bienvenue à Dilbeek : les adresses utiles", None),
    ("fr", "link", "Apprendre le néerlandais", "https://www.huizenvanhetnederlands.be"),
    ("en", "leaflet", "Welcome to Dilbeek: useful addresses", None),
    ("ar", "leaflet", "مرحبا بكم في ديلبيك: عناوين مفيدة", None),
    ("uk", "leaflet", "Ласкаво просимо до Ділбека: корисні адреси", None),
]


def _actor(user: User, municipality_id: str) -> Actor:
    roles = frozenset(Role(m.role) for m in user.memberships if m.municipality_id == municipality_id)
    teams = frozenset(db.session.scalars(select(TeamMember.team_id).join(Team).where(
        TeamMember.user_id == user.id, Team.municipality_id == municipality_id)))
    return Actor(user.id, municipality_id, roles, teams)


def _shifted(text: str, today: date) -> str:
    """The extract with its registration dates moved so the newest is ten days ago."""
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    days = [datetime.strptime(r[6], "%d/%m/%Y").date() for r in rows[1:]]
    shift = (today - timedelta(days=10)) - max(days)
    for r, day in zip(rows[1:], days, strict=True):
        r[6] = (day + shift).strftime("%d/%m/%Y")
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def seed_welcome() -> None:
    dilbeek = db.session.scalar(select(Municipality).where(Municipality.slug == "dilbeek"))
    users = {u.email.split("@")[0]: u for u in db.session.scalars(select(User).where(
        User.email.in_(["coordinator@example.org", "volunteer@example.org",
                        "worker@example.org"])))}
    coordinator = _actor(users["coordinator"], dilbeek.id)
    hoods = {n.name: n.id for n in db.session.scalars(select(Neighbourhood).where(
        Neighbourhood.municipality_id == dilbeek.id))}
    for street, hood in list(csv.reader(io.StringIO(
            (DATA / "streets.csv").read_text(encoding="utf-8")), delimiter=";"))[1:]:
        operations.set_street(coordinator, street, hoods[hood])
    for language, kind, title, url in PACK:
        operations.add_pack_item(coordinator, {"language": language, "kind": kind,
                                               "title": title, "url": url})
    mapping = importing.guess_mapping(importing.read_table(
        DATA / "register.csv", "csv").headers, None)
    importing.keep_mapping(coordinator, mapping)
    with tempfile.TemporaryDirectory(prefix="handvast-demo-") as folder:
        path = Path(folder) / "inschrijvingen.csv"
        path.write_text(_shifted((DATA / "register.csv").read_text(encoding="utf-8"),
                                 today_local()), encoding="utf-8")
        job = importing.stage(coordinator, path, "csv", "inschrijvingen-dilbeek.csv", mapping)
        importing.run_all(coordinator, job)
    _approach(coordinator, dilbeek.id, users, hoods)


def _approach(coordinator: Actor, municipality_id: str, users: dict, hoods: dict) -> None:
    team = db.session.scalar(select(Team.id).where(Team.municipality_id == municipality_id))
    households = list(db.session.scalars(select(Household).where(
        Household.municipality_id == municipality_id).order_by(Household.registered_on)))
    centre = [h for h in households if h.neighbourhood_id == hoods["Dilbeek-centrum"]]
    operations.assign(coordinator, centre, team_id=None, user_id=users["volunteer"].id,
                      target_on=None, within_days=30)
    others = [h for h in households if h not in centre and h.neighbourhood_id]
    operations.assign(coordinator, others, team_id=team, user_id=None, target_on=None,
                      within_days=30)
    worker = _actor(users["worker"], municipality_id)
    service = db.session.scalar(select(Service.id).where(
        Service.municipality_id == municipality_id, Service.category == "language"))
    # The older half of the month was visited already.
    outcomes = [("welcomed", True, service), ("not_home", False, None),
                ("welcomed", False, None), ("declined", False, None),
                ("welcomed", True, None)]
    for household, (outcome, agrees, refer) in zip(others[:5], outcomes, strict=False):
        when = datetime.combine(household.registered_on + timedelta(days=6),
                                datetime.min.time(), LOCAL_TZ).replace(hour=18)
        fields = {"household_id": household.id, "outcome": outcome,
                  "occurred_at": when.isoformat(), "languages": household.languages}
        if outcome == "welcomed":
            fields.update(agrees_to_contact=agrees, domains=["dutch_language", "education"])
            if refer:
                fields["refer_to_service_id"] = refer
        result = apply_one(worker, Mutation(id=new_id(), type="welcome_visit.log",
                                            record_id=new_id(), fields=fields))
        if result.status != "applied":
            raise RuntimeError(f"demo seed: welcome visit {result.errors}")
