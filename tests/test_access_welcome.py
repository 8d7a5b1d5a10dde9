"""Every welcome route × every role × own and other municipality (the design's table): a
household is seen by the coordinator and by those it is assigned to; imports, streets, the
info pack's upkeep and the inflow figures are the coordinator's. Outside: 404."""

import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from server.core.clock import now
from server.extensions import db
from server.org.models import Team, TeamMember
from server.welcome import importing, operations
from server.welcome.models import Household, PackItem

from .sync_client import mutation, pull_all, results
from .test_access_matrix import USERS
from .welcome_helpers import HEADERS, register_csv, row

TEAM_A = {"coordinator", "worker", "volunteer"}  # the household is given to their team
FIELD_A = {"coordinator", "worker", "volunteer", "officer"}
FIELD = FIELD_A | {"worker_b", "coordinator_b"}
COORDINATORS = {"coordinator", "coordinator_b"}

# (method, path template, form data template, who may reach it)
ROUTES = [
    ("GET", "/welcome/", {}, FIELD - {"officer"}),  # police separation
    ("GET", "/welcome/pack", {}, FIELD),
    ("GET", "/welcome/households/{household}", {}, TEAM_A),
    ("GET", "/welcome/households/{household}/visit", {}, TEAM_A),
    ("POST", "/welcome/visits", {"household_id": "{household}"}, TEAM_A),
    ("POST", "/welcome/households/{household}/refer", {}, TEAM_A),
    ("POST", "/welcome/households/{household}/link", {}, TEAM_A),
    ("GET", "/welcome/households/{household_b}", {}, {"worker_b", "coordinator_b"}),
    ("POST", "/welcome/visits", {"household_id": "{household_b}"}, {"worker_b", "coordinator_b"}),
    ("GET", "/welcome/manage/", {}, COORDINATORS),
    ("POST", "/welcome/manage/imports", {}, COORDINATORS),
    ("GET", "/welcome/manage/imports/{import_a}", {}, {"coordinator"}),
    ("POST", "/welcome/manage/imports/{import_a}/start", {}, {"coordinator"}),
    ("POST", "/welcome/manage/imports/{import_a}/step", {}, {"coordinator"}),
    ("POST", "/welcome/manage/imports/{import_a}/drop", {}, {"coordinator"}),
    ("GET", "/welcome/manage/imports/{import_b}", {}, {"coordinator_b"}),
    ("GET", "/welcome/manage/imports/upload/not-a-token", {}, set()),
    ("GET", "/welcome/manage/streets", {}, COORDINATORS),
    ("POST", "/welcome/manage/streets", {"street": "Kerkstraat"}, COORDINATORS),
    ("POST", "/welcome/manage/streets/import", {}, COORDINATORS),
    ("POST", "/welcome/manage/assign", {"neighbourhood_id": "none"}, COORDINATORS),
    ("POST", "/welcome/manage/households/{household}/assign", {}, {"coordinator"}),
    ("POST", "/welcome/manage/households/{household_b}/assign", {}, {"coordinator_b"}),
    ("GET", "/welcome/manage/pack", {}, COORDINATORS),
    ("POST", "/welcome/manage/pack", {}, COORDINATORS),
    ("POST", "/welcome/manage/pack/{pack}/delete", {}, {"coordinator"}),
    ("POST", "/welcome/manage/pack/{pack_b}/delete", {}, {"coordinator_b"}),
    ("GET", "/welcome/inflow", {}, COORDINATORS),
    ("GET", "/welcome/inflow/share", {}, COORDINATORS),
    ("GET", "/welcome/inflow.csv", {}, COORDINATORS),
]
CASES = [(route, role) for route in ROUTES for role in USERS]


def _households(world, municipality, coordinator_key, team, tmp_path, name) -> tuple[str, str]:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(register_csv([row(name, "Household")]))
    coordinator = world.actor(coordinator_key)
    job = importing.stage(coordinator, path, "csv", path.name, importing.guess_mapping(HEADERS, None))
    importing.run_all(coordinator, job)
    household = db.session.scalar(select(Household).where(Household.import_id == job.id))
    operations.assign(coordinator, [household], team_id=team, user_id=None, target_on=None,
                      within_days=30)
    staged = importing.stage(coordinator, path, "csv", path.name,
                             importing.guess_mapping(HEADERS, None))
    return household.id, staged.id


def _welcome_records(app, world) -> dict:
    """A household of each municipality, on a team, each from an import; another import staged;
    a pack item of each."""
    with app.app_context(), tempfile.TemporaryDirectory() as folder:
        tmp_path = Path(folder)
        team_b = db.session.scalar(select(Team.id).where(Team.municipality_id == world.b.id))
        household, import_a = _households(world, world.a, "coordinator", world.team.id,
                                          tmp_path, "Alpha")
        household_b, import_b = _households(world, world.b, "coordinator_b", team_b,
                                            tmp_path, "Beta")
        packs = {}
        for key, municipality in (("pack", world.a), ("pack_b", world.b)):
            item = PackItem(municipality_id=municipality.id, language="nl", kind="leaflet",
                            title="Welkom")
            db.session.add(item)
            db.session.flush()
            packs[key] = item.id
        db.session.commit()
    return {"household": household, "household_b": household_b, "import_a": import_a,
            "import_b": import_b, **packs}


pytestmark = pytest.mark.records.with_args(_welcome_records)


@pytest.fixture
def client_for(world, login):
    return lambda role: login(USERS[role])


@pytest.mark.parametrize(("route", "role"), CASES,
                         ids=[f"{r[0]} {r[1]} {sorted(r[2].values())} as {u}" for r, u in CASES])
def test_welcome_route_answers_404_outside_scope(world, client_for, route, role):
    method, template, data, allowed = route
    path = template.format(**world.records)
    client = client_for(role)
    if method == "GET":
        response = client.get(path)
    else:
        form = {k: v.format(**world.records) for k, v in data.items()}
        response = client.post(path, data={"csrf_token": client.csrf, **form})
    if role in allowed:
        assert response.status_code in (200, 303, 422), (path, role, response.status_code)
    else:
        assert response.status_code == 404, (path, role, response.status_code)


def test_the_public_welcome_page_needs_no_sign_in(app, world, client):
    slug = world.a.slug
    assert client.get(f"/welcome/p/{slug}/nl").status_code == 200
    assert client.get(f"/welcome/p/{slug}/nl/qr.svg").status_code == 200
    assert client.get("/welcome/").status_code == 302  # everything else: sign in first


def test_every_welcome_route_is_in_the_matrix(app):
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("welcome")}
    covered = {template.split("{")[0].rstrip("/") for _m, template, _d, _a in ROUTES}
    public = {"/welcome/p/<slug>/<lang>", "/welcome/p/<slug>/<lang>/qr.svg"}
    for rule in routes - public:
        assert any(rule.split("<")[0].rstrip("/") == c or rule.startswith(c + "/") or
                   rule.rstrip("/") == c for c in covered), rule




# --- police separation: the officer never holds the register's households ----------------

OPTIONS = re.compile(r'<select id="user_id" name="user_id"[^>]*>(.*?)</select>', re.S)


def _offered_users(page: str) -> set[str]:
    return set(re.findall(r'<option value="([^"]+)"', "".join(OPTIONS.findall(page))))


def test_an_officer_is_never_offered_nor_given_a_household(app, world, client_for):
    coordinator = client_for("coordinator")
    officer_id, volunteer_id = world.users["officer"].id, world.users["volunteer"].id
    household = world.records["household"]
    offered = _offered_users(coordinator.get(f"/welcome/households/{household}").get_data(
        as_text=True))
    assert volunteer_id in offered
    assert officer_id not in offered
    # As found: the officer's id posted to the assign form gave them the household.
    response = coordinator.post(f"/welcome/manage/households/{household}/assign", data={
        "csrf_token": coordinator.csrf, "user_id": officer_id})
    assert response.status_code == 422
    assert "never given households from the population register" in response.get_data(
        as_text=True)
    response = coordinator.post("/welcome/manage/assign", data={
        "csrf_token": coordinator.csrf, "neighbourhood_id": "none", "user_id": officer_id})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Household, household).assigned_user_id is None


@pytest.fixture
def officer_on_the_team(app, world):
    """The officer on the team the household is given to, and a household given to the
    officer alone (as the assign form allowed before)."""
    with app.app_context():
        db.session.add(TeamMember(team_id=world.team.id, user_id=world.users["officer"].id))
        own = db.session.get(Household, world.records["household"])
        mine = Household(municipality_id=world.a.id, names="Omar Officer", street="Kerkstraat",
                         street_key="kerkstraat", house_number="1", postcode="1700",
                         registered_on=own.registered_on, languages=["ar"], age_bands=["25-44"],
                         assigned_user_id=world.users["officer"].id)
        db.session.add(mine)
        db.session.commit()
        return {"team": own.id, "alone": mine.id}


def test_an_officer_receives_no_register_data_on_a_team_or_given_one(
        world, login, client_for, officer_on_the_team):
    officer = login(USERS["officer"])
    pulled, _cursor = pull_all(officer)
    assert not [k for k in pulled if k[0] in ("household", "welcome_visit")]
    for household in officer_on_the_team.values():
        for path in (f"/welcome/households/{household}", f"/welcome/households/{household}/visit"):
            assert officer.get(path).status_code == 404, path
    worklist = officer.get("/welcome/")
    assert worklist.status_code == 404
    kept = officer.get("/working-set.json").get_json()
    assert not [p for p in kept["pages"] if p["url"] == "/welcome/"]
    assert "household" not in kept["records"]
    assert "/welcome/" not in officer.get("/more").get_data(as_text=True)
    # A visit the officer's phone sends is refused: it would tie them to a household.
    [result] = results(officer, mutation("welcome_visit.log", {
        "household_id": officer_on_the_team["alone"], "outcome": "not_home",
        "occurred_at": (now() - timedelta(hours=1)).isoformat()}))
    assert result["status"] == "rejected", result
    # The volunteer on the same team still has the household.
    assert client_for("volunteer").get(
        f"/welcome/households/{officer_on_the_team['team']}").status_code == 200


def test_an_officer_s_note_says_who_reads_a_team_note(world, client_for):
    for path in ("/contacts/new", "/referrals/new"):
        officer = client_for("officer").get(path).get_data(as_text=True)
        assert "data-note-readers" in officer, path
        assert "never by other police officers" in officer, path
        assert "data-note-readers" not in client_for("volunteer").get(path).get_data(
            as_text=True), path
