"""Every welcome route × every role × own and other municipality (the design's table): a
household is seen by the coordinator and by those it is assigned to; imports, streets, the
info pack's upkeep and the inflow figures are the coordinator's. Outside: 404."""

import tempfile
from pathlib import Path

import pytest
from sqlalchemy import select

from server.extensions import db
from server.org.models import Team
from server.welcome import importing, operations
from server.welcome.models import Household, PackItem

from .test_access_matrix import USERS
from .welcome_helpers import HEADERS, register_csv, row

TEAM_A = {"coordinator", "worker", "volunteer"}  # the household is given to their team
FIELD_A = {"coordinator", "worker", "volunteer", "officer"}
FIELD = FIELD_A | {"worker_b", "coordinator_b"}
COORDINATORS = {"coordinator", "coordinator_b"}

# (method, path template, form data template, who may reach it)
ROUTES = [
    ("GET", "/welcome/", {}, FIELD),
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


