"""Teams with a real member list: create, rename, add and remove members of the
municipality only, see who is on each."""

from sqlalchemy import select

from server.audit.models import AuditEvent
from server.auth.models import User
from server.extensions import db
from server.org.models import Team, TeamMember


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": client.csrf, **data})


def _members(app, team_id):
    with app.app_context():
        return sorted(db.session.scalars(select(TeamMember.user_id).where(
            TeamMember.team_id == team_id)))


def test_the_team_page_lists_its_members_and_offers_the_others(app, world, login):
    listing = login("coordinator@a.test").get("/manage/teams").get_data(as_text=True)
    assert "2 members" in listing
    assert "<bdi>Volunteer</bdi>, <bdi>Worker</bdi>" in listing
    page = login("coordinator@a.test").get(f"/manage/teams/{world.team.id}")
    html = page.get_data(as_text=True)
    members = html.split('id="members-heading"')[1].split("</ul>")[0]
    assert "2 members" in html
    assert "Worker" in members
    assert "Volunteer" in members
    assert "Officer" not in members
    offered = html.split('name="user_id" required')[1].split("</select>")[0]
    assert "Officer" in offered
    assert "Worker" not in offered
    assert offered.count("<option") == 4  # admin, coordinator, buddy, officer: none of B


def test_coordinator_creates_renames_and_fills_a_team(app, world, login):
    coordinator = login("coordinator@a.test")
    created = _post(coordinator, "/manage/teams", name="Buurtwerk")
    assert created.status_code == 303
    with app.app_context():
        team_id = db.session.scalar(select(Team.id).where(Team.name == "Buurtwerk"))
    assert created.headers["Location"].endswith(f"/manage/teams/{team_id}")
    assert _post(coordinator, f"/manage/teams/{team_id}", name="Buurtwerk Noord").status_code == 303
    officer = world.users["officer"].id
    with app.app_context():
        epoch = db.session.get(User, officer).sync_epoch
    assert _post(coordinator, f"/manage/teams/{team_id}/members", user_id=officer,
                 member="1").status_code == 303
    assert _members(app, team_id) == [officer]
    with app.app_context():
        assert db.session.get(User, officer).sync_epoch == epoch + 1  # their phone re-syncs
        assert db.session.get(Team, team_id).name == "Buurtwerk Noord"
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_id == team_id).order_by(AuditEvent.id)).all()
    assert actions == ["create_team", "rename_team", "team_member"]
    assert "Buurtwerk Noord" in coordinator.get("/manage/teams").get_data(as_text=True)
    assert _post(coordinator, f"/manage/teams/{team_id}/members", user_id=officer,
                 member="0").status_code == 303
    assert _members(app, team_id) == []


def test_team_name_errors_answer_422_with_what_was_typed(app, world, login):
    coordinator = login("coordinator@a.test")
    _post(coordinator, "/manage/teams", name="Buurtwerk")
    clash = _post(coordinator, f"/manage/teams/{world.team.id}", name="Buurtwerk")
    assert clash.status_code == 422
    html = clash.get_data(as_text=True)
    assert "a team with this name exists" in html
    assert 'value="Buurtwerk"' in html
    empty = _post(coordinator, "/manage/teams", name="")
    assert empty.status_code == 422
    assert "required" in empty.get_data(as_text=True)
    same = _post(coordinator, f"/manage/teams/{world.team.id}", name="Onthaal")
    assert same.status_code == 303  # keeping its own name is no clash


def test_only_users_of_the_municipality_join_its_teams(app, world, login):
    coordinator = login("coordinator@a.test")
    outsider = _post(coordinator, f"/manage/teams/{world.team.id}/members",
                     user_id=world.users["worker_b"].id, member="1")
    assert outsider.status_code == 422
    assert "not found or not allowed" in outsider.get_data(as_text=True)
    assert world.users["worker_b"].id not in _members(app, world.team.id)


def test_another_municipalitys_team_is_out_of_reach(app, world, login):
    with app.app_context():
        team_b = db.session.scalar(select(Team.id).where(Team.municipality_id == world.b.id))
    coordinator = login("coordinator@a.test")
    assert coordinator.get(f"/manage/teams/{team_b}").status_code == 404
    assert _post(coordinator, f"/manage/teams/{team_b}", name="Mine").status_code == 404
    assert _post(coordinator, f"/manage/teams/{team_b}/members",
                 user_id=world.users["worker_b"].id, member="0").status_code == 404
    assert _members(app, team_b) == [world.users["worker_b"].id]
    assert "Onthaal B" not in coordinator.get("/manage/teams").get_data(as_text=True)
