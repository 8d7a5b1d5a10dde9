"""The buddy on a phone: plan a session and log another without signal; each syncs once.
Screenshots at 360 px of the buddy's home, the session form and the matching page."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from server.auth.models import User
from server.buddies.models import BuddyPair, BuddySession, BuddySessionLog, BuddyWish
from server.core.clock import now
from server.extensions import db

from .conftest import ready, screenshot, sign_in_page, synced

pytestmark = pytest.mark.browser
PLACE = "Speelplein aan de kerk"
NOTE = "Samen naar de markt, veel Nederlands gesproken."


@pytest.fixture
def pairing(app, demo):
    """The demo buddy's active pair, a planned session of it already begun, an open wish."""
    with app.app_context():
        buddy = db.session.scalar(select(User.id).where(User.email == "buddy@example.org"))
        pair = db.session.scalar(select(BuddyPair).where(BuddyPair.buddy_id == buddy,
                                                         BuddyPair.status == "active"))
        to_log = db.session.scalar(select(BuddySession.id).where(
            BuddySession.pair_id == pair.id, BuddySession.status == "planned",
            BuddySession.starts_at < now()))
        wish = db.session.scalar(select(BuddyWish.id).where(BuddyWish.status == "open"))
    return {**demo, "pair": pair.id, "to_log": to_log, "wish": wish}


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_buddy_plans_and_logs_offline_and_each_syncs_exactly_once(app, field, pairing):
    page = field.phone().new_page()
    sign_in_page(page, "buddy@example.org", pairing["password"])
    ready(page)
    expect(page.locator("#buddy-next-heading")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "buddy-home-360")
    page.goto(f"/buddies/pairs/{pairing['pair']}")  # kept on the phone by the first sync
    field.offline()

    page.goto(f"/buddies/pairs/{pairing['pair']}/plan")
    page.get_by_label("Date").fill("2031-05-17")
    page.get_by_label("Time").fill("10:30")
    page.get_by_label("Place").fill(PLACE)
    screenshot(page, "buddy-session-form-360")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-save-status]")).to_have_text("Saved on this phone — will sync")

    page.goto(f"/buddies/sessions/{pairing['to_log']}")
    page.get_by_label("It took place").check()
    page.get_by_label("Short note").fill(NOTE)
    page.get_by_role("button", name="Save log").click()
    expect(page.locator("#log [data-save-status]")).to_have_text("Saved on this phone — will sync")
    expect(page.locator("[data-sync-status]")).to_have_text("2 waiting")
    assert _count(app, BuddySession, BuddySession.place == PLACE) == 0

    field.online()
    expect(page.locator("[data-sync-status]")).to_be_hidden(timeout=30_000)
    synced(page)  # a second round sends nothing again
    assert _count(app, BuddySession, BuddySession.place == PLACE) == 1
    assert _count(app, BuddySessionLog, BuddySessionLog.session_id == pairing["to_log"]) == 1
    with app.app_context():
        planned = db.session.scalar(select(BuddySession).where(BuddySession.place == PLACE))
        assert (planned.day.isoformat(), planned.start_time, planned.status) == (
            "2031-05-17", "10:30", "planned")
        assert db.session.get(BuddySession, pairing["to_log"]).note == NOTE


def test_matching_page_at_360_px(app, new_context, pairing):
    page = new_context().new_page()
    sign_in_page(page, "worker@example.org", pairing["password"])
    page.goto(f"/buddies/wishes/{pairing['wish']}")
    expect(page.locator(".suggestion").first).to_be_visible()
    expect(page.locator(".reasons").first).to_contain_text("Shared languages")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "buddy-matching-360")
    page.goto("/buddies/")
    expect(page.locator("#attention-heading")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "buddy-programme-360")
    page.goto(f"/buddies/pairs/{pairing['pair']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "buddy-pair-360")
