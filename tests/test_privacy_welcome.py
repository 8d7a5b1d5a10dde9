"""Welcome visits under privacy by design: erasing a person welcomed at home forgets their
household and its visits (the inflow figures keep counting it) and takes the referral the
visit made; the export shows the household and its visits; retention forgets households 24
months after their last visit, and referrals made at a visit can be erased."""

from datetime import timedelta

from sqlalchemy import select, update

from server.core import clock
from server.extensions import db
from server.people.models import Person
from server.referrals.models import Referral
from server.welcome.models import Household, WelcomeVisit

from .sync_client import pull_all, results
from .test_welcome import make_households, visit
from .welcome_helpers import row


def _retention(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["privacy", "retention", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _welcomed(app, world, login, tmp_path) -> tuple[str, str]:
    """Amal Haddad's household, welcomed at home with a note and a referral: (household,
    person) ids."""
    households = make_households(app, world, [row("Amal", "Haddad")], tmp_path)
    household = households["Amal Haddad"]
    answers = results(login("volunteer@a.test"), visit(
        household, "welcomed", languages=["ar"], domains=["education"], agrees_to_contact=True,
        refer_to_service_id=world.records["service"], note="Zoekt school voor de kinderen."))
    assert [a["status"] for a in answers] == ["applied"], answers
    with app.app_context():
        return household, db.session.get(Household, household).person_id


def test_erasing_a_welcomed_person_forgets_the_household_and_its_visits(
        app, world, login, tmp_path):
    household, person = _welcomed(app, world, login, tmp_path)
    coordinator = login("coordinator@a.test")
    export = coordinator.get(f"/people/{person}/export.json").get_json()
    [held] = export["welcome"]
    assert (held["id"], held["names"], held["street"]) == (household, "Amal Haddad",
                                                           "Ninoofsesteenweg")
    [logged] = held["visits"]
    assert (logged["outcome"], logged["note"]) == ("welcomed", "Zoekt school voor de kinderen.")
    page = coordinator.get(f"/people/{person}/export").get_data(as_text=True)
    assert "Ninoofsesteenweg" in page
    assert "Zoekt school voor de kinderen." in page

    volunteer = login("volunteer@a.test")
    cache, cursor = pull_all(volunteer)
    assert ("household", household) in cache
    visits = [key for key in cache if key[0] == "welcome_visit"]
    assert len(visits) == 1
    erased = coordinator.post(f"/people/{person}/erase", data={
        "csrf_token": coordinator.csrf, "confirm": "yes", "reason": "The person asked for it"})
    assert erased.status_code == 303, erased.get_data(as_text=True)[:500]
    with app.app_context():
        assert db.session.get(Person, person) is None
        kept = db.session.get(Household, household)
        assert (kept.names, kept.street, kept.person_id, kept.referral_id) == ("", "", None, None)
        assert kept.status == "welcomed"  # still counted in the inflow figures
        assert db.session.scalars(select(WelcomeVisit)).all() == []
        assert db.session.scalars(select(Referral).where(Referral.person_id == person)).all() == []
        for table in db.metadata.sorted_tables:
            for found in db.session.execute(select(table)):
                text = repr(tuple(found))
                assert "Haddad" not in text, table.name
                assert "Zoekt school" not in text, table.name
    cache, _ = pull_all(volunteer, cursor, cache=cache)
    assert ("household", household) not in cache
    assert not [key for key in cache if key[0] == "welcome_visit"]


def test_retention_forgets_households_long_after_their_last_visit_and_their_referrals_go(
        app, world, login, tmp_path, travel):
    household, person = _welcomed(app, world, login, tmp_path)
    travel(days=23 * 31)
    dry = _retention(app, "--dry-run")
    assert "household: would anonymise 0 (no activity for 24 months)" in dry
    travel(days=25 * 31)
    with app.app_context():  # the person was seen last month: kept, as their household is not
        db.session.execute(update(Person).where(Person.id == person).values(
            updated_at=clock.now() - timedelta(days=20)))
        db.session.commit()
    output = _retention(app)
    assert "referral: erase 1" in output  # the visit's (the world's went with its person)
    assert "household: anonymise 1" in output
    with app.app_context():
        assert db.session.get(Person, person) is not None
        forgotten = db.session.get(Household, household)
        assert (forgotten.names, forgotten.referral_id) == ("", None)
        assert forgotten.forgotten_at is not None
        assert db.session.scalars(select(WelcomeVisit)).all() == []


def test_a_recent_welcome_visit_keeps_the_person(app, world, login, tmp_path, travel):
    _welcomed(app, world, login, tmp_path)
    travel(days=25 * 31)
    with app.app_context():
        db.session.execute(update(WelcomeVisit).values(
            occurred_at=clock.now() - timedelta(days=5)))
        db.session.commit()
    dry = _retention(app, "--dry-run")
    assert "person: would erase 2 " in dry  # the world's two, not the one visited last week
    with app.app_context():
        db.session.execute(update(WelcomeVisit).values(
            occurred_at=clock.now() - timedelta(days=25 * 31)))
        db.session.commit()
    assert "person: would erase 3 " in _retention(app, "--dry-run")

