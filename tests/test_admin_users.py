"""The user list (search, role filter, pages), deactivation with a confirmation step under the
rank rules, and invitations that name a team."""

import re

import pytest
from sqlalchemy import select

from server.auth.models import Invitation, User
from server.extensions import db
from server.org.models import Team, TeamMember

from . import factories
from .conftest import csrf_token, sign_in

LINK = re.compile(r'id="invite-link"[^>]*value="([^"]+)"')


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": client.csrf, **data})


def _names(html: str) -> list[str]:
    return re.findall(r'<li class="user-row">\s*<a[^>]*>\s*<strong><bdi>([^<]+)</bdi>', html)


# The list

@pytest.fixture
def many_users(app, world):
    with app.app_context():
        a = db.session.get(type(world.a), world.a.id)
        for n in range(60):
            factories.make_user(f"helper{n:02d}@a.test", a, "volunteer")
        factories.make_user("Zeynep.Kaya@a.test", a, "officer")
        db.session.commit()


def test_search_by_name_or_email_and_role(world, login, many_users):
    coordinator = login("coordinator@a.test")
    by_name = _post(coordinator, "/manage/users/search", q="zeynep")
    assert _names(by_name.get_data(as_text=True)) == ["Zeynep.Kaya"]
    by_email = _post(coordinator, "/manage/users/search", q="KAYA@a.test")
    assert _names(by_email.get_data(as_text=True)) == ["Zeynep.Kaya"]
    officers = coordinator.get("/manage/users", query_string={"role": "officer"})
    assert _names(officers.get_data(as_text=True)) == ["Officer", "Zeynep.Kaya"]
    nothing = _post(coordinator, "/manage/users/search", q="nobody-like-this")
    assert "No users found." in nothing.get_data(as_text=True)
    assert "worker@b.test" not in _post(coordinator, "/manage/users/search",
                                        q="worker").get_data(as_text=True)


def test_the_list_comes_in_pages_of_25(world, login, many_users):
    coordinator = login("coordinator@a.test")
    first = coordinator.get("/manage/users").get_data(as_text=True)
    assert "67 users" in first
    assert "Page 1 of 3" in first
    assert len(_names(first)) == 25
    third = _post(coordinator, "/manage/users/search", q="", role="", page="3")
    names = _names(third.get_data(as_text=True))
    assert len(names) == 17
    assert "Page 3 of 3" in third.get_data(as_text=True)
    helpers = _post(coordinator, "/manage/users/search", q="helper", page="2")
    assert "Page 2 of 3" in helpers.get_data(as_text=True)
    beyond = _post(coordinator, "/manage/users/search", q="", page="99")
    assert "Page 3 of 3" in beyond.get_data(as_text=True)


def test_search_as_an_htmx_fragment(world, login):
    coordinator = login("coordinator@a.test")
    htmx = coordinator.post("/manage/users/search", data={
        "csrf_token": coordinator.csrf, "q": "offi"}, headers={"HX-Request": "true"})
    html = htmx.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="user-results"')
    assert "<html" not in html
    assert _names(html) == ["Officer"]


# Deactivation

def test_deactivation_goes_through_a_confirmation_page(app, world, login):
    coordinator = login("coordinator@a.test")
    volunteer = world.users["volunteer"].id
    detail = coordinator.get(f"/manage/users/{volunteer}").get_data(as_text=True)
    assert f'href="/manage/users/{volunteer}/deactivate"' in detail
    assert f'action="/manage/users/{volunteer}/active"' not in detail  # no one-tap deactivation
    confirm = coordinator.get(f"/manage/users/{volunteer}/deactivate").get_data(as_text=True)
    assert "Yes, deactivate" in confirm
    assert f'href="/manage/users/{volunteer}"' in confirm
    assert "signed out on every device" in confirm
    victim = login("volunteer@a.test")
    assert victim.get("/").status_code == 200
    done = _post(coordinator, f"/manage/users/{volunteer}/active", active="0")
    assert done.status_code == 303
    assert victim.get("/").status_code == 302  # their session ended at once
    assert sign_in(app.test_client(), "volunteer@a.test").status_code == 401
    page = coordinator.get(f"/manage/users/{volunteer}").get_data(as_text=True)
    assert "Deactivated" in page
    assert "Reactivate" in page


def test_the_confirmation_says_when_only_this_municipality_is_left(app, world, login,
                                                                   worker_in_two):
    page = login("coordinator@a.test").get(
        f"/manage/users/{world.users['worker'].id}/deactivate").get_data(as_text=True)
    assert "lose their roles and teams here only" in page


def test_nobody_acts_above_their_rank(app, world, login):
    coordinator = login("coordinator@a.test")
    admin_id = world.users["admin"].id
    confirm = coordinator.get(f"/manage/users/{admin_id}/deactivate").get_data(as_text=True)
    assert "Only an admin changes this account." in confirm
    assert "Yes, deactivate" not in confirm
    detail = coordinator.get(f"/manage/users/{admin_id}").get_data(as_text=True)
    assert "Save roles" not in detail
    refused = _post(coordinator, f"/manage/users/{admin_id}/active", active="0")
    assert refused.status_code == 422
    assert "only an admin can change this account" in refused.get_data(as_text=True)
    own_id = world.users["coordinator"].id
    own_page = coordinator.get(f"/manage/users/{own_id}/deactivate").get_data(as_text=True)
    assert "you cannot deactivate yourself" in own_page
    assert "Yes, deactivate" not in own_page
    own = _post(coordinator, f"/manage/users/{own_id}/active", active="0")
    assert own.status_code == 422
    assert "you cannot deactivate yourself" in own.get_data(as_text=True)
    assert sign_in(app.test_client(), "admin@a.test").status_code == 303


def test_roles_error_keeps_the_boxes_as_ticked(world, login):
    coordinator = login("coordinator@a.test")
    volunteer = world.users["volunteer"].id
    response = coordinator.post(f"/manage/users/{volunteer}/roles", data={
        "csrf_token": coordinator.csrf, "roles": ["buddy", "admin"]})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="buddy" checked' in html
    assert 'value="volunteer" checked' not in html


def test_users_of_another_municipality_are_out_of_reach(world, login):
    coordinator = login("coordinator@a.test")
    other = world.users["worker_b"].id
    for path in (f"/manage/users/{other}", f"/manage/users/{other}/deactivate"):
        assert coordinator.get(path).status_code == 404
    assert _post(coordinator, f"/manage/users/{other}/active", active="0").status_code == 404


# Invitations

def _invite(client, **data):
    return _post(client, "/manage/users/invite", **{"role": "volunteer", **data})


def test_an_invitation_names_a_team_the_new_user_joins(app, world, login):
    coordinator = login("coordinator@a.test")
    form = coordinator.get("/manage/invite").get_data(as_text=True)
    assert f'<option value="{world.team.id}" dir="auto" >Onthaal</option>' in form
    response = _invite(coordinator, email="nieuw@example.org", team_id=world.team.id)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    path = LINK.search(html).group(1).replace("http://localhost", "")
    assert 'data-copy="invite-link"' in html
    assert 'data-share="invite-link"' in html
    newcomer = app.test_client()
    assert "You join the team <bdi>Onthaal</bdi>." in newcomer.get(path).get_data(as_text=True)
    joined = newcomer.post(path, data={"csrf_token": csrf_token(newcomer, path),
                                       "display_name": "Nieuw", "password": "a long password",
                                       "password_again": "a long password"})
    assert joined.status_code == 303
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "nieuw@example.org"))
        teams = db.session.scalars(select(TeamMember.team_id).where(
            TeamMember.user_id == user.id)).all()
    assert teams == [world.team.id]


def test_an_existing_account_gets_no_link_and_joins_the_team_on_accepting(app, world, login):
    coordinator = login("coordinator@a.test")
    with app.app_context():
        team = factories.make_team(db.session.get(type(world.a), world.a.id), "Buurtwerk")
        db.session.commit()
        team_id = team.id
    response = _invite(coordinator, email="officer@a.test", role="officer", team_id=team_id)
    assert response.status_code == 200
    assert LINK.search(response.get_data(as_text=True)) is None
    officer = login("officer@a.test")
    waiting = officer.get("/invitations").get_data(as_text=True)
    assert "You join the team <bdi>Buurtwerk</bdi>." in waiting
    with app.app_context():
        invitation_id = db.session.scalar(select(Invitation.id).where(
            Invitation.email == "officer@a.test"))
    accepted = _post(officer, f"/invitations/{invitation_id}/accept")
    assert accepted.status_code == 303
    with app.app_context():
        assert db.session.get(TeamMember, (team_id, world.users["officer"].id)) is not None


def test_an_invitation_cannot_name_another_municipalitys_team(app, world, login):
    with app.app_context():
        team_b = db.session.scalar(select(Team.id).where(Team.municipality_id == world.b.id))
    response = _invite(login("coordinator@a.test"), email="x@example.org", team_id=team_b)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "not one of the allowed values" in html
    assert 'value="x@example.org"' in html
    with app.app_context():
        assert db.session.scalar(select(Invitation.id)) is None
