"""A volunteer's welcome round without signal: three visits on the phone (welcomed with a
referral, not home, declined), one sync, and the coordinator's inflow table counts them —
on any day of the year: the demo's registrations (moved to the weeks before today) span two
months, so the three households may fall in different months of the inflow."""

from datetime import datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.auth.models import User
from server.core.clock import LOCAL_TZ
from server.extensions import db
from server.referrals.models import Referral
from server.welcome.models import Household, WelcomeVisit

from .conftest import ready, screenshot, sign_in_page, synced

pytestmark = pytest.mark.browser


def _worklist(app) -> list[Household]:
    with app.app_context():
        volunteer = db.session.scalar(select(User.id).where(User.email == "volunteer@example.org"))
        households = list(db.session.scalars(select(Household).where(
            Household.assigned_user_id == volunteer, Household.status == "new")
            .order_by(Household.target_on, Household.registered_on)))
        db.session.expunge_all()
        return households


def _log(page, household, outcome: str, *, agrees: bool = False, refer: str | None = None):
    page.goto(f"/welcome/households/{household.id}")
    expect(page.locator("h1")).to_contain_text(household.names.split(",")[0])
    page.get_by_role("link", name="Log visit").click()
    page.get_by_label(outcome, exact=True).check()
    if agrees:
        page.get_by_label("Agrees to be contacted again").check()
    if refer:
        page.get_by_label("Refer to a service").select_option(label=refer)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-save-status]")).to_have_text("Saved on this phone — will sync")


# Days when a date computed the wrong way shows: a month's first minutes (still the last
# day of the month before in UTC), its last minutes, both changes of summer time (the night
# of the last Sunday of March and of October), and the year's end.
DAYS = [datetime(2027, 2, 1, 0, 30), datetime(2027, 4, 30, 23, 30),
        datetime(2027, 3, 28, 3, 30), datetime(2027, 10, 31, 2, 30, fold=1),
        datetime(2026, 12, 31, 23, 45)]


@pytest.fixture(params=DAYS, ids=lambda day: day.strftime("%Y-%m-%dT%H:%M"))
def on_day(request, travel):
    travel(request.param.replace(tzinfo=LOCAL_TZ))


def _inflow_totals(app, coordinator, households: list[Household]) -> int:
    """The coordinator's inflow table of each month the households registered in, checked
    against the report itself; returns how many visits those months count."""
    from server.core.access import Actor, Role
    from server.welcome.inflow import report

    with app.app_context():
        municipality = db.session.get(Household, households[0].id).municipality_id
    visited = 0
    for month in sorted({h.registered_on.strftime("%Y-%m") for h in households}):
        coordinator.goto(f"/welcome/inflow?month={month}")
        total = coordinator.locator("table.figures tr.total")
        expect(total).to_be_visible()
        with app.app_context():
            expected = report(Actor("x", municipality, frozenset({Role.COORDINATOR})),
                              month).total
        cells = total.locator("td")
        expect(cells.nth(0)).to_have_text(str(expected.registered))
        expect(cells.nth(1)).to_have_text(str(expected.visited))
        expect(cells.nth(5)).to_have_text(str(expected.referred))
        visited += expected.visited
    return visited


def test_three_visits_offline_sync_once_and_count_in_the_inflow(app, on_day, field, demo):  # noqa: F811
    first, second, third = _worklist(app)[:3]
    page = field.phone().new_page()
    sign_in_page(page, "volunteer@example.org", demo["password"])
    ready(page)
    page.goto("/welcome/")
    expect(page.locator(".worklist")).to_contain_text(first.names.split(",")[0])
    screenshot(page, "welcome-worklist-360")
    field.offline()
    page.goto("/welcome/")  # from the phone
    expect(page.locator(".worklist")).to_contain_text(second.names.split(",")[0])
    with app.app_context():
        service = db.session.scalar(select(Referral.service_id).limit(1))
        from server.services.models import Service

        refer = db.session.get(Service, service).names["en"]
    _log(page, first, "Welcomed", agrees=True, refer=refer)
    screenshot(page, "welcome-visit-form-saved-360")
    _log(page, second, "Not home")
    _log(page, third, "Declined")
    expect(page.locator("[data-sync-status]")).to_have_text("3 waiting")
    page.goto("/welcome/")
    expect(page.locator("[data-offline-list=welcome] .pending")).to_have_count(3)
    # The status is filled in once the page has read the outbox: hidden before that, it
    # would pass the check below before anything was sent.
    expect(page.locator("[data-sync-status]")).to_have_text("3 waiting")
    with app.app_context():
        assert db.session.scalar(select(WelcomeVisit.id).where(
            WelcomeVisit.household_id.in_([first.id, second.id, third.id]))) is None
    field.online()
    synced(page)
    expect(page.locator("[data-sync-status]")).to_be_hidden()
    with app.app_context():
        outcomes = {h.id: (h.status, h.attempts) for h in db.session.scalars(
            select(Household).where(Household.id.in_([first.id, second.id, third.id])))}
        welcomed = db.session.get(Household, first.id)
        assert welcomed.referral_id is not None
    assert outcomes == {first.id: ("welcomed", 1), second.id: ("not_home", 1),
                        third.id: ("declined", 1)}
    page.reload()
    expect(page.locator(".worklist")).to_contain_text(second.names.split(",")[0])
    expect(page.locator(".worklist")).not_to_contain_text(third.names.split(",")[0])

    coordinator = field.phone().new_page()
    sign_in_page(coordinator, "coordinator@example.org", demo["password"])
    assert _inflow_totals(app, coordinator, [first, second, third]) >= 3
    screenshot(coordinator, "welcome-inflow-360")
