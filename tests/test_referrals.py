"""Referrals: search the directory in any language, refer, follow the loop to the end."""

from datetime import timedelta

import pytest

from server.core.clock import today_local
from server.extensions import db
from server.referrals.models import Referral

from . import factories


@pytest.mark.parametrize("query", ["nederlandse les", "néerlandais", "dutch lessons", "HUIS"])
def test_service_directory_is_searched_in_dutch_french_and_english(world, login, query):
    page = login("worker@a.test").get(f"/services/?q={query}").get_data(as_text=True)
    assert "Huis van het Nederlands" in page
    assert "Service in B" not in page


def test_service_names_follow_the_interface_language(world, login):
    client = login("worker@a.test")
    service = world.records["service"]
    client.post("/language", data={"csrf_token": client.csrf, "locale": "fr"})
    assert "Huis van het Nederlands (fr)" in client.get(f"/services/{service}").get_data(
        as_text=True)
    client.post("/language", data={"csrf_token": client.csrf, "locale": "tr"})
    # no Turkish text stored: falls back to Dutch
    page = client.get(f"/services/{service}").get_data(as_text=True)
    assert "Huis van het Nederlands</bdi>" in page


def test_refer_a_person_and_follow_the_loop(app, world, login):
    client = login("worker@a.test")
    due = (today_local() + timedelta(days=14)).isoformat()
    response = client.post("/referrals/", data={
        "csrf_token": client.csrf, "person_id": world.records["person"],
        "service_id": world.records["service"], "note": "Inschrijving NT2", "follow_up_due": due})
    assert response.status_code == 303
    referral_path = response.headers["Location"]
    for status in ("sent", "accepted", "started", "completed"):
        step = client.post(f"{referral_path}/advance", data={
            "csrf_token": client.csrf, "status": status, "occurred_on": today_local().isoformat()})
        assert step.status_code == 303, status
    page = client.get(referral_path).get_data(as_text=True)
    assert "This referral is closed." in page
    with app.app_context():
        referral = db.session.get(Referral, referral_path.rsplit("/", 1)[1])
        assert [s.status for s in referral.steps] == ["proposed", "sent", "accepted", "started",
                                                      "completed"]


def test_a_referral_cannot_skip_steps_or_be_dated_in_the_future(world, login):
    client = login("worker@a.test")
    path = f"/referrals/{world.records['referral']}/advance"
    skip = client.post(path, data={"csrf_token": client.csrf, "status": "completed"})
    assert skip.status_code == 422
    assert "not a next step" in skip.get_data(as_text=True)
    future = client.post(path, data={"csrf_token": client.csrf, "status": "sent",
                                     "occurred_on": (today_local() + timedelta(days=3)).isoformat()})
    assert future.status_code == 422


def test_declined_ends_the_loop(world, login):
    client = login("worker@a.test")
    path = f"/referrals/{world.records['referral']}"
    client.post(f"{path}/advance", data={"csrf_token": client.csrf, "status": "sent"})
    client.post(f"{path}/advance", data={"csrf_token": client.csrf, "status": "declined"})
    assert "No open referrals." in client.get("/referrals/").get_data(as_text=True)


def test_open_referrals_mark_overdue_ones(app, world, login):
    with app.app_context():
        factories.make_referral(world.actor("worker"), world.records["person"],
                                world.records["service"],
                                follow_up_due=(today_local() - timedelta(days=2)).isoformat())
        db.session.commit()
    page = login("worker@a.test").get("/referrals/").get_data(as_text=True)
    assert page.count("Overdue") == 1
    assert "Huis van het Nederlands" in page


def test_referral_to_a_service_of_another_municipality_is_refused(world, login):
    client = login("worker@a.test")
    response = client.post("/referrals/", data={
        "csrf_token": client.csrf, "person_id": world.records["person"],
        "service_id": world.records["service_b"]})
    assert response.status_code == 422
    assert 'id="service_id-error"' in response.get_data(as_text=True)
