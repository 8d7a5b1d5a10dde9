"""The home screen per role and the coordinator's municipality overview."""

from datetime import timedelta

from server.core.clock import now, today_local
from server.extensions import db

from . import factories


def test_coordinator_overview(app, world, login):
    with app.app_context():
        worker = world.actor("worker")
        for days in (1, 8, 9):
            factories.make_contact(worker, [], occurred_at=(now() - timedelta(days=days)).isoformat())
        factories.make_person(world.actor("officer"), display_name="Nog zonder team")
        factories.make_referral(worker, world.records["person"], world.records["service"],
                                follow_up_due=(today_local() - timedelta(days=1)).isoformat())
        db.session.commit()
    page = login("coordinator@a.test").get("/").get_data(as_text=True)
    assert "Contacts per week" in page
    assert page.count("<meter") == 8
    assert "Nog zonder team" in page
    assert "1 overdue referral" in page


def test_field_home_shows_follow_ups_referrals_and_recent_contacts(world, login):
    page = login("worker@a.test").get("/").get_data(as_text=True)
    assert "Today&#39;s follow-ups" in page or "Today's follow-ups" in page
    assert "Open referrals" in page
    assert "Recent contacts" in page
    assert "Contacts per week" not in page  # the overview is for coordinators


def test_demo_seed_runs_once_and_keeps_data(app):
    from server.demo.seed import seed

    with app.app_context():
        assert seed() is True
        assert seed() is False
        from server.people.models import Person

        assert db.session.scalar(db.select(db.func.count()).select_from(Person)) >= 12
