"""Indicators: each figure on hand-made data with a known answer, the refresh (idempotent,
closed periods frozen), the API's shape, access and suppression, and the dashboard."""

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from server.core.clock import LOCAL_TZ, today_local
from server.core.consent import add_months
from server.extensions import db
from server.insight import refresh
from server.insight.models import ALL, IndicatorValue
from server.insight.periods import parse_period, quarter_of
from server.people.models import Person
from server.welcome.models import Household

from . import factories
from .conftest import csrf_token, sign_in

pytestmark = pytest.mark.database

# A quarter well in the past, whatever day the suite runs on (HANDVAST_TEST_NOW).
PAST = quarter_of(add_months(today_local(), -6))
END = (PAST.after - PAST.first).days  # the first day after it, as a day of PAST
KEYS = {"id", "label", "numerator", "denominator", "value", "unit", "period", "suppressed"}


def _day(n: int) -> str:
    """Day ``n`` of PAST (0: its first day), as ISO."""
    return (PAST.first + timedelta(days=n)).isoformat()


def _at(n: int, hour: int = 10) -> str:
    """Local wall time on day ``n`` of PAST."""
    return datetime.combine(PAST.first + timedelta(days=n), time(hour), LOCAL_TZ).isoformat()


def _gamma():
    """A municipality of its own (nothing of the world's in its figures) and its worker."""
    municipality = factories.make_municipality("Gamma")
    team = factories.make_team(municipality, "Gamma team")
    worker = factories.make_user(f"worker-{municipality.slug}@g.test", municipality, "worker",
                                 teams=(team,))
    return municipality, factories.actor_for(worker, municipality)


def _cell(municipality_id: str, indicator: str, period: str = PAST.code,
          neighbourhood: str = ALL, breakdown: str = "") -> tuple[int, int | None] | None:
    row = db.session.execute(select(IndicatorValue.numerator, IndicatorValue.denominator).where(
        IndicatorValue.municipality_id == municipality_id, IndicatorValue.period == period,
        IndicatorValue.indicator == indicator, IndicatorValue.neighbourhood == neighbourhood,
        IndicatorValue.breakdown == breakdown)).one_or_none()
    return tuple(row) if row else None


def _withdraw(actor, person_id: str) -> None:
    person = db.session.get(Person, person_id)
    factories.apply(actor, "person.update", {
        "consent_basis": "consent", "consent_date": (today_local() - timedelta(days=300)).isoformat(),
        "consent_withdrawn_on": today_local().isoformat()},
        record_id=person_id, base_version=person.version)


@pytest.mark.parametrize(("code", "first", "after"), [
    ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1)), ("2026-Q1", date(2026, 1, 1),
                                                        date(2026, 4, 1)),
    ("2026-12", date(2026, 12, 1), date(2027, 1, 1)), ("2026-02", date(2026, 2, 1),
                                                       date(2026, 3, 1))])
def test_periods_parse_quarters_and_months(code, first, after):
    period = parse_period(code)
    assert (period.first, period.after) == (first, after)


@pytest.mark.parametrize("code", ["2026-Q5", "2026-Q0", "2026-13", "2026-00", "26-Q1",
                                  "2026Q4", "2026-q4", "２０２６-Q1", "1899-Q4", "", "2026-4"])
def test_periods_refuse_anything_else(code):
    assert parse_period(code) is None


def test_people_are_counted_once_and_withdrawn_consent_leaves_them_out(app):
    with app.app_context():
        gamma, worker = _gamma()
        centrum = gamma.neighbourhoods[0].id
        amina, omar, lena = (factories.make_person(worker, display_name=n)
                             for n in ("Amina", "Omar", "Lena"))
        for day in (1, 44, END - 1):  # in its first, second and last month
            factories.make_contact(worker, [amina], occurred_at=_at(day),
                                   neighbourhood_id=centrum, domains=["education", "work"])
        factories.make_contact(worker, [amina, omar], occurred_at=_at(62), domains=["work"])
        factories.make_contact(worker, [lena], occurred_at=_at(31), domains=[])
        # 01:00 in Brussels on the next quarter's first day: still the previous day in UTC.
        factories.make_contact(worker, [omar], occurred_at=_at(END, 1))
        _withdraw(worker, lena)
        refresh.refresh(gamma.id, PAST)
        assert _cell(gamma.id, "people_reached") == (2, None)
        assert _cell(gamma.id, "people_reached", neighbourhood=centrum) == (1, None)
        assert _cell(gamma.id, "people_reached", neighbourhood="none") == (2, None)
        # Contacts are the work done: the one with Lena counts, once in all, once per domain.
        assert _cell(gamma.id, "contacts") == (5, None)
        assert _cell(gamma.id, "contacts", breakdown="work") == (4, None)
        assert _cell(gamma.id, "contacts", breakdown="education") == (3, None)
        assert _cell(gamma.id, "contacts", breakdown="none") == (1, None)
        following = quarter_of(PAST.after)
        assert _cell(gamma.id, "contacts", following.code) is None  # not counted yet
        refresh.refresh(gamma.id, following)
        assert _cell(gamma.id, "people_reached", following.code) == (1, None)
        last_month = (PAST.after - timedelta(days=1)).strftime("%Y-%m")
        refresh.refresh(gamma.id, parse_period(last_month))
        assert _cell(gamma.id, "people_reached", last_month) == (2, None)
        db.session.rollback()


def test_households_are_followed_as_the_cohort_of_their_registration(app):
    with app.app_context():
        gamma, _worker = _gamma()
        following = quarter_of(PAST.after)
        for i, (registered, welcomed) in enumerate([
                (END - 6, END + 9),  # in PAST's cohort, within 30 days, in the next quarter
                (31, 31 + 75),  # within 90, not within 30
                (0, 123),  # welcomed, but after 123 days
                (14, None),
                (END + 1, END + 2)]):  # the next quarter's cohort
            db.session.add(Household(
                municipality_id=gamma.id, names=f"Gezin {i}", street="Kerkstraat",
                street_key="kerkstraat", house_number=str(i), postcode="1700",
                registered_on=date.fromisoformat(_day(registered)),
                welcomed_on=date.fromisoformat(_day(welcomed)) if welcomed else None))
        db.session.flush()
        refresh.refresh(gamma.id, PAST)
        refresh.refresh(gamma.id, following)
        assert _cell(gamma.id, "households_welcomed_30") == (1, 4)
        assert _cell(gamma.id, "households_welcomed_90") == (2, 4)
        assert _cell(gamma.id, "households_welcomed_90", following.code) == (1, 1)
        db.session.rollback()


def _advance(actor, referral_id: str, *steps: tuple[str, str]) -> None:
    from server.referrals.models import Referral

    for status, day in steps:
        version = db.session.get(Referral, referral_id).version
        factories.apply(actor, "referral.advance", {"status": status, "occurred_on": day},
                        record_id=referral_id, base_version=version)


def test_referrals_completed_within_60_days_of_their_proposal(app):
    with app.app_context():
        gamma, worker = _gamma()
        service = factories.make_service(gamma)
        person = factories.make_person(worker)
        walk = [("sent", _day(2)), ("accepted", _day(9)), ("started", _day(19))]
        quick = factories.make_referral(worker, person, service, occurred_on=_day(0))
        _advance(worker, quick, *walk, ("completed", _day(45)))
        slow = factories.make_referral(worker, person, service, occurred_on=_day(1))
        _advance(worker, slow, *walk, ("completed", _day(1 + 61)))  # a day late
        dropped = factories.make_referral(worker, person, service, occurred_on=_day(END - 2))
        _advance(worker, dropped, ("dropped", _day(END + 1)))
        factories.make_referral(worker, person, service, occurred_on=_day(-1))  # before
        refresh.refresh(gamma.id, PAST)
        assert _cell(gamma.id, "referrals_completed_60") == (1, 3)
        assert _cell(gamma.id, "referrals_completed_60", breakdown="language") == (1, 3)
        assert _cell(gamma.id, "referrals_proposed") == (3, None)
        funnel = {step: _cell(gamma.id, "referral_funnel", breakdown=step)
                  for step in ("proposed", "sent", "completed", "dropped")}
        assert funnel == {"proposed": (3, None), "sent": (2, None), "completed": (2, None),
                          "dropped": (1, None)}
        db.session.rollback()


def test_refresh_is_idempotent_and_a_closed_period_stays_frozen(app):
    with app.app_context():
        gamma, worker = _gamma()
        person = factories.make_person(worker)
        factories.make_contact(worker, [person], occurred_at=_at(31))

        def cells():
            return sorted(db.session.execute(select(
                IndicatorValue.indicator, IndicatorValue.neighbourhood, IndicatorValue.breakdown,
                IndicatorValue.numerator, IndicatorValue.denominator).where(
                IndicatorValue.municipality_id == gamma.id)).all())

        assert refresh.refresh(gamma.id, PAST, rebuild=True)
        first = cells()
        assert refresh.refresh(gamma.id, PAST, rebuild=True)
        assert cells() == first
        # PAST was over when it was counted: a contact logged late for it changes nothing ...
        factories.make_contact(worker, [factories.make_person(worker, display_name="Late")],
                               occurred_at=_at(76))
        assert not refresh.refresh(gamma.id, PAST)
        assert cells() == first
        assert _cell(gamma.id, "people_reached") == (1, None)
        # ... until the period is rebuilt on purpose.
        assert refresh.refresh(gamma.id, PAST, rebuild=True)
        assert _cell(gamma.id, "people_reached") == (2, None)
        # The current quarter is still open: every refresh recounts it.
        current = quarter_of(today_local())
        assert refresh.refresh(gamma.id, current)
        assert refresh.refresh(gamma.id, current)
        db.session.rollback()


@pytest.mark.committed
def test_the_command_refreshes_every_period_of_a_municipality(app):
    with app.app_context():
        gamma, worker = _gamma()
        factories.make_contact(worker, [factories.make_person(worker)], occurred_at=_at(31))
        db.session.commit()
        slug = gamma.slug
        gamma_id = gamma.id
    runner = app.test_cli_runner()
    result = runner.invoke(args=["indicators", "refresh", "--municipality", slug])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["indicators", "refresh", "--municipality", slug])
    assert "frozen" in again.output
    assert ", 0 frozen" not in again.output
    bad = runner.invoke(args=["indicators", "refresh", "--period", "2026-Q5"])
    assert bad.exit_code != 0
    assert "2026-Q4" in bad.output
    with app.app_context():
        month = PAST.first.replace(month=PAST.first.month + 1).strftime("%Y-%m")
        assert _cell(gamma_id, "people_reached", month) == (1, None)
        assert _cell(gamma_id, "people_reached") == (1, None)
        periods = set(db.session.scalars(select(IndicatorValue.period).distinct().where(
            IndicatorValue.municipality_id == gamma_id)))
        today = today_local()
        assert {PAST.first.strftime("%Y-%m"), PAST.code, month, today.strftime("%Y-%m"),
                quarter_of(today).code} <= periods


def _refreshed(app, world) -> str:
    period = quarter_of(today_local())
    with app.app_context():
        for municipality in (world.a, world.b):
            refresh.refresh(municipality.id, period)
        db.session.commit()
    return period.code


@pytest.mark.parametrize("email", ["officer@a.test", "volunteer@a.test", "buddy@a.test",
                                   "worker@a.test", "admin@a.test"])
def test_only_coordinators_read_the_indicators(world, login, email):
    client = login(email)
    assert client.get("/api/v1/indicators").status_code == 404
    assert client.get("/dashboard").status_code == 404


def test_the_api_answers_each_indicator_suppressed_below_five(app, world, login):
    period = _refreshed(app, world)
    response = login("coordinator@a.test").get(f"/api/v1/indicators?period={period}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    answer = {entry["id"]: entry for entry in response.get_json()}
    assert all(set(entry) == KEYS and entry["period"] == period for entry in answer.values())
    # The world's one person reached and one contact: shown as hidden, never as 1.
    reached = answer["people_reached"]
    assert reached["suppressed"] is True
    assert reached["unit"] == "people"
    assert reached["numerator"] is reached["value"] is reached["denominator"] is None
    # Zero is shown as 0; a share of nothing has no value.
    assert answer["signals_raised"] == {**answer["signals_raised"], "suppressed": False,
                                        "numerator": 0, "value": 0}
    assert answer["households_welcomed_90"]["denominator"] == 0
    assert answer["households_welcomed_90"]["value"] is None


def test_the_api_shows_counts_of_five_and_more_and_shares_with_both_counts(app, world, login):
    with app.app_context():
        worker = world.actor("worker")
        for i in range(6):
            factories.make_contact(worker, [factories.make_person(worker, display_name=f"P{i}")])
        for i in range(10):
            db.session.add(Household(
                municipality_id=world.a.id, names=f"Gezin {i}", street="Kerkstraat",
                street_key="kerkstraat", house_number=str(i), postcode="1700",
                registered_on=today_local(),
                welcomed_on=today_local() if i < 8 else None))
        db.session.commit()
    period = _refreshed(app, world)
    answer = {e["id"]: e for e in login("coordinator@a.test").get(
        f"/api/v1/indicators?period={period}").get_json()}
    assert answer["people_reached"]["numerator"] == 7
    assert answer["households_welcomed_30"] == {**answer["households_welcomed_30"],
                                                "numerator": 8, "denominator": 10,
                                                "value": 0.8, "suppressed": False}
    # Municipality B's coordinator sees B's figures alone.
    theirs = {e["id"]: e for e in login("coordinator@b.test").get(
        f"/api/v1/indicators?period={period}").get_json()}
    assert theirs["households_welcomed_30"]["denominator"] == 0


@pytest.mark.parametrize("code", ["2026-Q5", "2026-13", "Q4-2026", "x" * 200])
def test_a_period_that_is_not_one_is_refused_with_a_reason(world, login, code):
    client = login("coordinator@a.test")
    response = client.get("/api/v1/indicators", query_string={"period": code})
    assert response.status_code == 400
    assert "2026-Q4" in response.get_json()["error"]
    page = client.get("/dashboard", query_string={"period": code})
    assert page.status_code == 400
    assert "2026-Q4" in page.get_data(as_text=True)
    other = client.get("/dashboard", query_string={"neighbourhood": "elsewhere"})
    assert other.status_code == 400


def test_the_dashboard_shows_shares_with_their_counts(app, world, login):
    with app.app_context():
        for i in range(20):
            db.session.add(Household(
                municipality_id=world.a.id, names=f"Gezin {i}", street="Kerkstraat",
                street_key="kerkstraat", house_number=str(i), postcode="1700",
                registered_on=today_local(), welcomed_on=today_local() if i < 16 else None))
        db.session.commit()
    period = _refreshed(app, world)
    page = login("coordinator@a.test").get(f"/dashboard?period={period}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "80% (16 of 20)" in body
    assert 'role="img"' in body
    assert "<title id=" in body
    assert "<desc id=" in body
    assert "style=" not in body
    assert "<script>" not in body
    assert "counted on" in body


def test_the_dashboard_counts_again_on_request(app, world, login):
    client = login("coordinator@a.test")
    assert "have not been counted yet" in client.get("/dashboard").get_data(as_text=True)
    response = client.post("/dashboard/refresh", data={"csrf_token": client.csrf})
    assert response.status_code == 303
    assert "counted on" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_demo_coordinator_sees_the_dashboard(app, demo):
    result = app.test_cli_runner().invoke(args=["indicators", "refresh"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert sign_in(client, "coordinator@example.org", demo["password"]).status_code == 303
    more = client.get("/more").get_data(as_text=True)
    assert "/dashboard" in more
    page = client.get("/dashboard")
    body = page.get_data(as_text=True)
    assert page.status_code == 200, body[:500]
    assert "People reached" in body
    assert "counted on" in body
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) > 0
    assert csrf_token(client, "/dashboard")


def test_signals_are_followed_from_the_period_they_were_raised_in(app):
    from server.signals.models import Signal

    with app.app_context():
        gamma, worker = _gamma()
        raised = [(4, "resolved", "housing_environment"),
                  (35, "forwarded", "housing_environment"),
                  (END - 1, "resolved", "education"),
                  (END, "resolved", "education")]  # the next quarter
        for day, status, theme in raised:
            db.session.add(Signal(municipality_id=gamma.id, reporter_id=worker.user_id,
                                  theme=theme, urgency="normal", description="Geen speelplein",
                                  status=status,
                                  created_at=datetime.fromisoformat(_at(day, 12))))
        db.session.flush()
        refresh.refresh(gamma.id, PAST)
        assert _cell(gamma.id, "signals_raised") == (3, None)
        assert _cell(gamma.id, "signals_raised", breakdown="housing_environment") == (2, None)
        assert _cell(gamma.id, "signals_resolved") == (2, 3)
        assert _cell(gamma.id, "signals_by_status", breakdown="resolved") == (2, None)
        assert _cell(gamma.id, "signals_by_status", breakdown="forwarded") == (1, None)
        db.session.rollback()


def test_a_closed_period_says_its_figures_are_frozen(app, world, login):
    with app.app_context():
        refresh.refresh(world.a.id, PAST)
        db.session.commit()
    body = login("coordinator@a.test").get(f"/dashboard?period={PAST.code}").get_data(as_text=True)
    assert "its figures stay as they are" in body
    assert "Count again now" not in body


def test_the_openapi_document_describes_the_indicators(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/indicators" in document["paths"]
    schema = document["components"]["schemas"]["Indicator"]
    assert set(schema["required"]) == KEYS
