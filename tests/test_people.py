"""Knowing a person: minimal data, validated, edited without clobbering others' edits."""

import json

import pytest

from server.extensions import db
from server.people.models import Person

from . import factories


def _create(client, **overrides):
    data = {"csrf_token": client.csrf, "display_name": "Oksana", "languages": ["uk", "ru"],
            "preferred_language": "uk", "phone": "+32 470 11 22 33",
            "consent_basis": "consent", "consent_purpose": "Begeleiding",
            "consent_date": "2026-11-01"}
    data.update(overrides)
    return client.post("/people/", data=data)


def test_create_person_with_minimal_data(app, world, login):
    client = login("volunteer@a.test")
    response = _create(client)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Oksana" in page
    assert "+32 470 11 22 33" in page
    with app.app_context():
        person = db.session.scalar(db.select(Person).where(Person.display_name == "Oksana"))
        assert person.languages == ["uk", "ru"]
        assert person.team_id == world.team.id  # lands on the volunteer's own team caseload
        assert person.consent_date.isoformat() == "2026-11-01"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"display_name": ""}, "display_name"),
    ({"display_name": "x" * 121}, "display_name"),
    ({"languages": ["not a language code!"]}, "languages"),
    ({"email": "not-an-address"}, "email"),
    ({"consent_basis": "because"}, "consent_basis"),
    ({"consent_date": "01/11/2026"}, "consent_date"),
])
def test_bad_person_input_is_refused_inline(app, world, login, overrides, field):
    client = login("volunteer@a.test")
    response = _create(client, **overrides)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)


def test_neighbourhood_of_another_municipality_is_refused(app, world, login):
    with app.app_context():
        from server.org.models import Neighbourhood

        foreign = db.session.scalar(db.select(Neighbourhood.id).where(
            Neighbourhood.municipality_id == world.b.id))
    response = _create(login("volunteer@a.test"), neighbourhood_id=foreign)
    assert response.status_code == 422


def test_stale_edit_form_does_not_overwrite_a_newer_change(app, world, login):
    """Two people edit different fields from forms drawn at the same version."""
    person_id = world.records["person"]
    worker, volunteer = login("worker@a.test"), login("volunteer@a.test")
    form_a = worker.get(f"/people/{person_id}/edit").get_data(as_text=True)
    original = json.loads(_hidden(form_a, "original"))
    base = _hidden(form_a, "base_version")
    fields = {**{k: v for k, v in original.items() if v is not None and k != "languages"},
              "languages": original["languages"]}
    # the volunteer changes the phone first
    volunteer.post(f"/people/{person_id}", data={
        **fields, "phone": "+32 470 55 55 55", "csrf_token": volunteer.csrf,
        "original": _hidden(form_a, "original"), "base_version": base})
    # the worker, from the older form, changes only the reach note
    worker.post(f"/people/{person_id}", data={
        **fields, "reach_note": "Via de school", "csrf_token": worker.csrf,
        "original": _hidden(form_a, "original"), "base_version": base})
    with app.app_context():
        person = db.session.get(Person, person_id)
        assert person.phone == "+32 470 55 55 55"
        assert person.reach_note == "Via de school"


def test_same_field_edited_twice_keeps_a_conflict_for_the_loser(app, world, login):
    person_id = world.records["person"]
    worker, volunteer = login("worker@a.test"), login("volunteer@a.test")
    form = worker.get(f"/people/{person_id}/edit").get_data(as_text=True)
    original = json.loads(_hidden(form, "original"))
    common = {**{k: v for k, v in original.items() if v is not None},
              "original": _hidden(form, "original"), "base_version": _hidden(form, "base_version")}
    volunteer.post(f"/people/{person_id}", data={**common, "csrf_token": volunteer.csrf,
                                                 "phone": "111"})
    response = worker.post(f"/people/{person_id}", data={**common, "csrf_token": worker.csrf,
                                                         "phone": "222"})
    assert response.status_code == 303
    inbox = worker.get("/conflicts").get_data(as_text=True)
    assert "222" in inbox
    assert "111" in inbox
    assert inbox.count("data-conflict-id") == 1
    worker.post(f"/conflicts/{_conflict_id(inbox)}", data={"csrf_token": worker.csrf,
                                                          "keep": "mine"})
    with app.app_context():
        assert db.session.get(Person, person_id).phone == "222"
    assert "No conflicts." in worker.get("/conflicts").get_data(as_text=True)


def test_coordinator_assigns_a_person_to_a_team_caseload(app, world, login):
    with app.app_context():
        loose = factories.make_person(world.actor("officer"), display_name="Zonder team")
        db.session.commit()
    coordinator = login("coordinator@a.test")
    assert "Zonder team" in coordinator.get("/").get_data(as_text=True)  # overview
    assert "Zonder team" not in login("worker@a.test").get("/people/").get_data(as_text=True)
    coordinator.post(f"/people/{loose}/team", data={"csrf_token": coordinator.csrf,
                                                    "team_id": world.team.id})
    assert "Zonder team" in login("worker@a.test").get("/people/").get_data(as_text=True)


def _search(client, text: str, **kwargs):
    return client.post("/people/search", data={"csrf_token": client.csrf, "q": text}, **kwargs)


def test_person_search(world, login):
    client = login("worker@a.test")
    assert "Amina El Idrissi" in _search(client, "amina").get_data(as_text=True)
    assert "Amina El Idrissi" not in _search(client, "zzz").get_data(as_text=True)
    fragment = _search(client, "ami", headers={"HX-Request": "true"})
    assert "HX-Request" in fragment.headers["Vary"]
    assert "<html" not in fragment.get_data(as_text=True)


def test_person_search_takes_percent_and_underscore_literally(world, login):
    client = login("worker@a.test")
    assert "Amina El Idrissi" not in _search(client, "%").get_data(as_text=True)
    assert "Amina El Idrissi" not in _search(client, "Amina_El").get_data(as_text=True)
    assert "Amina El Idrissi" in _search(client, "a El I").get_data(as_text=True)


def _hidden(html: str, name: str) -> str:
    import html as html_lib
    import re

    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, name
    return html_lib.unescape(match.group(1))


def _conflict_id(html: str) -> str:
    import re

    return re.search(r'data-conflict-id="([^"]+)"', html).group(1)


@pytest.mark.parametrize("path", ["/people/", "/services/"])
def test_search_with_control_characters_answers_normally(world, login, path):
    response = login("worker@a.test").get(path, query_string={"q": "Ami\x00na\x07"})
    assert response.status_code == 200


@pytest.mark.parametrize("path", [
    "/people/%00", "/people/%00/edit", "/services/%00", "/contacts/%00", "/referrals/%00",
    "/referrals/new?person=%00&service=%00", "/contacts/new?person=%00",
    "/services/?person=%00&category=%00"])
def test_control_characters_in_ids_answer_not_found_or_the_page(world, login, path):
    assert login("worker@a.test").get(path).status_code in (200, 404)
